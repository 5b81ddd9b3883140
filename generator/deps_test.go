package generator

import (
	"os"
	"testing"

	"golang.org/x/mod/modfile"
)

// TestPinsAreTheGoldenRequirements keeps the one list of versions and the
// golden module, where they are tested, equal: every pin is a direct
// requirement of golden/go.mod at exactly that version (so a pin no
// template imports, which tidy drops, fails), and every direct requirement
// has a pin. go test ./generator -run TestGolden -update applies the pins.
func TestPinsAreTheGoldenRequirements(t *testing.T) {
	raw, err := os.ReadFile("../golden/go.mod")
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse("go.mod", raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	direct := map[string]string{}
	for _, r := range f.Require {
		if !r.Indirect {
			direct[r.Mod.Path] = r.Mod.Version
		}
	}
	for mod, pin := range PinnedModules {
		switch v, ok := direct[mod]; {
		case !ok:
			t.Errorf("%s is pinned at %s but no golden case imports it: drop the pin, or add a case", mod, pin)
		case v != pin:
			t.Errorf("%s is pinned at %s but golden/go.mod requires %s: raise the pin (tidy raised it) or rerun -update", mod, pin, v)
		}
	}
	for mod, v := range direct {
		if _, ok := PinnedModules[mod]; !ok {
			t.Errorf("golden/go.mod requires %s %s, which has no pin in PinnedModules", mod, v)
		}
	}
}
