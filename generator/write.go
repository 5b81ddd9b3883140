package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Action is what writing a file does to the project.
type action string

// The actions of a change, as --dry-run prints them.
const (
	actCreate    action = "create"    // the file does not exist yet
	actUpdate    action = "update"    // the file exists and its content changes
	actIdentical action = "identical" // the file already has exactly this content
	actDelete    action = "delete"    // a generated file the configuration no longer needs
	actSkip      action = "skip"      // left alone: a user-owned (scaffolded or edited stale) file
	actMove      action = "move"      // a user-owned hook file follows the package to its new directory
)

// Change is the effect of one rendered (or stale) file on the project tree.
type fileChange struct {
	Path   string // slash-separated, relative to the module root
	Action action
	Owner  ownership
	Old    []byte // content on disk; nil when absent
	New    []byte // content to write; nil for Delete and Skip
	Note   string // why a file is skipped or moved
	Edited bool   // a generated file edited by hand, overwritten only with --force
	From   string // for Move: the old path
	// Stub: a deletion put off because go generate still has the file to
	// read; New is a build-ignored stub that the next run deletes.
	Stub bool
}

// ConflictError lists the files that block a write: generated files edited
// by hand (allowed with --force) and existing files jwtgen did not write.
type conflictError struct {
	Edited  []string
	Foreign []string
}

func (e *conflictError) Error() string {
	var b strings.Builder
	if len(e.Edited) > 0 {
		fmt.Fprintf(&b, "refusing to overwrite generated files edited by hand (rerun with --force to discard the edits, or move the change into a scaffolded file): %s", strings.Join(e.Edited, ", "))
	}
	if len(e.Foreign) > 0 {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "refusing to overwrite files jwtgen did not write (move them away or choose another out directory): %s", strings.Join(e.Foreign, ", "))
	}
	return b.String()
}

// IsGenerated reports whether content starts with jwtgen's generated-code
// header.
func isGenerated(content []byte) bool {
	return bytes.HasPrefix(content, []byte(header+"\n"))
}

// Changes compares the rendered files with the project tree at root and
// with the manifest of what jwtgen last wrote there, without writing
// anything. A generated file is unedited when its content hashes to the
// manifest's record; an edited one is a conflict unless force. A file
// jwtgen never wrote is always a conflict. Generated files recorded in the
// manifest but no longer rendered become Delete when unedited, Skip
// otherwise. Scaffolded files are created once and then skipped.
func changes(root string, files []file, last manifest, force bool) ([]fileChange, error) {
	var (
		changes  []fileChange
		conflict conflictError
		rendered = map[string]bool{}
	)
	for _, f := range files {
		rendered[f.Path] = true
		if err := insideRoot(root, f.Path); err != nil {
			return nil, err
		}
		old, err := readExisting(root, f.Path)
		if err != nil {
			return nil, err
		}
		c := fileChange{Path: f.Path, Owner: f.Owner, Old: old, New: f.Content}
		switch {
		case old == nil:
			c.Action = actCreate
		case f.Owner == scaffolded:
			c.Action, c.New, c.Note = actSkip, nil, "user-owned, kept as is"
		case bytes.Equal(old, f.Content):
			c.Action = actIdentical
		case last.Matches(f.Path, old):
			c.Action = actUpdate
		case last.Has(f.Path) || isGenerated(old):
			if !force {
				conflict.Edited = append(conflict.Edited, f.Path)
				continue
			}
			c.Action, c.Edited = actUpdate, true
		default:
			conflict.Foreign = append(conflict.Foreign, f.Path)
			continue
		}
		changes = append(changes, c)
	}
	for _, p := range last.Paths() {
		if rendered[p] {
			continue
		}
		if err := insideRoot(root, p); err != nil {
			return nil, fmt.Errorf("%s lists %s: %w", manifestFile, p, err)
		}
		old, err := readExisting(root, p)
		if err != nil {
			return nil, err
		}
		switch {
		case old == nil:
			// Already gone: nothing to do, and the record is dropped.
		case last.Matches(p, old):
			// Exactly what jwtgen wrote (header included for Go files;
			// .sql and other files without comment syntax rely on the record).
			changes = append(changes, fileChange{Path: p, Action: actDelete, Old: old})
		default:
			changes = append(changes, fileChange{Path: p, Action: actSkip, Old: old, Note: "no longer generated, but edited by hand: left in place"})
		}
	}
	if len(conflict.Edited) > 0 || len(conflict.Foreign) > 0 {
		return nil, &conflict
	}
	slices.SortFunc(changes, func(a, b fileChange) int { return strings.Compare(a.Path, b.Path) })
	return changes, nil
}

