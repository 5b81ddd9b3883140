package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
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
	// Preset is a team's jwtgen.yaml whose options are the defaults.
	Preset string
	Stdout io.Writer
	Stderr io.Writer
}

// DetectFramework suggests the framework a go.mod already requires, if
// jwtgen has templates for it ("" otherwise): the first framework in the
// registry whose module the project requires.
func detectFramework(gomod []byte) string {
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
		if fw := detectFramework(gomod); fw != "" && !set["framework"] {
			cfg.Framework = fw
		}
	}
	if o.Preset != "" {
		p, err := loadPreset(o.Preset)
		if err != nil {
			return err
		}
		p.apply(&cfg, set)
	}
	asked := false
	if !o.Yes {
		missing := unanswered(set, &cfg)
		askModulePath := newModule && !set["module"]
		if askModulePath {
			missing = append([]string{"--module"}, missing...)
		}
		if len(missing) > 0 {
			if o.Ask == nil {
				return fmt.Errorf("no terminal to ask on: pass %s (or --yes to take the defaults)", strings.Join(missing, ", "))
			}
			if askModulePath {
				if cfg.Module, err = askModule(o.Ask, cfg.Module); err != nil {
					return fmt.Errorf("asking for the module path: %w", err)
				}
			}
			if err := ask(o.Ask, &cfg, set); err != nil {
				return err
			}
			asked = true
		}
	}
	if newModule {
		if err := module.CheckImportPath(cfg.Module); err != nil {
			return fmt.Errorf("--module: %q is not a valid module path (%v); pass --module example.com/yourname/app", cfg.Module, err)
		}
	}
	cfg.Version = 1
	cfg.JwtgenVersion = Version()
	if err := cfg.validate(); err != nil {
		var ve *validationError
		if errors.As(err, &ve) {
			return fmt.Errorf("--%s: %w", strings.SplitN(ve.Key, "[", 2)[0], plain(ve))
		}
		return err
	}
	if asked {
		// Every answer at once, before anything is written.
		fmt.Fprintf(o.Stdout, "\njwtgen will write the package with these choices (into %s):\n%s\n", dir, summary(&cfg, newModule))
		ok, err := o.Ask.Confirm("Write it?", "Yes writes jwtgen.yaml and the package with the choices above; no writes nothing, and you can run jwtgen init again.", true)
		if err != nil {
			return fmt.Errorf("asking for confirmation: %w", err)
		}
		if !ok {
			return errInitDeclined
		}
	}
	files, err := Render(cfg)
	if err != nil {
		return err
	}
	if !newModule {
		if err := checkConfigFree(dir); err != nil {
			return err
		}
		if err := checkOutFree(dir, cfg.Out); err != nil {
			return err
		}
	}
	changes, err := changes(dir, files, manifest{}, false)
	if err != nil {
		return err
	}
	yamlCfg := cfg
	yamlCfg.Module = "" // go.mod is the one place the module path lives
	raw, err := yamlCfg.marshal()
	if err != nil {
		return err
	}

	// A jwtgen that is not a released version wires `go tool jwtgen` to
	// its checkout: find it now, before anything is written.
	source := ""
	if !o.NoGo && releaseVersion() == "" {
		if source, err = sourceDir(o.Source); err != nil {
			return err
		}
	}

	// Everything is rendered and checked: write, all or nothing.
	undo, err := initWrite(dir, newModule, cfg, raw, files, changes, source, o)
	if err != nil {
		if rerr := undo(); rerr != nil {
			return fmt.Errorf("%w\nrestoring the directory failed too: %v", err, rerr)
		}
		if re := (restoredError{}); errors.As(err, &re) {
			err = re.cause // said once below, for the whole directory
		}
		return fmt.Errorf("%w\nnothing was changed: the directory is as it was", err)
	}
	fmt.Fprintf(o.Stdout, "\njwtgen: done. The package is in %s; regenerate it after editing %s with `go generate ./...`.\n", cfg.Out, ConfigFile)
	if slices.ContainsFunc(files, func(f file) bool { return f.Path == "main.go" }) {
		fmt.Fprintf(o.Stdout, "Run the example server: cd %s && DEMO_USER=demo DEMO_PASSWORD=%s go run .\n", dir, demoPassword)
	} else {
		fmt.Fprintf(o.Stdout, "\nWire it into your server (%s):\n\n%s", frameworkName(cfg.Framework), wiringSnippet(cfg))
	}
	return nil
}

// errInitDeclined is returned when the user declines the summary.
var errInitDeclined = errors.New("declined at the summary: nothing was written")

// DemoPassword is the one demo password of the README, init's hint and the
// example server's doc.
const demoPassword = "correct-horse-battery"

