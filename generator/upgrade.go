package generator

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"

	"github.com/rogpeppe/go-internal/diff"
)

// UpgradeOptions are the flags of jwtgen upgrade.
type UpgradeOptions struct {
	Dir   string   // any directory inside the project
	Yes   bool     // write without asking
	Force bool     // overwrite generated files edited by hand
	Ask   Prompter // nil when there is no terminal to confirm on
	// NoGo leaves go.mod and go.sum alone and runs no go command.
	NoGo   bool
	Stdout io.Writer
	Stderr io.Writer
}

// errUpgradeNeedsYes is returned when upgrade has shown its changes and has
// no terminal to ask on.
var errUpgradeNeedsYes = errors.New("no terminal to confirm on: nothing was written; pass --yes to write the changes shown above")

// errUpgradeDeclined is returned when the user answers no.
var errUpgradeDeclined = errors.New("upgrade declined: nothing was written")

// Upgrade shows what this jwtgen changes in the package, file by file (a
// unified diff, and go.mod), then writes it through the same stages as
// Generate: after asking on a terminal, at once with Yes. A generated file
// edited by hand is refused as Generate refuses it, and the refusal shows
// the edit against what jwtgen last wrote when git still has that.
func Upgrade(o UpgradeOptions) (WriteStats, error) {
	p, cfg, err := loadProject(o.Dir)
	if err != nil {
		return WriteStats{}, err
	}
	from := cmp.Or(cfg.JwtgenVersion, "(none recorded)")
	if cfg.JwtgenVersion == "" {
		fmt.Fprintf(o.Stdout, "jwtgen: upgrading %s to jwtgen %s (%s records no earlier version)\n", cfg.Out, Version(), ConfigFile)
	} else {
		fmt.Fprintf(o.Stdout, "jwtgen: upgrading %s from jwtgen %s to jwtgen %s\n", cfg.Out, from, Version())
	}
	g, err := prepare(p, cfg, o.Force, o.NoGo)
	var conflict *conflictError
	if errors.As(err, &conflict) && len(conflict.Edited) > 0 {
		last, merr := readManifest(p.Root)
		if merr != nil {
			return WriteStats{}, errors.Join(err, merr)
		}
		showEdits(o.Stdout, p.Root, last, conflict.Edited)
		return WriteStats{}, fmt.Errorf("refusing to upgrade: generated files edited by hand: %s (each edit is shown above; move it into a user-owned file, or rerun with --force to discard it)", strings.Join(conflict.Edited, ", "))
	}
	if err != nil {
		return WriteStats{}, err
	}
	drift := printDiff(o.Stdout, g.changes, g.mods) != nil
	if cfg.JwtgenVersion != Version() {
		fmt.Fprintf(o.Stdout, "# %s: jwtgen_version: %s -> %s\n", ConfigFile, from, Version())
		drift = true
	}
	if !drift {
		fmt.Fprintf(o.Stdout, "jwtgen: nothing to upgrade: the package is what jwtgen %s writes\n", Version())
		return WriteStats{}, nil
	}
	if !o.Yes {
		if o.Ask == nil {
			return WriteStats{}, errUpgradeNeedsYes
		}
		ok, err := o.Ask.Confirm("Write these changes?", "Yes writes every change shown above (all or nothing); no leaves the project as it is.", false)
		if err != nil {
			return WriteStats{}, err
		}
		if !ok {
			return WriteStats{}, errUpgradeDeclined
		}
	}
	return g.write(o.Stdout)
}

// showEdits prints each hand-edited file as a diff against what jwtgen
// last wrote there, when that content can be found, and says plainly why
// when it cannot.
func showEdits(w io.Writer, root string, last manifest, edited []string) {
	for _, rel := range edited {
		now, err := readExisting(root, rel)
		if err != nil {
			fmt.Fprintf(w, "# %s: edited by hand; %v\n", rel, err)
			continue
		}
		wrote, rev, why := recoverWritten(root, rel, last[rel])
		if wrote == nil {
			fmt.Fprintf(w, "# %s: edited by hand; what jwtgen last wrote there cannot be recovered (%s), so the edit cannot be shown\n", rel, why)
			continue
		}
		fmt.Fprintf(w, "# %s: edited by hand; the edit, against what jwtgen last wrote (git %s):\n", rel, rev)
		w.Write(diff.Diff("a/"+rel+" (jwtgen, "+rev+")", wrote, "b/"+rel+" (working tree)", now))
	}
}

// recoverWritten looks in the project's git history for the content whose
// SHA-256 is want (the manifest's record of what jwtgen wrote at rel): the
// index first, then every commit that touched rel, newest first. It returns
// that content and where it was found, or nil and why not.
func recoverWritten(root, rel, want string) (content []byte, rev, why string) {
	if want == "" {
		return nil, "", manifestFile + " has no record of it"
	}
	if _, err := exec.LookPath("git"); err != nil {
		return nil, "", "git is not installed"
	}
	if _, err := gitOutput(root, "rev-parse", "--is-inside-work-tree"); err != nil {
		return nil, "", "the project is not in a git repository"
	}
	if b, err := gitOutput(root, "show", ":./"+rel); err == nil && hash(b) == want {
		return b, "index", ""
	}
	log, err := gitOutput(root, "log", "--format=%H", "--", rel)
	if err != nil {
		return nil, "", "git log failed: " + err.Error()
	}
	revs := strings.Fields(string(log))
	if len(revs) == 0 {
		return nil, "", "git has no commit of it"
	}
	for _, r := range revs {
		b, err := gitOutput(root, "show", r+":./"+rel)
		if err == nil && hash(b) == want {
			return b, "commit " + r[:12], ""
		}
	}
	return nil, "", fmt.Sprintf("none of the %d commits of it in git has the content %s records, SHA-256 %s", len(revs), manifestFile, want[:12])
}

// gitOutput runs git in dir and returns its standard output.
func gitOutput(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}
