package generator

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ConfigFile is the name of the configuration file at the module root.
const ConfigFile = "jwtgen.yaml"

// Allowed values of the enumerated options. A value is listed here only when
// its templates exist.
var (
	Frameworks     = []string{"nethttp", "chi", "gin", "echo", "fiber"}
	Stores         = []string{"memory", "sqlite", "postgres", "mysql", "redis"}
	Transports     = []string{"header", "cookie", "both"}
	Algorithms     = []string{"HS256", "RS256", "ES256", "EdDSA"}
	ProviderTypes  = []string{"google", "microsoft", "gitlab", "apple", "oidc", "github", "discord"}
	Revocations    = []string{"expiry", "strict"}
	Features       = []string{"mfa"}
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
	// Features lists the optional feature sets generated beside the core
	// (mfa: TOTP, recovery codes, step-up).
	Features []string `yaml:"features,omitempty"`
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

// EnvPrefix is the prefix of the provider's environment variables
// (GOOGLE for google, OKTA for okta).
func (p Provider) EnvPrefix() string {
	return strings.ToUpper(p.Name)
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
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return Config{}, fmt.Errorf("%s: invalid YAML: %w", ConfigFile, err)
	}
	lines := map[string]int{}
	if err := checkKeys(&root, lines); err != nil {
		return Config{}, err
	}
	cfg := Defaults()
	cfg.Version = 0
	if err := root.Content[0].Decode(&cfg); err != nil {
		return Config{}, describeDecodeError(err, lines)
	}
	if err := cfg.Validate(); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) && ve.Line == 0 {
			ve.Line = lines[ve.Key]
		}
		return Config{}, err
	}
	return cfg, nil
}

// ConfigKeys lists the keys jwtgen.yaml accepts, in the order Marshal
// writes them.
func ConfigKeys() []string {
	t := reflect.TypeFor[Config]()
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		keys = append(keys, name)
	}
	return keys
}

// checkKeys verifies that the document is a mapping of known keys (and that
// providers are names or {name, type} mappings), recording the line of every
// key and provider entry in lines ("providers[0]", ...).
func checkKeys(root *yaml.Node, lines map[string]int) error {
	if root.Kind == 0 || len(root.Content) == 0 {
		return &ValidationError{Key: "version", Reason: "the file is empty; version is required", Allowed: []string{"1"}}
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return &ValidationError{Key: "(document)", Line: m.Line, Reason: "must be a mapping of keys to values"}
	}
	allowed := ConfigKeys()
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if !slices.Contains(allowed, k.Value) {
			return &ValidationError{Key: k.Value, Line: k.Line, Reason: "unknown key", Allowed: allowed}
		}
		lines[k.Value] = k.Line
		if k.Value == "features" {
			if v.Kind == yaml.SequenceNode || v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				for j, item := range v.Content {
					lines[fmt.Sprintf("features[%d]", j)] = item.Line
				}
				continue
			}
			return &ValidationError{Key: "features", Line: v.Line, Reason: "must be a list (e.g. [mfa])"}
		}
		if k.Value != "providers" {
			if v.Kind != yaml.ScalarNode {
				return &ValidationError{Key: k.Value, Line: v.Line, Reason: "must be a single value, not a list or mapping"}
			}
			continue
		}
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			continue
		}
		if v.Kind != yaml.SequenceNode {
			return &ValidationError{Key: "providers", Line: v.Line, Reason: "must be a list (e.g. [google, github])"}
		}
		for j, item := range v.Content {
			key := fmt.Sprintf("providers[%d]", j)
			lines[key] = item.Line
			switch item.Kind {
			case yaml.ScalarNode:
			case yaml.MappingNode:
				for n := 0; n+1 < len(item.Content); n += 2 {
					if f := item.Content[n]; f.Value != "name" && f.Value != "type" {
						return &ValidationError{Key: key + "." + f.Value, Line: f.Line, Reason: "unknown key", Allowed: []string{"name", "type"}}
					}
				}
			default:
				return &ValidationError{Key: key, Line: item.Line, Reason: "must be a provider name or a {name, type} mapping"}
			}
		}
	}
	return nil
}

