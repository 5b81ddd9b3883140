package generator

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/scanner"
	"go/token"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/imports"
)

// formatGo is goimports (imports.Process) on one rendered file, without
// goimports' search for missing imports.
//
// That search looks through the module cache, so its result depends on
// the machine: on a fresh one, where the project's modules are not yet
// downloaded, it finds nothing and the file is written without an import
// it needs. So every template imports what it uses, and a rendered file
// that uses a package it does not import is a generator bug, reported as
// one. formatGo removes unused imports (as goimports does, with astutil;
// templates import for every option and leave the unused ones to this)
// and formats with FormatOnly, which gives goimports' bytes. scope holds
// the package-level names the package's other files declare, so that a
// reference to one is not taken for a missing import.
func formatGo(name string, src []byte, scope map[string]bool) ([]byte, error) {
	opts := &imports.Options{Comments: true, TabIndent: true, TabWidth: 8, FormatOnly: true}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return imports.Process(name, src, opts) // reports the syntax error
	}
	unused, missing := checkImports(f, scope)
	if missing != "" {
		return nil, fmt.Errorf("uses %s without importing its package; import it in the template (the output must not depend on the module cache)", missing)
	}
	if len(unused) > 0 {
		for _, imp := range unused {
			astutil.DeleteNamedImport(fset, f, imp.name, imp.path)
		}
		var buf bytes.Buffer
		if err := printer.Fprint(&buf, fset, f); err != nil {
			return nil, err
		}
		src = buf.Bytes()
	}
	return imports.Process(name, src, opts)
}

type importSpec struct{ name, path string }

// checkImports returns the imports f does not use, and the first
// package-qualified name in f that refers to no import (nor to a name in
// scope), or "". Dot imports and two imports of one name are reported
// as missing names too: the file's names cannot be told apart.
func checkImports(f *ast.File, scope map[string]bool) (unused []importSpec, missing string) {
	used := map[string]bool{}
	specs := map[string]importSpec{}
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			return nil, imp.Path.Value
		}
		local, explicit := assumedName(p), ""
		if imp.Name != nil {
			local, explicit = imp.Name.Name, imp.Name.Name
		}
		switch local {
		case "_":
			continue
		case ".":
			return nil, "a dot import of " + p
		}
		if _, dup := used[local]; dup {
			return nil, "two imports named " + local
		}
		used[local] = false
		specs[local] = importSpec{explicit, p}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok || id.Obj != nil {
			return true
		}
		if _, isImport := used[id.Name]; isImport {
			used[id.Name] = true
		} else if !scope[id.Name] && missing == "" {
			missing = id.Name + "." + sel.Sel.Name
		}
		return true
	})
	for local, u := range used {
		if !u {
			unused = append(unused, specs[local])
		}
	}
	slices.SortFunc(unused, func(a, b importSpec) int { return strings.Compare(a.path, b.path) })
	return unused, missing
}

// assumedName is the package name goimports assumes for an import path
// without an explicit name (golang.org/x/tools ImportPathToAssumedName).
func assumedName(importPath string) string {
	base := path.Base(importPath)
	if strings.HasPrefix(base, "v") {
		if _, err := strconv.Atoi(base[1:]); err == nil {
			if dir := path.Dir(importPath); dir != "." {
				base = path.Base(dir)
			}
		}
	}
	base = strings.TrimPrefix(base, "go-")
	if i := strings.IndexFunc(base, func(r rune) bool {
		return !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r))
	}); i >= 0 {
		base = base[:i]
	}
	return base
}

// topLevelNames lists the package-level names a Go file declares (none if
// it does not parse).
func topLevelNames(name string, src []byte) []string {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	var names []string
	for _, decl := range f.Decls {
		switch decl := decl.(type) {
		case *ast.FuncDecl:
			if decl.Recv == nil {
				names = append(names, decl.Name.Name)
			}
		case *ast.GenDecl:
			for _, spec := range decl.Specs {
				switch spec := spec.(type) {
				case *ast.ValueSpec:
					for _, n := range spec.Names {
						names = append(names, n.Name)
					}
				case *ast.TypeSpec:
					names = append(names, spec.Name.Name)
				}
			}
		}
	}
	return names
}

// formatFiles formats the rendered Go files (formatGo) and returns every
// rendered file as it is written. imports.Process starts `go env` on every
// call; formatting the files concurrently overlaps those waits.
func formatFiles(rs []rendered) ([]file, error) {
	scopes := packageScopes(rs)
	files := make([]file, len(rs))
	errs := make([]error, len(rs))
	sem := make(chan struct{}, 4*runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, r := range rs {
		files[i] = file{Path: r.path, Owner: r.Owner, Content: r.raw}
		if !strings.HasSuffix(r.Template, ".go.tmpl") {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			files[i].Content, errs[i] = format(r, scopes[scopeKey(r.path)])
		}()
	}
	wg.Wait()
	// The first error in the plan's order, whatever the scheduling.
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// format runs formatGo on one rendered file; invalid Go is a generator
// bug, reported with the template's name, the line and the lines around it.
func format(r rendered, scope map[string]bool) ([]byte, error) {
	formatted, err := formatGo(r.path, r.raw, scope)
	if err != nil {
		return nil, fmt.Errorf("template %s yields invalid Go (generator bug): %s\n%s", r.Template, describeSyntaxError(err, r.Owner == generated), context(r.raw, err, r.Owner == generated))
	}
	return formatted, nil
}

// scopeKey names the package scope a Go file sees: its directory, and
// whether it is a test file (which also sees the test files' names).
func scopeKey(file string) string {
	return path.Dir(file) + "|" + strconv.FormatBool(strings.HasSuffix(file, "_test.go"))
}

// packageScopes collects, per directory, the package-level names the
// rendered Go files declare, so that formatting can tell a reference to a
// sibling file's name from a missing import.
func packageScopes(rs []rendered) map[string]map[string]bool {
	scopes := map[string]map[string]bool{}
	for _, r := range rs {
		if !strings.HasSuffix(r.path, ".go") {
			continue
		}
		names := topLevelNames(r.path, r.raw)
		keys := []string{path.Dir(r.path) + "|true"}
		if !strings.HasSuffix(r.path, "_test.go") {
			keys = append(keys, path.Dir(r.path)+"|false")
		}
		for _, k := range keys {
			if scopes[k] == nil {
				scopes[k] = map[string]bool{}
			}
			for _, n := range names {
				scopes[k][n] = true
			}
		}
	}
	return scopes
}

// describeSyntaxError rewrites positions to lines of the rendered template
// output (the generated header, when present, is two lines).
func describeSyntaxError(err error, headed bool) string {
	if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
		first := list[0]
		line := first.Pos.Line
		if headed {
			line -= 2
		}
		return fmt.Sprintf("output line %d: %s", line, first.Msg)
	}
	return err.Error()
}

// context shows the rendered lines around the first syntax error,
// numbered like describeSyntaxError numbers them.
func context(src []byte, err error, headed bool) string {
	list, ok := err.(scanner.ErrorList)
	if !ok || len(list) == 0 {
		return ""
	}
	offset := 0
	if headed {
		offset = 2
	}
	lines := strings.Split(string(src), "\n")
	n := list[0].Pos.Line
	var b strings.Builder
	for i := max(1+offset, n-3); i <= min(len(lines), n+3); i++ {
		marker := "  "
		if i == n {
			marker = "> "
		}
		fmt.Fprintf(&b, "%s%4d | %s\n", marker, i-offset, lines[i-1])
	}
	return b.String()
}
