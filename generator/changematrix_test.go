package generator

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// The change matrix proves that regeneration is a safe, boring operation:
// from a few start configurations, every change of one option is applied
// to jwtgen.yaml of a real module (its own copy: go.mod is part of what is
// tested) and regenerated through the real path, `go generate ./...` running
// the `go tool jwtgen` directive (go.mod replaces jwtgen with this
// checkout). The result must build and vet, and `generate --check` must be
// clean. A few transitions also run the generated tests against the real
// services. The build and module caches are shared by every copy.
var changeMatrix = flag.String("change-matrix", "ci",
	"change-matrix starts: ci (every change from the default start, the representative ones from a second), full (every golden case as a start, for release checks), off")

// changeStarts are the CI start configurations: the defaults, and one with
// every option away from its default.
func changeStarts(t *testing.T) map[string]Config {
	def := Defaults()
	far := Defaults()
	far.Framework, far.Store, far.Transport, far.Alg, far.Revocation = "chi", "postgres", "cookie", "ES256", "strict"
	far.Providers = []Provider{{Name: "github", Type: "github"}, {Name: "corp", Type: "oidc"}}
	far.Features = []string{"accounts", "mfa"}
	starts := map[string]Config{"default": def, "chi-postgres-cookie-es256-strict-oauth-accounts-mfa": far}
	if *changeMatrix != "full" {
		return starts
	}
	starts = map[string]Config{}
	for _, dir := range goldenCases(t) {
		starts[filepath.Base(dir)] = goldenConfig(t, dir) // initStart sets the module
	}
	return starts
}

// change is one single-option edit of jwtgen.yaml.
type change struct {
	name  string
	apply func(*Config)
	// test runs these generated tests after the build (services needed).
	test string
}

// freeTextChanges are the values a change of a free-text option moves to.
// An option of the registry without values and without an entry here
// fails the test, so that a new option cannot go untried.
var freeTextChanges = map[string]string{"out": "pkg/authn", "prefix": "/auth"}

// listItems returns a list option's items as set takes them back.
func listItems(o *option, c *Config) []string {
	if o.key != "providers" {
		return o.get(c)
	}
	var items []string
	for _, p := range c.Providers {
		items = append(items, p.Name+"="+p.Type)
	}
	return items
}

// singleChanges lists every change of one option of the registry from c:
// every other value of a single-choice option; for a list, adding a value
// (in CI the first one of each kind of capability not chosen yet; with
// -change-matrix=full every one), removing one and removing all; a
// different free-text value. The framework is left aside: a switch of
// framework is announced, not made invisible.
func singleChanges(t *testing.T, c Config) []change {
	var out []change
	for _, o := range options {
		switch {
		// A framework switch needs the user's wiring rewritten (generate
		// says so); a role switch turns the token issuer into another
		// kind of package (a verifier), made by init in its own service.
		case o.key == "framework", o.key == "role":
		case o.values == nil:
			v, ok := freeTextChanges[o.key]
			if !ok {
				t.Errorf("option %s has no alternative value in freeTextChanges: add one so the change matrix tries it", o.key)
				continue
			}
			out = append(out, change{name: o.key + "=" + v, apply: func(c *Config) { o.set(c, []string{v}) }})
		case o.list:
			have := listItems(o, &c)
			kinds := map[capability]bool{}
			for _, v := range o.values {
				if slices.Contains(o.get(&c), v.name) || (*changeMatrix != "full" && kinds[v.caps]) {
					continue
				}
				kinds[v.caps] = true
				item := v.name
				if v.caps&capNamed != 0 {
					item = "corp=" + v.name
				}
				out = append(out, change{name: o.key + "+" + v.name, apply: func(c *Config) { o.set(c, append(slices.Clone(have), item)) }})
			}
			if len(have) > 1 {
				out = append(out, change{name: o.key + "-" + strings.SplitN(have[0], "=", 2)[0], apply: func(c *Config) { o.set(c, have[1:]) }})
			}
			if len(have) > 0 {
				out = append(out, change{name: o.key + "-all", apply: func(c *Config) { o.set(c, nil) }})
			}
		default:
			for _, v := range o.names() {
				if v != o.get(&c)[0] {
					out = append(out, change{name: o.key + "=" + v, apply: func(c *Config) { o.set(c, []string{v}) }})
				}
			}
		}
	}
	return out
}

