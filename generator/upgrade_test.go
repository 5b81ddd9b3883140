package generator

import (
	"bytes"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// previousReleaseTests names, per project of the previous release in
// testdata/previous/<case>.txtar, the generated tests the upgraded project
// must pass.
var previousReleaseTests = map[string]string{
	"default":      "TestLoginIssuesTokens|TestPreviousSecretsVerifyButNeverSign|TestSQLiteStoreContract",
	"oauth-cookie": "TestLoginIssuesTokens|TestWellKnownJWKS|TestLogout",
}

// TestUpgradeFromPreviousRelease regenerates projects made by the previous
// release (testdata/previous/<case>.txtar: its golden output, with the
// example main.go that sets cfg.Secret, the go:generate line in
// generate.go, keyring code of that day) with this jwtgen, through
// `go generate ./...`, and requires the result to build, vet, pass its
// tests and be clean for --check.
func TestUpgradeFromPreviousRelease(t *testing.T) {
	if testing.Short() || *changeMatrix == "off" {
		t.Skip("runs the go command on real modules; skipped in -short")
	}
	checkout := checkoutDir(t)
	for name, testRun := range previousReleaseTests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), name)
			extractPrevious(t, name, dir)
			mod := "github.com/jwtgen/jwtgen/golden/" + name
			old := previousProject(t, dir, mod)

			// What the previous init left: go.mod with the package's
			// requirements and the tool, and the manifest of what it wrote.
			if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+mod+"\n\ngo 1.26.0\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := wireTool(dir, checkout, &out); err != nil {
				t.Fatal(err)
			}
			reqs, err := requirements(old, mod)
			if err != nil {
				t.Fatal(err)
			}
			args := []string{"mod", "edit"}
			for _, r := range reqs {
				args = append(args, "-require="+r.Path+"@"+r.Version)
			}
			run(t, dir, "go", args...)
			run(t, dir, "go", "mod", "tidy")
			if _, err := writeFileAtomic(filepath.Join(dir, manifestFile), newManifest(old).Marshal()); err != nil {
				t.Fatal(err)
			}

			// The previous directive sits in generate.go, which go generate
			// reads before files this version deletes: those are emptied to
			// build-ignored stubs, so go generate exits 0 and the project
			// builds, vets and passes its tests at once.
			gen := run(t, dir, "go", "generate", "./...")
			if !strings.Contains(gen, "delete    internal/auth/generate.go") || !strings.Contains(gen, "create    internal/auth/generate_test.go") {
				t.Errorf("go generate did not move the directive:\n%s", gen)
			}
			stubs := stubbed(t, dir)
			if strings.Contains(gen, "emptied instead of deleted") != (len(stubs) > 0) {
				t.Errorf("stubs on disk %v do not match what go generate said:\n%s", stubs, gen)
			}
			t.Logf("emptied by the first go generate: %v", stubs)
			run(t, dir, "go", "build", "./...")
			run(t, dir, "go", "vet", "./...")
			run(t, dir, "go", "test", "-count=1", "-run", testRun, "./internal/auth/")

			// The next run, through the new directive, deletes the stubs
			// and leaves nothing to do.
			gen = run(t, dir, "go", "generate", "./...")
			for _, s := range stubs {
				if _, err := os.Stat(filepath.Join(dir, s)); !os.IsNotExist(err) {
					t.Errorf("second go generate left the stub %s (stat: %v):\n%s", s, err, gen)
				}
			}
			if left := stubbed(t, dir); len(left) > 0 {
				t.Errorf("stubs left after the second go generate: %v", left)
			}
			run(t, dir, "go", "build", "./...")
			run(t, dir, "go", "vet", "./...")
			run(t, dir, "go", "tool", "jwtgen", "generate", "--check")
		})
	}
}

