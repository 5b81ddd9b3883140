package generator

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOneDemoPassword: the README, the docs, init's hint and the example
// server's doc all use demoPassword, so commands copied from any of them
// work together; the README's steps are safe to paste together and name
// the field the access token is in.
func TestOneDemoPassword(t *testing.T) {
	re := regexp.MustCompile(`DEMO_PASSWORD=([^\s"']+)|"password":"([^"]+)"`)
	var files []string
	for _, root := range []string{"../README.md", "../docs", "../templates/_shared", "../templates/example", "../cmd/jwtgen/testdata/script/init_empty_dir.txtar"} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, p)
			}
			return nil
		})
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			pw := m[1] + m[2]
			if pw != demoPassword && pw != "{{demoPassword}}" && pw != "wrong-password" && !strings.HasPrefix(pw, "$") {
				t.Errorf("%s: demo password %q, want %q", f, pw, demoPassword)
			}
		}
	}
	readme, _ := os.ReadFile("../README.md")
	if !strings.Contains(string(readme), "(cd /tmp/jwtgen-demo && ") || !strings.Contains(string(readme), "the `access` field") {
		t.Error("README: step 1 must run the demo in a subshell and the login answer's `access` field must be named")
	}
}
