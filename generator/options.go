package generator

import (
	"cmp"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/jwtgen/jwtgen/templates"
)

// The option registry: every key of jwtgen.yaml a user chooses, and for
// each value what it brings. Validation, the JSON Schema, the flags' help,
// init's questions, the option matrix and the plan's per-value rows are all
// derived from it, so a value is named in exactly one place. Templates never
// compare an option with a name (a test enforces it): they test the
// capabilities the chosen values bring ({{if .Cookie}}, {{if .FormPostCallbacks}}).
//
// Adding a value (a provider, a store, a framework) is one entry in its
// option's values: its description, capabilities, the modules its code
// imports, its plan rows and its docs page; then its templates and the docs
// page. TestRegistry checks that the templates and the page exist and that
// the modules are pinned; TestGoldenPairwise asks for the golden cases to add.
//
// Adding an option, e.g. a list `features: [accounts, mfa]`:
//
//  1. a field in Config:  Features []string `yaml:"features,omitempty"`
//  2. an entry in options (its place there is the order init asks in):
//
//	{
//		key: "features", list: true,
//		help:     "optional features",
//		question: "Optional features (space to toggle)",
//		get:      func(c *Config) []string { return c.Features },
//		set:      func(c *Config, v []string) { c.Features = v },
//		values: []value{
//			{name: "accounts", doc: "sign-up, email verification, password reset", caps: capAccounts,
//				files: []Entry{{"accounts/accounts.go.tmpl", "$OUT/accounts.go", Generated, nil}}},
//			{name: "mfa", doc: "TOTP, recovery codes, passkeys", caps: capMFA},
//		},
//	}
//
//  3. a capability per value that templates test (capAccounts and a
//     (*Data).Accounts method beside the others in plan.go).
//
// A single-choice option (`role: server|verifier`, `tests: default|full`)
// is the same without list, with def set and get/set on a string field
// (see framework below). Everything else (flag, prompt, schema, validation
// with line numbers, matrix axis, plan rows) follows from the entry.

// capability is something an option value brings that plan rows and
// templates test, instead of comparing the value's name.
type capability uint32

const (
	capCookie          capability = 1 << iota // transport: tokens travel in httpOnly cookies
	capHeader                                 // transport: tokens travel in the Authorization header and JSON bodies
	capAsymmetric                             // alg: a key pair, public keys served as JWKS
	capRSA                                    // alg: RSA keys
	capECDSA                                  // alg: ECDSA keys
	capStrict                                 // revocation: every request checks the session
	capSQL                                    // store: a SQL database (shared SQL store, migrations)
	capServer                                 // store: a database server the tests need running
	capAdapter                                // framework: a third-party router with its own adapter file
	capStdMiddleware                          // framework: takes net/http middleware as it is (no step-up or verifier bridge)
	capOIDC                                   // provider: speaks OpenID Connect (ID tokens)
	capPlainOAuth2                            // provider: plain OAuth 2.0 with a user-info API
	capFormPost                               // provider: posts its callback (response_mode=form_post)
	capNeedsSecret                            // provider: the client secret is required
	capNamed                                  // provider: takes a name of its own (a generic issuer)
	capMemorySessions                         // store: sessions in process memory (MemoryStore in the build)
	capMemoryUsers                            // store: users in process memory (MemoryUsers in the build)
	capRedisSessions                          // store: sessions and accounts in Redis (the rate limits share it by default)
	capFullTests                              // tests: the end-to-end tests (Chromium, a mock OIDC issuer) too
	capVerifier                               // role: only checks the auth server's access tokens
	capAccounts                               // features: sign-up, verification, reset, the user's sessions, mail
	capMFA                                    // features: second factors (TOTP, recovery codes, passkeys, step-up)
	capHeaderLimitJSON                        // framework: answers request headers over its read buffer itself, as the contract's 431 JSON
)

// value is one allowed value of an option and everything it brings.
type value struct {
	name string
	// doc is one line for the flag's help, the prompt and the schema.
	doc  string
	caps capability
	// modules are the Go modules the value's generated code imports (pinned
	// in golden/go.mod); init also reads them to suggest a framework.
	modules []string
	// files are the plan rows the value brings; a row's When, if set, is a
	// further condition beside the value being chosen.
	files []entry
	// page is the value's documentation page, relative to the repository.
	page string
	// testEnv documents the environment variables the value's shipped
	// tests read, one "NAME: what" line each (listed in the package doc).
	testEnv []string
	// label is how messages name the value ("net/http"); the name when
	// empty.
	label string
	// ident is how generated identifiers name a store ("Postgres" in
	// newTestPostgresStore, TestPostgresStoreContract).
	ident string
	// use is, for a framework, one line on how the user's code wires the
	// package ($PKG: the package name), shown after a framework switch.
	use string
}

