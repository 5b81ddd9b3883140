package generator

import (
	"errors"
	"strings"
	"testing"
)

func TestParseConfigAcceptsValidFiles(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want func(Config) bool
	}{
		{"minimal file takes defaults", "version: 1\n", func(c Config) bool {
			return c.Framework == "nethttp" && c.Store == "sqlite" && c.Transport == "header" && c.Alg == "HS256" && c.Revocation == "expiry" && c.Out == "internal/auth" && c.Prefix == "/api/auth"
		}},
		{"every key", "version: 1\njwtgen_version: v0.1.0\nframework: nethttp\nstore: memory\ntransport: header\nalg: ES256\nout: pkg/authn\nprefix: /auth\nrevocation: strict\nexample: true\n", func(c Config) bool {
			return c.Store == "memory" && c.Alg == "ES256" && c.Out == "pkg/authn" && c.Prefix == "/auth" && c.Revocation == "strict" && c.Example && c.JwtgenVersion == "v0.1.0"
		}},
		{"comments and empty providers", "# comment\nversion: 1 # trailing\nproviders: []\n", func(c Config) bool { return len(c.Providers) == 0 }},
		{"null providers", "version: 1\nproviders:\n", func(c Config) bool { return len(c.Providers) == 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig([]byte(tt.yaml))
			if err != nil {
				t.Fatalf("ParseConfig: %v", err)
			}
			if !tt.want(c) {
				t.Errorf("unexpected config %+v", c)
			}
		})
	}
}

