package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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
	Stdout io.Writer
	Stderr io.Writer
}

// ErrDrift is returned by Generate with Check when the project's files
// differ from what jwtgen.yaml renders.
var ErrDrift = errors.New("generated files are out of date: run jwtgen generate (or go generate ./...)")

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
	last, err := ReadManifest(p.Root)
	if err != nil {
		return WriteStats{}, err
	}
	// --check reports edited files as drift instead of refusing.
	changes, err := Changes(p.Root, files, last, o.Force || o.Check)
	if err != nil {
		return WriteStats{}, err
	}
	switch {
	case o.Check:
		return WriteStats{}, printDiff(o.Stdout, changes)
	case o.DryRun:
		printPlan(o.Stdout, changes)
		return WriteStats{}, nil
	}
	return write(p.Root, cfg, files, changes, o.Stdout)
}

// write applies the changes, then records the manifest and the jwtgen
// version, each only when its bytes change.
func write(root string, cfg Config, files []File, changes []Change, out io.Writer) (WriteStats, error) {
	stats, err := Apply(root, changes)
	if err != nil {
		return stats, err
	}
	if _, err := WriteFileAtomic(filepath.Join(root, ManifestFile), NewManifest(files).Marshal()); err != nil {
		return stats, err
	}
	if err := recordVersion(root); err != nil {
		return stats, err
	}
	for _, c := range changes {
		switch c.Action {
		case Create, Update, Delete:
			fmt.Fprintf(out, "%-9s %s\n", c.Action, c.Path)
		case Skip:
			if c.Owner != Scaffolded {
				fmt.Fprintf(out, "%-9s %s (%s)\n", c.Action, c.Path, c.Note)
			}
		}
	}
	fmt.Fprintf(out, "jwtgen: %d written, %d deleted, %d unchanged\n", stats.Written, stats.Deleted, stats.Unchanged)
	return stats, nil
}

// recordVersion sets jwtgen_version in jwtgen.yaml to the running version,
// editing only that line so the user's comments and layout survive.
func recordVersion(root string) error {
	name := filepath.Join(root, ConfigFile)
	raw, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("reading %s: %w", ConfigFile, err)
	}
	entry := "jwtgen_version: " + Version()
	lines := strings.SplitAfter(string(raw), "\n")
	if n := keyLine(raw, "jwtgen_version"); n > 0 {
		if strings.TrimSpace(lines[n-1]) == entry {
			return nil
		}
		lines[n-1] = entry + "\n"
	} else {
		// Right after the version line, where Marshal puts it.
		n := keyLine(raw, "version")
		lines = append(lines[:n], append([]string{entry + "\n"}, lines[n:]...)...)
	}
	_, err = WriteFileAtomic(name, []byte(strings.Join(lines, "")))
	return err
}

// printDiff writes a unified diff of every pending change and returns
// ErrDrift when there is one.
func printDiff(w io.Writer, changes []Change) error {
	drift := false
	for _, c := range changes {
		var d []byte
		switch c.Action {
		case Create:
			d = diff.Diff("/dev/null", nil, "b/"+c.Path, c.New)
		case Update:
			d = diff.Diff("a/"+c.Path, c.Old, "b/"+c.Path, c.New)
		case Delete:
			d = diff.Diff("a/"+c.Path, c.Old, "/dev/null", nil)
		default:
			continue
		}
		drift = true
		if c.Note != "" {
			fmt.Fprintf(w, "# %s: %s\n", c.Path, strings.Replace(c.Note, "; overwritten (--force)", "", 1))
		}
		w.Write(d)
	}
	if drift {
		return ErrDrift
	}
	return nil
}

// printPlan writes one line per file: action, path and any note.
func printPlan(w io.Writer, changes []Change) {
	var b bytes.Buffer
	for _, c := range changes {
		fmt.Fprintf(&b, "%-9s %s", c.Action, c.Path)
		if c.Note != "" {
			fmt.Fprintf(&b, " (%s)", c.Note)
		}
		b.WriteByte('\n')
	}
	w.Write(b.Bytes())
}
