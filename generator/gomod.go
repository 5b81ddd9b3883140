package generator

import (
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// The module stage keeps go.mod in step with the rendered package: every
// module the package imports is required at least at jwtgen's pin (a newer
// version the project already has is kept), and a module jwtgen added is
// dropped once nothing in the project imports it any more.

// modPlan is what the module stage changes in go.mod.
type modPlan struct {
	Require []requirement // to add, or to raise to jwtgen's pin
	Drop    []string      // modules jwtgen added that nothing imports any more
	Managed []string      // the modules jwtgen has added, after this change
}

func (p modPlan) empty() bool { return len(p.Require) == 0 && len(p.Drop) == 0 }

// lines describes the plan for --check and --dry-run.
func (p modPlan) lines(gomod []byte) []string {
	have := requiredVersions(gomod)
	var out []string
	for _, r := range p.Require {
		if v, ok := have[r.Path]; ok {
			out = append(out, fmt.Sprintf("go.mod requires %s %s; the package needs %s", r.Path, v, r.Version))
		} else {
			out = append(out, fmt.Sprintf("go.mod lacks %s %s, which the package imports", r.Path, r.Version))
		}
	}
	for _, m := range p.Drop {
		out = append(out, fmt.Sprintf("go.mod still requires %s, which jwtgen added and nothing imports any more", m))
	}
	return out
}

func requiredVersions(gomod []byte) map[string]string {
	have := map[string]string{}
	f, err := modfile.ParseLax("go.mod", gomod, nil)
	if err != nil {
		return have
	}
	for _, r := range f.Require {
		have[r.Mod.Path] = r.Mod.Version
	}
	return have
}

// planModule compares go.mod with the requirements of the rendered files.
// managed lists the modules jwtgen added earlier (from the manifest);
// userImports are the import paths of every Go file of the project that
// jwtgen does not render.
func planModule(gomod []byte, files []file, module string, managed []string, userImports map[string]bool) (modPlan, error) {
	reqs, err := requirements(files, module)
	if err != nil {
		return modPlan{}, err
	}
	missing, err := missing(gomod, reqs)
	if err != nil {
		return modPlan{}, err
	}
	f, err := modfile.ParseLax("go.mod", gomod, nil)
	if err != nil {
		return modPlan{}, fmt.Errorf("parsing go.mod: %w", err)
	}
	needed := map[string]bool{}
	for _, r := range reqs {
		needed[r.Path] = true
	}
	plan := modPlan{Require: missing}
	keep := map[string]bool{}
	for _, m := range managed {
		keep[m] = true
	}
	have := map[string]bool{}
	for _, r := range f.Require {
		have[r.Mod.Path] = true
	}
	for _, r := range missing {
		if !have[r.Path] {
			keep[r.Path] = true
		}
	}
	for _, m := range slices.Sorted(mapKeys(keep)) {
		if needed[m] || !have[m] {
			continue
		}
		if importsModule(userImports, m) {
			continue
		}
		plan.Drop = append(plan.Drop, m)
		delete(keep, m)
	}
	for m := range keep {
		if have[m] || needed[m] {
			plan.Managed = append(plan.Managed, m)
		}
	}
	slices.Sort(plan.Managed)
	return plan, nil
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// importsModule reports whether an import path lies in module m.
func importsModule(imports map[string]bool, m string) bool {
	for p := range imports {
		if p == m || strings.HasPrefix(p, m+"/") {
			return true
		}
	}
	return false
}

// projectImports returns the imports of every Go file under root that is
// not in skip: the user's own code. Nested modules, vendor, testdata and
// directories starting with . or _ are left out, as the go command does.
func projectImports(root string, skip map[string]bool) (map[string]bool, error) {
	imports := map[string]bool{}
	err := walkImports(root, skip, func(_ string, paths []string) {
		for _, p := range paths {
			imports[p] = true
		}
	})
	return imports, err
}

// thirdPartyPackages returns the imported packages of files outside the
// standard library and the project's module, sorted.
func thirdPartyPackages(contents [][]byte, module string) []string {
	seen := map[string]bool{}
	fset := token.NewFileSet()
	for _, c := range contents {
		af, err := parser.ParseFile(fset, "", c, parser.ImportsOnly)
		if err != nil {
			continue
		}
		for _, imp := range af.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(p, "/")
			if !strings.Contains(first, ".") || p == module || strings.HasPrefix(p, module+"/") {
				continue
			}
			seen[p] = true
		}
	}
	return slices.Sorted(mapKeys(seen))
}

// applyModule carries out plan in go.mod and brings go.sum along. When the
// project was tidy before (tidy), go mod tidy finishes the job, so
// requirements only the dropped modules needed go too; otherwise only
// jwtgen's own requirements are fetched, and the rest of go.mod is left as
// the user keeps it. pkgs are the third-party packages the rendered files
// import.
func applyModule(root string, plan modPlan, pkgs []string, tidy bool) error {
	name := filepath.Join(root, "go.mod")
	data, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("reading go.mod: %w", err)
	}
	f, err := modfile.Parse(name, data, nil)
	if err != nil {
		return fmt.Errorf("parsing go.mod: %w", err)
	}
	var added []*modfile.Require
	for _, r := range plan.Require {
		if r.Version == "" {
			continue // no pin: go get or go mod tidy takes the latest
		}
		if slices.ContainsFunc(f.Require, func(have *modfile.Require) bool { return have.Mod.Path == r.Path }) {
			if err := f.AddRequire(r.Path, r.Version); err != nil {
				return fmt.Errorf("go.mod: require %s: %w", r, err)
			}
			continue
		}
		added = append(added, &modfile.Require{Mod: module.Version{Path: r.Path, Version: r.Version}})
	}
	if len(added) > 0 {
		// New direct requirements go into the block of direct ones, not
		// at the end of the indirect block, so the go.mod diff reads as
		// go mod tidy would write it.
		f.SetRequireSeparateIndirect(append(slices.Clone(f.Require), added...))
	}
	for _, m := range plan.Drop {
		if err := f.DropRequire(m); err != nil {
			return fmt.Errorf("go.mod: drop %s: %w", m, err)
		}
	}
	f.Cleanup()
	out, err := f.Format()
	if err != nil {
		return fmt.Errorf("formatting go.mod: %w", err)
	}
	if _, err := writeFileAtomic(name, out); err != nil {
		return err
	}
	if tidy {
		for _, r := range plan.Require {
			if r.Version == "" {
				// go mod tidy alone would take the latest anyway; get says so.
				if err := goCmd(root, "get", r.String()); err != nil {
					return err
				}
			}
		}
		return goCmd(root, "mod", "tidy")
	}
	if len(pkgs) == 0 {
		return nil
	}
	have := requiredVersions(out)
	args := []string{"get"}
	for _, p := range pkgs {
		mod := moduleOf(p, have)
		if v := have[mod]; mod != "" && v != "" {
			args = append(args, p+"@"+v)
		} else {
			args = append(args, p)
		}
	}
	if err := goCmd(root, args...); err != nil {
		return err
	}
	if f.Tool != nil && slices.ContainsFunc(f.Tool, func(t *modfile.Tool) bool { return t.Path == toolPath }) {
		// `go tool jwtgen` needs its requirements too. Loading it, rather
		// than go get toolPath@version, asks no module proxy about
		// toolPath itself: a proxy that answers 403 instead of 404 for
		// an unknown path (or GOPROXY=off) would fail go get for a
		// jwtgen that go.mod replaces with a checkout.
		return goCmd(root, "list", "-mod=mod", "-deps", toolPath)
	}
	return nil
}

