package generator

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/imports"
)

// formatGo is goimports (imports.Process) on one rendered file.
//
// imports.Process starts `go env` on every call, and for a name it cannot
// resolve it searches the module cache, which is slow and makes the output
// depend on the machine. Rendered files are mostly complete, so formatGo
// does what goimports would do itself when it can: it removes unused
// imports (as goimports does, with astutil) and formats with FormatOnly,
// which gives the same bytes. Only a file that uses a package it does not
// import takes the full goimports path. scope holds the package-level
// names the package's other files declare, so that a reference to one is
// not taken for a missing import.
func formatGo(name string, src []byte, scope map[string]bool) ([]byte, error) {
	opts := &imports.Options{Comments: true, TabIndent: true, TabWidth: 8, FormatOnly: true}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return imports.Process(name, src, opts) // reports the syntax error
	}
	unused, complete := checkImports(f, scope)
	if !complete {
		opts.FormatOnly = false
		return imports.Process(name, src, opts)
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

// importsComplete reports whether src's imports are exactly what goimports
// would leave: each one used, none missing.
func importsComplete(name string, src []byte, scope map[string]bool) bool {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ParseComments)
	if err != nil {
		return false
	}
	unused, complete := checkImports(f, scope)
	return complete && len(unused) == 0
}

// checkImports returns the imports f does not use, and whether every
// package-qualified name in f refers to an import (or to a name in scope).
// It errs towards incomplete when unsure (dot imports, duplicate names).
func checkImports(f *ast.File, scope map[string]bool) (unused []importSpec, complete bool) {
	used := map[string]bool{}
	specs := map[string]importSpec{}
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			return nil, false
		}
		local, explicit := assumedName(p), ""
		if imp.Name != nil {
			local, explicit = imp.Name.Name, imp.Name.Name
		}
		switch local {
		case "_":
			continue
		case ".":
			return nil, false
		}
		if _, dup := used[local]; dup {
			return nil, false
		}
		used[local] = false
		specs[local] = importSpec{explicit, p}
	}
	complete = true
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
		} else if !scope[id.Name] {
			complete = false
		}
		return true
	})
	for local, u := range used {
		if !u {
			unused = append(unused, specs[local])
		}
	}
	slices.SortFunc(unused, func(a, b importSpec) int { return strings.Compare(a.path, b.path) })
	return unused, complete
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
