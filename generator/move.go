package generator

import (
	"bytes"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// previousOut returns the package directory of the last write, read from the
// manifest ("" when it records none).
func previousOut(last manifest) string {
	for _, base := range []string{"generate_test.go", "generate.go", "doc.go"} {
		for _, p := range last.Paths() {
			if path.Base(p) == base {
				return path.Dir(p)
			}
		}
	}
	return ""
}

// planMoves handles a change of `out:`. The user's hook files (the
// scaffolded files of the package) follow the package to its new
// directory instead of being written afresh, and the user's Go files that
// import the package get the new import path (under the old package name,
// so their code reads the same). A Go file jwtgen did not write in the old
// directory would be stranded without the package around it: that is
// refused, naming the files.
func planMoves(root string, cfg Config, files []file, last manifest, changes []fileChange) ([]fileChange, error) {
	oldOut := previousOut(last)
	if oldOut == "" || oldOut == cfg.Out {
		return changes, nil
	}
	movedFrom := map[string]bool{}
	for i, c := range changes {
		if c.Owner != scaffolded || c.Action != actCreate || !strings.HasPrefix(c.Path, cfg.Out+"/") {
			continue
		}
		from := oldOut + "/" + strings.TrimPrefix(c.Path, cfg.Out+"/")
		old, err := readExisting(root, from)
		if err != nil {
			return nil, err
		}
		if old == nil {
			continue
		}
		moved := renamePackage(old, path.Base(cfg.Out))
		note := "your hook file moves with the package"
		if !bytes.Equal(moved, old) {
			note += ", its package clause renamed to " + path.Base(cfg.Out)
		}
		changes[i] = fileChange{Path: c.Path, From: from, Action: actMove, Owner: scaffolded, Old: old, New: moved, Note: note}
		movedFrom[from] = true
	}

	// Whatever else is left in the old directory would be stranded.
	entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(oldOut)))
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	var stranded []string
	for _, e := range entries {
		p := oldOut + "/" + e.Name()
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || movedFrom[p] || last.Has(p) {
			continue
		}
		stranded = append(stranded, p)
	}
	oldName, newName := path.Base(oldOut), path.Base(cfg.Out)
	if len(stranded) > 0 {
		rename := ""
		if oldName != newName {
			rename = " with their package clause changed to `package " + newName + "`"
		}
		return nil, fmt.Errorf("out: moves the package from %s to %s, but %s also holds Go files jwtgen did not write: %s. Move them to %s yourself%s (or set out: back to %s), then run generate again; nothing was changed",
			oldOut, cfg.Out, oldOut, strings.Join(stranded, ", "), cfg.Out, rename, oldOut)
	}

	// The user's Go files already in the new directory join the package:
	// one that declares another package would leave it uncompilable.
	entries, err = os.ReadDir(filepath.Join(root, filepath.FromSlash(cfg.Out)))
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	var foreign []string
	for _, e := range entries {
		p := cfg.Out + "/" + e.Name()
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || last.Has(p) {
			continue
		}
		src, err := readExisting(root, p)
		if err != nil {
			return nil, err
		}
		if name := packageName(src); name != "" && name != newName && name != newName+"_test" {
			foreign = append(foreign, p+" (package "+name+")")
		}
	}
	if len(foreign) > 0 {
		return nil, fmt.Errorf("out: moves the package to %s, where it is package %s, but Go files of yours there declare another package: %s. Change their package clause to `package %s` (or move them elsewhere), then run generate again; nothing was changed",
			cfg.Out, newName, strings.Join(foreign, ", "), newName)
	}

	// The user's importers of the old package path.
	skip := map[string]bool{}
	for _, f := range files {
		if f.Owner == generated {
			skip[f.Path] = true
		}
	}
	for _, p := range last.Paths() {
		skip[p] = true
	}
	for p := range movedFrom {
		skip[p] = true
	}
	oldPath, newPath := path.Join(cfg.Module, oldOut), path.Join(cfg.Module, cfg.Out)
	users, err := importersOf(root, skip, oldPath)
	if err != nil {
		return nil, err
	}
	for _, rel := range users {
		old, err := readExisting(root, rel)
		if err != nil {
			return nil, err
		}
		updated, err := rewriteImport(old, oldPath, newPath, oldName, newName)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		c := fileChange{Path: rel, Action: actUpdate, Owner: scaffolded, Old: old, New: updated,
			Note: "imports the package from " + cfg.Out + " now"}
		if i := slices.IndexFunc(changes, func(c fileChange) bool { return c.Path == rel }); i >= 0 {
			changes[i] = c
		} else {
			changes = append(changes, c)
		}
	}
	slices.SortFunc(changes, func(a, b fileChange) int { return strings.Compare(a.Path, b.Path) })
	return changes, nil
}

