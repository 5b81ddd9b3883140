package generator

import (
	"fmt"
	"path"
	"strings"
)

// Ownership says who owns an output file after it is written.
type ownership int

const (
	// Generated files belong to jwtgen: they carry the generated-code header
	// and are rewritten on every generate.
	generated ownership = iota
	// Scaffolded files belong to the user: written once, never overwritten.
	scaffolded
)

func (o ownership) String() string {
	if o == scaffolded {
		return "scaffolded"
	}
	return "generated"
}

// Entry is one row of the plan: the template, the condition under which it
// applies and the file it produces. In Output, "$OUT" stands for the package
// directory (cfg.Out); other paths are relative to the module root.
type entry struct {
	Template string
	Output   string
	Owner    ownership
	When     func(*data) bool
}

func always(*data) bool { return true }

func not(f func(*data) bool) func(*data) bool {
	return func(d *data) bool { return !f(d) }
}

// every holds when all conditions hold.
func every(conds ...func(*data) bool) func(*data) bool {
	return func(d *data) bool {
		for _, c := range conds {
			if !c(d) {
				return false
			}
		}
		return true
	}
}

// Plan lists every file jwtgen can produce: the rows below, which depend on
// capabilities at most, then the rows each option value brings (the
// registry in options.go). Reading both tells which option brings which
// file.
var plan = forRoles(append(corePlan, valuePlan()...))