// option is one key of jwtgen.yaml that a flag and a question can set.
type option struct {
	key string
	// help is the flag's usage and the schema's description; flagHelp,
	// when set, is the flag's usage instead.
	help, flagHelp string
	// question is what init asks ("" for a flag-only option).
	question string
	def      string
	// values are the allowed values; nil for free text, which validate
	// checks instead.
	values []value
	list   bool
	// validate and pattern check free text, in jwtgen and in the schema.
	validate func(string) error
	pattern  string
	get      func(*Config) []string
	set      func(*Config, []string)
	// golden, when set, is the value every golden case takes; the golden
	// cases then cover the other options pairwise (the matrix still
	// covers this one).
	golden string
}

// options is the registry, in the order init asks its questions.
var options = []*option{
	{
		// No question: a verifier is chosen on purpose (--role verifier).
		key: "role", def: "server",
		help: "what the package is for: server, the auth server; verifier, only the access-token middleware for another service (then only framework, alg and out apply)",
		get:  func(c *Config) []string { return []string{cmp.Or(c.Role, "server")} },
		set: func(c *Config, v []string) {
			// The default is written as nothing: jwtgen.yaml stays as it was.
			if c.Role = first(v); c.Role == "server" {
				c.Role = ""
			}
		},
		values: []value{
			{name: "server", doc: "the auth server: tokens, sessions, endpoints, middleware", page: "docs/keys.md"},
			{name: "verifier", doc: "another service of the team: checks the auth server's access tokens (JWKS or the shared HS256 keyring)", caps: capVerifier, page: "docs/keys.md"},
		},
	},
	{
		key: "framework", def: "nethttp",
		help:     "web framework the handlers are mounted on",
		question: "Web framework",
		get:      func(c *Config) []string { return []string{c.Framework} },
		set:      func(c *Config, v []string) { c.Framework = first(v) },
		values: []value{
			framework("nethttp", "net/http", "the standard library's net/http (Go 1.22 patterns), no framework", capStdMiddleware,
				`mux.Handle("/", a.Handler()); protect a handler with a.Require(h); read the user with $PKG.UserID(r.Context())`),
			framework("chi", "", "github.com/go-chi/chi/v5", capAdapter|capStdMiddleware,
				"a.Mount(r) on the chi router; r.With(a.Require).Get(...); $PKG.UserID(r.Context())", "github.com/go-chi/chi/v5"),
			framework("gin", "", "github.com/gin-gonic/gin", capAdapter,
				"a.Mount(engine); group.Use(a.RequireGin()); $PKG.GinUserID(c)", "github.com/gin-gonic/gin"),
			framework("echo", "", "github.com/labstack/echo/v4", capAdapter,
				"a.Mount(e); group.Use(a.RequireEcho()); $PKG.EchoUserID(c)", "github.com/labstack/echo/v4"),
			framework("fiber", "", "github.com/gofiber/fiber/v3 (fasthttp)", capAdapter|capHeaderLimitJSON,
				"a.Mount(app); group.Use(a.RequireFiber()); $PKG.FiberUserID(c)", "github.com/gofiber/fiber/v3", "github.com/valyala/fasthttp"),
		},
	},
	{
		key: "store", def: "sqlite",
		help:     "where sessions and users live",
		question: "Session and user store",
		get:      func(c *Config) []string { return []string{c.Store} },
		set:      func(c *Config, v []string) { c.Store = first(v) },
		values: []value{
			{name: "memory", ident: "Memory", doc: "in process memory: tests and development only", caps: capMemorySessions | capMemoryUsers, page: "docs/stores.md",
				files: []entry{
					{"store/memory_open.go.tmpl", "$OUT/open.go", generated, nil},
					{"accounts/stores_memory_test.go.tmpl", "$OUT/accounts_stores_test.go", generated, (*data).Accounts},
				}},
			sqlStore("sqlite", "SQLite", "SQLite through modernc.org/sqlite (pure Go, no server)", 0, "modernc.org/sqlite"),
			sqlStore("postgres", "Postgres", "PostgreSQL through pgx/v5", capServer, "github.com/jackc/pgx/v5",
				"AUTH_TEST_POSTGRES_URL: the PostgreSQL server the store tests use (default postgres://postgres@127.0.0.1:5432/test?sslmode=disable); each test gets a schema of its own"),
			sqlStore("mysql", "MySQL", "MySQL or MariaDB through go-sql-driver/mysql", capServer, "github.com/go-sql-driver/mysql",
				"AUTH_TEST_MYSQL_DSN: the MySQL or MariaDB server the store tests use (default root@tcp(127.0.0.1:3306)/test); each test gets a database of its own"),
			{name: "redis", ident: "Redis", doc: "Redis through go-redis/v9 (Lua for atomic rotation, TTLs for expiry)", caps: capServer | capRedisSessions,
				modules: []string{"github.com/redis/go-redis/v9"}, page: "docs/stores.md",
				testEnv: []string{
					"AUTH_TEST_REDIS_URL: the Redis server the store tests use (default redis://127.0.0.1:6379/0); each test gets a key prefix of its own",
					"AUTH_TEST_REDIS_CLUSTER_URL: a Redis Cluster for the cluster tests (redis://host1:7000,host2:7001,...); unset, they start one of three masters with redis-server and redis-cli from PATH, and skip loudly without them",
				},
				files: []entry{
					{"store/redis.go.tmpl", "$OUT/store_redis.go", generated, nil},
					{"store/redis_users.go.tmpl", "$OUT/users_redis.go", generated, nil},
					{"store/redis_open.go.tmpl", "$OUT/open.go", generated, nil},
					{"store/redis_test.go.tmpl", "$OUT/store_redis_test.go", generated, nil},
					{"store/redis_cluster_test.go.tmpl", "$OUT/store_redis_cluster_test.go", generated, nil},
					{"accounts/stores_redis_test.go.tmpl", "$OUT/accounts_stores_test.go", generated, (*data).Accounts},
					{"store/redis_mfa.go.tmpl", "$OUT/store_redis_mfa.go", generated, (*data).MFA},
					{"store/redis_mfa_test.go.tmpl", "$OUT/store_redis_mfa_test.go", generated, (*data).MFA},
				}},
		},
	},
	{
		key: "transport", def: "header",
		help:     "how tokens travel",
		question: "Token transport (header: Authorization + JSON bodies; cookie: httpOnly cookies + CSRF; both: either, per client: browsers by cookie, API clients by header)",
		get:      func(c *Config) []string { return []string{c.Transport} },
		set:      func(c *Config, v []string) { c.Transport = first(v) },
		values: []value{
			{name: "header", doc: "Authorization: Bearer and JSON bodies", caps: capHeader, page: "docs/cookies.md",
				files: []entry{{"core/transport_header.go.tmpl", "$OUT/transport.go", generated, nil}}},
			{name: "cookie", doc: "httpOnly cookies only, with CSRF defence", caps: capCookie, page: "docs/cookies.md",
				files: []entry{
					{"cookie/transport_cookie.go.tmpl", "$OUT/transport.go", generated, nil},
					{"cookie/transport_cookie_test.go.tmpl", "$OUT/transport_test.go", generated, nil},
				}},
			{name: "both", doc: "either; a token that came in a cookie only leaves in a cookie", caps: capCookie | capHeader, page: "docs/cookies.md",
				files: []entry{
					{"cookie/transport_both.go.tmpl", "$OUT/transport.go", generated, nil},
					{"cookie/both_test.go.tmpl", "$OUT/both_test.go", generated, nil},
				}},
		},
	},
	{
		key: "alg", def: "HS256",
		help:     "JWT signing algorithm",
		question: "Signing algorithm",
		get:      func(c *Config) []string { return []string{c.Alg} },
		set:      func(c *Config, v []string) { c.Alg = first(v) },
		values: []value{
			{name: "HS256", doc: "HMAC-SHA256 with a shared secret of at least 32 bytes", page: "docs/security.md",
				// The token guard's MAC check before any parsing.
				files: []entry{{"core/tokenguard_hmac.go.tmpl", "$OUT/tokenguard_hmac.go", generated, nil}}},
			{name: "RS256", doc: "RSA (2048 bits or more), public keys served as JWKS", caps: capAsymmetric | capRSA, page: "docs/security.md",
				files: []entry{{"core/keys_rs256.go.tmpl", "$OUT/keys_rs256.go", generated, nil}}},
			{name: "ES256", doc: "ECDSA P-256, public keys served as JWKS", caps: capAsymmetric | capECDSA, page: "docs/security.md",
				files: []entry{
					{"core/keys_es256.go.tmpl", "$OUT/keys_es256.go", generated, nil},
					{"core/keys_es256_test.go.tmpl", "$OUT/keys_es256_test.go", generated, nil},
				}},
			{name: "EdDSA", doc: "Ed25519, public keys served as JWKS", caps: capAsymmetric, page: "docs/security.md",
				files: []entry{{"core/keys_eddsa.go.tmpl", "$OUT/keys_eddsa.go", generated, nil}}},
		},
	},
	{
		key: "revocation", def: "expiry",
		help: "access-token revocation (expiry: access tokens live until exp; strict: every request checks that the session is still live)",
		get:  func(c *Config) []string { return []string{c.Revocation} },
		set:  func(c *Config, v []string) { c.Revocation = first(v) },
		values: []value{
			{name: "expiry", doc: "access tokens live until they expire (15 minutes by default)", page: "docs/security.md",
				files: []entry{{"core/revocation_expiry.go.tmpl", "$OUT/revocation_expiry.go", generated, nil}}},
			{name: "strict", doc: "every request checks that the session is still live: logout is immediate", caps: capStrict, page: "docs/security.md",
				files: []entry{
					{"core/revocation_strict.go.tmpl", "$OUT/revocation_strict.go", generated, nil},
					{"core/revocation_strict_test.go.tmpl", "$OUT/revocation_strict_test.go", generated, nil},
					{"core/revocation_flight.go.tmpl", "$OUT/revocation_flight.go", generated, nil},
					{"core/revocation_flight_test.go.tmpl", "$OUT/revocation_flight_test.go", generated, nil},
					{"store/sql_liveness.go.tmpl", "$OUT/store_sql_liveness.go", generated, (*data).SQL},
					{"store/sql_liveness_test.go.tmpl", "$OUT/store_sql_liveness_test.go", generated, (*data).SQL},
				}},
		},
	},
	{
		key: "tests", def: "default", golden: "full",
		help: "the tests shipped with the package",
		get:  func(c *Config) []string { return []string{c.Tests} },
		set:  func(c *Config, v []string) { c.Tests = first(v) },
		values: []value{
			{name: "default", doc: "unit, HTTP and store contract tests: no module the package itself does not import", page: "docs/cli.md"},
			{name: "full", doc: "also the end-to-end tests in Chromium (chromedp) and against a mock OpenID Connect issuer (mockoidc), which those modules join go.mod for", caps: capFullTests, page: "docs/cli.md"},
		},
	},
	{
		key: "out", def: "internal/auth",
		help:     "package directory, relative to the module root",
		question: "Package directory",
		validate: validOut,
		pattern:  `^[A-Za-z][A-Za-z0-9_-]*(/[A-Za-z][A-Za-z0-9_-]*)*$`,
		get:      func(c *Config) []string { return []string{c.Out} },
		set:      func(c *Config, v []string) { c.Out = first(v) },
	},
	{
		key: "prefix", def: "/api/auth",
		help:     "route prefix of the auth endpoints",
		question: "Route prefix",
		validate: validPrefix,
		pattern:  `^(/[A-Za-z0-9._-]+)+$`,
		get:      func(c *Config) []string { return []string{c.Prefix} },
		set:      func(c *Config, v []string) { c.Prefix = first(v) },
	},
	{
		key: "providers", list: true,
		help:     "social login providers: a built-in provider's name, or {name: okta, type: oidc} for a generic OIDC issuer",
		flagHelp: "social login providers, comma-separated (okta=oidc for a generic OIDC issuer)",
		question: "Social login providers (space to toggle)",
		get: func(c *Config) []string {
			var types []string
			for _, p := range c.Providers {
				types = append(types, p.Type)
			}
			return types
		},
		set: func(c *Config, v []string) { c.Providers = parseProviders(v) },
		values: []value{
			provider("google", "Sign in with Google (OpenID Connect)", capOIDC|capNeedsSecret, nil),
			provider("microsoft", "Microsoft Entra ID (OpenID Connect)", capOIDC|capNeedsSecret, always),
			provider("gitlab", "GitLab.com or self-managed GitLab (OpenID Connect)", capOIDC|capNeedsSecret, nil),
			provider("apple", "Sign in with Apple (OpenID Connect, form_post callback)", capOIDC|capFormPost, (*data).FullTests),
			provider("oidc", "any OpenID Connect issuer, under a name of your own", capOIDC|capNeedsSecret|capNamed, nil),
			provider("github", "GitHub (OAuth 2.0 and the user API)", capPlainOAuth2|capNeedsSecret, always),
			provider("discord", "Discord (OAuth 2.0 and the user API)", capPlainOAuth2|capNeedsSecret, always),
			provider("slack", "Sign in with Slack (OpenID Connect), optionally one workspace only", capOIDC|capNeedsSecret, always),
		},
	},
	{
		key: "features", list: true,
		help:     "optional features of the package",
		flagHelp: "optional features, comma-separated: accounts, mfa",
		question: "Optional features (space to toggle)",
		get:      func(c *Config) []string { return c.Features },
		set:      func(c *Config, v []string) { c.Features = v },
		values:   []value{accountsFeature, mfaFeature},
	},
}

