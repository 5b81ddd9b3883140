package generator

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// verifierKeys are the jwtgen.yaml keys that mean something for a verifier.
var verifierKeys = []string{"version", "jwtgen_version", "module", "role", "framework", "alg", "out", "example"}

// Verifier reports whether the package is a token verifier for a service
// other than the auth server.
func (d *data) Verifier() bool { return d.caps&capVerifier != 0 }

// verifierShared are the server's templates a verifier uses too, with the
// condition under which it does: the signing algorithm and, for HS256, the
// keyring file it shares with the auth server.
var verifierShared = map[string]func(*data) bool{
	"core/keyring.go.tmpl":         not((*data).Asymmetric),
	"core/keyring_file.go.tmpl":    not((*data).Asymmetric),
	"core/keyring_watch.go.tmpl":   not((*data).Asymmetric),
	"core/keys_hmac.go.tmpl":       always,
	"core/secret_strength.go.tmpl": always,
	"core/keys_rs256.go.tmpl":      always,
	"core/keys_es256.go.tmpl":      always,
	"core/keys_eddsa.go.tmpl":      always,
	"tool/generate.go.tmpl":        always,
}

// forRoles adds the role to every row's condition: rows of verifier/
// templates are the verifier's, the rows of verifierShared a verifier's
// under their condition, every other row the server's.
func forRoles(plan []entry) []entry {
	for i, e := range plan {
		server := not((*data).Verifier)
		switch shared, ok := verifierShared[e.Template]; {
		case strings.HasPrefix(e.Template, "verifier/"):
			plan[i].When = every(e.When, (*data).Verifier)
		case ok:
			plan[i].When = every(e.When, func(d *data) bool { return server(d) || shared(d) })
		default:
			plan[i].When = every(e.When, server)
		}
	}
	return plan
}

// checkRoleKeys refuses, in a verifier's jwtgen.yaml, a key that only the
// auth server uses, naming it.
func checkRoleKeys(m *yaml.Node) error {
	verifier := false
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "role" && verifierRole(m.Content[i+1].Value) {
			verifier = true
		}
	}
	if !verifier {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; !slices.Contains(verifierKeys, k.Value) {
			return &validationError{Key: k.Value, Line: k.Line, Reason: "is not used by a verifier (role: verifier)", Allowed: verifierKeys}
		}
	}
	return nil
}

// verifierConfig is what jwtgen.yaml holds for a verifier.
type verifierConfig struct {
	Version       int    `yaml:"version"`
	JwtgenVersion string `yaml:"jwtgen_version,omitempty"`
	Module        string `yaml:"module,omitempty"`
	Role          string `yaml:"role"`
	Framework     string `yaml:"framework"`
	Alg           string `yaml:"alg"`
	Out           string `yaml:"out"`
	Example       bool   `yaml:"example,omitempty"`
}

// forYAML is what marshal writes: only a verifier's keys for a verifier.
func (c *Config) forYAML() any {
	if !verifierRole(c.Role) {
		return c
	}
	return verifierConfig{c.Version, c.JwtgenVersion, c.Module, c.Role, c.Framework, c.Alg, c.Out, c.Example}
}

// usedByRole reports whether a jwtgen.yaml key means something for cfg's
// role, so that init asks a verifier nothing about stores or transports.
func usedByRole(cfg *Config, key string) bool {
	return !verifierRole(cfg.Role) || slices.Contains(verifierKeys, key)
}

// verifierRole reports whether the role named role only checks tokens
// (the registry's capability, not the value's name).
func verifierRole(role string) bool {
	v, ok := optionByKey("role").value(role)
	return ok && v.caps&capVerifier != 0
}
