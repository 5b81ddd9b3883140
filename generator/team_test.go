package generator

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRelativeReplaceSurvivesAMove wires `go tool jwtgen` to a checkout
// beside the module (as a teammate's clone or a submodule would hold it),
// moves both to another directory, and builds and regenerates there.
func TestRelativeReplaceSurvivesAMove(t *testing.T) {
	if testing.Short() {
		t.Skip("runs init with the go command")
	}
	checkout := checkoutDir(t)
	a := filepath.Join(t.TempDir(), "alice")
	if err := os.MkdirAll(a, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(checkout, filepath.Join(a, "jwtgen")); err != nil {
		t.Fatal(err)
	}
	cfg := Defaults()
	cfg.Module = "example.com/app"
	var out bytes.Buffer
	if err := Init(InitOptions{Dir: filepath.Join(a, "app"), Config: cfg, Yes: true, Source: filepath.Join(a, "jwtgen"), Stdout: &out, Stderr: &out}); err != nil {
		t.Fatalf("init: %v\n%s", err, out.String())
	}
	gomod, _ := os.ReadFile(filepath.Join(a, "app", "go.mod"))
	if !strings.Contains(string(gomod), "replace github.com/jwtgen/jwtgen => ../jwtgen\n") {
		t.Fatalf("go.mod has no relative replace:\n%s", gomod)
	}
	b := filepath.Join(t.TempDir(), "bob", "src")
	if err := os.MkdirAll(filepath.Dir(b), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(a, b); err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(b, "app")
	run(t, app, "go", "list", "-m", "all")
	run(t, app, "go", "build", "./...")
	gen := run(t, app, "go", "generate", "./...")
	if !strings.Contains(gen, " 0 written, 0 deleted") {
		t.Errorf("go generate after the move changed files:\n%s", gen)
	}
}
