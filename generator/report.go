package generator

import (
	"bytes"
	"fmt"
	"io"

	"github.com/rogpeppe/go-internal/diff"
)

// The report stage: what --check and --dry-run print instead of writing.

// printDiff writes a unified diff of every pending change and returns
// ErrDrift when there is one.
func printDiff(w io.Writer, changes []fileChange, mods *modStage) error {
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
		case actCreate:
			d = diff.Diff("/dev/null", nil, "b/"+c.Path, c.New)
		case actUpdate:
			d = diff.Diff("a/"+c.Path, c.Old, "b/"+c.Path, c.New)
		case actDelete:
			d = diff.Diff("a/"+c.Path, c.Old, "/dev/null", nil)
		case actMove:
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
		return errDrift
	}
	return nil
}

// printPlan writes one line per file: action, path and any note.
func printPlan(w io.Writer, changes []fileChange, mods *modStage, force bool) {
	var b bytes.Buffer
	for _, c := range changes {
		if c.Action == actMove {
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
