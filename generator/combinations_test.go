package generator

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// option is one dimension of the configuration space and its values.
type option struct {
	name   string
	values []string
	set    func(*Config, string)
}

func options() []option {
	var all []Provider
	for _, typ := range ProviderTypes {
		name := typ
		if typ == "oidc" {
			name = "corp"
		}
		all = append(all, Provider{Name: name, Type: typ})
	}
	providers := []string{"none"}
	if len(all) > 0 {
		providers = append(providers, "all")
	}
	return []option{
		{"framework", Frameworks, func(c *Config, v string) { c.Framework = v }},
		{"store", Stores, func(c *Config, v string) { c.Store = v }},
		{"transport", Transports, func(c *Config, v string) { c.Transport = v }},
		{"alg", Algorithms, func(c *Config, v string) { c.Alg = v }},
		{"revocation", Revocations, func(c *Config, v string) { c.Revocation = v }},
		{"providers", providers, func(c *Config, v string) {
			if v == "all" {
				c.Providers = all
			}
		}},
	}
}

// pairwise returns configurations in which every pair of values of any two
// options occurs at least once (a greedy all-pairs cover): far fewer than
// every combination, and the interactions between two options are where
// templates clash.
func pairwise(opts []option) [][]int {
	type pair struct{ a, va, b, vb int }
	uncovered := map[pair]bool{}
	for a := range opts {
		for b := a + 1; b < len(opts); b++ {
			for va := range opts[a].values {
				for vb := range opts[b].values {
					uncovered[pair{a, va, b, vb}] = true
				}
			}
		}
	}
	var rows [][]int
	for len(uncovered) > 0 {
		// Start from an uncovered pair, then fill the other options with
		// the value that covers the most remaining pairs.
		var seed pair
		for p := range uncovered {
			if seed == (pair{}) || fmt.Sprint(p) < fmt.Sprint(seed) {
				seed = p
			}
		}
		row := make([]int, len(opts))
		fixed := make([]bool, len(opts))
		row[seed.a], row[seed.b] = seed.va, seed.vb
		fixed[seed.a], fixed[seed.b] = true, true
		for o := range opts {
			if fixed[o] {
				continue
			}
			best, bestGain := 0, -1
			for v := range opts[o].values {
				gain := 0
				for other := range opts {
					if !fixed[other] || other == o {
						continue
					}
					a, va, b, vb := o, v, other, row[other]
					if a > b {
						a, va, b, vb = b, vb, a, va
					}
					if uncovered[pair{a, va, b, vb}] {
						gain++
					}
				}
				if gain > bestGain {
					best, bestGain = v, gain
				}
			}
			row[o], fixed[o] = best, true
		}
		for a := range opts {
			for b := a + 1; b < len(opts); b++ {
				delete(uncovered, pair{a, row[a], b, row[b]})
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// TestCombinationsVet renders an all-pairs cover of the option space into
// one module and runs go vet over it, which type-checks every package and
// its tests: the golden cases show a few combinations in full, this shows
// that no two options clash.
func TestCombinationsVet(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not type-checking option combinations")
	}
	opts := options()
	rows := pairwise(opts)
	dir := t.TempDir()
	gomod, err := os.ReadFile("../golden/go.mod")
	if err != nil {
		t.Fatal(err)
	}
	gosum, err := os.ReadFile("../golden/go.sum")
	if err != nil {
		t.Fatal(err)
	}
	const module = "example.com/combinations"
	gomod = regexp.MustCompile(`(?m)^module .*$`).ReplaceAll(gomod, []byte("module "+module))
	write := func(name string, b []byte) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", gomod)
	write("go.sum", gosum)
	describe := map[string]string{}
	for i, row := range rows {
		c := Defaults()
		c.Module = module
		c.Out = fmt.Sprintf("c%02d/auth", i)
		var desc []string
		for o, v := range row {
			opts[o].set(&c, opts[o].values[v])
			desc = append(desc, opts[o].name+"="+opts[o].values[v])
		}
		describe[c.Out] = strings.Join(desc, " ")
		files, err := Render(c)
		if err != nil {
			t.Fatalf("%s: %v", describe[c.Out], err)
		}
		for _, f := range files {
			write(f.Path, f.Content)
		}
	}
	t.Logf("%d configurations cover every pair of option values", len(rows))
	for _, args := range [][]string{{"mod", "tidy"}, {"vet", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			var legend strings.Builder
			for _, pkg := range slices.Sorted(maps.Keys(describe)) {
				fmt.Fprintf(&legend, "  %s: %s\n", pkg, describe[pkg])
			}
			t.Fatalf("go %s: %v\n%s\nwhere\n%s", strings.Join(args, " "), err, out.String(), legend.String())
		}
	}
}
