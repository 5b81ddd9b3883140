package generator

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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
		return Config{}, &validationError{Key: "module", Line: keyLine(raw, "module"), Value: cfg.Module,
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
	NoGo bool
	// Preset is a team's jwtgen.yaml: with Check, a departure from it on an
	// option it fixes is drift too.
	Preset string
	Stdout io.Writer
	Stderr io.Writer
}

// ErrDrift is returned by Generate with Check when the project's files
// differ from what jwtgen.yaml renders.
var errDrift = errors.New("generated files or go.mod are out of date: run go generate ./... (or jwtgen generate) and commit the result")

// loadProject is the config stage of a regeneration: the project around
// dir and its validated jwtgen.yaml.
func loadProject(dir string) (*Project, Config, error) {
	p, err := FindProject(dir)
	if err != nil {
		return nil, Config{}, err
	}
	cfg, err := p.LoadConfig()
	if err != nil {
		return nil, Config{}, err
	}
	return p, cfg, nil
}

// Generate re-renders the project from its jwtgen.yaml: config, plan,
// render and format happen in memory, and only then is anything written.
func Generate(o GenerateOptions) (WriteStats, error) {
	p, cfg, err := loadProject(o.Dir)
	if err != nil {
		return WriteStats{}, err
	}
	if v := Version(); cfg.JwtgenVersion != "" && cfg.JwtgenVersion != v {
		fmt.Fprintf(o.Stderr, "jwtgen: warning: %s was written by jwtgen %s, this is jwtgen %s; the output may differ\n", ConfigFile, cfg.JwtgenVersion, v)
	}
	// --check and --dry-run report edited files instead of refusing.
	g, err := prepare(p, cfg, o.Force || o.Check || o.DryRun, o.NoGo)
	if err != nil {
		return WriteStats{}, err
	}
	changes, mods := g.changes, g.mods
	switch {
	case o.Check:
		err := printDiff(o.Stdout, changes, mods)
		if o.Preset != "" {
			p, perr := loadPreset(o.Preset)
			if perr != nil {
				return WriteStats{}, perr
			}
			if dep := p.departures(cfg); len(dep) > 0 {
				for _, l := range dep {
					fmt.Fprintf(o.Stdout, "# preset: %s\n", l)
				}
				return WriteStats{}, fmt.Errorf("%s departs from the team preset %s on %d option(s): set them as the preset does (or change the preset)", ConfigFile, o.Preset, len(dep))
			}
		}
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
	return g.write(o.Stdout)
}

// regeneration is a regeneration worked out in memory: what jwtgen.yaml
// renders and what writing it changes, in the files and in go.mod.
type regeneration struct {
	root        string
	cfg         Config
	files       []file
	last        manifest // what jwtgen last wrote
	manifestRaw []byte
	changes     []fileChange
	mods        *modStage // nil: go.mod and go.sum are left alone
}

// prepare runs config -> plan -> render -> format and compares the result
// with the project, writing nothing. force lets generated files edited by
// hand through (else they are a *conflictError); noGo skips the module
// stage.
func prepare(p *Project, cfg Config, force, noGo bool) (*regeneration, error) {
	files, err := Render(cfg)
	if err != nil {
		return nil, err
	}
	manifestRaw, err := readExisting(p.Root, manifestFile)
	if err != nil {
		return nil, err
	}
	last, err := parseManifest(manifestRaw)
	if err != nil {
		return nil, err
	}
	changes, err := changes(p.Root, files, last, force)
	if err != nil {
		return nil, err
	}
	if changes, err = planMoves(p.Root, cfg, files, last, changes); err != nil {
		return nil, err
	}
	g := &regeneration{root: p.Root, cfg: cfg, files: files, last: last, manifestRaw: manifestRaw, changes: changes}
	if !noGo {
		if g.mods, err = planModStage(p.Root, cfg.Module, files, changes, last, manifestRaw); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// write carries the regeneration out (the write stage, all or nothing) and
// tells what it cannot do for the user's own files.
func (g *regeneration) write(out io.Writer) (WriteStats, error) {
	if g.mods != nil && g.mods.run {
		g.mods.tidy = isTidy(g.root)
	}
	g.changes = deferDeletions(g.root, goGenerateFile(), g.changes)
	stats, err := write(g.root, g.files, g.changes, g.mods, manifestModules(g.manifestRaw), out)
	if err != nil {
		return stats, err
	}
	announce(out, g.root, g.cfg, g.last, g.changes)
	return stats, nil
}
