package generator

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden cases' expected output")

// goldenModule is the module path of golden/; each case is a directory in it.
const goldenModule = "github.com/jwtgen/jwtgen/golden"

// goldenCases lists the case directories (each holds a jwtgen.yaml).
func goldenCases(t *testing.T) []string {
	t.Helper()
	matches, err := filepath.Glob("../golden/*/" + ConfigFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(matches) == 0 {
		t.Fatal("no golden cases found in ../golden")
	}
	var dirs []string
	for _, m := range matches {
		dirs = append(dirs, filepath.Dir(m))
	}
	return dirs
}

// TestGolden renders every case and compares the result with the exact
// expected tree stored beside its jwtgen.yaml. With -update it rewrites the
// tree instead (and tidies golden/go.mod).
func TestGolden(t *testing.T) {
	for _, dir := range goldenCases(t) {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, ConfigFile))
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := ParseConfig(raw)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Module = goldenModule + "/" + name
			files, err := Render(cfg)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string][]byte{}
			for _, f := range files {
				want[f.Path] = f.Content
			}
			have := map[string][]byte{}
			err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(dir, p)
				rel = filepath.ToSlash(rel)
				if rel == ConfigFile {
					return nil
				}
				b, err := os.ReadFile(p)
				have[rel] = b
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if *update {
				for rel := range have {
					if _, ok := want[rel]; !ok {
						if err := os.Remove(filepath.Join(dir, rel)); err != nil {
							t.Fatal(err)
						}
					}
				}
				for rel, b := range want {
					p := filepath.Join(dir, filepath.FromSlash(rel))
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(have[rel], b) {
						if err := os.WriteFile(p, b, 0o644); err != nil {
							t.Fatal(err)
						}
					}
				}
				return
			}
			var paths []string
			for p := range want {
				paths = append(paths, p)
			}
			for p := range have {
				if _, ok := want[p]; !ok {
					paths = append(paths, p)
				}
			}
			slices.Sort(paths)
			for _, p := range paths {
				w, inWant := want[p]
				h, inHave := have[p]
				switch {
				case !inHave:
					t.Errorf("%s: missing from golden (run go test ./generator -update)", p)
				case !inWant:
					t.Errorf("%s: in golden but no longer generated", p)
				case !bytes.Equal(w, h):
					t.Errorf("%s: differs from golden (run go test ./generator -update and review the diff)", p)
				}
			}
		})
	}
	if *update {
		tidyGoldenModule(t)
	}
}

// tidyGoldenModule tidies golden/go.mod and requires every pinned module
// at its pin, so that the golden cases test the versions init requires.
// A pin that tidy raises (another module needs a newer one) stays raised,
// and TestPinsAreTheGoldenRequirements says which pin to raise.
func tidyGoldenModule(t *testing.T) {
	t.Helper()
	goIn := func(args ...string) {
		cmd := exec.Command("go", args...)
		cmd.Dir = "../golden"
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s in golden/: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	goIn("mod", "tidy")
	edit := []string{"mod", "edit"}
	for mod, v := range PinnedModules {
		edit = append(edit, "-require="+mod+"@"+v)
	}
	goIn(edit...)
	goIn("mod", "tidy")
}

// TestGoldenBuild vets and tests every golden case's generated code, in the
// golden module, against the real services the cases need.
func TestGoldenBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not building and testing the golden cases")
	}
	test := []string{"test", "-count=1", "./..."}
	if raceEnabled || os.Getenv("JWTGEN_GOLDEN_RACE") == "1" {
		test = []string{"test", "-race", "-count=1", "./..."}
	}
	for _, args := range [][]string{{"vet", "./..."}, test} {
		cmd := exec.Command("go", args...)
		cmd.Dir = "../golden"
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("go %s in golden/: %v\n%s", strings.Join(args, " "), err, out.String())
		}
		t.Logf("go %s in golden/:\n%s", strings.Join(args, " "), out.String())
	}
}
