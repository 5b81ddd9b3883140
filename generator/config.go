package generator

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ConfigFile is the name of the configuration file at the module root.
const ConfigFile = "jwtgen.yaml"

// Allowed values of the enumerated options. A value is listed here only when
// its templates exist.
var (
	Frameworks     = []string{"nethttp"}
	Stores         = []string{"memory", "sqlite"}
	Transports     = []string{"header"}
	Algorithms     = []string{"HS256", "RS256", "ES256", "EdDSA"}
	ProviderTypes  = []string{}
	Revocations    = []string{"expiry", "strict"}
	knownProviders = []string{"google", "github", "microsoft", "gitlab", "discord", "apple"}
)

// Defaults used when an option is left out.
const (
	DefaultFramework  = "nethttp"
	DefaultStore      = "sqlite"
	DefaultTransport  = "header"
	DefaultAlg        = "HS256"
	DefaultOut        = "internal/auth"
	DefaultPrefix     = "/api/auth"
	DefaultRevocation = "expiry"
)

// Config is the content of jwtgen.yaml: every choice that shapes the
// generated code. Secrets never go here.
type Config struct {
	Version       int        `yaml:"version"`
	JwtgenVersion string     `yaml:"jwtgen_version,omitempty"`
	Module        string     `yaml:"module,omitempty"`
	Framework     string     `yaml:"framework"`
	Store         string     `yaml:"store"`
	Transport     string     `yaml:"transport"`
	Alg           string     `yaml:"alg"`
	Providers     []Provider `yaml:"providers,omitempty"`
	Out           string     `yaml:"out"`
	Prefix        string     `yaml:"prefix"`
	Revocation    string     `yaml:"revocation"`
	// Example is true when init wrote a runnable example server (main.go).
	Example bool `yaml:"example,omitempty"`
}

// Provider is one social-login provider. Known providers are named by their
// type (google, github...); generic OIDC issuers have a name of their own and
// type oidc.
type Provider struct {
	Name string `yaml:"name"`
	Type string `yaml:"type"`
}

// Defaults returns a Config with every option at its default.
func Defaults() Config {
	return Config{
		Version:    1,
		Framework:  DefaultFramework,
		Store:      DefaultStore,
		Transport:  DefaultTransport,
		Alg:        DefaultAlg,
		Out:        DefaultOut,
		Prefix:     DefaultPrefix,
		Revocation: DefaultRevocation,
	}
}

// ParseConfig decodes jwtgen.yaml. Unknown keys and invalid values are errors
// that name the key, the line and what is allowed.
func ParseConfig(data []byte) (Config, error) {
	cfg := Defaults()
	cfg.Version = 0
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return Config{}, fmt.Errorf("%s: invalid YAML: %w", ConfigFile, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return Config{}, fmt.Errorf("%s: %w", ConfigFile, err)
	}
	lines := keyLines(&root)
	if err := cfg.Validate(); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			ve.Line = lines[ve.Key]
		}
		return Config{}, err
	}
	return cfg, nil
}

// keyLines maps each top-level key of the document to its line.
func keyLines(root *yaml.Node) map[string]int {
	lines := map[string]int{}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return lines
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return lines
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		lines[m.Content[i].Value] = m.Content[i].Line
	}
	return lines
}

// ValidationError names the offending key, its line in jwtgen.yaml (0 when
// not from a file) and the allowed values.
type ValidationError struct {
	Key     string
	Line    int
	Value   string
	Allowed []string
	Reason  string
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(ConfigFile)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	fmt.Fprintf(&b, ": %s: ", e.Key)
	if e.Reason != "" {
		b.WriteString(e.Reason)
	} else {
		fmt.Fprintf(&b, "%q is not supported", e.Value)
	}
	if len(e.Allowed) > 0 {
		fmt.Fprintf(&b, " (allowed: %s)", strings.Join(e.Allowed, ", "))
	}
	return b.String()
}

func oneOf(key, value string, allowed []string) error {
	if slices.Contains(allowed, value) {
		return nil
	}
	return &ValidationError{Key: key, Value: value, Allowed: allowed}
}

// Validate checks every option.
func (c *Config) Validate() error {
	if c.Version != 1 {
		return &ValidationError{Key: "version", Value: fmt.Sprint(c.Version), Allowed: []string{"1"}, Reason: fmt.Sprintf("schema version %d is not supported", c.Version)}
	}
	for _, check := range []struct {
		key, value string
		allowed    []string
	}{
		{"framework", c.Framework, Frameworks},
		{"store", c.Store, Stores},
		{"transport", c.Transport, Transports},
		{"alg", c.Alg, Algorithms},
		{"revocation", c.Revocation, Revocations},
	} {
		if err := oneOf(check.key, check.value, check.allowed); err != nil {
			return err
		}
	}
	if err := validOut(c.Out); err != nil {
		return err
	}
	if !strings.HasPrefix(c.Prefix, "/") || strings.HasSuffix(c.Prefix, "/") || strings.ContainsAny(c.Prefix, " {}?#*") {
		return &ValidationError{Key: "prefix", Value: c.Prefix, Reason: fmt.Sprintf("%q must be a path that starts with / and does not end with / (e.g. /api/auth)", c.Prefix)}
	}
	seen := map[string]bool{}
	for _, p := range c.Providers {
		if err := oneOf("providers", p.Type, ProviderTypes); err != nil {
			return err
		}
		if seen[p.Name] {
			return &ValidationError{Key: "providers", Value: p.Name, Reason: fmt.Sprintf("provider %q is listed twice", p.Name)}
		}
		seen[p.Name] = true
	}
	return nil
}

func validOut(out string) error {
	bad := func(why string) error {
		return &ValidationError{Key: "out", Value: out, Reason: fmt.Sprintf("%q %s", out, why)}
	}
	switch {
	case out == "" || out == ".":
		return bad("must name a package directory inside the module (e.g. internal/auth)")
	case path.IsAbs(out) || strings.HasPrefix(out, `\`) || (len(out) > 1 && out[1] == ':'):
		return bad("must be a path relative to the module root, not absolute")
	case path.Clean(out) != out:
		return bad(fmt.Sprintf("is not clean; write %q", path.Clean(out)))
	case out == ".." || strings.HasPrefix(out, "../"):
		return bad("points outside the module")
	}
	for _, seg := range strings.Split(out, "/") {
		if !isIdent(strings.ReplaceAll(seg, "-", "_")) {
			return bad(fmt.Sprintf("has segment %q, which is not a valid Go package directory name", seg))
		}
	}
	return nil
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// UnmarshalYAML accepts a provider as a bare known name ("google") or as a
// mapping ({name: okta, type: oidc}).
func (p *Provider) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		p.Name, p.Type = n.Value, n.Value
		return nil
	}
	type plain Provider
	var v plain
	if err := n.Decode(&v); err != nil {
		return err
	}
	*p = Provider(v)
	if p.Type == "" {
		p.Type = p.Name
	}
	if p.Name == "" {
		p.Name = p.Type
	}
	return nil
}

// MarshalYAML writes a known provider as its bare name.
func (p Provider) MarshalYAML() (any, error) {
	if p.Name == p.Type {
		return p.Name, nil
	}
	type plain Provider
	return plain(p), nil
}

// Marshal renders the config as jwtgen.yaml.
func (c *Config) Marshal() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("# jwtgen configuration: every choice that shapes the generated auth package.\n# Edit and run `go generate` (or `jwtgen generate`). Secrets never go here.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