// accountsFeature brings sign-up, email verification, password reset and
// change, email change, the user's session list, and the mail that carries
// the links. The store-specific parts come with each store value (their
// rows test (*Data).Accounts); the mail wording is the user's (scaffolded).
var accountsFeature = value{
	name: "accounts", caps: capAccounts, page: "docs/accounts.md",
	doc: "sign-up with email verification, password reset and change, email change, the user's session list (mail over SMTP)",
	testEnv: []string{
		"AUTH_TEST_SMTP_URL: the SMTP server the end-to-end mail tests send through (default smtp://127.0.0.1:1025, a Mailpit)",
		"AUTH_TEST_MAILPIT_API: that Mailpit's HTTP API, where the tests read the mails (default http://127.0.0.1:8025); AUTH_TEST_REQUIRE_SERVICES=1 fails the mail tests when it is missing",
	},
	files: []entry{
		{"accounts/accounts.go.tmpl", "$OUT/accounts.go", generated, nil},
		{"accounts/accounts_handlers.go.tmpl", "$OUT/accounts_handlers.go", generated, nil},
		{"accounts/accounts_sessions.go.tmpl", "$OUT/accounts_sessions.go", generated, nil},
		{"accounts/accounts_env.go.tmpl", "$OUT/accounts_env.go", generated, nil},
		{"accounts/mail_tokens.go.tmpl", "$OUT/mail_tokens.go", generated, nil},
		{"accounts/password_policy.go.tmpl", "$OUT/password_policy.go", generated, nil},
		{"accounts/common_passwords.txt.tmpl", "$OUT/common_passwords.txt", generated, nil},
		{"accounts/mailer.go.tmpl", "$OUT/mailer.go", generated, nil},
		{"accounts/mailer_smtp.go.tmpl", "$OUT/mailer_smtp.go", generated, nil},
		{"accounts/mail_templates.go.tmpl", "$OUT/mail_templates.go", generated, nil},
		{"accounts/mail/verify_email.tmpl.tmpl", "$OUT/mail/verify_email.tmpl", scaffolded, nil},
		{"accounts/mail/change_email.tmpl.tmpl", "$OUT/mail/change_email.tmpl", scaffolded, nil},
		{"accounts/mail/reset_password.tmpl.tmpl", "$OUT/mail/reset_password.tmpl", scaffolded, nil},
		{"accounts/mail/account_exists.tmpl.tmpl", "$OUT/mail/account_exists.tmpl", scaffolded, nil},
		{"accounts/mail/password_changed.tmpl.tmpl", "$OUT/mail/password_changed.tmpl", scaffolded, nil},
		{"accounts/mail/email_changed.tmpl.tmpl", "$OUT/mail/email_changed.tmpl", scaffolded, nil},
		{"accounts/mail/mfa_disabled.tmpl.tmpl", "$OUT/mail/mfa_disabled.tmpl", scaffolded, (*data).MFA},
		{"accounts/mail/passkey_added.tmpl.tmpl", "$OUT/mail/passkey_added.tmpl", scaffolded, (*data).MFA},
		{"accounts/mail/recovery_code_used.tmpl.tmpl", "$OUT/mail/recovery_code_used.tmpl", scaffolded, (*data).MFA},
		{"accounts/pages.go.tmpl", "$OUT/account_pages.go", generated, nil},
		{"accounts/web/account.html.tmpl", "$OUT/web/account.html", generated, nil},
		{"accounts/web/account.js.tmpl", "$OUT/web/account.js", generated, nil},
		// The memory stores' parts: in the build where the store keeps
		// users or sessions in memory, else only for the tests.
		{"accounts/users_memory_accounts.go.tmpl", "$OUT/users_memory_accounts.go", generated, (*data).MemoryUsers},
		{"accounts/users_memory_accounts.go.tmpl", "$OUT/users_memory_accounts_test.go", generated, not((*data).MemoryUsers)},
		{"accounts/sessions_memory.go.tmpl", "$OUT/sessions_memory.go", generated, (*data).MemorySessions},
		{"accounts/sessions_memory.go.tmpl", "$OUT/sessions_memory_test.go", generated, not((*data).MemorySessions)},
		{"accounts/users_sql_accounts.go.tmpl", "$OUT/users_sql_accounts.go", generated, (*data).SQL},
		{"accounts/sessions_sql.go.tmpl", "$OUT/sessions_sql.go", generated, (*data).SQL},
		{"accounts/sessions_redis.go.tmpl", "$OUT/sessions_redis.go", generated, (*data).RedisSessions},
		{"accounts/users_redis_accounts.go.tmpl", "$OUT/users_redis_accounts.go", generated, (*data).RedisSessions},
		{"accounts/accounts_test.go.tmpl", "$OUT/accounts_test.go", generated, nil},
		{"accounts/accounts_store_test.go.tmpl", "$OUT/accounts_store_test.go", generated, nil},
		{"accounts/mailer_smtp_test.go.tmpl", "$OUT/mailer_smtp_test.go", generated, nil},
		{"accounts/mailpit_test.go.tmpl", "$OUT/mailpit_test.go", generated, nil},
		{"accounts/accounts_browser_test.go.tmpl", "$OUT/accounts_browser_test.go", generated, every((*data).Cookie, (*data).FullTests)},
	},
}