// TestPreviousReleaseArchivesAreTested: every archive in testdata/previous
// is a project the upgrade test regenerates, and every case it names has
// an archive that extracts.
func TestPreviousReleaseArchivesAreTested(t *testing.T) {
	archives, err := filepath.Glob(filepath.Join("testdata", "previous", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range archives {
		name, ok := strings.CutSuffix(filepath.Base(a), ".txtar")
		if _, tested := previousReleaseTests[name]; !ok || !tested {
			t.Errorf("%s is not a <case>.txtar that TestUpgradeFromPreviousRelease regenerates", a)
		}
	}
	for name := range previousReleaseTests {
		dir := t.TempDir()
		extractPrevious(t, name, dir)
		if _, err := os.Stat(filepath.Join(dir, ConfigFile)); err != nil {
			t.Errorf("testdata/previous/%s.txtar: %v", name, err)
		}
	}
}

// extractPrevious writes the files of testdata/previous/<name>.txtar under
// dir. txtar keeps no modes: the previous release's files were all plain
// (git mode 100644), and writeTree writes each 0644.
func extractPrevious(t *testing.T, name, dir string) {
	t.Helper()
	archive := filepath.Join("testdata", "previous", name+".txtar")
	ar, err := txtar.ParseFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	// txtar.FS refuses names that are not clean relative paths and names
	// given twice, so no file lands outside dir or is silently replaced.
	if _, err := txtar.FS(ar); err != nil {
		t.Fatalf("%s: %v", archive, err)
	}
	files := map[string]string{}
	for _, f := range ar.Files {
		files[f.Name] = string(f.Data)
	}
	writeTree(t, dir, files)
}

// stubbed lists the files under dir that are jwtgen's stubs of a deletion
// put off to the next run.
func stubbed(t *testing.T, dir string) []string {
	t.Helper()
	var stubs []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if isGenerated(b) && bytes.Contains(b, []byte("\n//go:build ignore\n")) {
			rel, _ := filepath.Rel(dir, p)
			stubs = append(stubs, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return stubs
}

// previousProject lists the files of a previous release's project as
// rendered files: the user's hooks (main.go, claims.go) as scaffolded,
// everything else as generated.
func previousProject(t *testing.T, dir, mod string) []file {
	t.Helper()
	tree := readTree(t, dir)
	delete(tree, ConfigFile)
	var files []file
	for _, rel := range slices.Sorted(maps.Keys(tree)) {
		owner := generated
		if rel == "main.go" || strings.HasSuffix(rel, "/claims.go") {
			owner = scaffolded
		}
		files = append(files, file{Path: rel, Owner: owner, Content: []byte(tree[rel])})
	}
	return files
}

// TestUpgradeAsksBeforeWriting: on a terminal upgrade shows the changes,
// then asks; no writes nothing, yes writes through the generate stages.
func TestUpgradeAsksBeforeWriting(t *testing.T) {
	dir := initProject(t, func(c *Config) { c.Store = "memory" })
	store := filepath.Join(dir, "internal", "auth", "store.go")
	want, err := os.ReadFile(store)
	if err != nil {
		t.Fatal(err)
	}
	// As an older jwtgen left it: another store.go on record, another version.
	older := append(bytes.Clone(want), "// older\n"...)
	if err := os.WriteFile(store, older, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := readManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	m["internal/auth/store.go"] = hash(older)
	if _, err := writeFileAtomic(filepath.Join(dir, manifestFile), m.Marshal()); err != nil {
		t.Fatal(err)
	}
	yaml := filepath.Join(dir, ConfigFile)
	raw := editConfig(t, dir, "jwtgen_version: "+Version(), "jwtgen_version: v0.0.1")

	upgrade := func(answer string) (string, error) {
		var out bytes.Buffer
		p := &scripted{t: t, answers: []string{answer}}
		_, err := Upgrade(UpgradeOptions{Dir: dir, Ask: p, NoGo: true, Stdout: &out, Stderr: &out})
		if len(p.asked) != 1 || p.asked[0] != "Write these changes?" {
			t.Errorf("asked %q", p.asked)
		}
		return out.String(), err
	}
	out, err := upgrade("n")
	if !errors.Is(err, errUpgradeDeclined) {
		t.Fatalf("declined upgrade: %v\n%s", err, out)
	}
	for _, w := range []string{"from jwtgen v0.0.1 to jwtgen " + Version(), "--- a/internal/auth/store.go", "-// older", "# jwtgen.yaml: jwtgen_version: v0.0.1 -> " + Version()} {
		if !strings.Contains(out, w) {
			t.Errorf("upgrade did not show %q before asking:\n%s", w, out)
		}
	}
	if b, _ := os.ReadFile(store); !bytes.Equal(b, older) {
		t.Error("declining wrote store.go")
	}
	if b, _ := os.ReadFile(yaml); !bytes.Equal(b, raw) {
		t.Error("declining wrote jwtgen.yaml")
	}

	out, err = upgrade("y")
	if err != nil {
		t.Fatalf("upgrade: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(store); !bytes.Equal(b, want) {
		t.Errorf("store.go not upgraded:\n%s", out)
	}
	if _, out, err := generate(t, GenerateOptions{Dir: dir, Check: true}); err != nil {
		t.Errorf("--check after the upgrade: %v\n%s", err, out)
	}
}
