package generator

import (
	"bytes"
	"go/build"
	"os"
	"path/filepath"
	"testing"
)

// TestDeferDeletionsStubsWhatGoGenerateHasYetToOpen lays out a package as go
// generate sees it, with the directive in gen.go, and checks which
// deletions wait for the next run.
func TestDeferDeletionsStubsWhatGoGenerateHasYetToOpen(t *testing.T) {
	root := t.TempDir()
	pkg := filepath.Join(root, "internal", "auth")
	files := map[string]string{
		"internal/auth/a.go":        "package auth\n",                                   // read before gen.go: deleted
		"internal/auth/gen.go":      "package auth\n",                                   // the directive's file: deleted
		"internal/auth/z.go":        "package auth\n",                                   // after gen.go: stub
		"internal/auth/a_test.go":   "package auth\n",                                   // tests come after sources: stub
		"internal/auth/x_test.go":   "package auth_test\n",                              // external tests last: stub
		"internal/auth/old.go":      header + "\n\n//go:build ignore\n\npackage auth\n", // a stub of the last run: deleted
		"internal/auth/schema.sql":  "create table t ();\n",                             // not Go: deleted
		"internal/other/o.go":       "package other\n",                                  // another package go lists: stub
		"internal/other/o_linux.go": "//go:build ignore\n\npackage other\n",             // not listed: deleted
	}
	writeTree(t, root, files)
	var changes []fileChange
	for name, content := range files {
		changes = append(changes, fileChange{Path: name, Action: actDelete, Old: []byte(content)})
	}
	changes = deferDeletions(root, filepath.Join(pkg, "gen.go"), changes)
	want := map[string]bool{"internal/auth/z.go": true, "internal/auth/a_test.go": true, "internal/auth/x_test.go": true, "internal/other/o.go": true}
	for _, c := range changes {
		if c.Stub != want[c.Path] {
			t.Errorf("%s: stub = %v, want %v", c.Path, c.Stub, want[c.Path])
			continue
		}
		if !c.Stub {
			if c.Action != actDelete {
				t.Errorf("%s: action %s, want delete", c.Path, c.Action)
			}
			continue
		}
		if c.Action != actUpdate || !isGenerated(c.New) {
			t.Errorf("%s: action %s, content %q", c.Path, c.Action, c.New)
		}
		// The stub keeps the package clause and is never in a build, so the
		// next run may delete it even while go generate is running.
		p := filepath.Join(root, filepath.FromSlash(c.Path))
		if err := os.WriteFile(p, c.New, 0o644); err != nil {
			t.Fatal(err)
		}
		if ok, err := build.Default.MatchFile(filepath.Dir(p), filepath.Base(p)); ok || err != nil {
			t.Errorf("%s: the stub is in the build (%v, %v):\n%s", c.Path, ok, err, c.New)
		}
		wantPkg := []byte("\npackage auth\n")
		if c.Path == "internal/auth/x_test.go" {
			wantPkg = []byte("\npackage auth_test\n")
		} else if c.Path == "internal/other/o.go" {
			wantPkg = []byte("\npackage other\n")
		}
		if !bytes.Contains(c.New, wantPkg) {
			t.Errorf("%s: stub lost the package clause:\n%s", c.Path, c.New)
		}
	}
	// Outside go generate nothing waits.
	again := deferDeletions(root, "", []fileChange{{Path: "internal/auth/z.go", Action: actDelete, Old: []byte("package auth\n")}})
	if again[0].Stub || again[0].Action != actDelete {
		t.Errorf("outside go generate: %+v", again[0])
	}
}
