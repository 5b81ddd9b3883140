package generator

import (
	"bytes"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// initProject runs init without the go command in a fresh directory and
// returns the module root.
func initProject(t *testing.T, mutate func(*Config)) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "app")
	cfg := Defaults()
	cfg.Module = "example.com/app"
	if mutate != nil {
		mutate(&cfg)
	}
	var out bytes.Buffer
	if err := Init(InitOptions{Dir: dir, Config: cfg, Yes: true, NoGo: true, Stdout: &out, Stderr: &out}); err != nil {
		t.Fatalf("Init: %v\n%s", err, out.String())
	}
	return dir
}

func generate(t *testing.T, o GenerateOptions) (WriteStats, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	o.Stdout, o.Stderr = &out, &errOut
	o.NoGo = true // these projects were made without the go command
	stats, err := Generate(o)
	return stats, out.String() + errOut.String(), err
}

// generateSays runs generate in dir, fails the test when it fails, and
// requires each of wants in what it printed.
func generateSays(t *testing.T, dir string, wants ...string) {
	t.Helper()
	_, out, err := generate(t, GenerateOptions{Dir: dir})
	if err != nil {
		t.Fatalf("generate = %v\n%s", err, out)
	}
	for _, want := range wants {
		if !strings.Contains(out, want) {
			t.Errorf("generate output lacks %q:\n%s", want, out)
		}
	}
}

// editConfig edits the jwtgen.yaml of the project in dir as a user would:
// each pair of arguments is a text and what replaces it. It fails the test
// when a text is not in the file, so an edit never silently does nothing,
// and returns the edited file.
func editConfig(t *testing.T, dir string, oldNew ...string) []byte {
	t.Helper()
	if len(oldNew)%2 != 0 {
		t.Fatalf("editConfig: %d texts, want pairs", len(oldNew))
	}
	p := filepath.Join(dir, ConfigFile)
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(oldNew); i += 2 {
		old, repl := []byte(oldNew[i]), []byte(oldNew[i+1])
		if !bytes.Contains(raw, old) {
			t.Fatalf("%s has no %q to edit:\n%s", ConfigFile, old, raw)
		}
		raw = bytes.Replace(raw, old, repl, 1)
	}
	if err := os.WriteFile(p, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestInitInEmptyDirectoryWritesModuleConfigAndPackage(t *testing.T) {
	dir := initProject(t, nil)
	tree := readTree(t, dir)
	for _, p := range []string{"go.mod", ConfigFile, manifestFile, "internal/auth/generate_test.go", "internal/auth/store.go"} {
		if _, ok := tree[p]; !ok {
			t.Errorf("%s not written; tree: %v", p, slices.Sorted(func(yield func(string) bool) {
				for k := range tree {
					if !yield(k) {
						return
					}
				}
			}))
		}
	}
	if !strings.Contains(tree["go.mod"], "module example.com/app") {
		t.Errorf("go.mod = %q", tree["go.mod"])
	}
	cfg, err := ParseConfig([]byte(tree[ConfigFile]))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Example || cfg.Module != "" || cfg.JwtgenVersion != Version() {
		t.Errorf("jwtgen.yaml: %+v", cfg)
	}
	if !strings.Contains(tree["internal/auth/generate_test.go"], "//go:generate go tool jwtgen generate") {
		t.Errorf("generate.go lacks the go:generate line:\n%s", tree["internal/auth/generate_test.go"])
	}
}

func TestInitRefusals(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		opts  func(o *InitOptions)
		want  string
	}{
		{
			name:  "non-empty directory without go.mod",
			setup: func(t *testing.T, dir string) { writeTree(t, dir, map[string]string{"notes.txt": "hi\n"}) },
			want:  "not empty and has no go.mod",
		},
		{
			name: "already initialised",
			setup: func(t *testing.T, dir string) {
				writeTree(t, dir, map[string]string{"go.mod": "module example.com/app\n", ConfigFile: "version: 1\n"})
			},
			want: "already has a jwtgen.yaml",
		},
		{
			name: "no terminal and unanswered questions",
			setup: func(t *testing.T, dir string) {
				writeTree(t, dir, map[string]string{"go.mod": "module example.com/app\n"})
			},
			opts: func(o *InitOptions) {
				o.Yes = false
				o.Set = map[string]bool{"framework": true}
			},
			want: "no terminal to ask on: pass --store, --transport, --alg, --out, --prefix",
		},
		{
			name: "unknown flag value",
			setup: func(t *testing.T, dir string) {
				writeTree(t, dir, map[string]string{"go.mod": "module example.com/app\n"})
			},
			opts: func(o *InitOptions) { o.Config.Store = "mongo" },
			want: `--store: "mongo" is not supported (allowed: `,
		},
		{
			name: "out outside the module",
			setup: func(t *testing.T, dir string) {
				writeTree(t, dir, map[string]string{"go.mod": "module example.com/app\n"})
			},
			opts: func(o *InitOptions) { o.Config.Out = "../elsewhere" },
			want: "--out:",
		},
		{
			name: "output onto the user's own file",
			setup: func(t *testing.T, dir string) {
				writeTree(t, dir, map[string]string{"go.mod": "module example.com/app\n", "internal/auth/store.go": "package auth\n"})
			},
			want: "internal/auth already holds Go files jwtgen did not write: internal/auth/store.go. The package would merge with them; choose another directory with --out",
		},
		{
			name: "module flag contradicting go.mod",
			setup: func(t *testing.T, dir string) {
				writeTree(t, dir, map[string]string{"go.mod": "module example.com/app\n"})
			},
			opts: func(o *InitOptions) {
				o.Config.Module = "example.com/other"
				o.Set = map[string]bool{"module": true}
			},
			want: "contradicts go.mod",
		},
		{
			name: "invalid module path",
			opts: func(o *InitOptions) { o.Config.Module = "Bad Path!" },
			want: "not a valid module path",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "app")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			before := readTree(t, dir)
			o := InitOptions{Dir: dir, Config: Defaults(), Yes: true, NoGo: true, Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}
			if tt.opts != nil {
				tt.opts(&o)
			}
			err := Init(o)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Init = %v, want an error containing %q", err, tt.want)
			}
			after := readTree(t, dir)
			if len(before) != len(after) {
				t.Errorf("a refused init wrote files: before %v, after %v", before, after)
			}
		})
	}
}

