package generator

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"golang.org/x/tools/imports"
)

func TestFormatGoFixesImportsLikeGoimports(t *testing.T) {
	tests := []struct {
		name, src  string
		fast       bool
		want, lose string
	}{
		{"complete imports are only formatted", "package a\nimport (\"fmt\"\n\"strings\")\nfunc F() string { return fmt.Sprint(strings.ToUpper(\"x\")) }\n", true, "\"strings\"", ""},
		{"unused import is removed", "package a\nimport (\"fmt\"\n\"strings\")\nfunc F() string { return fmt.Sprint(1) }\n", false, "\"fmt\"", "strings"},
		{"unused imports in groups are removed", "package a\n\nimport (\n\t\"fmt\"\n\t\"net/netip\"\n\n\t\"github.com/golang-jwt/jwt/v5\"\n\t\"golang.org/x/crypto/argon2\"\n)\n\nvar _ = fmt.Sprint\nvar _ = argon2.IDKey\n", false, "argon2", "netip"},
		{"versioned path is named by its last element", "package a\nimport \"math/rand/v2\"\nfunc F() int { return rand.IntN(3) }\n", true, "math/rand/v2", ""},
		{"local variable shadows nothing", "package a\nimport \"fmt\"\nfunc F() { fmt := struct{ X int }{}; _ = fmt.X }\n", false, "", ""},
		{"blank import is kept", "package a\nimport _ \"embed\"\n", true, "_ \"embed\"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := importsComplete("a.go", []byte(tt.src), nil); got != tt.fast {
				t.Errorf("importsComplete = %v, want %v", got, tt.fast)
			}
			got, err := formatGo("a.go", []byte(tt.src), nil)
			if err != nil {
				t.Fatal(err)
			}
			full, err := imports.Process("a.go", []byte(tt.src), nil)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, full) {
				t.Errorf("formatGo differs from goimports:\n%s\nvs\n%s", got, full)
			}
			if tt.want != "" && !strings.Contains(string(got), tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, got)
			}
			if tt.lose != "" && strings.Contains(string(got), tt.lose) {
				t.Errorf("output still has %q:\n%s", tt.lose, got)
			}
		})
	}
}

// TestFormatGoMatchesGoimportsOnEveryTemplate formats the raw template
// output of the largest configuration both ways and compares the bytes.
// goimports runs from the package directory, where the sibling files are,
// so that it resolves their names as it would in a real project.
func TestFormatGoMatchesGoimportsOnEveryTemplate(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs goimports on every rendered file")
	}
	d := newData(largestConfig(t))
	entries, err := selectPlan(plan, d)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := renderPlan(entries, d)
	if err != nil {
		t.Fatal(err)
	}
	scopes := packageScopes(rs)
	fast, total := 0, 0
	for _, r := range rs {
		if !strings.HasSuffix(r.path, ".go") {
			continue
		}
		total++
		got, err := formatGo(r.path, r.raw, scopes[scopeKey(r.path)])
		if err != nil {
			t.Fatalf("%s: %v", r.path, err)
		}
		want, err := imports.Process(r.path, r.raw, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: formatGo differs from goimports", r.path)
		}
		if _, missing := checkImports(mustParse(t, r.path, r.raw), scopes[scopeKey(r.path)]); missing == "" {
			fast++
		}
	}
	t.Logf("%d of %d Go files formatted", fast, total)
}

// TestFormatGoRefusesAMissingImport: goimports would look for the package
// in the module cache, and on a machine where it is not yet downloaded
// write the file without it, so a template that leaves an import to
// goimports is a generator bug whatever machine the tests run on.
func TestFormatGoRefusesAMissingImport(t *testing.T) {
	e := entry{Template: "core/lazy.go.tmpl", Output: "$OUT/lazy.go", Owner: generated}
	raw := []byte(header + "\n\npackage auth\n\nimport \"fmt\"\n\nfunc F() string { return fmt.Sprint(strings.ToUpper(\"x\")) }\n")
	_, err := formatFiles([]rendered{{entry: e, path: "internal/auth/lazy.go", raw: raw}})
	if err == nil || !strings.Contains(err.Error(), "template core/lazy.go.tmpl") || !strings.Contains(err.Error(), "strings.ToUpper without importing") {
		t.Fatalf("a missing import was not reported with the template and the name: %v", err)
	}
	for _, src := range []string{
		"package a\nimport . \"strings\"\nvar _ = ToUpper\n",
		"package a\nimport (\"crypto/rand\"\n\"math/rand\")\nvar _ = rand.Reader\n",
	} {
		if _, err := formatGo("a.go", []byte(src), nil); err == nil {
			t.Errorf("formatGo accepted imports it cannot check:\n%s", src)
		}
	}
}

// importsComplete reports whether src's imports are exactly what goimports
// would leave: each one used, none missing.
func importsComplete(name string, src []byte, scope map[string]bool) bool {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ParseComments)
	if err != nil {
		return false
	}
	unused, missing := checkImports(f, scope)
	return missing == "" && len(unused) == 0
}

func mustParse(t *testing.T, name string, src []byte) *ast.File {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestInvalidGoNamesTheTemplateAndLine(t *testing.T) {
	e := entry{Template: "core/broken.go.tmpl", Output: "$OUT/broken.go", Owner: generated}
	raw := []byte(header + "\n\npackage auth\n\nfunc F() {\n\treturn 1 +\n}\n")
	_, err := formatFiles([]rendered{{entry: e, path: "internal/auth/broken.go", raw: raw}})
	if err == nil {
		t.Fatal("invalid Go was accepted")
	}
	msg := err.Error()
	// The error is at the closing brace, line 5 of the template's output
	// (the header's two lines are not counted).
	for _, want := range []string{"template core/broken.go.tmpl yields invalid Go", "output line 5:", ">    5 | }", "     4 | \treturn 1 +"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not contain %q:\n%s", want, msg)
		}
	}
}
