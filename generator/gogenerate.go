package generator

import (
	"fmt"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// go generate lists a package's files before it runs any directive, then
// opens each one in turn: the package's sources and tests, then its external
// tests, each in name order (cmd/go/internal/generate). A file jwtgen deletes
// while go generate is running it, and that go generate has not opened yet,
// makes go generate exit 1 after jwtgen succeeded. jwtgen's own directive
// sits in the file read last ($OUT/generate_test.go), so this never happens
// with it; a project written by an older jwtgen has its directive in an
// earlier file. For those files the deletion waits one run: the file becomes
// a build-ignored stub, recorded in the manifest, which the next run deletes
// (go never lists a build-ignored file, so deleting it then is safe).

// goGenerateFile returns the absolute name of the file whose directive is
// running jwtgen, "" when go generate is not running it.
func goGenerateFile() string {
	f := os.Getenv("GOFILE")
	if f == "" || os.Getenv("GOPACKAGE") == "" {
		return ""
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	return filepath.Join(wd, f)
}

// deferDeletions turns each deletion of a Go file that go generate (running
// the directive in current) has yet to open into a stub. It returns the
// changes, changed in place.
func deferDeletions(root, current string, changes []fileChange) []fileChange {
	if current == "" {
		return changes
	}
	for i, c := range changes {
		if c.Action != actDelete || !strings.HasSuffix(c.Path, ".go") {
			continue
		}
		name := filepath.Join(root, filepath.FromSlash(c.Path))
		if !goWillOpen(current, name) {
			continue
		}
		changes[i].Action = actUpdate
		changes[i].New = stubFile(c.Old)
		changes[i].Stub = true
		changes[i].Note = "no longer generated: emptied, not deleted, because go generate still has it to read; the next run deletes it"
	}
	return changes
}

// goWillOpen reports whether go generate, running the directive in current,
// opens name later: a file of the same package after current in go
// generate's order, or a file of another package that go lists (whether its
// package comes before or after is not known, so it counts as later).
func goWillOpen(current, name string) bool {
	dir := filepath.Dir(name)
	if !sameDir(dir, filepath.Dir(current)) {
		ok, err := build.Default.MatchFile(dir, filepath.Base(name))
		return err != nil || ok
	}
	pkg, _ := build.Default.ImportDir(dir, 0) // partial lists on error are what go has too
	if pkg == nil {
		return true
	}
	order := slices.Concat(pkg.GoFiles, pkg.CgoFiles, pkg.TestGoFiles, pkg.XTestGoFiles)
	at := slices.Index(order, filepath.Base(current))
	i := slices.Index(order, filepath.Base(name))
	return i >= 0 && (at < 0 || i > at)
}

func sameDir(a, b string) bool {
	if a == b {
		return true
	}
	ra, err1 := filepath.EvalSymlinks(a)
	rb, err2 := filepath.EvalSymlinks(b)
	return err1 == nil && err2 == nil && ra == rb
}

// stubFile is what a Go file becomes while its deletion waits: the
// generated-code header, a constraint that keeps it out of every build and
// every go command's file list, and the package clause of old.
func stubFile(old []byte) []byte {
	pkg := "main"
	if f, err := parser.ParseFile(token.NewFileSet(), "", old, parser.PackageClauseOnly); err == nil {
		pkg = f.Name.Name
	}
	return fmt.Appendf(nil, `%s

//go:build ignore

// This file is no longer generated. It is empty instead of deleted because
// go generate still had it to read when jwtgen ran; the next go generate
// (or jwtgen generate) deletes it.

package %s
`, header, pkg)
}

// countStubs counts the deletions put off to the next run.
func countStubs(changes []fileChange) int {
	n := 0
	for _, c := range changes {
		if c.Stub {
			n++
		}
	}
	return n
}
