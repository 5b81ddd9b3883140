package generator

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template"

	"github.com/jwtgen/jwtgen/keys"
	"github.com/jwtgen/jwtgen/templates"
)

// TestKeysCommandKnowsEveryAlgorithm: `jwtgen keys` keeps its own list of
// the algorithms a keyring can hold (the keys package does not depend on
// the generator); it must be the registry's, in the same order.
func TestKeysCommandKnowsEveryAlgorithm(t *testing.T) {
	if got := optionByKey("alg").names(); !slices.Equal(got, keys.Algorithms) {
		t.Fatalf("the alg option has %v, keys.Algorithms %v", got, keys.Algorithms)
	}
}

// TestRegistryValuesAreComplete checks what adding a value asks for: every
// plan row's template exists, the docs page exists, a provider's template
// contributes its part of OAuthFromEnv, and the modules it names are
// required by the golden module (where the pins live).
func TestRegistryValuesAreComplete(t *testing.T) {
	required := goldenRequirements(t)
	for _, o := range options {
		if o.values == nil && (o.validate == nil || o.pattern == "") {
			t.Errorf("option %s: free text needs validate and a schema pattern", o.key)
		}
		if o.values != nil && o.def != "" && !slices.Contains(o.names(), o.def) {
			t.Errorf("option %s: default %q is not an allowed value", o.key, o.def)
		}
		for _, v := range o.values {
			name := o.key + "=" + v.name
			if v.doc == "" {
				t.Errorf("%s: no description", name)
			}
			if _, err := os.Stat(filepath.Join("..", v.page)); v.page == "" || err != nil {
				t.Errorf("%s: docs page %q missing", name, v.page)
			}
			for _, e := range v.files {
				if _, err := fs.Stat(templates.FS, e.Template); err != nil {
					t.Errorf("%s: plan row template %s: %v", name, e.Template, err)
				}
			}
			for _, m := range v.modules {
				if _, ok := required[m]; !ok {
					t.Errorf("%s: module %s is not required by golden/go.mod", name, m)
				}
			}
			if o.key == "framework" {
				if _, err := fs.Stat(templates.FS, v.partsTemplate()); err != nil {
					t.Errorf("%s: its parts of the example servers, test servers and wiring snippet: %v", name, err)
				}
				if !strings.Contains(v.use, "$PKG") {
					t.Errorf("%s: no use line naming $PKG, shown after a framework switch", name)
				}
			}
			if o.key == "providers" {
				if len(v.files) == 0 {
					t.Errorf("%s: no template folder %s", name, providerDir(v.name))
				}
				src, err := fs.ReadFile(templates.FS, providerTemplate(v.name))
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				tmpl, err := template.New("").Funcs(funcs).Parse(string(src))
				if err != nil || tmpl.Lookup("env") == nil {
					t.Errorf("%s: %s does not define \"env\", its part of OAuthFromEnv (%v)", name, providerTemplate(v.name), err)
				}
			}
		}
	}
}

// TestFrameworkPartsAreComplete renders, for every framework, each file
// every framework shares with the framework's parts, with the options
// under which the file uses the most parts (second factors, the example
// server), so that a part a new framework's parts_<name>.tmpl lacks is
// named here ("no such template ...") rather than by some option set of
// the matrix.
func TestFrameworkPartsAreComplete(t *testing.T) {
	for _, v := range optionByKey("framework").values {
		for _, role := range []string{"server", "verifier"} {
			cfg := Defaults()
			cfg.Module, cfg.Framework, cfg.Role, cfg.Example = "example.com/app", v.name, role, true
			if role == "server" {
				cfg.Features = []string{"mfa"}
			}
			d := newData(cfg)
			set, err := loadTemplates(d)
			if err != nil {
				t.Fatal(err)
			}
			var entries []entry
			for _, e := range plan {
				if e.When(d) && (strings.HasPrefix(e.Template, "framework/") || strings.HasSuffix(e.Template, "/main.go.tmpl") || strings.HasSuffix(e.Template, "/testserver_test.go.tmpl")) {
					entries = append(entries, e)
				}
			}
			if len(entries) < 2 { // at least the test server and the example server
				t.Errorf("%s (%s): the plan has %d of the files every framework shares", v.name, role, len(entries))
			}
			if role == "server" {
				// The wiring snippet init prints is no plan row.
				entries = append(entries, entry{"framework/wiring.go.tmpl", "main.go", scaffolded, nil})
			}
			for _, e := range entries {
				if _, err := execute(set, e, d); err != nil {
					t.Errorf("%s (%s): %v", v.name, role, err)
				}
			}
		}
	}
}