// framework is a framework value. Its parts of the files every framework
// shares (the example servers, the test servers, the middleware benchmark
// and the main.go init prints for an existing module) are the defines of
// its partsTemplate; its plan rows are its adapter, for a framework with
// a router of its own, and the step-up and verifier middleware for one
// that does not take net/http middleware as it is.
func framework(name, label, doc string, caps capability, use string, modules ...string) value {
	v := value{name: name, label: label, doc: doc, caps: caps, use: use, modules: modules, page: "docs/frameworks.md"}
	if caps&capAdapter == 0 {
		return v
	}
	v.files = []entry{{"framework/" + name + ".go.tmpl", "$OUT/" + v.adapterFile(), generated, nil}}
	// A framework that takes net/http middleware as it is takes the
	// step-up and verifier middleware as they are too.
	if caps&capStdMiddleware == 0 {
		v.files = append(v.files,
			entry{"framework/stepup_" + name + ".go.tmpl", "$OUT/stepup_" + name + ".go", generated, (*data).MFA},
			// A verifier's adapter (forRoles keeps the rows above to
			// servers and this one to verifiers).
			entry{"verifier/verifier_" + name + ".go.tmpl", "$OUT/verifier_" + name + ".go", generated, nil})
	}
	return v
}

// adapterFile is the file, relative to the package, of a framework's
// adapter ("" for net/http, which needs none): the manifest of the last
// write tells by it which framework the package was for.
func (v value) adapterFile() string {
	if v.caps&capAdapter == 0 {
		return ""
	}
	return v.name + ".go"
}