var corePlan = []entry{
	// The core: tokens, sessions, handlers, middleware. Plain net/http.
	{"core/doc.go.tmpl", "$OUT/doc.go", generated, always},
	{"core/store.go.tmpl", "$OUT/store.go", generated, always},
	{"core/users.go.tmpl", "$OUT/users.go", generated, always},
	{"core/password.go.tmpl", "$OUT/password.go", generated, always},
	{"core/config.go.tmpl", "$OUT/config.go", generated, always},
	{"core/auth.go.tmpl", "$OUT/auth.go", generated, always},
	{"core/tokens.go.tmpl", "$OUT/tokens.go", generated, always},
	{"core/keyring.go.tmpl", "$OUT/keyring.go", generated, always},
	{"core/tokencache.go.tmpl", "$OUT/tokencache.go", generated, always},
	{"core/tokenguard.go.tmpl", "$OUT/tokenguard.go", generated, always},
	{"core/keyring_file.go.tmpl", "$OUT/keyring_file.go", generated, always},
	{"core/keyring_watch.go.tmpl", "$OUT/keyring_watch.go", generated, always},
	{"core/handlers.go.tmpl", "$OUT/handlers.go", generated, always},
	{"core/respond.go.tmpl", "$OUT/respond.go", generated, always},
	{"core/middleware.go.tmpl", "$OUT/middleware.go", generated, always},
	{"core/audience.go.tmpl", "$OUT/audience.go", generated, always},
	{"core/introspection.go.tmpl", "$OUT/introspection.go", generated, always},
	{"core/events.go.tmpl", "$OUT/events.go", generated, always},
	{"core/ratelimit.go.tmpl", "$OUT/ratelimit.go", generated, always},
	{"core/ratelimit_redis.go.tmpl", "$OUT/ratelimit_redis.go", generated, always},
	{"core/login_limits.go.tmpl", "$OUT/login_limits.go", generated, always},
	// Users in process memory: in the build where the store keeps them
	// there, else only for the tests.
	{"core/users_memory.go.tmpl", "$OUT/users_memory.go", generated, (*data).MemoryUsers},
	{"core/users_memory.go.tmpl", "$OUT/users_memory_test.go", generated, not((*data).MemoryUsers)},
	{"core/claims.go.tmpl", "$OUT/claims.go", scaffolded, always},

	// Signing keys: a shared secret, or a key pair (one file per
	// algorithm, from the registry) with JWKS.
	{"core/keys_hmac.go.tmpl", "$OUT/keys_hmac.go", generated, not((*data).Asymmetric)},
	{"core/keys_hmac_server.go.tmpl", "$OUT/keys_hmac_server.go", generated, not((*data).Asymmetric)},
	{"core/secret_strength.go.tmpl", "$OUT/secret_strength.go", generated, not((*data).Asymmetric)},
	{"core/keys_asymmetric.go.tmpl", "$OUT/keys_asymmetric.go", generated, (*data).Asymmetric},

	// Cookie transport (cookie or both): cookies, CSRF, the demo page.
	{"cookie/cookies.go.tmpl", "$OUT/cookies.go", generated, (*data).Cookie},
	// The demo page's files are in $OUT/web, with no Go file: the example
	// server (demo.go) and the browser tests embed them, so a production
	// build of the package leaves them out, and no option change deletes a
	// Go file that go generate, reading packages in turn, has yet to read.
	{"web/index.html.tmpl", "$OUT/web/index.html", generated, (*data).Cookie},
	{"web/demo.js.tmpl", "$OUT/web/demo.js", generated, (*data).Cookie},
	{"web/auth-client.js.tmpl", "$OUT/web/auth-client.js", generated, (*data).Cookie},
	{"cookie/cookies_test.go.tmpl", "$OUT/cookies_test.go", generated, (*data).Cookie},
	{"cookie/browser_test.go.tmpl", "$OUT/browser_test.go", generated, every((*data).Cookie, (*data).FullTests)},
	{"cookie/demo_page_test.go.tmpl", "$OUT/demo_page_test.go", generated, every((*data).Cookie, (*data).FullTests)},
	{"cookie/cookies_bench_test.go.tmpl", "$OUT/cookies_bench_test.go", generated, (*data).Cookie},

	// Social login routes; none without providers.
	{"core/oauth_none.go.tmpl", "$OUT/oauth_none.go", generated, not((*data).OAuth)},

	// The files every framework shares; the chosen framework's parts
	// (framework/parts_<name>.tmpl, options.go) fill in its imports, router
	// and routes. The test server is the only place the HTTP tests depend
	// on the framework.
	{"framework/testserver_test.go.tmpl", "$OUT/testserver_test.go", generated, always},
	{"example/main.go.tmpl", "main.go", scaffolded, isExample},
	// A test that a framework adapter answers exactly like the core on
	// net/http, and what its middleware costs (the adapter files come from
	// the registry).
	{"framework/framework_test.go.tmpl", "$OUT/framework_test.go", generated, (*data).Adapter},
	{"framework/bench_test.go.tmpl", "$OUT/framework_bench_test.go", generated, (*data).Adapter},

	// Tests shipped with the module.
	{"core/env_test.go.tmpl", "$OUT/env_test.go", generated, always},
	{"core/transport_header_test.go.tmpl", "$OUT/transport_test.go", generated, (*data).Header},
	{"core/http_test.go.tmpl", "$OUT/http_test.go", generated, always},
	{"core/tokens_test.go.tmpl", "$OUT/tokens_test.go", generated, always},
	{"core/sessions_test.go.tmpl", "$OUT/sessions_test.go", generated, always},
	{"core/middleware_test.go.tmpl", "$OUT/middleware_test.go", generated, always},
	{"core/ratelimit_test.go.tmpl", "$OUT/ratelimit_test.go", generated, always},
	{"core/ratelimit_redis_test.go.tmpl", "$OUT/ratelimit_redis_test.go", generated, always},
	{"core/bench_test.go.tmpl", "$OUT/bench_test.go", generated, always},
	{"core/tokencache_test.go.tmpl", "$OUT/tokencache_test.go", generated, always},
	{"core/tokenguard_test.go.tmpl", "$OUT/tokenguard_test.go", generated, always},
	{"core/tokencache_bench_test.go.tmpl", "$OUT/tokencache_bench_test.go", generated, always},
	{"core/keys_hmac_test.go.tmpl", "$OUT/keys_hmac_test.go", generated, not((*data).Asymmetric)},
	{"core/keys_asymmetric_test.go.tmpl", "$OUT/keys_asymmetric_test.go", generated, (*data).Asymmetric},
	{"core/keyring_test.go.tmpl", "$OUT/keyring_test.go", generated, always},
	{"core/audience_test.go.tmpl", "$OUT/audience_test.go", generated, always},
	{"core/introspection_test.go.tmpl", "$OUT/introspection_test.go", generated, always},
	{"core/secret_strength_test.go.tmpl", "$OUT/secret_strength_test.go", generated, not((*data).Asymmetric)},

	// Stores: the memory store is in the build where it is chosen, else
	// only for the tests; the SQL stores share store_sql.go and
	// users_sql.go; each backend's own files come from the registry.
	{"store/memory.go.tmpl", "$OUT/store_memory.go", generated, (*data).MemorySessions},
	{"store/memory.go.tmpl", "$OUT/store_memory_test.go", generated, not((*data).MemorySessions)},
	{"store/contract_test.go.tmpl", "$OUT/store_contract_test.go", generated, always},
	{"store/refresh_bench_test.go.tmpl", "$OUT/store_refresh_bench_test.go", generated, always},
	{"store/memory_test.go.tmpl", "$OUT/store_memory_contract_test.go", generated, always},
	{"store/sql.go.tmpl", "$OUT/store_sql.go", generated, (*data).SQL},
	{"store/sql_users.go.tmpl", "$OUT/users_sql.go", generated, (*data).SQL},
	{"store/sql_test.go.tmpl", "$OUT/store_sql_test.go", generated, (*data).SQL},
	{"store/sql/0001_auth.down.sql.tmpl", "$OUT/migrations/0001_auth.down.sql", generated, (*data).SQL},
	{"store/server_test.go.tmpl", "$OUT/store_server_test.go", generated, (*data).Server},

	// The go:generate line that reruns jwtgen through `go tool`, in the file
	// go generate reads last (see the template).
	{"tool/generate.go.tmpl", "$OUT/generate_test.go", generated, always},

	// Social login: the flow (each provider's file comes from the registry).
	{"oauth/oauth.go.tmpl", "$OUT/oauth.go", generated, (*data).OAuth},
	{"oauth/oauth_handlers.go.tmpl", "$OUT/oauth_handlers.go", generated, (*data).OAuth},
	{"oauth/oauth_transaction.go.tmpl", "$OUT/oauth_transaction.go", generated, (*data).OAuth},
	{"oauth/oauth_redirect.go.tmpl", "$OUT/oauth_redirect.go", generated, (*data).OAuth},
	{"oauth/oauth_accounts.go.tmpl", "$OUT/oauth_accounts.go", generated, (*data).OAuth},
	{"oauth/oauth_env.go.tmpl", "$OUT/oauth_env.go", generated, (*data).OAuth},
	{"oauth/oauth_header.go.tmpl", "$OUT/oauth_header.go", generated, every((*data).OAuth, not((*data).Cookie))},
	{"oauth/oauth_cookie.go.tmpl", "$OUT/oauth_cookie.go", generated, every((*data).OAuth, (*data).Cookie)},
	{"oauth/oauth_oidc.go.tmpl", "$OUT/oauth_oidc.go", generated, (*data).OIDC},
	{"oauth/oauth_env_test.go.tmpl", "$OUT/oauth_env_test.go", generated, (*data).OAuth},
	{"oauth/oauth_transaction_test.go.tmpl", "$OUT/oauth_transaction_test.go", generated, (*data).OAuth},
	{"oauth/oauth_redirect_test.go.tmpl", "$OUT/oauth_redirect_test.go", generated, (*data).OAuth},
	{"oauth/oauth_browser_test.go.tmpl", "$OUT/oauth_browser_test.go", generated, (*data).OAuth},
	{"oauth/oauth_oidc_test.go.tmpl", "$OUT/oauth_oidc_test.go", generated, every((*data).OIDC, (*data).FullTests)},
	{"oauth/oauth_fake_test.go.tmpl", "$OUT/oauth_fake_test.go", generated, (*data).PlainOAuth2},
	// End-to-end tests against a mock OpenID Connect issuer (mockoidc) and
	// in Chromium (chromedp): tests: full.
	{"oauth/oauth_bench_test.go.tmpl", "$OUT/oauth_bench_test.go", generated, every((*data).OIDC, (*data).FullTests)},
	{"oauth/oauth_header_test.go.tmpl", "$OUT/oauth_header_test.go", generated, every((*data).OIDC, not((*data).Cookie), (*data).FullTests)},
	{"oauth/oauth_chromium_test.go.tmpl", "$OUT/oauth_chromium_test.go", generated, every((*data).OIDC, (*data).Cookie, (*data).FullTests)},
	{"oauth/oauth_cookie_test.go.tmpl", "$OUT/oauth_cookie_test.go", generated, every((*data).OIDC, (*data).Cookie, (*data).FullTests)},

	// Everything option-specific an example server or the user's wiring
	// needs (store, keys, transport, providers from the environment), so
	// that their own code only wires.
	{"example/config_env.go.tmpl", "$OUT/config_env.go", generated, always},
	// What the example server (and only it) serves besides the package: the
	// demo page when the transport has cookies.
	{"example/demo.go.tmpl", "demo.go", generated, isExample},
	// The OpenAPI 3.1 document of exactly the generated endpoints, served
	// at {prefix}/openapi.json.
	{"api/openapi.json.tmpl", "$OUT/openapi.json", generated, always},
	{"api/openapi.go.tmpl", "$OUT/openapi.go", generated, always},
	// The example server's SQLite file stays out of version control.
	{"example/gitignore.tmpl", ".gitignore", scaffolded, every((*data).SQL, not((*data).Server), isExample)},

	// The verifier role (role: verifier): only the access-token middleware
	// and its key source, for the team's other services, with a test server
	// and an example server on the chosen framework; a framework that needs
	// one brings its adapter (options.go). forRoles keeps these rows to
	// verifiers and every other row to servers.
	{"verifier/doc.go.tmpl", "$OUT/doc.go", generated, always},
	{"verifier/verifier.go.tmpl", "$OUT/verifier.go", generated, always},
	{"verifier/claims.go.tmpl", "$OUT/claims.go", generated, always},
	{"verifier/respond.go.tmpl", "$OUT/respond.go", generated, always},
	{"verifier/stepup.go.tmpl", "$OUT/stepup.go", generated, always},
	{"verifier/introspection.go.tmpl", "$OUT/introspection.go", generated, always},
	{"verifier/introspection_test.go.tmpl", "$OUT/introspection_test.go", generated, always},
	{"verifier/jwks.go.tmpl", "$OUT/jwks.go", generated, (*data).Asymmetric},
	{"verifier/keysource_keyring.go.tmpl", "$OUT/keysource_keyring.go", generated, not((*data).Asymmetric)},
	{"verifier/verifier_test.go.tmpl", "$OUT/verifier_test.go", generated, always},
	{"verifier/keys_asymmetric_test.go.tmpl", "$OUT/keys_test.go", generated, (*data).Asymmetric},
	{"verifier/keys_hmac_test.go.tmpl", "$OUT/keys_test.go", generated, not((*data).Asymmetric)},
	{"verifier/jwks_test.go.tmpl", "$OUT/jwks_test.go", generated, (*data).Asymmetric},
	{"verifier/testserver_test.go.tmpl", "$OUT/testserver_test.go", generated, always},
	{"verifier/main.go.tmpl", "main.go", scaffolded, isExample},
}

