package generator

import (
	"bytes"
	"flag"
	"maps"
	"os"
	"os/exec"
	"path"
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

// goldenConfig reads a golden case's jwtgen.yaml, module path included.
func goldenConfig(t *testing.T, dir string) Config {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig(raw)
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	cfg.Module = goldenModule + "/" + filepath.Base(dir)
	return cfg
}

// TestGolden renders every case and compares the result with the exact
// expected tree stored beside its jwtgen.yaml. With -update it rewrites the
// tree instead (and tidies golden/go.mod).
func TestGolden(t *testing.T) {
	for _, dir := range goldenCases(t) {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			cfg := goldenConfig(t, dir)
			files, err := Render(cfg)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string][]byte{}
			for _, f := range files {
				want[f.Path] = f.Content
			}
			have := readTree(t, dir)
			delete(have, ConfigFile)
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
					if have[rel] != string(b) {
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
				case string(w) != h:
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
	for mod, v := range pinnedModules {
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
	vetAndTest(t, "../golden", "golden/")
}

// vetAndTest runs go vet and go test over a module of generated cases,
// under the race detector when jwtgen's tests run under it or
// JWTGEN_GOLDEN_RACE=1.
func vetAndTest(t *testing.T, dir, name string) {
	t.Helper()
	test := []string{"test", "-count=1", "./..."}
	if raceEnabled || os.Getenv("JWTGEN_GOLDEN_RACE") == "1" {
		test = []string{"test", "-race", "-count=1", "./..."}
	}
	for _, args := range [][]string{{"vet", "./..."}, test} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		// The golden module's requirements, never resolved afresh.
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("go %s in %s: %v\n%s", strings.Join(args, " "), name, err, out.String())
		}
		t.Logf("go %s in %s:\n%s", strings.Join(args, " "), name, out.String())
	}
}

// goldenCover returns the configurations that complete the committed golden
// cases to a pairwise cover of every option value (greedily, so the result
// is stable for a given set of cases and values). They are rendered and
// tested at test time, never committed: the committed cases show the
// output, the cover proves every pair of values works together.
func goldenCover(t *testing.T) map[string]Config {
	t.Helper()
	dims := goldenDimensions()
	var have []combination
	for _, c := range goldenCombinations(t) {
		have = append(have, c)
	}
	cover := map[string]Config{}
	for _, c := range greedyCover(dims, have) {
		name := c.name()
		cfg := c.configOver(dims, goldenCoverModule+"/"+name, "internal/auth")
		cfg.Example = true
		cover[name] = cfg
	}
	return cover
}

// goldenCoverModule is the module path the cover is rendered into.
const goldenCoverModule = "github.com/jwtgen/jwtgen/goldencover"

// TestGoldenCover renders the rest of the pairwise cover (goldenCover),
// each configuration with its example server, into a module in the
// user's cache (kept between runs for the build cache; JWTGEN_COVER_DIR
// overrides it) with the golden module's requirements, and vets and tests
// it like TestGoldenBuild does the golden module.
func TestGoldenCover(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the rest of the pairwise cover is not rendered and tested")
	}
	dir := stableDir(t, "golden-cover", os.Getenv("JWTGEN_COVER_DIR"))
	cover := goldenCover(t)
	all := slices.Sorted(maps.Keys(cover))
	t.Logf("%d golden cases committed; %d more complete the pairwise cover: %s", len(goldenCases(t)), len(all), strings.Join(all, " "))
	// JWTGEN_COVER_CASES=a,b renders and tests only those configurations
	// of the cover (names as logged), for working on one of them.
	if only := os.Getenv("JWTGEN_COVER_CASES"); only != "" {
		for name := range cover {
			if !slices.Contains(strings.Split(only, ","), name) {
				delete(cover, name)
			}
		}
	}
	written := map[string]bool{}
	for name, cfg := range cover {
		for _, f := range renderCase(t, name, cfg) {
			rel := path.Join(name, f.Path)
			writeIfChanged(t, filepath.Join(dir, filepath.FromSlash(rel)), f.Content)
			written[rel] = true
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var tops []string
	for _, e := range entries {
		if e.IsDir() {
			tops = append(tops, e.Name())
		}
	}
	removeStale(t, dir, written, tops...)
	writeMatrixModule(t, dir, goldenCoverModule)
	vetAndTest(t, dir, "the golden cover at "+dir)
}

// TestGoldenTreeHoldsOnlyCases fails on anything in golden/ that is not a
// case (a directory with a jwtgen.yaml) or the module's files, such as a
// directory a rebase left behind, which no test would otherwise read.
func TestGoldenTreeHoldsOnlyCases(t *testing.T) {
	entries, err := os.ReadDir("../golden")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch {
		case !e.IsDir() && (e.Name() == "go.mod" || e.Name() == "go.sum"):
		case e.IsDir():
			if _, err := os.Stat(filepath.Join("../golden", e.Name(), ConfigFile)); err != nil {
				t.Errorf("golden/%s is not a case (no %s): delete it, or add the %s it was meant to have", e.Name(), ConfigFile, ConfigFile)
			}
		default:
			t.Errorf("golden/%s is neither a case nor the module's go.mod/go.sum", e.Name())
		}
	}
}