// partsTemplate is the template that defines a framework's parts of the
// files every framework shares: the example servers, the test servers, the
// middleware benchmark and the wiring snippet init prints. Each
// framework's defines the same names ("imports", "router",
// "exampleRouter", ...); rendering parses the chosen framework's beside
// templates/_shared.
func (v value) partsTemplate() string { return "framework/parts_" + v.name + ".tmpl" }

// title is how messages name the value.
func (v value) title() string { return cmp.Or(v.label, v.name) }

// sqlStore is a SQL store value: its dialect, OpenStore, tests and schema
// (embedded, plain .sql and goose); the shared SQL files are core rows.
func sqlStore(name, ident, doc string, caps capability, module string, testEnv ...string) value {
	return value{name: name, ident: ident, doc: doc, caps: capSQL | caps, modules: []string{module}, page: "docs/stores.md", testEnv: testEnv,
		files: []entry{
			{"store/" + name + ".go.tmpl", "$OUT/store_" + name + ".go", generated, nil},
			{"store/" + name + "_open.go.tmpl", "$OUT/open.go", generated, nil},
			{"store/" + name + "_test.go.tmpl", "$OUT/store_" + name + "_test.go", generated, nil},
			{"store/sql/" + name + "_0001_auth.up.sql.tmpl", "$OUT/migrations/0001_auth.up.sql", generated, nil},
			{"store/sql/" + name + "_goose.sql.tmpl", "$OUT/migrations/goose/0001_auth.sql", generated, nil},
			// 0002: usernames and emails compared in their NormaliseLogin form.
			{"store/sql/" + name + "_0002_logins.up.sql.tmpl", "$OUT/migrations/0002_logins.up.sql", generated, nil},
			{"store/sql/" + name + "_0002_logins.down.sql.tmpl", "$OUT/migrations/0002_logins.down.sql", generated, nil},
			{"store/sql/" + name + "_goose_0002_logins.sql.tmpl", "$OUT/migrations/goose/0002_logins.sql", generated, nil},
			{"accounts/stores_" + name + "_test.go.tmpl", "$OUT/accounts_stores_test.go", generated, (*data).Accounts},
			{"store/sql/" + name + "_0004_mfa.up.sql.tmpl", "$OUT/migrations/0004_mfa.up.sql", generated, (*data).MFA},
			{"store/sql/" + name + "_goose_0004_mfa.sql.tmpl", "$OUT/migrations/goose/0004_mfa.sql", generated, (*data).MFA},
			{"store/" + name + "_mfa_test.go.tmpl", "$OUT/store_" + name + "_mfa_test.go", generated, (*data).MFA},
		}}
}