// insideRoot refuses output paths that leave the module root, lexically or
// through a symbolic link in an existing parent directory.
func insideRoot(root, rel string) error {
	if rel == "" || path.IsAbs(rel) || filepath.IsAbs(rel) || path.Clean(rel) != rel || rel == ".." || strings.HasPrefix(rel, "../") {
		return fmt.Errorf("output path %q is outside the module", rel)
	}
	realRoot, err := resolve(root)
	if err != nil {
		return fmt.Errorf("resolving module root: %w", err)
	}
	real, err := resolve(filepath.Join(root, filepath.FromSlash(path.Dir(rel))))
	if err != nil {
		return fmt.Errorf("checking output path %s: %w", rel, err)
	}
	if r, err := filepath.Rel(realRoot, real); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return fmt.Errorf("output path %q leads outside the module (through a symbolic link to %s)", rel, real)
	}
	return nil
}

// resolve evaluates the symbolic links in the longest existing prefix of
// name and appends the rest.
func resolve(name string) (string, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return "", err
	}
	var rest []string
	for d := abs; ; d = filepath.Dir(d) {
		real, err := filepath.EvalSymlinks(d)
		if err == nil {
			slices.Reverse(rest)
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) || filepath.Dir(d) == d {
			return "", err
		}
		rest = append(rest, filepath.Base(d))
	}
}

// readExisting returns the file's content, or nil when it does not exist.
func readExisting(root, rel string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("reading %s: %w", rel, err)
	case b == nil:
		return []byte{}, nil
	}
	return b, nil
}

// WriteStats counts what Apply did.
type WriteStats struct {
	Written, Deleted, Unchanged int
}

// Apply carries out the changes under root. Every new content is first
// written to a temporary file beside its target; only when all of them are
// in place are they renamed over their targets, so a failure (read-only
// directory, full disk) leaves the project as it was. Identical files are
// not touched, so their mtimes survive.
func apply(root string, changes []fileChange) (WriteStats, error) {
	var (
		stats   WriteStats
		temps   []string
		targets []string
		created []string // directories made for new files, removed again on failure
	)
	cleanup := func() {
		for _, t := range temps {
			os.Remove(t)
		}
		for i := len(created) - 1; i >= 0; i-- {
			os.Remove(created[i])
		}
	}
	for _, c := range changes {
		if c.Action != actCreate && c.Action != actUpdate && c.Action != actMove {
			if c.Action == actIdentical {
				stats.Unchanged++
			}
			continue
		}
		target := filepath.Join(root, filepath.FromSlash(c.Path))
		dirs, err := mkdirAll(filepath.Dir(target))
		created = append(created, dirs...)
		if err != nil {
			cleanup()
			return WriteStats{}, fmt.Errorf("creating the directory of %s: %w", c.Path, err)
		}
		tmp, err := writeTemp(target, c.New)
		if err != nil {
			cleanup()
			return WriteStats{}, fmt.Errorf("writing %s: %w", c.Path, err)
		}
		temps = append(temps, tmp)
		targets = append(targets, target)
	}
	for i, tmp := range temps {
		if err := os.Rename(tmp, targets[i]); err != nil {
			// Earlier renames are done and cannot be undone atomically;
			// the remaining temporary files are removed.
			for _, t := range temps[i:] {
				os.Remove(t)
			}
			return stats, fmt.Errorf("replacing %s: %w", targets[i], err)
		}
		stats.Written++
	}
	for _, c := range changes {
		if c.Action == actMove {
			if err := removeFile(root, c.From); err != nil {
				return stats, fmt.Errorf("moving %s: %w", c.From, err)
			}
		}
	}
	for _, c := range changes {
		if c.Action == actDelete {
			if err := removeFile(root, c.Path); err != nil {
				return stats, fmt.Errorf("deleting stale %s: %w", c.Path, err)
			}
			stats.Deleted++
		}
	}
	return stats, nil
}

