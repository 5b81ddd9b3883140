package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rogpeppe/go-internal/diff"
	"go.yaml.in/yaml/v3"
	"golang.org/x/mod/modfile"
)

// Project is the Go module jwtgen writes into.
type Project struct {
	Root   string // absolute directory holding go.mod and jwtgen.yaml
	Module string // module path from go.mod
}

// FindProject walks up from dir to the nearest go.mod.
func FindProject(dir string) (*Project, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	for d := abs; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			mod := modfile.ModulePath(data)
			if mod == "" {
				return nil, fmt.Errorf("%s has no module line", filepath.Join(d, "go.mod"))
			}
			return &Project{Root: d, Module: mod}, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("reading go.mod: %w", err)
		}
		if filepath.Dir(d) == d {
			return nil, fmt.Errorf("no go.mod in %s or any parent directory: run jwtgen init there first", abs)
		}
	}
}

// LoadConfig reads and validates the project's jwtgen.yaml and fills in the
// module path from go.mod.
func (p *Project) LoadConfig() (Config, error) {
	raw, err := os.ReadFile(filepath.Join(p.Root, ConfigFile))
	if errors.Is(err, fs.ErrNotExist) {
		return Config{}, fmt.Errorf("no %s in %s (the module root): run jwtgen init first", ConfigFile, p.Root)
	}
	if err != nil {
		return Config{}, fmt.Errorf("reading %s: %w", ConfigFile, err)
	}
	cfg, err := ParseConfig(raw)
	if err != nil {
		return Config{}, err
	}
	if cfg.Module != "" && cfg.Module != p.Module {
		return Config{}, &ValidationError{Key: "module", Line: keyLine(raw, "module"), Value: cfg.Module,
			Reason: fmt.Sprintf("%q contradicts go.mod, which declares module %q (remove the key or make them agree)", cfg.Module, p.Module)}
	}
	cfg.Module = p.Module
	return cfg, nil
}

// keyLine returns the line of a top-level key in a YAML document, 0 if absent.
func keyLine(raw []byte, key string) int {
	var root yaml.Node
	if yaml.Unmarshal(raw, &root) != nil || len(root.Content) == 0 {
		return 0
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i].Line
		}
	}
	return 0
}

// GenerateOptions are the flags of jwtgen generate.
type GenerateOptions struct {
	Dir    string // any directory inside the project
	Check  bool   // write nothing; print a diff and fail on drift
	DryRun bool   // write nothing; print what each file would undergo
	Force  bool   // overwrite generated files edited by hand
	// NoGo leaves go.mod and go.sum alone and runs no go command.
	NoGo   bool
	Stdout io.Writer
	Stderr io.Writer
}

// ErrDrift is returned by Generate with Check when the project's files
// differ from what jwtgen.yaml renders.
var ErrDrift = errors.New("generated files or go.mod are out of date: run go generate ./... (or jwtgen generate) and commit the result")

// Generate re-renders the project from its jwtgen.yaml: config, plan,
// render and format happen in memory, and only then is anything written.
func Generate(o GenerateOptions) (WriteStats, error) {
	p, err := FindProject(o.Dir)
	if err != nil {
		return WriteStats{}, err
	}
	cfg, err := p.LoadConfig()
	if err != nil {
		return WriteStats{}, err
	}
	if v := Version(); cfg.JwtgenVersion != "" && cfg.JwtgenVersion != v {
		fmt.Fprintf(o.Stderr, "jwtgen: warning: %s was written by jwtgen %s, this is jwtgen %s; the output may differ\n", ConfigFile, cfg.JwtgenVersion, v)
	}
	files, err := Render(cfg)
	if err != nil {
		return WriteStats{}, err
	}
	manifestRaw, err := readExisting(p.Root, ManifestFile)
	if err != nil {
		return WriteStats{}, err
	}
	last, err := ParseManifest(manifestRaw)
	if err != nil {
		return WriteStats{}, err
	}
	// --check and --dry-run report edited files instead of refusing.
	changes, err := Changes(p.Root, files, last, o.Force || o.Check || o.DryRun)
	if err != nil {
		return WriteStats{}, err
	}
	if changes, err = planMoves(p.Root, cfg, files, last, changes); err != nil {
		return WriteStats{}, err
	}
	var mods *modStage
	if !o.NoGo {
		if mods, err = planModStage(p.Root, cfg.Module, files, changes, last, manifestRaw); err != nil {
			return WriteStats{}, err
		}
	}
	switch {
	case o.Check:
		err := printDiff(o.Stdout, changes, mods)
		var edited []string
		for _, c := range changes {
			if c.Edited {
				edited = append(edited, c.Path)
			}
		}
		if err != nil && len(edited) > 0 {
			err = fmt.Errorf("%w; edited by hand: %s (generate refuses these until the edit moves into a user-owned file, or --force discards it)", err, strings.Join(edited, ", "))
		}
		return WriteStats{}, err
	case o.DryRun:
		printPlan(o.Stdout, changes, mods, o.Force)
		return WriteStats{}, nil
	}
	if mods != nil && mods.run {
		mods.tidy = isTidy(p.Root)
	}
	stats, err := write(p.Root, files, changes, mods, manifestModules(manifestRaw), o.Stdout)
	if err != nil {
		return stats, err
	}
	announce(o.Stdout, p.Root, cfg, last, changes)
	return stats, nil
}