// representative transitions also run generated tests against the services.
var representative = map[string]string{
	"default/store=postgres":    "Contract|TestLoginIssuesTokens",
	"default/transport=cookie":  "TestLoginIssuesTokens|TestLogout|Cookie",
	"default/alg=RS256":         "TestLoginIssuesTokens|TestWellKnownJWKS|Keyring",
	"default/out=pkg/authn":     "TestLoginIssuesTokens|TestCustomClaims",
	"default/providers+github":  "OAuth|GitHub",
	"default/revocation=strict": "TestLogout|Strict",
	"chi-postgres-cookie-es256-strict-oauth-accounts-mfa/store=redis":      "Contract|TestLoginIssuesTokens",
	"chi-postgres-cookie-es256-strict-oauth-accounts-mfa/transport=header": "",
	"chi-postgres-cookie-es256-strict-oauth-accounts-mfa/alg=HS256":        "",
	"chi-postgres-cookie-es256-strict-oauth-accounts-mfa/providers-all":    "",
	// Turning features off: one of two, then all.
	"chi-postgres-cookie-es256-strict-oauth-accounts-mfa/features-accounts": "",
	"chi-postgres-cookie-es256-strict-oauth-accounts-mfa/features-all":      "TestLoginIssuesTokens",
}

func TestChangeMatrix(t *testing.T) {
	if testing.Short() || *changeMatrix == "off" {
		t.Skip("the change matrix runs the go command on real module copies; skipped in -short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	starts := changeStarts(t)
	// Two transitions at a time: each runs the go command, which is
	// parallel itself.
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range starts {
			if !yield(k) {
				return
			}
		}
	}) {
		start := starts[name]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			base := initStart(t, start)
			for _, ch := range singleChanges(t, start) {
				testRun, isRepresentative := representative[name+"/"+ch.name]
				// In CI every change is tried from the default start, and
				// from the other start only the representative ones: each
				// transition builds a module on two cores, and the whole
				// set is the release check (-change-matrix=full).
				if *changeMatrix == "ci" && name != "default" && !isRepresentative {
					continue
				}
				t.Run(strings.ReplaceAll(ch.name, "/", "_"), func(t *testing.T) {
					t.Parallel()
					sem <- struct{}{}
					defer func() { <-sem }()
					runTransition(t, base, start, ch, testRun)
				})
			}
		})
	}
}

// initStart runs the real init (go command included) in a new module and
// returns its directory.
func initStart(t *testing.T, cfg Config) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "app")
	cfg.Module = "example.com/app"
	var out bytes.Buffer
	if err := Init(InitOptions{Dir: dir, Config: cfg, Yes: true, Stdout: &out, Stderr: &out}); err != nil {
		t.Fatalf("init: %v\n%s", err, out.String())
	}
	return dir
}

func runTransition(t *testing.T, base string, start Config, ch change, testRun string) {
	dir := filepath.Join(t.TempDir(), "app")
	copyTree(t, base, dir)
	// The replace to the checkout is relative: keep the copy as deep as
	// the original so that it still reaches the checkout.
	cfg := start
	cfg.Version, cfg.JwtgenVersion, cfg.Example = 1, Version(), true
	ch.apply(&cfg)
	cfg.Module = ""
	raw, err := cfg.marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ConfigFile), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "go", "generate", "./...")
	run(t, dir, "go", "build", "./...")
	run(t, dir, "go", "vet", "./...")
	run(t, dir, "go", "tool", "jwtgen", "generate", "--check")
	if testRun != "" {
		run(t, dir, "go", "test", "-count=1", "-run", testRun, "./"+cfg.Out+"/")
	}
	if t.Failed() {
		return
	}
}

// run runs a command in dir and fails the test with its output when it
// fails.
func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	// The services of the development machines, unless the environment
	// names others.
	for k, v := range map[string]string{
		"AUTH_TEST_POSTGRES_URL": "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
		"AUTH_TEST_MYSQL_DSN":    "root@tcp(127.0.0.1:3306)/test",
		"AUTH_TEST_REDIS_URL":    "redis://127.0.0.1:6379/0",
	} {
		if os.Getenv(k) == "" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		if old := "JWTGEN_TEST_" + strings.TrimPrefix(k, "AUTH_TEST_"); os.Getenv(old) == "" {
			cmd.Env = append(cmd.Env, old+"="+v) // the name before the rename
		}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// checkoutDir is the jwtgen checkout these tests were compiled from.
func checkoutDir(t *testing.T) string {
	t.Helper()
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot tell where the jwtgen checkout is")
	}
	return filepath.Dir(filepath.Dir(self))
}

// copyTree copies the regular files under src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSingleChangesCoverTheRegistry(t *testing.T) {
	for name, start := range changeStarts(t) {
		var names []string
		for _, ch := range singleChanges(t, start) {
			names = append(names, ch.name)
		}
		t.Logf("%s: %d changes: %s", name, len(names), strings.Join(names, " "))
		for _, o := range options {
			if o.key != "framework" && o.key != "role" && !slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, o.key) }) {
				t.Errorf("%s: no change of %s", name, o.key)
			}
		}
	}
}
