package generator

import (
	"strings"
	"testing"
)

// TestFrameworkSwitchIsReadFromTheManifest checks what a regeneration
// after a framework switch tells the user, derived from the registry: the
// previous framework is the one whose adapter file the last write
// recorded, and the edit names both frameworks' wiring with the package's
// name.
func TestFrameworkSwitchIsReadFromTheManifest(t *testing.T) {
	for _, v := range optionByKey("framework").values {
		var files []file
		if f := v.adapterFile(); f != "" {
			files = append(files, file{Path: "internal/auth/" + f, Owner: generated})
		}
		files = append(files, file{Path: "internal/auth/auth.go", Owner: generated})
		if got := previousFramework(newManifest(files), "internal/auth"); got != v.name {
			t.Errorf("manifest of a %s package: previous framework %q", v.name, got)
		}
	}
	edit := frameworkEdit("gin", "nethttp", "authn")
	for _, want := range []string{"before (gin): a.Mount(engine); group.Use(a.RequireGin()); authn.GinUserID(c)", "after  (nethttp): mux.Handle(\"/\", a.Handler())", "authn.UserID(r.Context())"} {
		if !strings.Contains(edit, want) {
			t.Errorf("frameworkEdit lacks %q:\n%s", want, edit)
		}
	}
	if strings.Contains(edit, "$PKG") {
		t.Errorf("frameworkEdit left a placeholder:\n%s", edit)
	}
}

// TestProjectImportsReadTheUsersFiles checks the walk that both the go.mod
// stage (which modules the user's own code imports) and the framework
// switch message (which files use the package) rest on: files in skip,
// testdata and files that do not parse are passed over.
func TestProjectImportsReadTheUsersFiles(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"main.go":                  "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/app/internal/auth\"\n)\n",
		"cmd/tool/main.go":         "package main\n\nimport \"github.com/spf13/cobra\"\n",
		"internal/auth/auth.go":    "package auth\n\nimport \"github.com/golang-jwt/jwt/v5\"\n",
		"testdata/x.go":            "package x\n\nimport \"example.com/app/internal/auth\"\n",
		"broken.go":                "package main\n\nimport \"example.com/app/internal/auth\n",
		"internal/other/notgo.txt": "import \"example.com/app/internal/auth\"\n",
	})
	skip := map[string]bool{"internal/auth/auth.go": true}
	imports, err := projectImports(dir, skip)
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{"fmt": true, "example.com/app/internal/auth": true, "github.com/spf13/cobra": true, "github.com/golang-jwt/jwt/v5": false} {
		if imports[p] != want {
			t.Errorf("projectImports: %s = %v, want %v (%v)", p, imports[p], want, imports)
		}
	}
	users, err := importersOf(dir, skip, "example.com/app/internal/auth")
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 1 || users[0] != "main.go" {
		t.Errorf("importersOf = %v, want [main.go]", users)
	}
}