// provider is a social-login provider type. Its plan rows come from its
// template folder, oauth/providers/<name>/: provider.go.tmpl becomes
// $OUT/provider_<name>.go and every other file provider<rest>.tmpl becomes
// $OUT/provider_<name><rest>, so adding a file to the folder adds it to the
// plan. Test files (_test.go) are rendered when tests says (nil: whenever
// the provider is chosen). The docs page is docs/providers/<name>.md. The
// provider's template also defines "env", its part of OAuthFromEnv, and
// may define "env test", what the shipped test of OAuthFromEnv sets for it.
func provider(name, doc string, caps capability, tests func(*data) bool) value {
	v := value{name: name, doc: doc, caps: caps, page: "docs/providers/" + name + ".md", files: providerFiles(name, tests)}
	if caps&capOIDC != 0 {
		v.modules = []string{"github.com/coreos/go-oidc/v3", "golang.org/x/oauth2"}
	} else {
		v.modules = []string{"golang.org/x/oauth2"}
	}
	return v
}

// providerFiles derives a provider's plan rows from its template folder.
func providerFiles(name string, tests func(*data) bool) []entry {
	dir := providerDir(name)
	found, err := fs.ReadDir(templates.FS, dir)
	if err != nil {
		// The registry names a provider without a template folder:
		// TestRegistryValuesAreComplete says which.
		return nil
	}
	var files []entry
	for _, f := range found {
		base, ok := strings.CutSuffix(f.Name(), ".tmpl")
		if f.IsDir() || !ok {
			continue
		}
		out := "$OUT/provider_" + name + strings.TrimPrefix(base, "provider")
		if !strings.HasPrefix(base, "provider") {
			out = "$OUT/provider_" + name + "_" + base
		}
		var when func(*data) bool
		if strings.HasSuffix(base, "_test.go") {
			when = tests
		}
		files = append(files, entry{dir + "/" + f.Name(), out, generated, when})
	}
	return files
}