// renamePackage sets the package clause of a Go file to name.
func renamePackage(src []byte, name string) []byte {
	fset := token.NewFileSet()
	af, err := parser.ParseFile(fset, "", src, parser.PackageClauseOnly)
	if err != nil || af.Name.Name == name {
		return src
	}
	start := fset.Position(af.Name.Pos()).Offset
	end := fset.Position(af.Name.End()).Offset
	return slices.Concat(src[:start], []byte(name), src[end:])
}

// packageName returns the package clause of a Go file ("" when it does not
// parse).
func packageName(src []byte) string {
	af, err := parser.ParseFile(token.NewFileSet(), "", src, parser.PackageClauseOnly)
	if err != nil {
		return ""
	}
	return af.Name.Name
}

// importersOf lists the Go files under root (outside skip) that import pkg.
func importersOf(root string, skip map[string]bool, pkg string) ([]string, error) {
	var out []string
	err := walkImports(root, skip, func(rel string, paths []string) {
		if slices.Contains(paths, pkg) {
			out = append(out, rel)
		}
	})
	return out, err
}

// walkImports calls fn with the import paths of every Go file under root
// (as walkGo finds them) that is not in skip. A file that does not parse
// is passed over: not Go the compiler would accept either, not ours to
// judge.
func walkImports(root string, skip map[string]bool, fn func(rel string, paths []string)) error {
	fset := token.NewFileSet()
	return walkGo(root, func(rel string, src []byte) {
		if skip[rel] {
			return
		}
		af, err := parser.ParseFile(fset, rel, src, parser.ImportsOnly)
		if err != nil {
			return
		}
		var paths []string
		for _, imp := range af.Imports {
			if s, err := strconv.Unquote(imp.Path.Value); err == nil {
				paths = append(paths, s)
			}
		}
		fn(rel, paths)
	})
}

// rewriteImport replaces the import of oldPath by newPath in src. When the
// package name changes, the import gets the old name, so the file's uses
// of the package stay valid.
func rewriteImport(src []byte, oldPath, newPath, oldName, newName string) ([]byte, error) {
	fset := token.NewFileSet()
	af, err := parser.ParseFile(fset, "", src, parser.ImportsOnly)
	if err != nil {
		return nil, err
	}
	for _, imp := range af.Imports {
		if s, _ := strconv.Unquote(imp.Path.Value); s != oldPath {
			continue
		}
		start := fset.Position(imp.Path.Pos()).Offset
		end := fset.Position(imp.Path.End()).Offset
		lit := strconv.Quote(newPath)
		if imp.Name == nil && oldName != newName {
			lit = oldName + " " + lit
		}
		var b bytes.Buffer
		b.Write(src[:start])
		b.WriteString(lit)
		b.Write(src[end:])
		return b.Bytes(), nil
	}
	return src, nil
}

