package generator

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The option matrix: every combination of the allowed values is rendered,
// vetted and built, so no combination can break unnoticed; a pairwise-covering
// subset of it is kept as golden cases whose generated tests run against the
// real services (TestGoldenPairwise proves the cover).

// dimension is one option axis of the matrix.
type dimension struct {
	key    string
	values []string
}

// dimensions lists the axes of the matrix from the option registry, so a
// value joins the matrix the moment it is registered. A list option (the
// providers) has two values: none, or every value at once (each provider
// brings its own files, independent of the others, so "all" compiles every
// one of them beside every other option).
func dimensions() []dimension {
	var dims []dimension
	for _, o := range options {
		switch {
		case o.values == nil:
		case o.list:
			dims = append(dims, dimension{o.key, []string{"none", "all"}})
		default:
			dims = append(dims, dimension{o.key, o.names()})
		}
	}
	return dims
}

// goldenDimensions are the dimensions the golden cases cover pairwise: an
// option every golden case fixes (tests: full, so that every case runs
// every test) is none.
func goldenDimensions() []dimension {
	var dims []dimension
	for _, d := range dimensions() {
		if optionByKey(d.key).golden == "" {
			dims = append(dims, d)
		}
	}
	return dims
}

// allValues lists all values of a list option as its flag would: a type that
// takes a name of its own gets one (corp=oidc).
func allValues(o *option) []string {
	var items []string
	for _, v := range o.values {
		if v.caps&capNamed != 0 {
			items = append(items, "corp="+v.name)
			continue
		}
		items = append(items, v.name)
	}
	return items
}

// combination is one point of the matrix: a value per dimension, in the
// order of dimensions().
type combination []string

// config turns a combination of the matrix into a configuration rendered
// into package dir out of module mod.
func (c combination) config(mod, out string) Config {
	return c.configOver(dimensions(), mod, out)
}

// configOver turns a combination over dims into a configuration; an
// option of no dimension keeps its default, or its golden value when dims
// are the golden ones.
func (c combination) configOver(dims []dimension, mod, out string) Config {
	cfg := Defaults()
	cfg.Module = mod
	cfg.Out = out
	for _, o := range options {
		if o.golden != "" && !slices.ContainsFunc(dims, func(d dimension) bool { return d.key == o.key }) {
			o.set(&cfg, []string{o.golden})
		}
	}
	for i, d := range dims {
		o := optionByKey(d.key)
		switch {
		case !o.list:
			o.set(&cfg, []string{c[i]})
		case c[i] == "all":
			o.set(&cfg, allValues(o))
		}
	}
	cfg.Example = true
	return cfg
}

// name is a valid Go package name for the combination.
func (c combination) name() string {
	return strings.ToLower(strings.Join(c, "_"))
}

// combinationOf reads back the combination of a configuration.
func combinationOf(dims []dimension, cfg Config) combination {
	var c combination
	for _, d := range dims {
		o := optionByKey(d.key)
		v := o.get(&cfg)
		switch {
		case !o.list:
			c = append(c, first(v))
		case len(v) > 0:
			c = append(c, "all")
		default:
			c = append(c, "none")
		}
	}
	return c
}

// allCombinations is the cartesian product of the dimensions.
func allCombinations(dims []dimension) []combination {
	all := []combination{{}}
	for _, d := range dims {
		var next []combination
		for _, prefix := range all {
			for _, v := range d.values {
				next = append(next, append(slices.Clone(prefix), v))
			}
		}
		all = next
	}
	return all
}

// pair is one value of dimension i together with one value of dimension j.
type pair struct {
	i, j int
	a, b string
}

// describe names the pair's options and values.
func (p pair) describe(dims []dimension) string {
	return fmt.Sprintf("%s=%s & %s=%s", dims[p.i].key, p.a, dims[p.j].key, p.b)
}

// pairsOf lists the value pairs a combination covers.
func pairsOf(c combination) []pair {
	var ps []pair
	for i := range c {
		for j := i + 1; j < len(c); j++ {
			ps = append(ps, pair{i, j, c[i], c[j]})
		}
	}
	return ps
}

// uncoveredPairs returns every value pair of the dimensions that none of the
// combinations covers, in a stable order.
func uncoveredPairs(dims []dimension, have []combination) []pair {
	covered := map[pair]bool{}
	for _, c := range have {
		for _, p := range pairsOf(c) {
			covered[p] = true
		}
	}
	var missing []pair
	for i := range dims {
		for j := i + 1; j < len(dims); j++ {
			for _, a := range dims[i].values {
				for _, b := range dims[j].values {
					if p := (pair{i, j, a, b}); !covered[p] {
						missing = append(missing, p)
					}
				}
			}
		}
	}
	return missing
}