// modStage is the module stage of one write: what changes in go.mod, and
// how go.sum is brought along.
type modStage struct {
	plan  modPlan
	pkgs  []string // third-party packages the rendered files import
	gomod []byte   // go.mod before
	run   bool     // something to do: requirements change or new packages are imported
	// tidy: go.mod was tidy before anything was written, so go mod tidy
	// may finish the job without touching anything of the user's.
	tidy bool
}

func planModStage(root, module string, files []File, changes []Change, last Manifest, manifestRaw []byte) (*modStage, error) {
	gomod, err := readExisting(root, "go.mod")
	if err != nil {
		return nil, err
	}
	skip := map[string]bool{}
	for _, f := range files {
		skip[f.Path] = true
	}
	for _, p := range last.Paths() {
		skip[p] = true
	}
	userImports, err := projectImports(root, skip)
	if err != nil {
		return nil, fmt.Errorf("reading the project's imports: %w", err)
	}
	managed := manifestModules(manifestRaw)
	if len(managed) == 0 {
		managed = managedFromGoMod(gomod)
	}
	plan, err := planModule(gomod, files, module, managed, userImports)
	if err != nil {
		return nil, err
	}
	var now, before [][]byte
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".go") {
			now = append(now, f.Content)
		}
	}
	for _, c := range changes {
		if strings.HasSuffix(c.Path, ".go") && c.Old != nil {
			before = append(before, c.Old)
		}
	}
	pkgs := thirdPartyPackages(now, module)
	old := thirdPartyPackages(before, module)
	grew := slices.ContainsFunc(pkgs, func(p string) bool { _, found := slices.BinarySearch(old, p); return !found })
	return &modStage{plan: plan, pkgs: pkgs, gomod: gomod, run: !plan.empty() || grew}, nil
}

// write is the write stage: the files, then the manifest and the version
// line in jwtgen.yaml, then go.mod and go.sum. It is all or nothing: when
// a step fails, every file it touched gets its old content back. modules
// are the modules the manifest recorded before (kept when mods is nil).
func write(root string, files []File, changes []Change, mods *modStage, modules []string, out io.Writer) (WriteStats, error) {
	snap, err := snapshotFiles(filepath.Join(root, ManifestFile), filepath.Join(root, ConfigFile))
	if err != nil {
		return WriteStats{}, err
	}
	modSnap, err := snapshotModule(root)
	if err != nil {
		return WriteStats{}, err
	}
	fail := func(stats WriteStats, err error) (WriteStats, error) {
		if rerr := errors.Join(revert(root, changes), snap.restore(), modSnap.restore()); rerr != nil {
			return stats, fmt.Errorf("%w\nrestoring the project failed too: %v", err, rerr)
		}
		return WriteStats{}, fmt.Errorf("%w\nnothing was changed: %s, the package, go.mod and go.sum are as they were", err, ConfigFile)
	}
	stats, err := Apply(root, changes)
	if err == nil && afterApply != nil {
		err = afterApply()
	}
	if err != nil {
		return fail(stats, err)
	}
	if mods != nil {
		modules = mods.plan.Managed
	}
	if _, err := WriteFileAtomic(filepath.Join(root, ManifestFile), NewManifest(files).marshal(modules)); err != nil {
		return fail(stats, err)
	}
	versionLine, err := recordVersion(root)
	if err != nil {
		return fail(stats, err)
	}
	if mods != nil && mods.run {
		if err := applyModule(root, mods.plan, mods.pkgs, mods.tidy); err != nil {
			return fail(stats, fmt.Errorf("updating go.mod: %w", err))
		}
	}
	for _, c := range changes {
		switch c.Action {
		case Create, Delete:
			fmt.Fprintf(out, "%-9s %s\n", c.Action, c.Path)
		case Update:
			switch {
			case c.Edited:
				fmt.Fprintf(out, "%-9s %s (edited by hand; overwritten (--force))\n", c.Action, c.Path)
			case c.Note != "":
				fmt.Fprintf(out, "%-9s %s (%s)\n", c.Action, c.Path, c.Note)
			default:
				fmt.Fprintf(out, "%-9s %s\n", c.Action, c.Path)
			}
		case Move:
			fmt.Fprintf(out, "%-9s %s -> %s (%s)\n", c.Action, c.From, c.Path, c.Note)
		case Skip:
			if c.Owner != Scaffolded {
				fmt.Fprintf(out, "%-9s %s (%s)\n", c.Action, c.Path, c.Note)
			}
		}
	}
	if versionLine != "" {
		fmt.Fprintf(out, "%-9s %s (%s)\n", Update, ConfigFile, versionLine)
	}
	if mods != nil && mods.run {
		after, _ := readExisting(root, "go.mod")
		printModChanges(out, mods.gomod, after)
		if !mods.tidy {
			fmt.Fprintf(out, "jwtgen: go.mod was not tidy before, so only the package's own requirements were added; run go mod tidy to settle the rest\n")
		}
	}
	fmt.Fprintf(out, "jwtgen: %d written, %d deleted, %d unchanged\n", stats.Written, stats.Deleted, stats.Unchanged)
	return stats, nil
}