// providerDir is a provider type's template folder.
func providerDir(typ string) string { return "oauth/providers/" + typ }

// providerTemplate is the template that makes a provider type's
// constructor and defines its "env" part.
func providerTemplate(typ string) string { return providerDir(typ) + "/provider.go.tmpl" }

func isExample(d *data) bool { return d.Example }

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// optionByKey returns the registry entry of a jwtgen.yaml key.
func optionByKey(key string) *option {
	for _, o := range options {
		if o.key == key {
			return o
		}
	}
	panic("generator: no option " + key)
}

// names are the option's allowed values.
func (o *option) names() []string {
	var names []string
	for _, v := range o.values {
		names = append(names, v.name)
	}
	return names
}

// value returns the registry entry of one of the option's values.
func (o *option) value(name string) (value, bool) {
	for _, v := range o.values {
		if v.name == name {
			return v, true
		}
	}
	return value{}, false
}

// usage is the flag's help: what it sets and the allowed values.
func (o *option) usage() string {
	if o.flagHelp != "" {
		return o.flagHelp
	}
	if o.values == nil || o.list {
		return o.help
	}
	return o.help + ": " + strings.Join(o.names(), ", ")
}

// check validates the option's values in c; key names the entry in
// jwtgen.yaml ("providers[1]" for a list item).
func (o *option) check(c *Config) error {
	for i, v := range o.get(c) {
		key := o.key
		if o.list {
			key = fmt.Sprintf("%s[%d]", o.key, i)
		}
		if o.values == nil {
			if err := o.validate(v); err != nil {
				return err
			}
			continue
		}
		if _, ok := o.value(v); !ok {
			return &validationError{Key: key, Value: v, Allowed: o.names()}
		}
	}
	return nil
}

// Values lists the allowed values of the jwtgen.yaml option key (e.g.
// "framework"), from the registry.
func Values(key string) []string { return optionByKey(key).names() }

// Flag is an option's command-line flag: its name, default and help.
type Flag struct {
	Name, Default, Usage string
}

// Flags lists a flag for every option of jwtgen.yaml, from the registry.
// Config.Set applies a flag's value.
func Flags() []Flag {
	var flags []Flag
	for _, o := range options {
		flags = append(flags, Flag{Name: o.key, Default: o.def, Usage: o.usage()})
	}
	return flags
}

