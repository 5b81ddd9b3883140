package generator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// openAPIValidator parses doc with a real OpenAPI library and validates it
// against the OpenAPI 3.1 specification schema.
func openAPIValidator(t *testing.T, doc []byte) validator.Validator {
	t.Helper()
	d, err := libopenapi.NewDocument(doc)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	v, errs := validator.NewValidator(d)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("document: %s", e.Error())
		}
	}
	return v
}

// TestOpenAPIDocumentsAreValid renders the document for configurations
// that together bring every endpoint and body shape, and validates each
// against the specification.
func TestOpenAPIDocumentsAreValid(t *testing.T) {
	configs := map[string]func(*Config){
		"default": func(*Config) {},
		"cookie-es256-apple": func(c *Config) {
			c.Transport, c.Alg, c.Providers = "cookie", "ES256", []Provider{{Name: "apple", Type: "apple"}}
		},
		"both-oidc-github": func(c *Config) {
			c.Transport, c.Prefix = "both", "/auth"
			c.Providers = []Provider{{Name: "corp", Type: "oidc"}, {Name: "github", Type: "github"}}
		},
		"header-google": func(c *Config) { c.Providers = []Provider{{Name: "google", Type: "google"}} },
		"header-accounts-mfa-google-strict": func(c *Config) {
			c.Features, c.Revocation = []string{"accounts", "mfa"}, "strict"
			c.Providers = []Provider{{Name: "google", Type: "google"}}
		},
		"both-mfa-apple": func(c *Config) {
			c.Transport, c.Features = "both", []string{"mfa"}
			c.Providers = []Provider{{Name: "apple", Type: "apple"}}
		},
		"cookie-accounts": func(c *Config) { c.Transport, c.Features = "cookie", []string{"accounts"} },
	}
	for name, mutate := range configs {
		t.Run(name, func(t *testing.T) {
			cfg := Defaults()
			cfg.Module = "example.com/app"
			mutate(&cfg)
			doc, err := openAPI(newData(cfg))
			if err != nil {
				t.Fatal(err)
			}
			openAPIValidator(t, []byte(doc))
			var parsed struct {
				Paths map[string]map[string]any `json:"paths"`
			}
			if err := json.Unmarshal([]byte(doc), &parsed); err != nil {
				t.Fatal(err)
			}
			for _, p := range []string{cfg.Prefix + "/token", cfg.Prefix + "/token/refresh", cfg.Prefix + "/openapi.json", "/.well-known/jwks.json"} {
				if parsed.Paths[p] == nil {
					t.Errorf("no %s", p)
				}
			}
			_, exchange := parsed.Paths[cfg.Prefix+"/oauth/exchange"]
			if want := len(cfg.Providers) > 0 && cfg.Transport == "header"; exchange != want {
				t.Errorf("oauth/exchange documented = %v, want %v", exchange, want)
			}
		})
	}
}

// TestOpenAPIExampleServer starts the example server of the default case
// and checks that the document it serves is the one in the package
// directory, and that every answer it gives to a tour of its endpoints is
// documented (status and body shape).
func TestOpenAPIExampleServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs example servers")
	}
	for _, c := range []string{"default"} {
		t.Run(c, func(t *testing.T) {
			dir := filepath.Join("..", "golden", c)
			raw, err := os.ReadFile(filepath.Join(dir, ConfigFile))
			if err != nil {
				t.Skipf("no golden case %s", c)
			}
			cfg, err := ParseConfig(raw)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(cfg.Out), "openapi.json"))
			if err != nil {
				t.Fatal(err)
			}
			v := openAPIValidator(t, doc)
			bin := filepath.Join(t.TempDir(), "server")
			build := exec.Command("go", "build", "-o", bin, "./"+c)
			build.Dir = filepath.Join("..", "golden")
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("build: %v\n%s", err, out)
			}
			base := startExample(t, bin, "DEMO_USER=demo", "DEMO_PASSWORD="+demoPassword,
				"DATABASE_URL="+filepath.Join(t.TempDir(), "auth.db"), "AUTH_INSECURE_DEV_COOKIES=1")
			resp, err := http.Get(base + cfg.Prefix + "/openapi.json")
			if err != nil {
				t.Fatal(err)
			}
			served, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !bytes.Equal(served, doc) {
				t.Errorf("served document differs from %s/openapi.json", cfg.Out)
			}

			seen := map[string]bool{}
			jar := map[string]*http.Cookie{}
			csrf := ""
			do := func(method, path, body string, hdr ...string) (*http.Response, []byte) {
				t.Helper()
				req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
				if body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				for i := 0; i+1 < len(hdr); i += 2 {
					req.Header.Set(hdr[i], hdr[i+1])
				}
				for _, ck := range jar {
					req.AddCookie(ck)
				}
				if csrf != "" {
					req.Header.Set("X-CSRF-Token", csrf)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				for _, ck := range resp.Cookies() {
					jar[ck.Name] = ck
				}
				seen[fmt.Sprintf("%s %s %d", method, path, resp.StatusCode)] = true
				check := &http.Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(b)), Request: req}
				vreq, _ := http.NewRequest(method, base+path, strings.NewReader(body))
				vreq.Header = req.Header
				// A method the API does not have is in no document: its 405
				// is the contract's answer for every path, checked below.
				if resp.StatusCode == http.StatusMethodNotAllowed {
					return resp, b
				}
				if ok, errs := v.ValidateHttpResponse(vreq, check); !ok {
					for _, e := range errs {
						t.Errorf("%s %s -> %d %s: not as documented: %s", method, path, resp.StatusCode, b, e.Error())
					}
				}
				return resp, b
			}
			p := cfg.Prefix
			login := `{"username":"demo","password":"` + demoPassword + `"}`
			do("POST", p+"/token", `{"username":"demo","password":"wrong-password"}`)
			do("POST", p+"/token", `{`)
			do("POST", p+"/token", login, "Content-Type", "text/plain")
			_, b := do("POST", p+"/token", login)
			var tokens struct {
				Access    string `json:"access"`
				Refresh   string `json:"refresh"`
				CSRFToken string `json:"csrf_token"`
			}
			json.Unmarshal(b, &tokens)
			csrf = tokens.CSRFToken
			bearer := []string{}
			if tokens.Access != "" {
				bearer = []string{"Authorization", "Bearer " + tokens.Access}
			}
			do("GET", p+"/me", "", bearer...)
			do("POST", p+"/token/verify", `{"token":"`+tokens.Access+`"}`)
			do("POST", p+"/token/verify", `{"token":"not-a-token"}`)
			refresh := ""
			if tokens.Refresh != "" {
				refresh = `{"refresh":"` + tokens.Refresh + `"}`
			}
			do("POST", p+"/token/refresh", refresh)
			do("GET", "/.well-known/jwks.json", "")
			do("DELETE", p+"/token", "")
			do("POST", p+"/logout/all", "", bearer...)
			jar = map[string]*http.Cookie{}
			csrf = ""
			do("GET", p+"/me", "")
			for _, want := range []string{"POST " + p + "/token 200", "POST " + p + "/token 401", "POST " + p + "/token 400",
				"POST " + p + "/token 415", "GET " + p + "/me 200", "GET " + p + "/me 401", "POST " + p + "/logout/all 204",
				"POST " + p + "/token/verify 401", "DELETE " + p + "/token 405"} {
				if !seen[want] {
					t.Errorf("the tour never saw %s (saw %v)", want, seen)
				}
			}
		})
	}
}