// describeDecodeError turns yaml's type errors ("line 3: cannot unmarshal
// !!str `x` into int") into errors that also name the key.
func describeDecodeError(err error, lines map[string]int) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) || len(te.Errors) == 0 {
		return fmt.Errorf("%s: %w", ConfigFile, err)
	}
	msg := te.Errors[0]
	var line int
	if _, err := fmt.Sscanf(msg, "line %d:", &line); err == nil {
		for key, l := range lines {
			if l == line && !strings.Contains(key, "[") {
				_, detail, _ := strings.Cut(msg, ": ")
				return &ValidationError{Key: key, Line: line, Reason: "wrong type: " + detail}
			}
		}
	}
	return fmt.Errorf("%s: %s", ConfigFile, msg)
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

// planned lists values jwtgen is designed for whose templates are not in
// this version yet, so that asking for one gets a clear answer.
var planned = map[string][]string{
	"framework": {"nethttp", "chi", "gin", "echo", "fiber"},
	"store":     {"memory", "sqlite", "postgres", "mysql", "redis"},
	"transport": {"header", "cookie", "both"},
	"providers": append([]string{"oidc"}, knownProviders...),
	"features":  {"accounts", "mfa"},
}

func oneOf(key, value string, allowed []string) error {
	if slices.Contains(allowed, value) {
		return nil
	}
	family, _, _ := strings.Cut(key, "[")
	if slices.Contains(planned[family], value) {
		return &ValidationError{Key: key, Value: value, Allowed: allowed, Reason: fmt.Sprintf("%q has no templates in this version of jwtgen yet", value)}
	}
	return &ValidationError{Key: key, Value: value, Allowed: allowed}
}

// Validate checks every option.
func (c *Config) Validate() error {
	if c.Version == 0 {
		return &ValidationError{Key: "version", Reason: "is required", Allowed: []string{"1"}}
	}
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
	if err := validPrefix(c.Prefix); err != nil {
		return err
	}
	for i, f := range c.Features {
		if err := oneOf(fmt.Sprintf("features[%d]", i), f, Features); err != nil {
			return err
		}
		if slices.Index(c.Features, f) != i {
			return &ValidationError{Key: fmt.Sprintf("features[%d]", i), Value: f, Reason: fmt.Sprintf("feature %q is listed twice", f)}
		}
	}
	seen := map[string]bool{}
	for i, p := range c.Providers {
		key := fmt.Sprintf("providers[%d]", i)
		if err := oneOf(key, p.Type, ProviderTypes); err != nil {
			return err
		}
		if !validProviderName(p.Name) {
			return &ValidationError{Key: key, Value: p.Name, Reason: fmt.Sprintf("name %q must be lowercase letters and digits, starting with a letter (it names the %s_CLIENT_ID variable and the /oauth/%s route)", p.Name, strings.ToUpper(p.Name), p.Name)}
		}
		if slices.Contains(knownProviders, p.Name) && p.Type != p.Name {
			return &ValidationError{Key: key, Value: p.Name, Reason: fmt.Sprintf("name %q belongs to the built-in %s provider and cannot have type %q; pick another name", p.Name, p.Name, p.Type)}
		}
		if p.Type != "oidc" && p.Name != p.Type {
			return &ValidationError{Key: key, Value: p.Name, Reason: fmt.Sprintf("provider %q of type %s must be named %s (only oidc providers take a name of their own)", p.Name, p.Type, p.Type)}
		}
		if seen[p.Name] {
			return &ValidationError{Key: key, Value: p.Name, Reason: fmt.Sprintf("provider %q is listed twice", p.Name)}
		}
		seen[p.Name] = true
	}
	return nil
}

func validProviderName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func validPrefix(prefix string) error {
	ok := strings.HasPrefix(prefix, "/") && !strings.HasSuffix(prefix, "/") && !strings.Contains(prefix, "//")
	for _, r := range prefix {
		if !(r == '/' || r == '-' || r == '_' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			ok = false
		}
	}
	if !ok {
		return &ValidationError{Key: "prefix", Value: prefix, Reason: fmt.Sprintf("%q must be a path of letters, digits, - _ . that starts with / and does not end with / (e.g. /api/auth)", prefix)}
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
		if strings.HasPrefix(seg, "_") || strings.HasPrefix(seg, ".") || seg == "testdata" || seg == "vendor" {
			return bad(fmt.Sprintf("has segment %q, which the go command ignores", seg))
		}
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
	b.WriteString("# yaml-language-server: $schema=" + SchemaURL + "\n")
	b.WriteString("# jwtgen configuration: every choice that shapes the generated auth package.\n# Edit it, then run `go generate ./...` (or `jwtgen generate`). Secrets never go here.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