// mkdirAll is os.MkdirAll that reports the directories it created, outermost
// first.
func mkdirAll(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err == nil {
			if !fi.IsDir() {
				return nil, fmt.Errorf("%s exists and is not a directory", d)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	slices.Reverse(missing)
	var created []string
	for _, d := range missing {
		if err := os.Mkdir(d, 0o755); err != nil {
			return created, err
		}
		created = append(created, d)
	}
	return created, nil
}

// writeTemp writes content to a new temporary file in target's directory,
// with the permissions of the file it replaces (0644 for a new one).
func writeTemp(target string, content []byte) (string, error) {
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(target); err == nil {
		mode = fi.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".jwtgen-*")
	if err != nil {
		return "", err
	}
	_, werr := f.Write(content)
	cerr := f.Close()
	if err := errors.Join(werr, cerr, os.Chmod(f.Name(), mode)); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// removeFile removes the file rel under root, if it is still there, and the
// directories that leaves empty.
func removeFile(root, rel string) error {
	target := filepath.Join(root, filepath.FromSlash(rel))
	err := os.Remove(target)
	removeEmptyParents(root, filepath.Dir(target))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// removeEmptyParents removes dir and its parents up to (not including) root
// while they are empty.
func removeEmptyParents(root, dir string) {
	root = filepath.Clean(root)
	for dir != root && strings.HasPrefix(dir, root+string(filepath.Separator)) {
		if os.Remove(dir) != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}

// WriteFileAtomic replaces one file (jwtgen.yaml, the manifest) through a
// temporary file and a rename, and leaves it alone when the bytes are
// already there. It reports whether it wrote.
func writeFileAtomic(name string, content []byte) (bool, error) {
	if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, content) {
		return false, nil
	}
	tmp, err := writeTemp(name, content)
	if err != nil {
		return false, fmt.Errorf("writing %s: %w", filepath.Base(name), err)
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return false, fmt.Errorf("replacing %s: %w", filepath.Base(name), err)
	}
	return true, nil
}

// revert undoes changes that Apply carried out, in full or in part: files it
// created are removed, files it updated or deleted get their old content
// back. It is safe on changes Apply never reached.
func revert(root string, changes []fileChange) error {
	var errs []error
	for _, c := range changes {
		target := filepath.Join(root, filepath.FromSlash(c.Path))
		switch c.Action {
		case actCreate:
			if err := removeFile(root, c.Path); err != nil {
				errs = append(errs, err)
			}
		case actMove:
			from := filepath.Join(root, filepath.FromSlash(c.From))
			if _, err := mkdirAll(filepath.Dir(from)); err != nil {
				errs = append(errs, err)
				continue
			}
			if _, err := writeFileAtomic(from, c.Old); err != nil {
				errs = append(errs, err)
			}
			if err := removeFile(root, c.Path); err != nil {
				errs = append(errs, err)
			}
		case actUpdate, actDelete:
			if _, err := mkdirAll(filepath.Dir(target)); err != nil {
				errs = append(errs, err)
				continue
			}
			if _, err := writeFileAtomic(target, c.Old); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// fileSnapshot is the content of single files (jwtgen.yaml, the manifest,
// go.mod, go.sum) before a write, to put back when a later step fails.
type fileSnapshot map[string][]byte // absolute name -> content; nil: absent

func snapshotFiles(names ...string) (fileSnapshot, error) {
	s := fileSnapshot{}
	for _, n := range names {
		b, err := os.ReadFile(n)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			s[n] = nil
		case err != nil:
			return nil, err
		default:
			if b == nil {
				b = []byte{}
			}
			s[n] = b
		}
	}
	return s, nil
}

func (s fileSnapshot) restore() error {
	var errs []error
	for n, b := range s {
		if b == nil {
			if err := os.Remove(n); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
			continue
		}
		if _, err := writeFileAtomic(n, b); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// restoredError is a failure of the write stage after which every file it
// touched was put back.
type restoredError struct{ cause error }

func (e restoredError) Error() string {
	return fmt.Sprintf("%v\nnothing was changed: %s, the package, go.mod and go.sum are as they were", e.cause, ConfigFile)
}

func (e restoredError) Unwrap() error { return e.cause }

// write is the write stage: the files, then the manifest and the version
// line in jwtgen.yaml, then go.mod and go.sum. It is all or nothing: when
// a step fails, every file it touched gets its old content back. modules
// are the modules the manifest recorded before (kept when mods is nil).
func write(root string, files []file, changes []fileChange, mods *modStage, modules []string, out io.Writer) (WriteStats, error) {
	snap, err := snapshotFiles(filepath.Join(root, manifestFile), filepath.Join(root, ConfigFile), filepath.Join(root, "go.mod"), filepath.Join(root, "go.sum"))
	if err != nil {
		return WriteStats{}, err
	}
	fail := func(stats WriteStats, err error) (WriteStats, error) {
		if rerr := errors.Join(revert(root, changes), snap.restore()); rerr != nil {
			return stats, fmt.Errorf("%w\nrestoring the project failed too: %v", err, rerr)
		}
		return WriteStats{}, restoredError{err}
	}
	stats, err := apply(root, changes)
	if err == nil && afterApply != nil {
		err = afterApply()
	}
	if err != nil {
		return fail(stats, err)
	}
	if mods != nil {
		modules = mods.plan.Managed
	}
	m := newManifest(files)
	for _, c := range changes {
		if c.Stub {
			// Recorded, so that the next run knows the stub is jwtgen's to delete.
			m[c.Path] = hash(c.New)
		}
	}
	if _, err := writeFileAtomic(filepath.Join(root, manifestFile), m.marshal(modules)); err != nil {
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
		case actCreate, actDelete:
			fmt.Fprintf(out, "%-9s %s\n", c.Action, c.Path)
		case actUpdate:
			switch {
			case c.Edited:
				fmt.Fprintf(out, "%-9s %s (edited by hand; overwritten (--force))\n", c.Action, c.Path)
			case c.Note != "":
				fmt.Fprintf(out, "%-9s %s (%s)\n", c.Action, c.Path, c.Note)
			default:
				fmt.Fprintf(out, "%-9s %s\n", c.Action, c.Path)
			}
		case actMove:
			fmt.Fprintf(out, "%-9s %s -> %s (%s)\n", c.Action, c.From, c.Path, c.Note)
		case actSkip:
			if c.Owner != scaffolded {
				fmt.Fprintf(out, "%-9s %s (%s)\n", c.Action, c.Path, c.Note)
			}
		}
	}
	if versionLine != "" {
		fmt.Fprintf(out, "%-9s %s (%s)\n", actUpdate, ConfigFile, versionLine)
	}
	if mods != nil && mods.run {
		after, _ := readExisting(root, "go.mod")
		printModChanges(out, mods.gomod, after)
		if !mods.tidy {
			fmt.Fprintf(out, "jwtgen: go.mod was not tidy before, so only the package's own requirements were added; run go mod tidy to settle the rest\n")
		}
	}
	summary := fmt.Sprintf("jwtgen: %d written, %d deleted, %d unchanged", stats.Written, stats.Deleted, stats.Unchanged)
	if versionLine != "" {
		// The counts are the package's files: say that jwtgen.yaml
		// changed too, so that "0 written" never hides a write.
		summary += "; " + ConfigFile + ": version line updated"
	}
	fmt.Fprintln(out, summary)
	if n := countStubs(changes); n > 0 {
		fmt.Fprintf(out, "jwtgen: %d file(s) emptied instead of deleted, because go generate still had them to read; run go generate ./... (or jwtgen generate) once more to delete them\n", n)
	}
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
	if _, err = writeFileAtomic(name, []byte(strings.Join(lines, ""))); err != nil {
		return "", err
	}
	return entry, nil
}
