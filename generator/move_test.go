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