// TestProviderFoldersAreRegistered checks the other direction: every
// folder under oauth/providers is a registered provider, so a folder is
// never left out of the plan, and its files are the provider's plan rows.
func TestProviderFoldersAreRegistered(t *testing.T) {
	dirs, err := fs.ReadDir(templates.FS, "oauth/providers")
	if err != nil {
		t.Fatal(err)
	}
	providers := optionByKey("providers")
	for _, d := range dirs {
		v, ok := providers.value(d.Name())
		if !d.IsDir() || !ok {
			t.Errorf("oauth/providers/%s is not a registered provider (add it to the providers option in options.go)", d.Name())
			continue
		}
		files, err := fs.ReadDir(templates.FS, providerDir(d.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != len(v.files) {
			t.Errorf("%s: %d files in its folder, %d plan rows", d.Name(), len(files), len(v.files))
		}
	}
	if len(dirs) != len(providers.values) {
		t.Errorf("%d provider folders, %d registered providers", len(dirs), len(providers.values))
	}
}

// TestRegisteredModulesAreImported checks the modules each value names
// against what its rendered code really imports.
func TestRegisteredModulesAreImported(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: renders a package per value")
	}
	for _, o := range options {
		for _, v := range o.values {
			if len(v.modules) == 0 {
				continue
			}
			cfg := Defaults()
			cfg.Module = "example.com/app"
			item := v.name
			if v.caps&capNamed != 0 {
				item = "corp=" + v.name
			}
			cfg.Set(o.key, item)
			reqs := renderedRequirements(t, cfg)
			for _, m := range v.modules {
				if !slices.ContainsFunc(reqs, func(r requirement) bool { return r.Path == m }) {
					t.Errorf("%s=%s names module %s, which its code does not import", o.key, v.name, m)
				}
			}
		}
	}
}

// optionLiteral finds a template action that compares with a string
// literal, e.g. {{if eq .Transport "cookie"}}: templates test capabilities
// ({{if .Cookie}}), so that adding a value never means editing templates
// that name other values.
var optionLiteral = regexp.MustCompile(`\{\{[^}]*\b(eq|ne)\b[^}]*"[^}]*\}\}`)

func TestTemplatesTestCapabilitiesNotValueNames(t *testing.T) {
	// Nor may an action name a value any other way ({{if hasProvider
	// "apple"}}, {{template "chi" .}}).
	var named []string
	for _, o := range options {
		for _, v := range o.values {
			named = append(named, `"`+v.name+`"`)
		}
	}
	action := regexp.MustCompile(`\{\{.*?\}\}`)
	err := fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".tmpl") {
			return err
		}
		src, err := fs.ReadFile(templates.FS, p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(src), "\n") {
			if m := optionLiteral.FindString(line); m != "" {
				t.Errorf("%s:%d: %s compares with a name; test a capability instead (see options.go)", p, i+1, m)
			}
			for _, a := range action.FindAllString(line, -1) {
				for _, n := range named {
					if strings.Contains(a, n) {
						t.Errorf("%s:%d: %s names the value %s; test a capability instead (see options.go)", p, i+1, a, n)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOptionLiteralCatchesNameComparisons(t *testing.T) {
	for _, bad := range []string{`{{if eq .Transport "cookie"}}`, `{{- else if eq .Type "google"}}`, `{{if and .Cookie (ne .Alg "HS256")}}`} {
		if !optionLiteral.MatchString(bad) {
			t.Errorf("%s not caught", bad)
		}
	}
	for _, good := range []string{`{{if .Cookie}}`, `{{quote .Name}}`, `{{- if not .Header}}`} {
		if optionLiteral.MatchString(good) {
			t.Errorf("%s caught", good)
		}
	}
}

// TestGoldenCasesUseEveryValue checks that every registered value appears
// in at least one golden case, whose generated tests run, and that every
// case takes the value an option fixes for them (tests: full).
func TestGoldenCasesUseEveryValue(t *testing.T) {
	used := map[string]bool{}
	for _, dir := range goldenCases(t) {
		cfg := goldenConfig(t, dir)
		for _, o := range options {
			for _, v := range o.get(&cfg) {
				used[o.key+"="+v] = true
			}
			// A verifier's jwtgen.yaml takes only the keys that mean
			// something for it (role.go).
			verifierOnly := cfg.Role == "verifier" && !slices.Contains(verifierKeys, o.key)
			if o.golden != "" && !verifierOnly && first(o.get(&cfg)) != o.golden {
				t.Errorf("%s: %s is %q; every golden case takes %s: %s", filepath.Base(dir), o.key, first(o.get(&cfg)), o.key, o.golden)
			}
		}
	}
	for _, o := range options {
		if o.golden != "" {
			continue
		}
		for _, v := range o.values {
			if !used[o.key+"="+v.name] {
				t.Errorf("%s=%s is in no golden case", o.key, v.name)
			}
		}
	}
}

// TestFlagsComeFromTheRegistry checks that every option has a flag whose
// help lists the allowed values, and that Set applies it.
func TestFlagsComeFromTheRegistry(t *testing.T) {
	flags := Flags()
	if len(flags) != len(options) {
		t.Fatalf("%d flags for %d options", len(flags), len(options))
	}
	for i, f := range flags {
		o := options[i]
		if f.Name != o.key || f.Default != o.def {
			t.Errorf("flag %+v for option %s", f, o.key)
		}
		if o.values != nil && !o.list && !strings.HasSuffix(f.Usage, strings.Join(o.names(), ", ")) {
			t.Errorf("--%s help %q does not list the allowed values", f.Name, f.Usage)
		}
	}
	var c Config
	c.Set("store", "postgres")
	c.Set("providers", "google,corp=oidc")
	if c.Store != "postgres" || len(c.Providers) != 2 || c.Providers[1] != (Provider{"corp", "oidc"}) {
		t.Errorf("Set gave %+v", c)
	}
}

// TestDefaultTestsBringNoTestOnlyModules checks that with tests: default
// the end-to-end test modules (chromedp, cdproto, mockoidc) stay out of the
// user's go.mod, even with cookies and every provider, and that tests: full
// brings them.
func TestDefaultTestsBringNoTestOnlyModules(t *testing.T) {
	endToEnd := []string{"github.com/chromedp/chromedp", "github.com/chromedp/cdproto", "github.com/oauth2-proxy/mockoidc"}
	for _, tests := range []string{"default", "full"} {
		cfg := Defaults()
		cfg.Module = "example.com/app"
		cfg.Set("transport", "cookie")
		cfg.Set("providers", strings.Join(allValues(optionByKey("providers")), ","))
		cfg.Set("tests", tests)
		reqs := renderedRequirements(t, cfg)
		for _, m := range endToEnd {
			has := slices.ContainsFunc(reqs, func(r requirement) bool { return r.Path == m })
			if has != (tests == "full") {
				t.Errorf("tests: %s: requires %s = %v", tests, m, has)
			}
		}
	}
}

// TestGoldenCasesRenderEveryTemplate checks that the committed golden cases
// together render every template of the plan (every framework's example
// server included), so each is seen in review and golden/go.mod requires
// every module a template imports.
func TestGoldenCasesRenderEveryTemplate(t *testing.T) {
	rendered := map[string]bool{}
	for _, dir := range goldenCases(t) {
		d := newData(goldenConfig(t, dir))
		for _, e := range plan {
			if e.When(d) {
				rendered[e.Template] = true
			}
		}
	}
	for _, e := range plan {
		if !rendered[e.Template] {
			t.Errorf("no committed golden case renders %s", e.Template)
		}
	}
}

// TestValueNamesLiveOnlyInTheRegistry checks that no code of jwtgen but
// the registry names a framework, store, algorithm or provider: a string
// literal equal to one (or quoting one, as a template's {{define "chi"}}
// would) anywhere else in generator/ or cmd/jwtgen is a list that adding a
// value would have to edit too.
func TestValueNamesLiveOnlyInTheRegistry(t *testing.T) {
	var names []string
	for _, key := range []string{"framework", "store", "alg", "providers"} {
		names = append(names, optionByKey(key).names()...)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	cmd, err := filepath.Glob("../cmd/jwtgen/*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range append(files, cmd...) {
		if strings.HasSuffix(name, "_test.go") || name == "options.go" {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			for _, v := range names {
				if s == v || strings.Contains(s, `"`+v+`"`) {
					t.Errorf("%s names the value %q: derive it from the registry (options.go)", fset.Position(lit.Pos()), v)
				}
			}
			return true
		})
	}
}