// greedyCover extends have with combinations until every pair is covered,
// each time taking the candidate that covers the most uncovered pairs (the
// first such in cartesian order, so the result is stable). It returns only
// the added combinations.
func greedyCover(dims []dimension, have []combination) []combination {
	missing := map[pair]bool{}
	for _, p := range uncoveredPairs(dims, have) {
		missing[p] = true
	}
	candidates := allCombinations(dims)
	var added []combination
	for len(missing) > 0 {
		best, bestGain := -1, 0
		for k, c := range candidates {
			gain := 0
			for _, p := range pairsOf(c) {
				if missing[p] {
					gain++
				}
			}
			if gain > bestGain {
				best, bestGain = k, gain
			}
		}
		for _, p := range pairsOf(candidates[best]) {
			delete(missing, p)
		}
		added = append(added, candidates[best])
	}
	return added
}

// goldenCombinations reads the combination of every golden case.
func goldenCombinations(t *testing.T) map[string]combination {
	t.Helper()
	out := map[string]combination{}
	for _, dir := range goldenCases(t) {
		cfg := goldenConfig(t, dir)
		out[filepath.Base(dir)] = combinationOf(goldenDimensions(), cfg)
	}
	return out
}

func TestGreedyCoverCoversEveryPair(t *testing.T) {
	dims := []dimension{
		{"a", []string{"1", "2", "3"}},
		{"b", []string{"x", "y", "z"}},
		{"c", []string{"p", "q"}},
		{"d", []string{"m", "n"}},
	}
	seed := []combination{{"1", "x", "p", "m"}}
	added := greedyCover(dims, seed)
	if missing := uncoveredPairs(dims, append(seed, added...)); len(missing) > 0 {
		t.Fatalf("pairs left uncovered: %v", missing)
	}
	// 3x3 values need at least 9 rows; greedy may use a few more, never the
	// whole product.
	if n := len(seed) + len(added); n < 9 || n >= len(allCombinations(dims)) {
		t.Fatalf("cover has %d rows, want between 9 and %d", n, len(allCombinations(dims))-1)
	}
	if again := greedyCover(dims, append(seed, added...)); len(again) != 0 {
		t.Fatalf("a complete cover was extended by %v", again)
	}
}

// TestGoldenPairwise proves that the committed golden cases and the rest of
// the cover rendered at test time (TestGoldenCover) together meet every
// pair of option values, so every value meets every other value at least
// once in a package whose generated tests run.
func TestGoldenPairwise(t *testing.T) {
	dims := goldenDimensions()
	var have []combination
	for _, c := range goldenCombinations(t) {
		have = append(have, c)
	}
	committed := len(have)
	for _, cfg := range goldenCover(t) {
		have = append(have, combinationOf(dims, cfg))
	}
	missing := uncoveredPairs(dims, have)
	total := 0
	for i := range dims {
		for j := i + 1; j < len(dims); j++ {
			total += len(dims[i].values) * len(dims[j].values)
		}
	}
	t.Logf("golden cases: %d committed + %d rendered at test time, of %d combinations; value pairs covered: %d of %d", committed, len(have)-committed, len(allCombinations(dims)), total-len(missing), total)
	if len(missing) > 0 {
		t.Errorf("%d value pairs are not covered, e.g. %v", len(missing), missing[0].describe(dims))
	}
}

// matrixCombinations is what TestMatrix builds: every combination of
// framework x store x transport x providers, the options that change which
// adapter, store, transport and login files meet in one package. Algorithm
// and revocation only select their own small files; each combination takes
// the algorithm and revocation that meet the most value pairs not met yet,
// so every algorithm and revocation also meets every framework, store,
// transport and provider set (the test checks it), at an eighth of the cost
// of the full product.
func matrixCombinations() []combination {
	dims := dimensions()
	var mainDims, rotatedDims []dimension
	for _, d := range dims {
		if slices.Contains([]string{"framework", "store", "transport", "providers"}, d.key) {
			mainDims = append(mainDims, d)
		} else {
			rotatedDims = append(rotatedDims, d)
		}
	}
	// join puts a main and a rotated part back in the order of dims.
	join := func(m, r combination) combination {
		c := make(combination, 0, len(dims))
		for _, d := range dims {
			if slices.ContainsFunc(mainDims, func(x dimension) bool { return x.key == d.key }) {
				c, m = append(c, m[0]), m[1:]
			} else {
				c, r = append(c, r[0]), r[1:]
			}
		}
		return c
	}
	main := allCombinations(mainDims)
	rotated := allCombinations(rotatedDims)
	covered := map[pair]bool{}
	var out []combination
	for _, m := range main {
		var best combination
		bestGain := -1
		for _, r := range rotated {
			c := join(m, r)
			gain := 0
			for _, p := range pairsOf(c) {
				if !covered[p] {
					gain++
				}
			}
			if gain > bestGain {
				best, bestGain = c, gain
			}
		}
		for _, p := range pairsOf(best) {
			covered[p] = true
		}
		out = append(out, best)
	}
	return out
}