// initWrite writes everything init produces: go.mod (new module),
// jwtgen.yaml, the tool wiring, the package, the manifest, the module's
// requirements. The returned undo puts the directory back as it was.
func initWrite(dir string, newModule bool, cfg Config, raw []byte, files []file, changes []fileChange, source string, o InitOptions) (undo func() error, err error) {
	_, statErr := os.Stat(dir)
	dirExisted := statErr == nil
	snap, err := snapshotFiles(filepath.Join(dir, ConfigFile), filepath.Join(dir, manifestFile), filepath.Join(dir, "go.mod"), filepath.Join(dir, "go.sum"))
	if err != nil {
		return func() error { return nil }, err
	}
	undo = func() error {
		if !dirExisted {
			return os.RemoveAll(dir)
		}
		return errors.Join(revert(dir, changes), snap.restore())
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return undo, fmt.Errorf("creating %s: %w", dir, err)
	}
	var before []byte
	if newModule {
		if err := createGoMod(dir, cfg.Module, o.NoGo); err != nil {
			return undo, err
		}
		fmt.Fprintf(o.Stdout, "create    go.mod (module %s)\n", cfg.Module)
	} else {
		before = snap[filepath.Join(dir, "go.mod")]
	}
	if _, err := writeFileAtomic(filepath.Join(dir, ConfigFile), raw); err != nil {
		return undo, err
	}
	fmt.Fprintf(o.Stdout, "create    %s\n", ConfigFile)
	if o.NoGo {
		_, err := write(dir, files, changes, nil, nil, o.Stdout)
		return undo, err
	}
	tidy := newModule || isTidy(dir)
	if err := wireTool(dir, source, o.Stdout); err != nil {
		return undo, err
	}
	if before == nil {
		before, _ = readExisting(dir, "go.mod")
	}
	mods, err := planModStage(dir, cfg.Module, files, changes, manifest{}, nil)
	if err != nil {
		return undo, err
	}
	mods.run, mods.tidy, mods.gomod = true, tidy, before
	if _, err := write(dir, files, changes, mods, nil, o.Stdout); err != nil {
		return undo, err
	}
	return undo, nil
}

// wireTool makes `go tool jwtgen` run this jwtgen: the released version, or
// this checkout through a replace directive, relative to the module root
// so that the project works on a teammate's machine with the checkout at
// the same place relative to it.
func wireTool(dir, source string, out io.Writer) error {
	if v := releaseVersion(); v != "" {
		if err := goCmd(dir, "get", "-tool", toolPath+"@"+v); err != nil {
			return err
		}
		fmt.Fprintf(out, "tool      %s@%s\n", toolPath, v)
		return nil
	}
	src := replacePath(dir, source)
	if err := goCmd(dir, "mod", "edit",
		"-require="+modulePath+"@v0.0.0-00010101000000-000000000000",
		"-replace="+modulePath+"="+src,
		"-tool="+toolPath); err != nil {
		return err
	}
	fmt.Fprintf(out, "tool      %s (not published yet: go.mod replaces %s with the checkout at %s)\n", toolPath, modulePath, src)
	return nil
}

// replacePath is the replace target for the checkout at source, written
// relative to the module root (./x or ../x) when there is a relative path.
func replacePath(dir, source string) string {
	// Lexically, not through symbolic links: a checkout linked into the
	// repository stays where the link is.
	absDir, err1 := filepath.Abs(dir)
	absSrc, err2 := filepath.Abs(source)
	if err1 != nil || err2 != nil {
		return source
	}
	rel, err := filepath.Rel(absDir, absSrc)
	if err != nil {
		return source
	}
	rel = filepath.ToSlash(rel)
	if !strings.HasPrefix(rel, "../") && rel != ".." {
		rel = "./" + rel
	}
	return rel
}

// frameworkName is how messages name a framework ("net/http").
func frameworkName(fw string) string {
	if v, ok := optionByKey("framework").value(fw); ok {
		return v.title()
	}
	return fw
}

// checkEmpty refuses a directory with files but no go.mod. Hidden entries
// (.git, .gitignore...) do not count. A missing directory is empty.
func checkEmpty(dir string) error {
	// Inside a module, init belongs at its root, empty directory or not.
	if p, err := FindProject(filepath.Dir(dir)); err == nil {
		return fmt.Errorf("%s is inside module %s (root %s): run jwtgen init at the module root (cd %s), with --out to choose where the package goes", dir, p.Module, p.Root, p.Root)
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
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
	return nil
}

// checkConfigFree refuses to run init over the manifest of an earlier init.
func checkConfigFree(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, manifestFile)); err == nil {
		return fmt.Errorf("%s already has a %s from an earlier jwtgen init: restore %s and run jwtgen generate, or delete both files", dir, manifestFile, ConfigFile)
	}
	return nil
}

// checkOutFree refuses an output directory that already holds Go files:
// the package jwtgen writes would merge with them (a type declared twice, a
// hook file of the user's taken for jwtgen's).
func checkOutFree(dir, out string) error {
	entries, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(out)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", out, err)
	}
	var goFiles []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".go") {
			goFiles = append(goFiles, out+"/"+e.Name())
		}
	}
	if len(goFiles) > 0 {
		return fmt.Errorf("%s already holds Go files jwtgen did not write: %s. The package would merge with them; choose another directory with --out (e.g. --out %s), or move those files away. Nothing was written", out, strings.Join(goFiles, ", "), path.Join(path.Dir(out), "jwtauth"))
	}
	return nil
}

// languageVersion is the Go language version the templates are written
// for: a new module starts there, and the requirements raise it only as
// far as they need (go mod init alone would write the toolchain's exact
// release, asking every teammate for that patch release or a download).
const languageVersion = "1.26"

func createGoMod(dir, mod string, noGo bool) error {
	if noGo {
		_, err := writeFileAtomic(filepath.Join(dir, "go.mod"), fmt.Appendf(nil, "module %s\n\ngo %s\n", mod, languageVersion))
		return err
	}
	if err := goCmd(dir, "mod", "init", mod); err != nil {
		return err
	}
	// The first release of that version, as go writes the directive.
	return goCmd(dir, "mod", "edit", "-go="+languageVersion+".0")
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
