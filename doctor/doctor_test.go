package doctor

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jwtgen/jwtgen/generator"
	"github.com/jwtgen/jwtgen/keys"
)

var now = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func keyring(t *testing.T, alg string, edit func(*keys.Ring), mode os.FileMode) string {
	t.Helper()
	r, err := keys.Generate(alg, keys.Options{}, now.Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(r)
	}
	path := filepath.Join(t.TempDir(), "keyring.json")
	if err := keys.Create(path, r); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func config(alg, transport string, features ...string) generator.Config {
	c := generator.Defaults()
	c.Alg, c.Transport, c.Features = alg, transport, features
	return c
}

// check runs the doctor over a production-ready environment changed by env
// ("" deletes a variable).
func check(t *testing.T, c generator.Config, env map[string]string) []Finding {
	t.Helper()
	base := map[string]string{
		"PUBLIC_URL":           "https://auth.example.com",
		"AUTH_TRUSTED_PROXIES": "10.0.0.0/8",
		"JWT_KEYRING":          keyring(t, c.Alg, nil, 0o600),
	}
	for k, v := range env {
		base[k] = v
	}
	return Check(Input{Config: c, Getenv: func(k string) string { return base[k] }, Now: now})
}

func codes(fs []Finding) string {
	var s []string
	for _, f := range fs {
		s = append(s, string(f.Level)+":"+f.Code)
	}
	return strings.Join(s, " ")
}

func TestAProductionReadySetupHasNoFindings(t *testing.T) {
	for _, alg := range []string{"HS256", "ES256"} {
		if fs := check(t, config(alg, "cookie"), nil); len(fs) != 0 {
			t.Errorf("%s: %s", alg, codes(fs))
		}
	}
}

func TestEachFinding(t *testing.T) {
	weakSecret := "my-super-secret-jwt-signing-key-for-prod"
	for _, c := range []struct {
		name string
		cfg  generator.Config
		env  map[string]string
		want string
	}{
		{"weak JWT_SECRET", config("HS256", "header"), map[string]string{"JWT_KEYRING": "", "JWT_SECRET": weakSecret}, "error:hs256-secret-weak"},
		{"short JWT_SECRET", config("HS256", "header"), map[string]string{"JWT_KEYRING": "", "JWT_SECRET": "short"}, "error:hs256-secret-weak"},
		{"good JWT_SECRET but no keyring", config("HS256", "header"), map[string]string{"JWT_KEYRING": "", "JWT_SECRET": "zyx2SfiviAFtFYv0A3NLieuoz9XhC/3QpNXOmHg2VF1CfGE29k/NYZlXcy7uf2VJ"}, "warning:no-keyring"},
		{"no key at all", config("ES256", "header"), map[string]string{"JWT_KEYRING": ""}, "error:no-signing-key"},
		{"missing keyring file", config("ES256", "header"), map[string]string{"JWT_KEYRING": "/nonexistent/keyring.json"}, "error:keyring-invalid"},
		{"keyring of another alg", config("ES256", "header"), map[string]string{"JWT_KEYRING": keyring(t, "EdDSA", nil, 0o600)}, "error:keyring-invalid"},
		{"keyring readable by others", config("ES256", "header"), map[string]string{"JWT_KEYRING": keyring(t, "ES256", nil, 0o644)}, "warning:keyring-readable"},
		{"keyring without a next key", config("ES256", "header"), map[string]string{"JWT_KEYRING": keyring(t, "ES256", func(r *keys.Ring) { r.Keys = r.Keys[:1] }, 0o600)}, "warning:keyring-no-next"},
		{"current key past the rotation policy", config("ES256", "header"), map[string]string{"JWT_KEYRING": keyring(t, "ES256", func(r *keys.Ring) {
			old := now.Add(-200 * 24 * time.Hour)
			r.Keys[0].ActivatedAt = &old
		}, 0o600)}, "warning:keyring-current-old"},
		{"insecure dev cookies", config("HS256", "cookie"), map[string]string{"AUTH_INSECURE_DEV_COOKIES": "1"}, "error:insecure-dev-cookies"},
		{"PUBLIC_URL unset", config("HS256", "header"), map[string]string{"PUBLIC_URL": ""}, "error:public-url-not-https"},
		{"PUBLIC_URL http", config("HS256", "header"), map[string]string{"PUBLIC_URL": "http://auth.example.com"}, "error:public-url-not-https"},
		{"proxy without trusted proxies", config("HS256", "header"), map[string]string{"AUTH_TRUSTED_PROXIES": ""}, "warning:no-trusted-proxies"},
		{"login limit off", config("HS256", "header"), map[string]string{"AUTH_LOGIN_LIMIT": "off"}, "error:rate-limit-off"},
		{"account limit off", config("HS256", "header"), map[string]string{"AUTH_ACCOUNT_LIMIT": "OFF"}, "error:rate-limit-off"},
		{"refresh limit off", config("HS256", "header"), map[string]string{"AUTH_REFRESH_LIMIT": "off"}, "warning:rate-limit-off"},
		{"weak secret in an HS256 keyring", config("HS256", "header"), map[string]string{"JWT_KEYRING": keyring(t, "HS256", func(r *keys.Ring) {
			r.Keys[0].Secret = base64.StdEncoding.EncodeToString([]byte(weakSecret))
		}, 0o600)}, "error:keyring-invalid"},
		{"accounts without SMTP", config("HS256", "header", "accounts"), nil, "error:smtp-unset"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := check(t, c.cfg, c.env)
			if got := codes(fs); !strings.Contains(" "+got+" ", " "+c.want+" ") {
				t.Fatalf("findings %q, want %s", got, c.want)
			}
			for _, f := range fs {
				if f.What == "" || f.Fix == "" {
					t.Errorf("finding %s without what or fix", f.Code)
				}
				if strings.Contains(f.String(), c.env["JWT_SECRET"]) && c.env["JWT_SECRET"] != "" {
					t.Errorf("finding prints the secret: %s", f)
				}
			}
		})
	}
	// The mail finding only with accounts, and not once SMTP_URL is set.
	for _, c := range []struct {
		cfg generator.Config
		env map[string]string
	}{
		{config("HS256", "header"), nil},
		{config("HS256", "header", "mfa"), nil},
		{config("HS256", "header", "accounts"), map[string]string{"SMTP_URL": "smtps://u:p@smtp.example.com:465"}},
	} {
		if fs := check(t, c.cfg, c.env); strings.Contains(codes(fs), "smtp-unset") {
			t.Errorf("features %v, SMTP_URL %q: %s", c.cfg.Features, c.env["SMTP_URL"], codes(fs))
		}
	}
	// Cookie findings only where cookies are used.
	if fs := check(t, config("HS256", "header"), map[string]string{"AUTH_INSECURE_DEV_COOKIES": "1"}); strings.Contains(codes(fs), "insecure-dev-cookies") {
		t.Fatalf("header transport: %s", codes(fs))
	}
}

func TestVerifierFindings(t *testing.T) {
	c := generator.Defaults()
	c.Role, c.Alg = "verifier", "ES256"
	env := map[string]string{"AUTH_ISSUER": "http://auth.example.com", "AUTH_JWKS_URL": "http://auth.example.com/jwks"}
	got := codes(Check(Input{Config: c, Getenv: func(k string) string { return env[k] }, Now: now}))
	for _, want := range []string{"error:issuer-not-https", "error:audience-unset", "error:jwks-not-https"} {
		if !strings.Contains(got, want) {
			t.Errorf("findings %q lack %s", got, want)
		}
	}
	if strings.Contains(got, "no-signing-key") || strings.Contains(got, "public-url") {
		t.Errorf("a verifier got server findings: %s", got)
	}
	env = map[string]string{"AUTH_ISSUER": "https://auth.example.com", "AUTH_AUDIENCE": "https://api.example.com"}
	if fs := Check(Input{Config: c, Getenv: func(k string) string { return env[k] }, Now: now}); len(fs) != 0 {
		t.Errorf("a well set verifier: %s", codes(fs))
	}
}