// selectPlan is the plan stage: the rows of rows whose condition holds
// for d. Two rows that would write one path are a generator bug, refused
// here before anything is rendered.
func selectPlan(rows []entry, d *data) ([]entry, error) {
	var entries []entry
	seen := map[string]string{}
	for _, e := range rows {
		if !e.When(d) {
			continue
		}
		out := d.OutputPath(e)
		if prev, dup := seen[out]; dup {
			return nil, fmt.Errorf("plan: %s and %s both produce %s for this configuration (generator bug)", prev, e.Template, out)
		}
		seen[out] = e.Template
		entries = append(entries, e)
	}
	return entries, nil
}

// Data is what every template sees: the configuration plus derived names.
type data struct {
	Config
	// Package is the Go package name of the generated module (the last
	// element of Out).
	Package string
	// ImportPath is the generated package's import path.
	ImportPath string
	caps       capability
}

// NewData derives the template data from a validated configuration.
func newData(c Config) *data {
	pkg := strings.ReplaceAll(path.Base(c.Out), "-", "_")
	return &data{Config: c, Package: pkg, ImportPath: path.Join(c.Module, c.Out), caps: capabilities(&c)}
}

// The capabilities templates and plan rows test. Each is brought by one or
// more option values (see options.go); none names a value.

// Cookie reports whether tokens travel in cookies (cookie or both).
func (d *data) Cookie() bool { return d.caps&capCookie != 0 }