func TestInitPrefillsFrameworkFromGoMod(t *testing.T) {
	for _, tt := range []struct{ gomod, want string }{
		{"module x\n\nrequire github.com/gin-gonic/gin v1.12.0\n", "gin"},
		{"module x\n\nrequire (\n\tgithub.com/labstack/echo/v4 v4.16.0\n\tgolang.org/x/text v0.1.0\n)\n", "echo"},
		{"module x\n\nrequire github.com/gofiber/fiber/v3 v3.1.0\n", "fiber"},
		{"module x\n\nrequire github.com/gorilla/mux v1.8.0\n", ""},
		{"module x\n", ""},
	} {
		if got := detectFramework([]byte(tt.gomod)); got != tt.want {
			t.Errorf("DetectFramework(%q) = %q, want %q", tt.gomod, got, tt.want)
		}
	}
}

func TestGenerateSecondRunChangesNothing(t *testing.T) {
	dir := initProject(t, nil)
	stats, out, err := generate(t, GenerateOptions{Dir: filepath.Join(dir, "internal", "auth")})
	if err != nil {
		t.Fatalf("generate from the package directory: %v\n%s", err, out)
	}
	if stats.Written != 0 || stats.Deleted != 0 || stats.Unchanged == 0 {
		t.Errorf("second generate: %+v\n%s", stats, out)
	}
}

