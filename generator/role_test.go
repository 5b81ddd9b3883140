package generator

import (
	"strings"
	"testing"
)

func TestVerifierConfigAcceptsOnlyItsKeys(t *testing.T) {
	cfg, err := ParseConfig([]byte("version: 1\nrole: verifier\nframework: gin\nalg: ES256\nout: internal/auth\n"))
	if err != nil {
		t.Fatalf("a verifier's jwtgen.yaml: %v", err)
	}
	if cfg.Role != "verifier" || cfg.Framework != "gin" || cfg.Alg != "ES256" {
		t.Fatalf("parsed %+v", cfg)
	}
	_, err = ParseConfig([]byte("version: 1\nrole: verifier\nframework: gin\nstore: postgres\n"))
	if err == nil || !strings.Contains(err.Error(), "jwtgen.yaml:4: store: is not used by a verifier") {
		t.Fatalf("a verifier's jwtgen.yaml with a store: %v", err)
	}
	_, err = ParseConfig([]byte("version: 1\nrole: gateway\n"))
	if err == nil || !strings.Contains(err.Error(), "role") {
		t.Fatalf("an unknown role: %v", err)
	}

	out, err := cfg.marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"store:", "transport:", "prefix:", "revocation:"} {
		if strings.Contains(string(out), key) {
			t.Fatalf("a verifier's jwtgen.yaml is written with %s:\n%s", key, out)
		}
	}
	back, err := ParseConfig(out)
	if err != nil || back.Role != "verifier" {
		t.Fatalf("written verifier config does not read back: %v\n%s", err, out)
	}
}

func TestVerifierPlanHasNoServerFiles(t *testing.T) {
	for _, alg := range []string{"HS256", "RS256"} {
		cfg := Defaults()
		cfg.Role, cfg.Alg, cfg.Framework, cfg.Example = "verifier", alg, "echo", true
		d := newData(cfg)
		var outs []string
		for _, e := range plan {
			if e.When(d) {
				outs = append(outs, e.Template)
			}
		}
		joined := strings.Join(outs, " ")
		for _, server := range []string{"core/handlers.go.tmpl", "core/store.go.tmpl", "store/", "core/auth.go.tmpl", "framework/echo.go.tmpl", "example/main.go.tmpl"} {
			if strings.Contains(joined, server) {
				t.Errorf("%s verifier plan has %s: %s", alg, server, joined)
			}
		}
		for _, want := range []string{"verifier/verifier.go.tmpl", "verifier/verifier_echo.go.tmpl", "verifier/main.go.tmpl"} {
			if !strings.Contains(joined, want) {
				t.Errorf("%s verifier plan lacks %s", alg, want)
			}
		}
		if hasKeyring := strings.Contains(joined, "core/keyring_file.go.tmpl"); hasKeyring != (alg == "HS256") {
			t.Errorf("%s verifier: keyring file code %v; want it for HS256 only", alg, hasKeyring)
		}
	}
}
