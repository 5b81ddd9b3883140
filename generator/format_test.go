package generator

import (
	"bytes"
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
		{"missing import is added", "package a\nfunc F() string { return strings.ToUpper(\"x\") }\n", false, "import \"strings\"", ""},
		{"versioned path is named by its last element", "package a\nimport \"math/rand/v2\"\nfunc F() int { return rand.IntN(3) }\n", true, "math/rand/v2", ""},
		{"local variable shadows nothing", "package a\nimport \"fmt\"\nfunc F() { fmt := struct{ X int }{}; _ = fmt.X }\n", false, "", ""},
		{"blank import is kept", "package a\nimport _ \"embed\"\n", true, "_ \"embed\"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := importsComplete("a.go", []byte(tt.src)); got != tt.fast {
				t.Errorf("importsComplete = %v, want %v", got, tt.fast)
			}
			got, err := formatGo("a.go", []byte(tt.src))
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

// TestFormatGoMatchesGoimportsOnEveryTemplate renders the largest
// configuration and checks each Go file against plain goimports.
func TestFormatGoMatchesGoimportsOnEveryTemplate(t *testing.T) {
	cfg := largestConfig(t)
	files, err := Render(cfg)
	if err != nil {
		t.Fatal(err)
	}
	fast := 0
	for _, f := range files {
		if !strings.HasSuffix(f.Path, ".go") {
			continue
		}
		full, err := imports.Process(f.Path, f.Content, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(full, f.Content) {
			t.Errorf("%s: rendered output is not what goimports makes of it", f.Path)
		}
		if importsComplete(f.Path, f.Content) {
			fast++
		}
	}
	t.Logf("%d of %d files formatted without the go command", fast, len(files))
}