func TestGenerateCheckFindsDriftAndWritesNothing(t *testing.T) {
	dir := initProject(t, nil)
	if _, out, err := generate(t, GenerateOptions{Dir: dir, Check: true}); err != nil {
		t.Fatalf("check on a fresh project: %v\n%s", err, out)
	}
	target := filepath.Join(dir, "internal", "auth", "store.go")
	edited := []byte(strings.Replace(readTree(t, dir)["internal/auth/store.go"], "package auth", "package auth\n\n// hand edit", 1))
	if err := os.WriteFile(target, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, err := generate(t, GenerateOptions{Dir: dir, Check: true})
	if !errors.Is(err, errDrift) {
		t.Fatalf("check = %v, want ErrDrift", err)
	}
	if !strings.Contains(out, "--- a/internal/auth/store.go") || !strings.Contains(out, "-// hand edit") {
		t.Errorf("check printed no diff of the edit:\n%s", out)
	}
	if b, _ := os.ReadFile(target); !bytes.Equal(b, edited) {
		t.Error("check wrote the file")
	}
}

func TestGenerateRefusesEditedFileUnlessForced(t *testing.T) {
	dir := initProject(t, nil)
	target := filepath.Join(dir, "internal", "auth", "users.go")
	orig, _ := os.ReadFile(target)
	if err := os.WriteFile(target, append(orig, "// hand edit\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := generate(t, GenerateOptions{Dir: dir})
	var ce *conflictError
	if !errors.As(err, &ce) || !slices.Equal(ce.Edited, []string{"internal/auth/users.go"}) {
		t.Fatalf("generate = %v, want a conflict naming internal/auth/users.go", err)
	}
	_, out, err := generate(t, GenerateOptions{Dir: dir, DryRun: true})
	if err != nil || !strings.Contains(out, "update    internal/auth/users.go (edited by hand: generate refuses until you move the edit into a user-owned file or pass --force)") {
		t.Fatalf("dry-run on an edited file = %v\n%s", err, out)
	}
	_, out, err = generate(t, GenerateOptions{Dir: dir, DryRun: true, Force: true})
	if err != nil || !strings.Contains(out, "update    internal/auth/users.go (edited by hand; --force overwrites it)") {
		t.Fatalf("dry-run --force = %v\n%s", err, out)
	}
	if _, _, err := generate(t, GenerateOptions{Dir: dir, Force: true}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(target); !bytes.Equal(b, orig) {
		t.Error("--force did not restore the generated content")
	}
}

func TestGenerateMovesPackageWhenOutChanges(t *testing.T) {
	dir := initProject(t, nil)
	editConfig(t, dir, "out: internal/auth", "out: pkg/authn")
	_, out, err := generate(t, GenerateOptions{Dir: dir, DryRun: true})
	if err != nil || !strings.Contains(out, "delete    internal/auth/store.go") || !strings.Contains(out, "create    pkg/authn/store.go") ||
		!strings.Contains(out, "move      internal/auth/claims.go -> pkg/authn/claims.go") || !strings.Contains(out, "update    main.go (imports the package from pkg/authn now)") {
		t.Fatalf("dry-run = %v\n%s", err, out)
	}
	if _, _, err := generate(t, GenerateOptions{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	tree := readTree(t, dir)
	for p := range tree {
		if strings.HasPrefix(p, "internal/") {
			t.Errorf("%s left behind in the old package directory", p)
		}
	}
	if !strings.HasPrefix(tree["pkg/authn/store.go"], header+"\n\npackage authn") {
		t.Errorf("pkg/authn/store.go = %.80q", tree["pkg/authn/store.go"])
	}
	// The user's hook file moved along under the new package name, and
	// main.go imports the new path under the old name.
	if !strings.Contains(tree["pkg/authn/claims.go"], "package authn") {
		t.Errorf("claims.go did not move as is:\n%.200s", tree["pkg/authn/claims.go"])
	}
	if !strings.Contains(tree["main.go"], `auth "example.com/app/pkg/authn"`) {
		t.Errorf("main.go does not import the moved package:\n%s", tree["main.go"])
	}
}

// A Go file of the user's in the old package directory is not moved: the
// refusal says where to move it and which package clause it needs there,
// and a file moved without that clause is refused too, so that generate
// never leaves a package that does not compile.
func TestGenerateOutMoveNamesTheUsersFilesAndTheirPackageClause(t *testing.T) {
	dir := initProject(t, nil)
	writeTree(t, dir, map[string]string{"internal/auth/extra.go": "package auth\n\nfunc Extra() {}\n"})
	editConfig(t, dir, "out: internal/auth", "out: pkg/authn")
	before := readTree(t, dir)
	_, out, err := generate(t, GenerateOptions{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "internal/auth/extra.go. Move them to pkg/authn yourself with their package clause changed to `package authn`") {
		t.Fatalf("generate = %v\n%s", err, out)
	}
	if after := readTree(t, dir); !maps.Equal(before, after) {
		t.Fatal("a refused move changed the project")
	}

	// Moved, but still declaring package auth.
	if err := os.MkdirAll(filepath.Join(dir, "pkg/authn"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "internal/auth/extra.go"), filepath.Join(dir, "pkg/authn/extra.go")); err != nil {
		t.Fatal(err)
	}
	before = readTree(t, dir)
	_, out, err = generate(t, GenerateOptions{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "pkg/authn/extra.go (package auth). Change their package clause to `package authn`") {
		t.Fatalf("generate = %v\n%s", err, out)
	}
	if after := readTree(t, dir); !maps.Equal(before, after) {
		t.Fatal("a refused move changed the project")
	}

	// With the clause changed, the move goes through.
	writeTree(t, dir, map[string]string{"pkg/authn/extra.go": "package authn\n\nfunc Extra() {}\n"})
	if _, out, err := generate(t, GenerateOptions{Dir: dir}); err != nil {
		t.Fatalf("generate = %v\n%s", err, out)
	}
	if tree := readTree(t, dir); !strings.Contains(tree["pkg/authn/claims.go"], "package authn") || tree["pkg/authn/extra.go"] == "" {
		t.Errorf("after the move: claims.go %.40q, extra.go %q", tree["pkg/authn/claims.go"], tree["pkg/authn/extra.go"])
	}
}

// A framework switch cannot rewrite the user's wiring: generate names each
// of the user's files that use the package and the exact edit to make.
func TestGenerateNamesTheEditAFrameworkSwitchNeeds(t *testing.T) {
	dir := initProject(t, nil)
	writeTree(t, dir, map[string]string{"cmd/api/routes.go": "package main\n\nimport _ \"example.com/app/internal/auth\"\n"})
	editConfig(t, dir, "framework: nethttp", "framework: gin")
	generateSays(t, dir,
		"the framework changed from nethttp to gin. These files of yours use the package and may still wire nethttp: cmd/api/routes.go, main.go.",
		"before (nethttp): mux.Handle(\"/\", a.Handler())",
		"after  (gin): a.Mount(engine); group.Use(a.RequireGin()); auth.GinUserID(c)",
		"main.go is the example server",
	)
	// Said once, for the switch: the next run has nothing to say.
	if _, out, _ := generate(t, GenerateOptions{Dir: dir}); strings.Contains(out, "framework changed") {
		t.Errorf("repeated after the switch:\n%s", out)
	}
}

// An example main.go from before the demo page left the package calls
// auth.DemoHandler(), which still builds but serves nothing: generate names
// the file and the edit on every run until the call is gone.
func TestGenerateNamesCallsToTheOldDemoHandler(t *testing.T) {
	dir := initProject(t, nil)
	if _, out, _ := generate(t, GenerateOptions{Dir: dir}); strings.Contains(out, "DemoHandler") {
		t.Fatalf("a new project is told about DemoHandler:\n%s", out)
	}
	mainPath := filepath.Join(dir, "main.go")
	src, _ := os.ReadFile(mainPath)
	src = append(src, "\nvar _ = auth.DemoHandler()\n"...)
	if err := os.WriteFile(mainPath, src, 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		generateSays(t, dir,
			"main.go calls auth.DemoHandler(), which no longer serves the demo page",
			"replace auth.DemoHandler() with demoHandler(), generated in demo.go beside main.go",
		)
	}
}

func TestGenerateWarnsAboutAnotherJwtgenVersionAndRecordsItsOwn(t *testing.T) {
	dir := initProject(t, nil)
	raw := editConfig(t, dir, "jwtgen_version: "+Version(), "jwtgen_version: v0.0.1 # pinned by hand")
	cfgPath := filepath.Join(dir, ConfigFile)
	if err := os.WriteFile(cfgPath, append(raw, "# a comment the user wrote\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, err := generate(t, GenerateOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "written by jwtgen v0.0.1, this is jwtgen "+Version()) {
		t.Errorf("no version warning:\n%s", out)
	}
	after, _ := os.ReadFile(cfgPath)
	if !bytes.Contains(after, []byte("\njwtgen_version: "+Version()+"\n")) || !bytes.Contains(after, []byte("# a comment the user wrote")) {
		t.Errorf("jwtgen.yaml after generate:\n%s", after)
	}
	if _, out, _ := generate(t, GenerateOptions{Dir: dir}); strings.Contains(out, "warning") {
		t.Errorf("warning repeated after the version was recorded:\n%s", out)
	}
}

func TestGenerateRefusesModuleKeyContradictingGoMod(t *testing.T) {
	dir := initProject(t, nil)
	f, err := os.OpenFile(filepath.Join(dir, ConfigFile), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("module: example.com/other\n")
	f.Close()
	_, _, err = generate(t, GenerateOptions{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "module") || !strings.Contains(err.Error(), "contradicts go.mod") {
		t.Fatalf("generate = %v", err)
	}
}

func TestGenerateWithoutConfigOrModule(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := generate(t, GenerateOptions{Dir: dir}); err == nil || !strings.Contains(err.Error(), "no go.mod") {
		t.Errorf("generate outside a module = %v", err)
	}
	writeTree(t, dir, map[string]string{"go.mod": "module example.com/x\n"})
	if _, _, err := generate(t, GenerateOptions{Dir: dir}); err == nil || !strings.Contains(err.Error(), "run jwtgen init first") {
		t.Errorf("generate without jwtgen.yaml = %v", err)
	}
}

func TestRequirementsComeFromRenderedImports(t *testing.T) {
	files := []file{
		{Path: "internal/auth/a.go", Content: []byte("package auth\n\nimport (\n\t\"net/http\"\n\t\"github.com/golang-jwt/jwt/v5\"\n\t\"golang.org/x/crypto/argon2\"\n\t\"example.com/app/internal/other\"\n)\n")},
		{Path: "internal/auth/a_test.go", Content: []byte("package auth\n\nimport _ \"modernc.org/sqlite/lib\"\nimport _ \"example.org/unpinned/pkg\"\n")},
		{Path: "internal/auth/schema.sql", Content: []byte("import \"nothing\"")},
	}
	got, err := requirements(files, "example.com/app")
	if err != nil {
		t.Fatal(err)
	}
	want := []requirement{
		{"example.org/unpinned/pkg", ""},
		{"github.com/golang-jwt/jwt/v5", "v5.3.1"},
		{"golang.org/x/crypto", pinnedModules["golang.org/x/crypto"]},
		{"modernc.org/sqlite", "v1.62.0"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Requirements = %v, want %v", got, want)
	}
	missing, err := missing([]byte("module example.com/app\n\nrequire (\n\tgithub.com/golang-jwt/jwt/v5 v5.9.0\n\tmodernc.org/sqlite v1.0.0\n)\n"), want)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(missing, []requirement{want[0], want[2], want[3]}) {
		t.Errorf("Missing = %v: a newer requirement must be kept, an older one raised", missing)
	}
}

// TestGoldenImportsArePinned keeps the pin list complete: every module the
// golden cases import must have a known-good version.
func TestGoldenImportsArePinned(t *testing.T) {
	for _, dir := range goldenCases(t) {
		cfg := goldenConfig(t, dir)
		for _, r := range renderedRequirements(t, cfg) {
			if r.Version == "" {
				t.Errorf("%s: %s is imported but has no pinned version in PinnedModules", filepath.Base(dir), r.Path)
			}
		}
	}
}

func mustLoad(t *testing.T, dir string) Config {
	t.Helper()
	p, err := FindProject(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := p.LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