// Set applies a flag: key is the option (the flag's name), s the flag's
// value, comma-separated for a list. Validate reports a bad value.
func (c *Config) Set(key, s string) {
	o := optionByKey(key)
	if !o.list {
		o.set(c, []string{s})
		return
	}
	var items []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	o.set(c, items)
}

// selected reports whether the value is chosen in d's configuration.
func (o *option) selected(name string) func(*data) bool {
	return func(d *data) bool { return slices.Contains(o.get(&d.Config), name) }
}

// valuePlan returns the plan rows every option value brings, each under
// the condition that the value is chosen (and the row's own When).
func valuePlan() []entry {
	var rows []entry
	for _, o := range options {
		for _, v := range o.values {
			for _, e := range v.files {
				chosen := o.selected(v.name)
				if extra := e.When; extra != nil {
					e.When = every(chosen, extra)
				} else {
					e.When = chosen
				}
				rows = append(rows, e)
			}
		}
	}
	return rows
}

// capabilities is the union of what the chosen values bring.
func capabilities(c *Config) capability {
	var caps capability
	for _, o := range options {
		for _, name := range o.get(c) {
			if v, ok := o.value(name); ok {
				caps |= v.caps
			}
		}
	}
	return caps
}

// providerCaps is what one provider type brings.
func providerCaps(typ string) capability {
	v, _ := optionByKey("providers").value(typ)
	return v.caps
}

// mfaFeature brings second factors: TOTP, recovery codes, passkeys and
// step-up. The store-specific parts come with each store value (their rows
// test (*data).MFA).
var mfaFeature = value{name: "mfa", doc: "second factors: TOTP, recovery codes, passkeys (WebAuthn), step-up middleware", caps: capMFA,
	modules: []string{"github.com/go-webauthn/webauthn"}, page: "docs/mfa.md",
	files: []entry{
		{"core/mfa.go.tmpl", "$OUT/mfa.go", generated, nil},
		{"core/mfa_store.go.tmpl", "$OUT/mfa_store.go", generated, nil},
		{"core/mfa_seal.go.tmpl", "$OUT/mfa_seal.go", generated, nil},
		{"core/mfa_env.go.tmpl", "$OUT/mfa_env.go", generated, nil},
		{"core/totp.go.tmpl", "$OUT/totp.go", generated, nil},
		{"core/passkeys.go.tmpl", "$OUT/passkeys.go", generated, nil},
		{"core/stepup.go.tmpl", "$OUT/stepup.go", generated, nil},
		// Beside the memory store: in the build or in the tests only.
		{"store/memory_mfa.go.tmpl", "$OUT/store_memory_mfa.go", generated, (*data).MemorySessions},
		{"store/memory_mfa.go.tmpl", "$OUT/store_memory_mfa_test.go", generated, not((*data).MemorySessions)},
		{"store/sql_mfa.go.tmpl", "$OUT/store_sql_mfa.go", generated, (*data).SQL},
		{"store/sql/0004_mfa.down.sql.tmpl", "$OUT/migrations/0004_mfa.down.sql", generated, (*data).SQL},
		{"oauth/oauth_mfa_cookie.go.tmpl", "$OUT/oauth_mfa_cookie.go", generated, every((*data).OAuth, (*data).Cookie)},
		// The demo page's QR code for authenticator apps, drawn in the page.
		{"web/qr.js.tmpl", "$OUT/web/qr.js", generated, (*data).Cookie},
		{"core/totp_test.go.tmpl", "$OUT/totp_test.go", generated, nil},
		{"core/mfa_test.go.tmpl", "$OUT/mfa_test.go", generated, nil},
		{"core/passkeys_test.go.tmpl", "$OUT/passkeys_test.go", generated, nil},
		{"store/mfa_contract_test.go.tmpl", "$OUT/store_mfa_contract_test.go", generated, nil},
		{"oauth/oauth_mfa_test.go.tmpl", "$OUT/oauth_mfa_test.go", generated, every((*data).OIDC, (*data).FullTests)},
		// The demo page's second factors in Chromium, passkeys through its
		// virtual authenticator.
		{"core/mfa_browser_test.go.tmpl", "$OUT/mfa_browser_test.go", generated, every((*data).Cookie, (*data).FullTests)},
		{"oauth/oauth_mfa_cookie_test.go.tmpl", "$OUT/oauth_mfa_cookie_test.go", generated, every((*data).OIDC, (*data).FullTests, (*data).Cookie)},
		{"oauth/oauth_mfa_header_test.go.tmpl", "$OUT/oauth_mfa_header_test.go", generated, every((*data).OIDC, (*data).FullTests, not((*data).Cookie))},
	}}
