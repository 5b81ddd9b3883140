package generator

import (
	"path"
	"strings"
)

// Ownership says who owns an output file after it is written.
type Ownership int

const (
	// Generated files belong to jwtgen: they carry the generated-code header
	// and are rewritten on every generate.
	Generated Ownership = iota
	// Scaffolded files belong to the user: written once, never overwritten.
	Scaffolded
)

func (o Ownership) String() string {
	if o == Scaffolded {
		return "scaffolded"
	}
	return "generated"
}

// Entry is one row of the plan: the template, the condition under which it
// applies and the file it produces. In Output, "$OUT" stands for the package
// directory (cfg.Out); other paths are relative to the module root.
type Entry struct {
	Template string
	Output   string
	Owner    Ownership
	When     func(*Data) bool
}

func always(*Data) bool { return true }

func not(f func(*Data) bool) func(*Data) bool {
	return func(d *Data) bool { return !f(d) }
}

// every holds when all conditions hold.
func every(conds ...func(*Data) bool) func(*Data) bool {
	return func(d *Data) bool {
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
var Plan = append(corePlan, valuePlan()...)

var corePlan = []Entry{
	// The core: tokens, sessions, handlers, middleware. Plain net/http.
	{"core/doc.go.tmpl", "$OUT/doc.go", Generated, always},
	{"core/store.go.tmpl", "$OUT/store.go", Generated, always},
	{"core/users.go.tmpl", "$OUT/users.go", Generated, always},
	{"core/password.go.tmpl", "$OUT/password.go", Generated, always},
	{"core/config.go.tmpl", "$OUT/config.go", Generated, always},
	{"core/auth.go.tmpl", "$OUT/auth.go", Generated, always},
	{"core/tokens.go.tmpl", "$OUT/tokens.go", Generated, always},
	{"core/keyring.go.tmpl", "$OUT/keyring.go", Generated, always},
	{"core/tokencache.go.tmpl", "$OUT/tokencache.go", Generated, always},
	{"core/tokenguard.go.tmpl", "$OUT/tokenguard.go", Generated, always},
	{"core/handlers.go.tmpl", "$OUT/handlers.go", Generated, always},
	{"core/respond.go.tmpl", "$OUT/respond.go", Generated, always},
	{"core/middleware.go.tmpl", "$OUT/middleware.go", Generated, always},
	{"core/events.go.tmpl", "$OUT/events.go", Generated, always},
	{"core/ratelimit.go.tmpl", "$OUT/ratelimit.go", Generated, always},
	{"core/ratelimit_redis.go.tmpl", "$OUT/ratelimit_redis.go", Generated, always},
	{"core/login_limits.go.tmpl", "$OUT/login_limits.go", Generated, always},
	// Users in process memory: in the build where the store keeps them
	// there, else only for the tests.
	{"core/users_memory.go.tmpl", "$OUT/users_memory.go", Generated, (*Data).MemoryUsers},
	{"core/users_memory.go.tmpl", "$OUT/users_memory_test.go", Generated, not((*Data).MemoryUsers)},
	{"core/claims.go.tmpl", "$OUT/claims.go", Scaffolded, always},

	// Signing keys: a shared secret, or a key pair (one file per
	// algorithm, from the registry) with JWKS.
	{"core/keys_hmac.go.tmpl", "$OUT/keys_hmac.go", Generated, not((*Data).Asymmetric)},
	{"core/keys_asymmetric.go.tmpl", "$OUT/keys_asymmetric.go", Generated, (*Data).Asymmetric},

	// Cookie transport (cookie or both): cookies, CSRF, the demo page.
	{"cookie/cookies.go.tmpl", "$OUT/cookies.go", Generated, (*Data).Cookie},
	{"cookie/demo.go.tmpl", "$OUT/demo.go", Generated, (*Data).Cookie},
	{"web/index.html.tmpl", "$OUT/web/index.html", Generated, (*Data).Cookie},
	{"web/demo.js.tmpl", "$OUT/web/demo.js", Generated, (*Data).Cookie},
	{"web/auth-client.js.tmpl", "$OUT/web/auth-client.js", Generated, (*Data).Cookie},
	{"cookie/cookies_test.go.tmpl", "$OUT/cookies_test.go", Generated, (*Data).Cookie},
	{"cookie/browser_test.go.tmpl", "$OUT/browser_test.go", Generated, every((*Data).Cookie, (*Data).FullTests)},
	{"cookie/cookies_bench_test.go.tmpl", "$OUT/cookies_bench_test.go", Generated, (*Data).Cookie},

	// Social login routes; none without providers.
	{"core/oauth_none.go.tmpl", "$OUT/oauth_none.go", Generated, not((*Data).OAuth)},

	// A test that a framework adapter answers exactly like the core on
	// net/http (the adapter files come from the registry).
	{"framework/framework_test.go.tmpl", "$OUT/framework_test.go", Generated, (*Data).Adapter},

	// Tests shipped with the module.
	{"core/env_test.go.tmpl", "$OUT/env_test.go", Generated, always},
	{"core/transport_header_test.go.tmpl", "$OUT/transport_test.go", Generated, (*Data).Header},
	{"core/http_test.go.tmpl", "$OUT/http_test.go", Generated, always},
	{"core/tokens_test.go.tmpl", "$OUT/tokens_test.go", Generated, always},
	{"core/sessions_test.go.tmpl", "$OUT/sessions_test.go", Generated, always},
	{"core/middleware_test.go.tmpl", "$OUT/middleware_test.go", Generated, always},
	{"core/ratelimit_test.go.tmpl", "$OUT/ratelimit_test.go", Generated, always},
	{"core/ratelimit_redis_test.go.tmpl", "$OUT/ratelimit_redis_test.go", Generated, always},
	{"core/bench_test.go.tmpl", "$OUT/bench_test.go", Generated, always},
	{"core/tokencache_test.go.tmpl", "$OUT/tokencache_test.go", Generated, always},
	{"core/tokenguard_test.go.tmpl", "$OUT/tokenguard_test.go", Generated, always},
	{"core/tokencache_bench_test.go.tmpl", "$OUT/tokencache_bench_test.go", Generated, always},
	{"core/keys_hmac_test.go.tmpl", "$OUT/keys_hmac_test.go", Generated, not((*Data).Asymmetric)},
	{"core/keys_asymmetric_test.go.tmpl", "$OUT/keys_asymmetric_test.go", Generated, (*Data).Asymmetric},

	// Stores: the memory store is in the build where it is chosen, else
	// only for the tests; the SQL stores share store_sql.go and
	// users_sql.go; each backend's own files come from the registry.
	{"store/memory.go.tmpl", "$OUT/store_memory.go", Generated, (*Data).MemorySessions},
	{"store/memory.go.tmpl", "$OUT/store_memory_test.go", Generated, not((*Data).MemorySessions)},
	{"store/contract_test.go.tmpl", "$OUT/store_contract_test.go", Generated, always},
	{"store/refresh_bench_test.go.tmpl", "$OUT/store_refresh_bench_test.go", Generated, always},
	{"store/memory_test.go.tmpl", "$OUT/store_memory_contract_test.go", Generated, always},
	{"store/sql.go.tmpl", "$OUT/store_sql.go", Generated, (*Data).SQL},
	{"store/sql_users.go.tmpl", "$OUT/users_sql.go", Generated, (*Data).SQL},
	{"store/sql_test.go.tmpl", "$OUT/store_sql_test.go", Generated, (*Data).SQL},
	{"store/sql/0001_auth.down.sql.tmpl", "$OUT/migrations/0001_auth.down.sql", Generated, (*Data).SQL},
	{"store/server_test.go.tmpl", "$OUT/store_server_test.go", Generated, (*Data).Server},

	// The go:generate line that reruns jwtgen through `go tool`, in the file
	// go generate reads last (see the template).
	{"tool/generate.go.tmpl", "$OUT/generate_test.go", Generated, always},

	// Social login: the flow (each provider's file comes from the registry).
	{"oauth/oauth.go.tmpl", "$OUT/oauth.go", Generated, (*Data).OAuth},
	{"oauth/oauth_handlers.go.tmpl", "$OUT/oauth_handlers.go", Generated, (*Data).OAuth},
	{"oauth/oauth_transaction.go.tmpl", "$OUT/oauth_transaction.go", Generated, (*Data).OAuth},
	{"oauth/oauth_redirect.go.tmpl", "$OUT/oauth_redirect.go", Generated, (*Data).OAuth},
	{"oauth/oauth_accounts.go.tmpl", "$OUT/oauth_accounts.go", Generated, (*Data).OAuth},
	{"oauth/oauth_env.go.tmpl", "$OUT/oauth_env.go", Generated, (*Data).OAuth},
	{"oauth/oauth_header.go.tmpl", "$OUT/oauth_header.go", Generated, every((*Data).OAuth, not((*Data).Cookie))},
	{"oauth/oauth_cookie.go.tmpl", "$OUT/oauth_cookie.go", Generated, every((*Data).OAuth, (*Data).Cookie)},
	{"oauth/oauth_oidc.go.tmpl", "$OUT/oauth_oidc.go", Generated, (*Data).OIDC},
	{"oauth/oauth_env_test.go.tmpl", "$OUT/oauth_env_test.go", Generated, (*Data).OAuth},
	{"oauth/oauth_transaction_test.go.tmpl", "$OUT/oauth_transaction_test.go", Generated, (*Data).OAuth},
	{"oauth/oauth_redirect_test.go.tmpl", "$OUT/oauth_redirect_test.go", Generated, (*Data).OAuth},
	{"oauth/oauth_browser_test.go.tmpl", "$OUT/oauth_browser_test.go", Generated, (*Data).OAuth},
	{"oauth/oauth_oidc_test.go.tmpl", "$OUT/oauth_oidc_test.go", Generated, every((*Data).OIDC, (*Data).FullTests)},
	{"oauth/oauth_fake_test.go.tmpl", "$OUT/oauth_fake_test.go", Generated, (*Data).PlainOAuth2},
	// End-to-end tests against a mock OpenID Connect issuer (mockoidc) and
	// in Chromium (chromedp): tests: full.
	{"oauth/oauth_bench_test.go.tmpl", "$OUT/oauth_bench_test.go", Generated, every((*Data).OIDC, (*Data).FullTests)},
	{"oauth/oauth_header_test.go.tmpl", "$OUT/oauth_header_test.go", Generated, every((*Data).OIDC, not((*Data).Cookie), (*Data).FullTests)},
	{"oauth/oauth_chromium_test.go.tmpl", "$OUT/oauth_chromium_test.go", Generated, every((*Data).OIDC, (*Data).Cookie, (*Data).FullTests)},
	{"oauth/oauth_cookie_test.go.tmpl", "$OUT/oauth_cookie_test.go", Generated, every((*Data).OIDC, (*Data).Cookie, (*Data).FullTests)},

	// Everything option-specific an example server or the user's wiring
	// needs (store, keys, transport, providers from the environment), so
	// that their own code only wires.
	{"example/config_env.go.tmpl", "$OUT/config_env.go", Generated, always},
	// The example server's SQLite file stays out of version control.
	{"example/gitignore.tmpl", ".gitignore", Scaffolded, every((*Data).SQL, not((*Data).Server), isExample)},
}

// Data is what every template sees: the configuration plus derived names.
type Data struct {
	Config
	// Package is the Go package name of the generated module (the last
	// element of Out).
	Package string
	// ImportPath is the generated package's import path.
	ImportPath string
	caps       capability
}

// NewData derives the template data from a validated configuration.
func NewData(c Config) *Data {
	pkg := strings.ReplaceAll(path.Base(c.Out), "-", "_")
	return &Data{Config: c, Package: pkg, ImportPath: path.Join(c.Module, c.Out), caps: capabilities(&c)}
}

// The capabilities templates and plan rows test. Each is brought by one or
// more option values (see options.go); none names a value.

// Cookie reports whether tokens travel in cookies (cookie or both).
func (d *Data) Cookie() bool { return d.caps&capCookie != 0 }

// Header reports whether tokens travel in JSON bodies and the Authorization
// header (header or both).
func (d *Data) Header() bool { return d.caps&capHeader != 0 }

// Asymmetric reports whether the algorithm has a public key (JWKS served).
func (d *Data) Asymmetric() bool { return d.caps&capAsymmetric != 0 }

// RSA reports whether the signing keys are RSA keys.
func (d *Data) RSA() bool { return d.caps&capRSA != 0 }

// ECDSA reports whether the signing keys are ECDSA keys.
func (d *Data) ECDSA() bool { return d.caps&capECDSA != 0 }

// SQL reports whether the store is a SQL database.
func (d *Data) SQL() bool { return d.caps&capSQL != 0 }

// Server reports whether the store is a database server the tests need.
func (d *Data) Server() bool { return d.caps&capServer != 0 }

// Strict reports whether access tokens are checked against the session.
func (d *Data) Strict() bool { return d.caps&capStrict != 0 }

// MFA reports whether second factors are generated (features: [mfa]).
func (d *Data) MFA() bool { return d.caps&capMFA != 0 }

// Adapter reports whether the routes are mounted on a third-party router.
func (d *Data) Adapter() bool { return d.caps&capAdapter != 0 }

// OAuth reports whether any social-login provider is configured.
func (d *Data) OAuth() bool { return len(d.Providers) > 0 }

// OIDC reports whether any configured provider speaks OpenID Connect.
func (d *Data) OIDC() bool { return d.caps&capOIDC != 0 }

// PlainOAuth2 reports whether any configured provider is plain OAuth 2.0
// with a user-info API.
func (d *Data) PlainOAuth2() bool { return d.caps&capPlainOAuth2 != 0 }

// FormPostCallbacks reports whether any configured provider posts its
// callback (response_mode=form_post): a cross-site POST.
func (d *Data) FormPostCallbacks() bool { return d.caps&capFormPost != 0 }

// MemorySessions reports whether sessions live in process memory
// (MemoryStore is part of the build, not only of the tests).
func (d *Data) MemorySessions() bool { return d.caps&capMemorySessions != 0 }

// MemoryUsers reports whether users live in process memory (MemoryUsers is
// part of the build, not only of the tests).
func (d *Data) MemoryUsers() bool { return d.caps&capMemoryUsers != 0 }

// RedisSessions reports whether sessions live in Redis, whose client the
// rate limits then share by default.
func (d *Data) RedisSessions() bool { return d.caps&capRedisSessions != 0 }

// FullTests reports whether the end-to-end tests (Chromium, a mock OpenID
// Connect issuer) ship with the package.
func (d *Data) FullTests() bool { return d.caps&capFullTests != 0 }

// TestEnv lists the environment variables the shipped tests read, one
// "NAME: what" line each, for the package doc.
func (d *Data) TestEnv() []string {
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

// OutputPath resolves an entry's output path for this configuration.
func (d *Data) OutputPath(e Entry) string {
	return path.Clean(strings.ReplaceAll(e.Output, "$OUT", d.Out))
}
