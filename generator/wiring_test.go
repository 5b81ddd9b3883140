package generator

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// wiringDoc renders docs/wiring.md: the snippet init prints, per framework,
// for a module example.com/app with the package in internal/auth.
func wiringDoc() []byte {
	var b bytes.Buffer
	b.WriteString(`# Wiring the package into your server

` + "`jwtgen init`" + ` in an existing module ends by printing one of these, with your
module and package names, for the framework it detected. Each is a complete
main.go: open the store and build the Config (` + "`ConfigFromEnv`" + ` reads the
environment of the example server; fill in an ` + "`auth.Config`" + ` yourself to read
it from elsewhere), mount the endpoints, protect a route group and read the
signed-in user. jwtgen's test suite compiles every one of them.

There is no sign-up endpoint: create accounts with ` + "`cfg.Users.CreateUser`" + `
(an admin tool, a seed script, or your own handler). The endpoints are listed
in [api.md](api.md).

The snippets use only what stays the same across option changes, so they keep
compiling when jwtgen.yaml changes the algorithm, store, transport or
providers. A framework switch changes the adapter: see the snippet of the new
framework.
`)
	for _, fw := range optionByKey("framework").names() {
		cfg := Defaults()
		cfg.Module, cfg.Framework = "example.com/app", fw
		fmt.Fprintf(&b, "\n## %s\n\n```go\n%s```\n", frameworkName(fw), WiringSnippet(cfg))
	}
	return b.Bytes()
}

func TestWiringDocIsCurrent(t *testing.T) {
	want := wiringDoc()
	name := filepath.Join("..", "docs", "wiring.md")
	if *update {
		if err := os.WriteFile(name, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(name)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("docs/wiring.md is not what WiringSnippet renders (err %v): run go test ./generator -run TestWiringDocIsCurrent -update", err)
	}
}

// TestWiringSnippetsCompile renders the package for every framework into a
// scratch module, puts the framework's snippet beside it as a main
// package, and builds them all.
func TestWiringSnippetsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a scratch module with every framework")
	}
	dir := t.TempDir()
	gomod, err := os.ReadFile(filepath.Join("..", "golden", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	gomod = regexp.MustCompile(`(?m)^module .*$`).ReplaceAll(gomod, []byte("module example.com/wiring"))
	gosum, err := os.ReadFile(filepath.Join("..", "golden", "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{"go.mod": string(gomod), "go.sum": string(gosum)})
	for _, fw := range optionByKey("framework").names() {
		cfg := Defaults()
		cfg.Module, cfg.Framework, cfg.Out = "example.com/wiring", fw, "internal/"+fw+"auth"
		files, err := Render(cfg)
		if err != nil {
			t.Fatal(err)
		}
		tree := map[string]string{}
		for _, f := range files {
			tree[f.Path] = string(f.Content)
		}
		snippet := WiringSnippet(cfg)
		if !strings.Contains(snippet, `"example.com/wiring/internal/`+fw+`auth"`) {
			t.Errorf("%s snippet does not import the user's package:\n%s", fw, snippet)
		}
		tree["cmd/"+fw+"/main.go"] = snippet
		writeTree(t, dir, tree)
	}
	run(t, dir, "go", "build", "./cmd/...")
}