// moduleOf returns the longest required module path that prefixes pkg.
func moduleOf(pkg string, have map[string]string) string {
	best := ""
	for m := range have {
		if (pkg == m || strings.HasPrefix(pkg, m+"/")) && len(m) > len(best) {
			best = m
		}
	}
	return best
}

// isTidy reports whether go mod tidy would leave go.mod and go.sum as they
// are.
func isTidy(root string) bool {
	cmd := exec.Command("go", "mod", "tidy", "-diff")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	return cmd.Run() == nil
}

// printModChanges writes one line per change between two versions of
// go.mod: requirements added, raised, lowered or dropped, and the go
// directive.
func printModChanges(w io.Writer, before, after []byte) {
	added, dropped := 0, 0
	for _, l := range modChanges(before, after) {
		switch {
		case strings.HasPrefix(l, "add ") && strings.HasSuffix(l, "// indirect"):
			added++
		case strings.HasPrefix(l, "drop ") && strings.HasSuffix(l, "// indirect"):
			dropped++
		default:
			fmt.Fprintf(w, "go.mod    %s\n", l)
		}
	}
	if added+dropped > 0 {
		fmt.Fprintf(w, "go.mod    %d indirect requirements added, %d dropped (what the modules above need)\n", added, dropped)
	}
}