// TestMatrix renders every combination of matrixCombinations into one
// module, one package per combination plus its example server, and runs one
// `go vet` over all of them (every package with its tests, type-checked by
// the compiler's front end and vetted), sharing the module and the build
// cache. The module lives in a stable directory so an unchanged combination
// costs nothing on the next run.
func TestMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: option matrix not built")
	}
	dir := matrixDir(t)
	const mod = "example.com/matrix"
	combos := matrixCombinations()
	if missing := uncoveredPairs(dimensions(), combos); len(missing) > 0 {
		t.Fatalf("the matrix misses value pairs, e.g. %v", missing[0].describe(dimensions()))
	}
	written := map[string]bool{}
	for _, c := range combos {
		name := c.name()
		cfg := c.config(mod, "auth/"+name)
		for _, f := range renderCase(t, name, cfg) {
			rel := f.Path
			if !strings.HasPrefix(rel, cfg.Out+"/") {
				// Files outside the package (the example server) get a
				// directory of their own per combination.
				rel = path.Join("example", name, rel)
			}
			writeIfChanged(t, filepath.Join(dir, filepath.FromSlash(rel)), f.Content)
			written[rel] = true
			if strings.HasPrefix(f.Path, cfg.Out+"/web/") {
				// The example embeds the demo page from the package's web
				// directory, a path below the example's own directory in a
				// real project: give the example here its copy at that path.
				page := path.Join("example", name, f.Path)
				writeIfChanged(t, filepath.Join(dir, filepath.FromSlash(page)), f.Content)
				written[page] = true
			}
		}
	}
	removeStale(t, dir, written, "auth", "example")
	writeMatrixModule(t, dir, mod)

	for _, args := range [][]string{{"vet", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		// The golden module's requirements, never resolved afresh: a
		// missing one means a value has no golden case yet.
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("go %s over %d combinations in %s: %v\n%s", strings.Join(args, " "), len(combos), dir, err, truncate(out.String(), 20000))
		}
		if strings.TrimSpace(out.String()) != "" {
			t.Fatalf("go %s over %d combinations in %s:\n%s", strings.Join(args, " "), len(combos), dir, truncate(out.String(), 20000))
		}
	}
	goldenCount := len(goldenCombinations(t))
	t.Logf("option matrix: %d combinations built and vetted (every framework x store x transport x providers; all %s pairs covered); %d golden cases run their tests against real services",
		len(combos), describeDims(), goldenCount)
}

func dimensionKeys(dims []dimension) string {
	var keys []string
	for _, d := range dims {
		keys = append(keys, d.key)
	}
	return strings.Join(keys, " ")
}

func describeDims() string {
	var parts []string
	for _, d := range dimensions() {
		parts = append(parts, fmt.Sprintf("%d %s", len(d.values), d.key))
	}
	return strings.Join(parts, " x ")
}

// matrixDir is a stable directory for the matrix module, one per checkout:
// kept between runs so that the build cache recognises unchanged packages
// (their directory is part of the cache key). JWTGEN_MATRIX_DIR overrides it.
func matrixDir(t *testing.T) string {
	t.Helper()
	return stableDir(t, "matrix", os.Getenv("JWTGEN_MATRIX_DIR"))
}

// stableDir is a directory of the user's cache for a module the tests
// write, one per checkout and kind, unless base names one.
func stableDir(t *testing.T, kind, base string) string {
	t.Helper()
	if base == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		// One directory per checkout: two checkouts testing at once must
		// not rewrite each other's packages.
		wd, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		base = filepath.Join(cache, "jwtgen", fmt.Sprintf("%s-%x", kind, sha256.Sum256([]byte(wd)))[:len(kind)+1+12])
	}
	if err := os.MkdirAll(base, 0o755); err != nil {
		t.Fatal(err)
	}
	return base
}

// renderCase validates and renders one configuration of a test module.
func renderCase(t *testing.T, name string, cfg Config) []file {
	t.Helper()
	if err := cfg.validate(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	files, err := Render(cfg)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return files
}

func writeIfChanged(t *testing.T, p string, content []byte) {
	t.Helper()
	if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, content) {
		return
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
}

// removeStale deletes files of combinations or templates that no longer
// exist, so they cannot break (or hide) the build.
func removeStale(t *testing.T, dir string, keep map[string]bool, tops ...string) {
	t.Helper()
	for _, top := range tops {
		root := filepath.Join(dir, top)
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			if d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(dir, p)
			if !keep[filepath.ToSlash(rel)] {
				return os.Remove(p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// writeMatrixModule writes go.mod and go.sum: the golden module's
// requirements, which hold every dependency the templates can import because
// the golden cases cover every option value.
func writeMatrixModule(t *testing.T, dir, mod string) {
	t.Helper()
	gomod, err := os.ReadFile("../golden/go.mod")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(gomod), "\n", 2)
	if !strings.HasPrefix(lines[0], "module ") {
		t.Fatalf("golden/go.mod does not start with a module line")
	}
	writeIfChanged(t, filepath.Join(dir, "go.mod"), []byte("module "+mod+"\n"+lines[1]))
	if sum, err := os.ReadFile("../golden/go.sum"); err == nil {
		writeIfChanged(t, filepath.Join(dir, "go.sum"), sum)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "\n... (truncated)"
}
