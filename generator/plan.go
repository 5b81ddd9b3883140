package generator

import (
	"path"
	"slices"
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

func store(names ...string) func(*Data) bool {
	return func(d *Data) bool { return slices.Contains(names, d.Store) }
}

func sqlStore(d *Data) bool { return d.SQL() }

func transport(name string) func(*Data) bool {
	return func(d *Data) bool { return d.Transport == name }
}

func alg(name string) func(*Data) bool {
	return func(d *Data) bool { return d.Alg == name }
}

func not(f func(*Data) bool) func(*Data) bool {
	return func(d *Data) bool { return !f(d) }
}

func framework(name string) func(*Data) bool {
	return func(d *Data) bool { return d.Framework == name }
}

// example selects the example server of one framework, written only by init
// in an empty directory.
func example(name string) func(*Data) bool {
	return func(d *Data) bool { return d.Example && d.Framework == name }
}

// Plan lists every file jwtgen can produce. Reading it top to bottom tells
// which option brings which file.
var Plan = []Entry{
	// The core: tokens, sessions, handlers, middleware. Plain net/http.
	{"core/doc.go.tmpl", "$OUT/doc.go", Generated, always},
	{"core/store.go.tmpl", "$OUT/store.go", Generated, always},
	{"core/users.go.tmpl", "$OUT/users.go", Generated, always},
	{"core/password.go.tmpl", "$OUT/password.go", Generated, always},
	{"core/config.go.tmpl", "$OUT/config.go", Generated, always},
	{"core/auth.go.tmpl", "$OUT/auth.go", Generated, always},
	{"core/tokens.go.tmpl", "$OUT/tokens.go", Generated, always},
	{"core/keyring.go.tmpl", "$OUT/keyring.go", Generated, always},
	{"core/handlers.go.tmpl", "$OUT/handlers.go", Generated, always},
	{"core/respond.go.tmpl", "$OUT/respond.go", Generated, always},
	{"core/middleware.go.tmpl", "$OUT/middleware.go", Generated, always},
	{"core/events.go.tmpl", "$OUT/events.go", Generated, always},
	{"core/ratelimit.go.tmpl", "$OUT/ratelimit.go", Generated, always},
	{"core/users_memory.go.tmpl", "$OUT/users_memory.go", Generated, always},
	{"core/claims.go.tmpl", "$OUT/claims.go", Scaffolded, always},

	// Signing keys: a shared secret, or a key pair per algorithm with JWKS.
	{"core/keys_hmac.go.tmpl", "$OUT/keys_hmac.go", Generated, not((*Data).Asymmetric)},
	{"core/keys_asymmetric.go.tmpl", "$OUT/keys_asymmetric.go", Generated, (*Data).Asymmetric},
	{"core/keys_rs256.go.tmpl", "$OUT/keys_rs256.go", Generated, alg("RS256")},
	{"core/keys_es256.go.tmpl", "$OUT/keys_es256.go", Generated, alg("ES256")},
	{"core/keys_eddsa.go.tmpl", "$OUT/keys_eddsa.go", Generated, alg("EdDSA")},

	// Revocation of access tokens: at expiry, or at once (strict).
	{"core/revocation_expiry.go.tmpl", "$OUT/revocation_expiry.go", Generated, not((*Data).Strict)},
	{"core/revocation_strict.go.tmpl", "$OUT/revocation_strict.go", Generated, (*Data).Strict},

	// Transports: how tokens reach and leave the client.
	{"core/transport_header.go.tmpl", "$OUT/transport.go", Generated, transport("header")},
	{"cookie/transport_cookie.go.tmpl", "$OUT/transport.go", Generated, transport("cookie")},
	{"cookie/transport_both.go.tmpl", "$OUT/transport.go", Generated, transport("both")},
	{"cookie/cookies.go.tmpl", "$OUT/cookies.go", Generated, (*Data).Cookie},
	{"cookie/demo.go.tmpl", "$OUT/demo.go", Generated, (*Data).Cookie},
	{"web/index.html.tmpl", "$OUT/web/index.html", Generated, (*Data).Cookie},
	{"web/demo.js.tmpl", "$OUT/web/demo.js", Generated, (*Data).Cookie},
	{"web/auth-client.js.tmpl", "$OUT/web/auth-client.js", Generated, (*Data).Cookie},
	{"cookie/cookies_test.go.tmpl", "$OUT/cookies_test.go", Generated, (*Data).Cookie},
	{"cookie/browser_test.go.tmpl", "$OUT/browser_test.go", Generated, (*Data).Cookie},
	{"cookie/both_test.go.tmpl", "$OUT/both_test.go", Generated, transport("both")},
	{"cookie/cookies_bench_test.go.tmpl", "$OUT/cookies_bench_test.go", Generated, (*Data).Cookie},

	// Social login routes; none without providers.
	{"core/oauth_none.go.tmpl", "$OUT/oauth_none.go", Generated, not((*Data).OAuth)},

	// Framework adapters: one thin file over the net/http core each (mount
	// the endpoints, native middleware and accessors), the one function the
	// shared HTTP tests mount the server with, and a test that the framework
	// answers exactly like the core on net/http.
	{"framework/chi.go.tmpl", "$OUT/chi.go", Generated, framework("chi")},
	{"framework/gin.go.tmpl", "$OUT/gin.go", Generated, framework("gin")},
	{"framework/echo.go.tmpl", "$OUT/echo.go", Generated, framework("echo")},
	{"framework/fiber.go.tmpl", "$OUT/fiber.go", Generated, framework("fiber")},
	{"framework/testserver_chi_test.go.tmpl", "$OUT/testserver_test.go", Generated, framework("chi")},
	{"framework/testserver_gin_test.go.tmpl", "$OUT/testserver_test.go", Generated, framework("gin")},
	{"framework/testserver_echo_test.go.tmpl", "$OUT/testserver_test.go", Generated, framework("echo")},
	{"framework/testserver_fiber_test.go.tmpl", "$OUT/testserver_test.go", Generated, framework("fiber")},
	{"framework/framework_test.go.tmpl", "$OUT/framework_test.go", Generated, not(framework("nethttp"))},
	{"framework/bench_chi_test.go.tmpl", "$OUT/framework_bench_test.go", Generated, framework("chi")},
	{"framework/bench_gin_test.go.tmpl", "$OUT/framework_bench_test.go", Generated, framework("gin")},
	{"framework/bench_echo_test.go.tmpl", "$OUT/framework_bench_test.go", Generated, framework("echo")},
	{"framework/bench_fiber_test.go.tmpl", "$OUT/framework_bench_test.go", Generated, framework("fiber")},

	// Tests shipped with the module.
	{"core/testserver_test.go.tmpl", "$OUT/testserver_test.go", Generated, framework("nethttp")},
	{"core/env_test.go.tmpl", "$OUT/env_test.go", Generated, always},
	{"core/transport_header_test.go.tmpl", "$OUT/transport_test.go", Generated, (*Data).Header},
	{"cookie/transport_cookie_test.go.tmpl", "$OUT/transport_test.go", Generated, transport("cookie")},
	{"core/http_test.go.tmpl", "$OUT/http_test.go", Generated, always},
	{"core/tokens_test.go.tmpl", "$OUT/tokens_test.go", Generated, always},
	{"core/sessions_test.go.tmpl", "$OUT/sessions_test.go", Generated, always},
	{"core/middleware_test.go.tmpl", "$OUT/middleware_test.go", Generated, always},
	{"core/ratelimit_test.go.tmpl", "$OUT/ratelimit_test.go", Generated, always},
	{"core/bench_test.go.tmpl", "$OUT/bench_test.go", Generated, always},
	{"core/keys_hmac_test.go.tmpl", "$OUT/keys_hmac_test.go", Generated, not((*Data).Asymmetric)},
	{"core/keys_asymmetric_test.go.tmpl", "$OUT/keys_asymmetric_test.go", Generated, (*Data).Asymmetric},

	// Stores: one file per backend. The memory store is always there (tests,
	// development); the SQL stores share store_sql.go and users_sql.go and
	// bring their dialect, schema and OpenStore.
	{"store/memory.go.tmpl", "$OUT/store_memory.go", Generated, always},
	{"store/contract_test.go.tmpl", "$OUT/store_contract_test.go", Generated, always},
	{"store/memory_test.go.tmpl", "$OUT/store_memory_test.go", Generated, always},
	{"store/memory_open.go.tmpl", "$OUT/open.go", Generated, store("memory")},
	{"store/sql.go.tmpl", "$OUT/store_sql.go", Generated, sqlStore},
	{"store/sql_users.go.tmpl", "$OUT/users_sql.go", Generated, sqlStore},
	{"store/sql_test.go.tmpl", "$OUT/store_sql_test.go", Generated, sqlStore},
	{"store/sql/0001_auth.down.sql.tmpl", "$OUT/migrations/0001_auth.down.sql", Generated, sqlStore},
	{"store/sqlite.go.tmpl", "$OUT/store_sqlite.go", Generated, store("sqlite")},
	{"store/sqlite_open.go.tmpl", "$OUT/open.go", Generated, store("sqlite")},
	{"store/sqlite_test.go.tmpl", "$OUT/store_sqlite_test.go", Generated, store("sqlite")},
	{"store/sql/sqlite_0001_auth.up.sql.tmpl", "$OUT/migrations/0001_auth.up.sql", Generated, store("sqlite")},
	{"store/sql/sqlite_goose.sql.tmpl", "$OUT/migrations/goose/0001_auth.sql", Generated, store("sqlite")},
	{"store/postgres.go.tmpl", "$OUT/store_postgres.go", Generated, store("postgres")},
	{"store/postgres_open.go.tmpl", "$OUT/open.go", Generated, store("postgres")},
	{"store/postgres_test.go.tmpl", "$OUT/store_postgres_test.go", Generated, store("postgres")},
	{"store/sql/postgres_0001_auth.up.sql.tmpl", "$OUT/migrations/0001_auth.up.sql", Generated, store("postgres")},
	{"store/sql/postgres_goose.sql.tmpl", "$OUT/migrations/goose/0001_auth.sql", Generated, store("postgres")},
	{"store/mysql.go.tmpl", "$OUT/store_mysql.go", Generated, store("mysql")},
	{"store/mysql_open.go.tmpl", "$OUT/open.go", Generated, store("mysql")},
	{"store/mysql_test.go.tmpl", "$OUT/store_mysql_test.go", Generated, store("mysql")},
	{"store/sql/mysql_0001_auth.up.sql.tmpl", "$OUT/migrations/0001_auth.up.sql", Generated, store("mysql")},
	{"store/sql/mysql_goose.sql.tmpl", "$OUT/migrations/goose/0001_auth.sql", Generated, store("mysql")},
	{"store/redis.go.tmpl", "$OUT/store_redis.go", Generated, store("redis")},
	{"store/redis_open.go.tmpl", "$OUT/open.go", Generated, store("redis")},
	{"store/redis_test.go.tmpl", "$OUT/store_redis_test.go", Generated, store("redis")},
	{"store/server_test.go.tmpl", "$OUT/store_server_test.go", Generated, store("postgres", "mysql", "redis")},

	// The go:generate line that reruns jwtgen through `go tool`.
	{"tool/generate.go.tmpl", "$OUT/generate.go", Generated, always},

	// Social login: the flow, then one file per provider type.
	{"oauth/oauth.go.tmpl", "$OUT/oauth.go", Generated, (*Data).OAuth},
	{"oauth/oauth_handlers.go.tmpl", "$OUT/oauth_handlers.go", Generated, (*Data).OAuth},
	{"oauth/oauth_transaction.go.tmpl", "$OUT/oauth_transaction.go", Generated, (*Data).OAuth},
	{"oauth/oauth_redirect.go.tmpl", "$OUT/oauth_redirect.go", Generated, (*Data).OAuth},
	{"oauth/oauth_accounts.go.tmpl", "$OUT/oauth_accounts.go", Generated, (*Data).OAuth},
	{"oauth/oauth_env.go.tmpl", "$OUT/oauth_env.go", Generated, (*Data).OAuth},
	{"oauth/oauth_header.go.tmpl", "$OUT/oauth_header.go", Generated, every((*Data).OAuth, transport("header"))},
	{"oauth/oauth_cookie.go.tmpl", "$OUT/oauth_cookie.go", Generated, every((*Data).OAuth, (*Data).Cookie)},
	{"oauth/oauth_oidc.go.tmpl", "$OUT/oauth_oidc.go", Generated, (*Data).OIDC},
	{"oauth/provider_google.go.tmpl", "$OUT/provider_google.go", Generated, provider("google")},
	{"oauth/provider_microsoft.go.tmpl", "$OUT/provider_microsoft.go", Generated, provider("microsoft")},
	{"oauth/provider_gitlab.go.tmpl", "$OUT/provider_gitlab.go", Generated, provider("gitlab")},
	{"oauth/provider_apple.go.tmpl", "$OUT/provider_apple.go", Generated, provider("apple")},
	{"oauth/provider_oidc.go.tmpl", "$OUT/provider_oidc.go", Generated, provider("oidc")},
	{"oauth/provider_github.go.tmpl", "$OUT/provider_github.go", Generated, provider("github")},
	{"oauth/provider_discord.go.tmpl", "$OUT/provider_discord.go", Generated, provider("discord")},
	{"oauth/oauth_env_test.go.tmpl", "$OUT/oauth_env_test.go", Generated, (*Data).OAuth},
	{"oauth/oauth_transaction_test.go.tmpl", "$OUT/oauth_transaction_test.go", Generated, (*Data).OAuth},
	{"oauth/oauth_redirect_test.go.tmpl", "$OUT/oauth_redirect_test.go", Generated, (*Data).OAuth},
	{"oauth/oauth_browser_test.go.tmpl", "$OUT/oauth_browser_test.go", Generated, (*Data).OAuth},
	{"oauth/oauth_oidc_test.go.tmpl", "$OUT/oauth_oidc_test.go", Generated, (*Data).OIDC},
	{"oauth/oauth_fake_test.go.tmpl", "$OUT/oauth_fake_test.go", Generated, provider("github", "discord")},
	{"oauth/provider_github_test.go.tmpl", "$OUT/provider_github_test.go", Generated, provider("github")},
	{"oauth/provider_discord_test.go.tmpl", "$OUT/provider_discord_test.go", Generated, provider("discord")},
	{"oauth/provider_apple_test.go.tmpl", "$OUT/provider_apple_test.go", Generated, provider("apple")},
	{"oauth/oauth_bench_test.go.tmpl", "$OUT/oauth_bench_test.go", Generated, (*Data).OIDC},
	{"oauth/provider_microsoft_test.go.tmpl", "$OUT/provider_microsoft_test.go", Generated, provider("microsoft")},
	{"oauth/oauth_header_test.go.tmpl", "$OUT/oauth_header_test.go", Generated, every((*Data).OIDC, transport("header"))},
	{"oauth/oauth_chromium_test.go.tmpl", "$OUT/oauth_chromium_test.go", Generated, every((*Data).OIDC, (*Data).Cookie)},
	{"oauth/oauth_cookie_test.go.tmpl", "$OUT/oauth_cookie_test.go", Generated, every((*Data).OIDC, (*Data).Cookie)},

	// Second factors (features: [mfa]): TOTP, recovery codes, step-up, and
	// their storage in every store (migration 0004 for the SQL stores).
	{"core/mfa.go.tmpl", "$OUT/mfa.go", Generated, (*Data).MFA},
	{"core/mfa_store.go.tmpl", "$OUT/mfa_store.go", Generated, (*Data).MFA},
	{"core/mfa_seal.go.tmpl", "$OUT/mfa_seal.go", Generated, (*Data).MFA},
	{"core/totp.go.tmpl", "$OUT/totp.go", Generated, (*Data).MFA},
	{"core/mfa_env.go.tmpl", "$OUT/mfa_env.go", Generated, (*Data).MFA},
	{"core/passkeys.go.tmpl", "$OUT/passkeys.go", Generated, (*Data).MFA},
	{"core/stepup.go.tmpl", "$OUT/stepup.go", Generated, (*Data).MFA},
	{"store/memory_mfa.go.tmpl", "$OUT/store_memory_mfa.go", Generated, (*Data).MFA},
	{"store/sql_mfa.go.tmpl", "$OUT/store_sql_mfa.go", Generated, every((*Data).MFA, sqlStore)},
	{"store/redis_mfa.go.tmpl", "$OUT/store_redis_mfa.go", Generated, every((*Data).MFA, store("redis"))},
	{"store/sql/0004_mfa.down.sql.tmpl", "$OUT/migrations/0004_mfa.down.sql", Generated, every((*Data).MFA, sqlStore)},
	{"store/sql/sqlite_0004_mfa.up.sql.tmpl", "$OUT/migrations/0004_mfa.up.sql", Generated, every((*Data).MFA, store("sqlite"))},
	{"store/sql/sqlite_goose_0004_mfa.sql.tmpl", "$OUT/migrations/goose/0004_mfa.sql", Generated, every((*Data).MFA, store("sqlite"))},
	{"store/sql/postgres_0004_mfa.up.sql.tmpl", "$OUT/migrations/0004_mfa.up.sql", Generated, every((*Data).MFA, store("postgres"))},
	{"store/sql/postgres_goose_0004_mfa.sql.tmpl", "$OUT/migrations/goose/0004_mfa.sql", Generated, every((*Data).MFA, store("postgres"))},
	{"store/sql/mysql_0004_mfa.up.sql.tmpl", "$OUT/migrations/0004_mfa.up.sql", Generated, every((*Data).MFA, store("mysql"))},
	{"store/sql/mysql_goose_0004_mfa.sql.tmpl", "$OUT/migrations/goose/0004_mfa.sql", Generated, every((*Data).MFA, store("mysql"))},
	{"framework/stepup_gin.go.tmpl", "$OUT/stepup_gin.go", Generated, every((*Data).MFA, framework("gin"))},
	{"framework/stepup_echo.go.tmpl", "$OUT/stepup_echo.go", Generated, every((*Data).MFA, framework("echo"))},
	{"framework/stepup_fiber.go.tmpl", "$OUT/stepup_fiber.go", Generated, every((*Data).MFA, framework("fiber"))},
	{"oauth/oauth_mfa_cookie.go.tmpl", "$OUT/oauth_mfa_cookie.go", Generated, every((*Data).MFA, (*Data).OAuth, (*Data).Cookie)},
	{"oauth/oauth_mfa_test.go.tmpl", "$OUT/oauth_mfa_test.go", Generated, every((*Data).MFA, (*Data).OIDC)},
	{"core/totp_test.go.tmpl", "$OUT/totp_test.go", Generated, (*Data).MFA},
	{"core/mfa_test.go.tmpl", "$OUT/mfa_test.go", Generated, (*Data).MFA},
	{"core/passkeys_test.go.tmpl", "$OUT/passkeys_test.go", Generated, (*Data).MFA},
	{"store/mfa_contract_test.go.tmpl", "$OUT/store_mfa_contract_test.go", Generated, (*Data).MFA},

	// The example server, written only by init in an empty directory.
	{"example/main.go.tmpl", "main.go", Scaffolded, example("nethttp")},
	{"example/main_chi.go.tmpl", "main.go", Scaffolded, example("chi")},
	{"example/main_gin.go.tmpl", "main.go", Scaffolded, example("gin")},
	{"example/main_echo.go.tmpl", "main.go", Scaffolded, example("echo")},
	{"example/main_fiber.go.tmpl", "main.go", Scaffolded, example("fiber")},
}

// Data is what every template sees: the configuration plus derived names.
type Data struct {
	Config
	// Package is the Go package name of the generated module (the last
	// element of Out).
	Package string
	// ImportPath is the generated package's import path.
	ImportPath string
}

// NewData derives the template data from a validated configuration.
func NewData(c Config) *Data {
	pkg := strings.ReplaceAll(path.Base(c.Out), "-", "_")
	return &Data{Config: c, Package: pkg, ImportPath: path.Join(c.Module, c.Out)}
}

// Cookie reports whether tokens travel in cookies (cookie or both).
func (d *Data) Cookie() bool { return d.Transport == "cookie" || d.Transport == "both" }

// Header reports whether tokens travel in JSON bodies and the Authorization
// header (header or both).
func (d *Data) Header() bool { return d.Transport == "header" || d.Transport == "both" }

// Asymmetric reports whether the algorithm has a public key (JWKS served).
func (d *Data) Asymmetric() bool { return d.Alg != "HS256" }

// SQL reports whether the store is a SQL database.
func (d *Data) SQL() bool { return slices.Contains([]string{"sqlite", "postgres", "mysql"}, d.Store) }

// Strict reports whether access tokens are checked against the session.
func (d *Data) Strict() bool { return d.Revocation == "strict" }

// MFA reports whether the mfa feature (TOTP, recovery codes, step-up) is
// generated.
func (d *Data) MFA() bool { return slices.Contains(d.Features, "mfa") }

// HasProvider reports whether a provider of that type is configured.
func (d *Data) HasProvider(typ string) bool {
	return slices.ContainsFunc(d.Providers, func(p Provider) bool { return p.Type == typ })
}

// IsExample reports whether init writes the runnable example server.
func (d *Data) IsExample() bool { return d.Example }

// OIDC reports whether any configured provider speaks OpenID Connect.
func (d *Data) OIDC() bool {
	return slices.ContainsFunc(d.Providers, func(p Provider) bool {
		return slices.Contains([]string{"google", "microsoft", "gitlab", "apple", "oidc"}, p.Type)
	})
}

// OAuth reports whether any social-login provider is configured.
func (d *Data) OAuth() bool { return len(d.Providers) > 0 }

// OutputPath resolves an entry's output path for this configuration.
func (d *Data) OutputPath(e Entry) string {
	return path.Clean(strings.ReplaceAll(e.Output, "$OUT", d.Out))
}

// provider selects the files of configurations with any of these provider
// types.
func provider(types ...string) func(*Data) bool {
	return func(d *Data) bool { return slices.ContainsFunc(types, d.HasProvider) }
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