// Header reports whether tokens travel in JSON bodies and the Authorization
// header (header or both).
func (d *data) Header() bool { return d.caps&capHeader != 0 }

// Asymmetric reports whether the algorithm has a public key (JWKS served).
func (d *data) Asymmetric() bool { return d.caps&capAsymmetric != 0 }

// RSA reports whether the signing keys are RSA keys.
func (d *data) RSA() bool { return d.caps&capRSA != 0 }

// ECDSA reports whether the signing keys are ECDSA keys.
func (d *data) ECDSA() bool { return d.caps&capECDSA != 0 }

// SQL reports whether the store is a SQL database.
func (d *data) SQL() bool { return d.caps&capSQL != 0 }

// Server reports whether the store is a database server the tests need.
func (d *data) Server() bool { return d.caps&capServer != 0 }

// Strict reports whether access tokens are checked against the session.
func (d *data) Strict() bool { return d.caps&capStrict != 0 }

// MFA reports whether second factors are generated (features: [mfa]).
func (d *data) MFA() bool { return d.caps&capMFA != 0 }

// Adapter reports whether the routes are mounted on a third-party router.
func (d *data) Adapter() bool { return d.caps&capAdapter != 0 }

// OAuth reports whether any social-login provider is configured.
func (d *data) OAuth() bool { return len(d.Providers) > 0 }