// TestParseConfigErrorsNameKeyLineAndAllowedValues checks that every
// rejection says where the problem is and what would be accepted.
func TestParseConfigErrorsNameKeyLineAndAllowedValues(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // substrings of the error
	}{
		{"invalid YAML", "version: 1\nstore: [memory\n", []string{"jwtgen.yaml", "invalid YAML"}},
		{"tab indentation", "version: 1\n\tstore: memory\n", []string{"invalid YAML"}},
		{"empty file", "", []string{"version", "required", "allowed: 1"}},
		{"missing version", "store: memory\n", []string{"version", "required"}},
		{"unsupported version", "version: 2\n", []string{"jwtgen.yaml:1: version", "allowed: 1"}},
		{"version not a number", "version: one\n", []string{"jwtgen.yaml:1: version", "wrong type"}},
		{"unknown key", "version: 1\nstorage: memory\n", []string{"jwtgen.yaml:2: storage: unknown key", "allowed: version, jwtgen_version, module, framework, store"}},
		{"duplicate key", "version: 1\nstore: memory\nstore: sqlite\n", []string{"already defined"}},
		{"unknown framework", "version: 1\nframework: django\n", []string{"jwtgen.yaml:2: framework", `"django" is not supported`, "allowed: nethttp, chi, gin, echo, fiber"}},
		{"unknown store", "version: 1\n\nstore: mongo\n", []string{"jwtgen.yaml:3: store", `"mongo"`, "allowed: memory, sqlite, postgres, mysql, redis"}},
		{"unknown transport", "version: 1\ntransport: query\n", []string{"jwtgen.yaml:2: transport", "allowed: header, cookie, both"}},
		{"unknown algorithm", "version: 1\nalg: none\n", []string{"jwtgen.yaml:2: alg", `"none"`, "allowed: HS256, RS256, ES256, EdDSA"}},
		{"algorithm case matters", "version: 1\nalg: hs256\n", []string{"jwtgen.yaml:2: alg"}},
		{"unknown revocation", "version: 1\nrevocation: sometimes\n", []string{"jwtgen.yaml:2: revocation", "allowed: expiry, strict"}},
		{"unknown provider", "version: 1\nproviders:\n  - myspace\n", []string{"jwtgen.yaml:3: providers[0]", `"myspace"`, "allowed: google,"}},
		{"unknown provider type", "version: 1\nproviders:\n  - google\n  - {name: corp, type: saml}\n", []string{"jwtgen.yaml:4: providers[1]", `"saml"`}},
		{"provider list item not a name", "version: 1\nproviders:\n  - [google]\n", []string{"jwtgen.yaml:3: providers[0]", "provider name"}},
		{"provider mapping with unknown key", "version: 1\nproviders:\n  - name: okta\n    issuer: x\n", []string{"jwtgen.yaml:4: providers[0].issuer: unknown key", "allowed: name, type"}},
		{"providers not a list", "version: 1\nproviders: google\n", []string{"jwtgen.yaml:2: providers", "must be a list"}},
		{"scalar key given a list", "version: 1\nstore: [memory]\n", []string{"jwtgen.yaml:2: store", "single value"}},
		{"absolute out", "version: 1\nout: /etc/auth\n", []string{"jwtgen.yaml:2: out", "not absolute"}},
		{"out escapes module", "version: 1\nout: ../auth\n", []string{"jwtgen.yaml:2: out", "outside the module"}},
		{"out not clean", "version: 1\nout: internal/../../auth\n", []string{"jwtgen.yaml:2: out", "not clean"}},
		{"out is the root", "version: 1\nout: .\n", []string{"jwtgen.yaml:2: out", "package directory"}},
		{"out ignored by go build", "version: 1\nout: internal/_auth\n", []string{"jwtgen.yaml:2: out", "ignores"}},
		{"out in testdata", "version: 1\nout: testdata/auth\n", []string{"jwtgen.yaml:2: out", "ignores"}},
		{"out not a package name", "version: 1\nout: internal/my auth\n", []string{"jwtgen.yaml:2: out", "not a valid Go package directory"}},
		{"prefix without slash", "version: 1\nprefix: api/auth\n", []string{"jwtgen.yaml:2: prefix", "starts with /"}},
		{"prefix with trailing slash", "version: 1\nprefix: /api/\n", []string{"jwtgen.yaml:2: prefix"}},
		{"prefix with pattern characters", "version: 1\nprefix: /api/{id}\n", []string{"jwtgen.yaml:2: prefix"}},
		{"document not a mapping", "- version\n", []string{"mapping"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tt.yaml))
			if err == nil {
				t.Fatalf("ParseConfig accepted:\n%s", tt.yaml)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestValidateRefusesContradictoryProviders covers provider lists that
// cannot be rendered.
func TestValidateRefusesContradictoryProviders(t *testing.T) {
	tests := []struct {
		name      string
		providers []Provider
		want      string
	}{
		{"listed twice", []Provider{{"google", "google"}, {"google", "google"}}, "listed twice"},
		{"built-in name with another type", []Provider{{"google", "oidc"}}, "belongs to the built-in google provider"},
		{"name unusable in an environment variable", []Provider{{"my-idp", "oidc"}}, "lowercase letters and digits"},
		{"built-in type under another name", []Provider{{"work", "google"}}, "must be named google (only oidc providers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Defaults()
			c.Providers = tt.providers
			err := c.validate()
			var ve *validationError
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(ve.Key, "providers[") {
				t.Fatalf("Validate() = %v, want a providers[i] error containing %q", err, tt.want)
			}
		})
	}
	c := Defaults()
	c.Providers = []Provider{{"google", "google"}, {"okta", "oidc"}}
	if err := c.validate(); err != nil {
		t.Errorf("valid providers refused: %v", err)
	}
}

func TestConfigRoundTripsThroughMarshal(t *testing.T) {
	c := Defaults()
	c.JwtgenVersion = "v1.2.3"
	c.Store = "memory"
	c.Example = true
	raw, err := c.marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseConfig(raw)
	if err != nil {
		t.Fatalf("ParseConfig of Marshal output: %v\n%s", err, raw)
	}
	if got.Store != c.Store || got.JwtgenVersion != c.JwtgenVersion || !got.Example || got.Version != 1 {
		t.Errorf("round trip lost data: %+v\n%s", got, raw)
	}
}
