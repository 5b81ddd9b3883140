package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// InitOptions are the inputs of jwtgen init.
type InitOptions struct {
	Dir string // the project directory; created when missing
	// Config holds the defaults overlaid with the flags; Set names the
	// keys a flag gave, which are not asked again.
	Config Config
	Set    map[string]bool
	Yes    bool     // take the defaults for everything flags left open
	Ask    Prompter // nil when there is no terminal to ask on
	// NoGo skips every go command (go mod init, go get, go mod tidy):
	// go.mod is written directly and no requirement is added.
	NoGo bool
	// Source is the jwtgen checkout `go tool jwtgen` is built from when
	// jwtgen is not a released version ("": found by SourceDir).
	Source string
	Stdout io.Writer
	Stderr io.Writer
}

// DetectFramework suggests the framework a go.mod already requires, if
// jwtgen has templates for it ("" otherwise): the first framework in the
// registry whose module the project requires.
func DetectFramework(gomod []byte) string {
	f, err := modfile.ParseLax("go.mod", gomod, nil)
	if err != nil {
		return ""
	}
	for _, v := range optionByKey("framework").values {
		for _, r := range f.Require {
			if len(v.modules) > 0 && r.Mod.Path == v.modules[0] {
				return v.name
			}
		}
	}
	return ""
}

// Init adds the auth package to a module, or creates a module with an
// example server in an empty directory. Every question is settled and every
// file rendered before anything is written.
func Init(o InitOptions) error {
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return err
	}
	cfg := o.Config
	set := o.Set
	if set == nil {
		set = map[string]bool{}
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	newModule := errors.Is(err, fs.ErrNotExist)
	switch {
	case newModule:
		if err := checkEmpty(dir); err != nil {
			return err
		}
		if cfg.Module == "" {
			cfg.Module = filepath.Base(dir)
		}
		if err := module.CheckImportPath(cfg.Module); err != nil {
			return fmt.Errorf("--module: %q is not a valid module path (%v); pass --module example.com/yourname/app", cfg.Module, err)
		}
		cfg.Example = true
	case err != nil:
		return fmt.Errorf("reading go.mod: %w", err)
	default:
		mod := modfile.ModulePath(gomod)
		if set["module"] && cfg.Module != mod {
			return fmt.Errorf("--module %s contradicts go.mod, which declares module %s", cfg.Module, mod)
		}
		cfg.Module = mod
		if _, err := os.Stat(filepath.Join(dir, ConfigFile)); err == nil {
			return fmt.Errorf("%s already has a %s: edit it and run jwtgen generate", dir, ConfigFile)
		}
		if fw := DetectFramework(gomod); fw != "" && !set["framework"] {
			cfg.Framework = fw
		}
	}
	if !o.Yes {
		if missing := Unanswered(set); len(missing) > 0 {
			if o.Ask == nil {
				return fmt.Errorf("no terminal to ask on: pass %s (or --yes to take the defaults)", strings.Join(missing, ", "))
			}
			if err := Ask(o.Ask, &cfg, set); err != nil {
				return err
			}
		}
	}
	cfg.Version = 1
	cfg.JwtgenVersion = Version()
	if err := cfg.Validate(); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			return fmt.Errorf("--%s: %w", strings.SplitN(ve.Key, "[", 2)[0], plain(ve))
		}
		return err
	}
	files, err := Render(cfg)
	if err != nil {
		return err
	}
	if !newModule {
		if err := checkConfigFree(dir); err != nil {
			return err
		}
	}
	changes, err := Changes(dir, files, Manifest{}, false)
	if err != nil {
		return err
	}
	yamlCfg := cfg
	yamlCfg.Module = "" // go.mod is the one place the module path lives
	raw, err := yamlCfg.Marshal()
	if err != nil {
		return err
	}

	// A jwtgen that is not a released version wires `go tool jwtgen` to
	// its checkout: find it now, before anything is written.
	source := ""
	if !o.NoGo && releaseVersion() == "" {
		if source, err = SourceDir(o.Source); err != nil {
			return err
		}
	}

	// Everything is rendered: write.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	if newModule {
		if err := createGoMod(dir, cfg.Module, o.NoGo); err != nil {
			return err
		}
		fmt.Fprintf(o.Stdout, "create    go.mod (module %s)\n", cfg.Module)
	}
	if _, err := WriteFileAtomic(filepath.Join(dir, ConfigFile), raw); err != nil {
		return err
	}
	fmt.Fprintf(o.Stdout, "create    %s\n", ConfigFile)
	if _, err := write(dir, cfg, files, changes, o.Stdout); err != nil {
		return err
	}
	if o.NoGo {
		return nil
	}
	if err := addRequirements(dir, files, cfg.Module, source, o.Stdout); err != nil {
		return fmt.Errorf("files written, but making the module build failed: %w", err)
	}
	fmt.Fprintf(o.Stdout, "\njwtgen: done. The package is in %s; regenerate it after editing %s with `go generate ./...`.\n", cfg.Out, ConfigFile)
	if slices.ContainsFunc(files, func(f File) bool { return f.Path == "main.go" }) {
		fmt.Fprintf(o.Stdout, "Run the example server: cd %s && DEMO_USER=demo DEMO_PASSWORD=change-me-please go run .\n", dir)
	}
	return nil
}