// OIDC reports whether any configured provider speaks OpenID Connect.
func (d *data) OIDC() bool { return d.caps&capOIDC != 0 }

// PlainOAuth2 reports whether any configured provider is plain OAuth 2.0
// with a user-info API.
func (d *data) PlainOAuth2() bool { return d.caps&capPlainOAuth2 != 0 }

// FormPostCallbacks reports whether any configured provider posts its
// callback (response_mode=form_post): a cross-site POST.
func (d *data) FormPostCallbacks() bool { return d.caps&capFormPost != 0 }

// MemorySessions reports whether sessions live in process memory
// (MemoryStore is part of the build, not only of the tests).
func (d *data) MemorySessions() bool { return d.caps&capMemorySessions != 0 }

// MemoryUsers reports whether users live in process memory (MemoryUsers is
// part of the build, not only of the tests).
func (d *data) MemoryUsers() bool { return d.caps&capMemoryUsers != 0 }

// RedisSessions reports whether sessions (and accounts) live in Redis, whose client the
// rate limits then share by default.
func (d *data) RedisSessions() bool { return d.caps&capRedisSessions != 0 }

// Accounts reports whether the accounts feature (sign-up, verification,
// password reset and change, the user's sessions, mail) is generated.
func (d *data) Accounts() bool { return d.caps&capAccounts != 0 }

// FullTests reports whether the end-to-end tests (Chromium, a mock OpenID
// Connect issuer) ship with the package.
func (d *data) FullTests() bool { return d.caps&capFullTests != 0 }

// TestEnv lists the environment variables the shipped tests read, one
// "NAME: what" line each, for the package doc.
func (d *data) TestEnv() []string {
	var lines []string
	for _, o := range options {
		for _, name := range o.get(&d.Config) {
			if v, ok := o.value(name); ok {
				lines = append(lines, v.testEnv...)
			}
		}
	}
	browser := d.FullTests() && d.Cookie()
	if browser {
		lines = append(lines, "CHROMIUM: the Chromium binary the browser tests drive (default /usr/bin/chromium)")
	}
	var needed []string
	if d.Server() {
		needed = append(needed, "database server")
	}
	if browser {
		needed = append(needed, "browser")
	}
	if len(needed) > 0 {
		lines = append(lines, "AUTH_TEST_REQUIRE_SERVICES=1: a missing "+strings.Join(needed, " or ")+" fails the tests instead of skipping them (for CI)")
	}
	if browser {
		lines = append(lines, "AUTH_TEST_REQUIRE_BROWSER=1: a missing browser fails the browser tests instead of skipping them")
	}
	return lines
}

// StoreIdent is how generated identifiers name the chosen store
// ("Postgres" in TestPostgresStoreContract).
func (d *data) StoreIdent() string {
	v, _ := optionByKey("store").value(d.Store)
	return v.ident
}

// OutputPath resolves an entry's output path for this configuration.
func (d *data) OutputPath(e entry) string {
	return path.Clean(strings.ReplaceAll(e.Output, "$OUT", d.Out))
}
