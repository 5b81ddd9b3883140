package generator

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/tools/imports"
)

// formatGo is goimports (imports.Process) on one rendered file.
//
// imports.Process starts `go env` on every call to locate packages, even
// when the imports need no fixing, which costs milliseconds per file. When
// every import is used and every package-qualified name refers to an
// import, goimports would change nothing but the layout, so the file is
// only formatted (FormatOnly gives byte-identical output in that case).
// Anything else takes the full goimports path.
func formatGo(name string, src []byte) ([]byte, error) {
	if importsComplete(name, src) {
		return imports.Process(name, src, &imports.Options{Comments: true, TabIndent: true, TabWidth: 8, FormatOnly: true})
	}
	return imports.Process(name, src, &imports.Options{Comments: true, TabIndent: true, TabWidth: 8})
}

// importsComplete reports whether src's imports are certainly what
// goimports would leave: each one used, none missing. It errs towards
// false (the full path) when unsure.
func importsComplete(name string, src []byte) bool {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return false // let goimports report the error
	}
	used := map[string]bool{}
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			return false
		}
		local := assumedName(p)
		if imp.Name != nil {
			local = imp.Name.Name
		}
		switch local {
		case "_":
			continue
		case ".":
			return false
		}
		if _, dup := used[local]; dup {
			return false
		}
		used[local] = false
	}
	complete := true
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
		} else {
			// An unresolved qualifier: a missing import, or a
			// package-level name from another file. goimports decides.
			complete = false
		}
		return true
	})
	for _, u := range used {
		if !u {
			return false
		}
	}
	return complete
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