// walkGo calls fn with every Go file of the module at root (slash path
// relative to root), leaving out what the go command leaves out: nested
// modules, vendor, testdata, and names starting with . or _.
func walkGo(root string, fn func(rel string, src []byte)) error {
	return filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p == root {
				return nil
			}
			name := d.Name()
			if name == "vendor" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		fn(filepath.ToSlash(rel), src)
		return nil
	})
}

// previousFramework reads the framework of the last write from the
// manifest: the one whose adapter file it recorded, else the default (the
// one without an adapter).
func previousFramework(last manifest, out string) string {
	o := optionByKey("framework")
	for _, v := range o.values {
		if f := v.adapterFile(); f != "" && last.Has(path.Join(out, f)) {
			return v.name
		}
	}
	return o.def
}

// announce tells what a regeneration cannot do for the user's own files:
// after a framework switch, the files that wire the old framework's
// adapter, with the edit to make.
func announce(w io.Writer, root string, cfg Config, last manifest, changes []fileChange) {
	announceDemoHandler(w, root, cfg, changes)
	oldOut := previousOut(last)
	if oldOut == "" {
		return
	}
	oldFw := previousFramework(last, oldOut)
	if oldFw == cfg.Framework {
		return
	}
	pkg := path.Join(cfg.Module, cfg.Out)
	skip := map[string]bool{}
	for _, c := range changes {
		if c.Owner == generated {
			skip[c.Path] = true
		}
	}
	users, err := importersOf(root, skip, pkg)
	if err != nil || len(users) == 0 {
		return
	}
	fmt.Fprintf(w, "\njwtgen: the framework changed from %s to %s. These files of yours use the package and may still wire %s: %s.\n", oldFw, cfg.Framework, oldFw, strings.Join(users, ", "))
	fmt.Fprintf(w, "The edit to make, in each:\n%s", frameworkEdit(oldFw, cfg.Framework, path.Base(cfg.Out)))
	if slices.Contains(users, "main.go") && cfg.Example {
		fmt.Fprintf(w, "main.go is the example server: `jwtgen init` in an empty directory with --framework %s writes the new one, or replace its router part by hand as above.\n", cfg.Framework)
	}
}

// frameworkEdit describes how the wiring of the package changes from one
// framework's adapter to another's.
func frameworkEdit(from, to, pkg string) string {
	use := func(name string) string {
		v, _ := optionByKey("framework").value(name)
		return strings.ReplaceAll(v.use, "$PKG", pkg)
	}
	return fmt.Sprintf("  before (%s): %s\n  after  (%s): %s\n  (docs/wiring.md in jwtgen's repository has a complete example per framework)\n", from, use(from), to, use(to))
}

// announceDemoHandler names the user's files that still call the
// package's DemoHandler, as example servers written before the demo page
// left the package do: it now returns nil, so they build but serve no
// demo page until the call is replaced. Said on every run until it is.
func announceDemoHandler(w io.Writer, root string, cfg Config, changes []fileChange) {
	skip := map[string]bool{}
	for _, c := range changes {
		if c.Owner == generated {
			skip[c.Path] = true
		}
	}
	call := path.Base(cfg.Out) + ".DemoHandler()"
	var users []string
	_ = walkGo(root, func(rel string, src []byte) {
		if !skip[rel] && bytes.Contains(src, []byte(call)) {
			users = append(users, rel)
		}
	})
	if len(users) == 0 {
		return
	}
	verb := "calls"
	if len(users) > 1 {
		verb = "call"
	}
	fmt.Fprintf(w, "\njwtgen: %s %s %s, which no longer serves the demo page: the page moved out of the package into the example server, so production builds do not carry it.\n", strings.Join(users, ", "), verb, call)
	if cfg.Example {
		fmt.Fprintf(w, "The edit to make: replace %s with demoHandler(), generated in demo.go beside main.go.\n", call)
	} else {
		fmt.Fprintf(w, "The edit to make: remove the call; the page's files are in %s/web for a server of yours to embed (see docs/cookies.md).\n", cfg.Out)
	}
}