// checkEmpty refuses a directory with files but no go.mod. Hidden entries
// (.git, .gitignore...) do not count. A missing directory is empty.
func checkEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if p, err := FindProject(filepath.Dir(dir)); err == nil {
			return fmt.Errorf("%s is inside module %s (root %s): run jwtgen init at the module root", dir, p.Module, p.Root)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", dir, err)
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			return fmt.Errorf("%s is not empty and has no go.mod: run jwtgen init at the root of a Go module, or in an empty directory to create one", dir)
		}
	}
	if p, err := FindProject(filepath.Dir(dir)); err == nil {
		return fmt.Errorf("%s is inside module %s (root %s): run jwtgen init at the module root", dir, p.Module, p.Root)
	}
	return nil
}

// checkConfigFree refuses to run init over the manifest of an earlier init.
func checkConfigFree(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err == nil {
		return fmt.Errorf("%s already has a %s from an earlier jwtgen init: restore %s and run jwtgen generate, or delete both files", dir, ManifestFile, ConfigFile)
	}
	return nil
}

func createGoMod(dir, mod string, noGo bool) error {
	if noGo {
		_, err := WriteFileAtomic(filepath.Join(dir, "go.mod"), fmt.Appendf(nil, "module %s\n\ngo 1.26\n", mod))
		return err
	}
	return goCmd(dir, "mod", "init", mod)
}

// addRequirements makes the module build: it wires `go tool jwtgen` (to
// the released version, or to this checkout through a replace directive),
// requires the pinned versions of the modules the rendered files import,
// and tidies.
func addRequirements(dir string, files []File, mod, source string, out io.Writer) error {
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return fmt.Errorf("reading go.mod: %w", err)
	}
	reqs, err := Requirements(files, mod)
	if err != nil {
		return err
	}
	missing, err := Missing(gomod, reqs)
	if err != nil {
		return err
	}
	if v := releaseVersion(); v != "" {
		if err := goCmd(dir, "get", "-tool", ToolPath+"@"+v); err != nil {
			return err
		}
		fmt.Fprintf(out, "tool      %s@%s\n", ToolPath, v)
	} else {
		src := source
		if err := goCmd(dir, "mod", "edit",
			"-require="+ModulePath+"@v0.0.0-00010101000000-000000000000",
			"-replace="+ModulePath+"="+src,
			"-tool="+ToolPath); err != nil {
			return err
		}
		fmt.Fprintf(out, "tool      %s (not published yet: go.mod replaces %s with the checkout at %s)\n", ToolPath, ModulePath, src)
	}
	if len(missing) > 0 {
		args := []string{"get"}
		for _, r := range missing {
			args = append(args, r.String())
		}
		if err := goCmd(dir, args...); err != nil {
			return err
		}
		for _, r := range missing {
			fmt.Fprintf(out, "require   %s\n", r)
		}
	}
	return goCmd(dir, "mod", "tidy")
}

// goCmd runs the go command in dir, returning its output in the error.
func goCmd(dir string, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, strings.TrimSpace(buf.String()))
	}
	return nil
}