func modChanges(before, after []byte) []string {
	parse := func(b []byte) (*modfile.File, map[string]*modfile.Require) {
		f, err := modfile.ParseLax("go.mod", b, nil)
		if err != nil || f == nil {
			return &modfile.File{}, map[string]*modfile.Require{}
		}
		m := map[string]*modfile.Require{}
		for _, r := range f.Require {
			m[r.Mod.Path] = r
		}
		return f, m
	}
	bf, bm := parse(before)
	af, am := parse(after)
	var lines []string
	if bv, av := goVersion(bf), goVersion(af); bv != av {
		why := "the generated package and its pinned dependencies need it"
		if bv == "" {
			why = "new module"
		} else if m := goVersionNeededBy(af, av); m != "" {
			why = m + " declares go " + av + ": a module's go line is at least its dependencies'"
		}
		lines = append(lines, fmt.Sprintf("go %s -> %s (%s)", orNone(bv), av, why))
	}
	indirect := func(r *modfile.Require) string {
		if r.Indirect {
			return " // indirect"
		}
		return ""
	}
	for _, p := range slices.Sorted(func(yield func(string) bool) {
		for k := range am {
			if !yield(k) {
				return
			}
		}
	}) {
		a := am[p]
		b, ok := bm[p]
		switch {
		case !ok:
			lines = append(lines, fmt.Sprintf("add       %s %s%s", p, a.Mod.Version, indirect(a)))
		case b.Mod.Version != a.Mod.Version:
			verb := "upgrade  "
			if semver.Compare(a.Mod.Version, b.Mod.Version) < 0 {
				verb = "downgrade"
			}
			lines = append(lines, fmt.Sprintf("%s %s %s -> %s%s", verb, p, b.Mod.Version, a.Mod.Version, indirect(a)))
		}
	}
	for _, p := range slices.Sorted(func(yield func(string) bool) {
		for k := range bm {
			if !yield(k) {
				return
			}
		}
	}) {
		if _, ok := am[p]; !ok {
			lines = append(lines, fmt.Sprintf("drop      %s %s%s", p, bm[p].Mod.Version, indirect(bm[p])))
		}
	}
	return lines
}

// goVersionNeededBy names a requirement of f whose own go.mod, in the
// module cache, declares go version v: why go.mod's directive is v now.
// Direct requirements are named first; "" when none is found.
func goVersionNeededBy(f *modfile.File, v string) string {
	cache := os.Getenv("GOMODCACHE")
	if cache == "" {
		out, err := exec.Command("go", "env", "GOMODCACHE").Output()
		if err != nil {
			return ""
		}
		cache = strings.TrimSpace(string(out))
	}
	reqs := slices.Clone(f.Require)
	slices.SortStableFunc(reqs, func(a, b *modfile.Require) int {
		if a.Indirect != b.Indirect {
			if a.Indirect {
				return 1
			}
			return -1
		}
		return strings.Compare(a.Mod.Path, b.Mod.Path)
	})
	for _, r := range reqs {
		p, err1 := module.EscapePath(r.Mod.Path)
		ver, err2 := module.EscapeVersion(r.Mod.Version)
		if err1 != nil || err2 != nil {
			continue
		}
		data, err := os.ReadFile(filepath.Join(cache, "cache", "download", filepath.FromSlash(p), "@v", ver+".mod"))
		if err != nil {
			continue
		}
		if mf, err := modfile.ParseLax("go.mod", data, nil); err == nil && goVersion(mf) == v {
			return r.Mod.Path + " " + r.Mod.Version
		}
	}
	return ""
}

func goVersion(f *modfile.File) string {
	if f.Go == nil {
		return ""
	}
	return f.Go.Version
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// managedFromGoMod is the fallback for a manifest written before jwtgen
// recorded the modules it added: every pinned module go.mod requires
// directly counts as jwtgen's. Only those nothing else imports are ever
// dropped, so a module the user's code imports is safe either way.
func managedFromGoMod(gomod []byte) []string {
	var out []string
	f, err := modfile.ParseLax("go.mod", gomod, nil)
	if err != nil {
		return nil
	}
	for _, r := range f.Require {
		if _, ok := pinnedModules[r.Mod.Path]; ok && !r.Indirect {
			out = append(out, r.Mod.Path)
		}
	}
	return out
}

// modStage is the module stage of one write: what changes in go.mod, and
// how go.sum is brought along.
type modStage struct {
	plan  modPlan
	pkgs  []string // third-party packages the rendered files import
	gomod []byte   // go.mod before
	run   bool     // something to do: requirements change or new packages are imported
	// tidy: go.mod was tidy before anything was written, so go mod tidy
	// may finish the job without touching anything of the user's.
	tidy bool
}

func planModStage(root, module string, files []file, changes []fileChange, last manifest, manifestRaw []byte) (*modStage, error) {
	gomod, err := readExisting(root, "go.mod")
	if err != nil {
		return nil, err
	}
	skip := map[string]bool{}
	for _, f := range files {
		skip[f.Path] = true
	}
	for _, p := range last.Paths() {
		skip[p] = true
	}
	userImports, err := projectImports(root, skip)
	if err != nil {
		return nil, fmt.Errorf("reading the project's imports: %w", err)
	}
	managed := manifestModules(manifestRaw)
	if len(managed) == 0 {
		managed = managedFromGoMod(gomod)
	}
	plan, err := planModule(gomod, files, module, managed, userImports)
	if err != nil {
		return nil, err
	}
	var now, before [][]byte
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".go") {
			now = append(now, f.Content)
		}
	}
	for _, c := range changes {
		if strings.HasSuffix(c.Path, ".go") && c.Old != nil {
			before = append(before, c.Old)
		}
	}
	pkgs := thirdPartyPackages(now, module)
	old := thirdPartyPackages(before, module)
	grew := slices.ContainsFunc(pkgs, func(p string) bool { _, found := slices.BinarySearch(old, p); return !found })
	return &modStage{plan: plan, pkgs: pkgs, gomod: gomod, run: !plan.empty() || grew}, nil
}