// afterApply, when set by a test, runs right after the files are written:
// an error from it stands for any later failure of the write stage.
var afterApply func() error

// recordVersion sets jwtgen_version in jwtgen.yaml to the running version,
// editing only that line so the user's comments and layout survive. It
// returns the new line when it changed the file.
func recordVersion(root string) (string, error) {
	name := filepath.Join(root, ConfigFile)
	raw, err := os.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", ConfigFile, err)
	}
	entry := "jwtgen_version: " + Version()
	lines := strings.SplitAfter(string(raw), "\n")
	if n := keyLine(raw, "jwtgen_version"); n > 0 {
		if strings.TrimSpace(lines[n-1]) == entry {
			return "", nil
		}
		lines[n-1] = entry + "\n"
	} else {
		// Right after the version line, where Marshal puts it.
		n := keyLine(raw, "version")
		lines = append(lines[:n], append([]string{entry + "\n"}, lines[n:]...)...)
	}
	if _, err = WriteFileAtomic(name, []byte(strings.Join(lines, ""))); err != nil {
		return "", err
	}
	return entry, nil
}

// printDiff writes a unified diff of every pending change and returns
// ErrDrift when there is one.
func printDiff(w io.Writer, changes []Change, mods *modStage) error {
	drift := false
	if mods != nil {
		for _, l := range mods.plan.lines(mods.gomod) {
			fmt.Fprintf(w, "# %s\n", l)
			drift = true
		}
	}
	for _, c := range changes {
		var d []byte
		switch c.Action {
		case Create:
			d = diff.Diff("/dev/null", nil, "b/"+c.Path, c.New)
		case Update:
			d = diff.Diff("a/"+c.Path, c.Old, "b/"+c.Path, c.New)
		case Delete:
			d = diff.Diff("a/"+c.Path, c.Old, "/dev/null", nil)
		case Move:
			fmt.Fprintf(w, "# %s moves to %s (%s)\n", c.From, c.Path, c.Note)
			drift = true
			continue
		default:
			continue
		}
		drift = true
		switch {
		case c.Edited:
			fmt.Fprintf(w, "# %s: edited by hand\n", c.Path)
		case c.Note != "":
			fmt.Fprintf(w, "# %s: %s\n", c.Path, c.Note)
		}
		w.Write(d)
	}
	if drift {
		return ErrDrift
	}
	return nil
}

// printPlan writes one line per file: action, path and any note.
func printPlan(w io.Writer, changes []Change, mods *modStage, force bool) {
	var b bytes.Buffer
	for _, c := range changes {
		if c.Action == Move {
			fmt.Fprintf(&b, "%-9s %s -> %s (%s)\n", c.Action, c.From, c.Path, c.Note)
			continue
		}
		fmt.Fprintf(&b, "%-9s %s", c.Action, c.Path)
		if c.Edited {
			if force {
				fmt.Fprintf(&b, " (edited by hand; --force overwrites it)")
			} else {
				fmt.Fprintf(&b, " (edited by hand: generate refuses until you move the edit into a user-owned file or pass --force)")
			}
		}
		if c.Note != "" {
			fmt.Fprintf(&b, " (%s)", c.Note)
		}
		b.WriteByte('\n')
	}
	if mods != nil {
		for _, l := range mods.plan.lines(mods.gomod) {
			fmt.Fprintf(&b, "go.mod    %s\n", l)
		}
	}
	w.Write(b.Bytes())
}
