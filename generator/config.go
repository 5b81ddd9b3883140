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
	Tests         string     `yaml:"tests"`
	// Role is server (the default, also when empty) or verifier.
	Role string `yaml:"role,omitempty"`
	// Features are optional parts of the package ("accounts", "mfa").
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

// NeedsSecret reports whether the provider requires a client secret.
func (p Provider) NeedsSecret() bool { return providerCaps(p.Type)&capNeedsSecret != 0 }

// Defaults returns a Config with every option at its default.
func Defaults() Config {
	c := Config{Version: 1}
	for _, o := range options {
		if o.def != "" {
			o.set(&c, []string{o.def})
		}
	}
	return c
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
	if err := checkRoleKeys(root.Content[0]); err != nil {
		return Config{}, err
	}
	cfg := Defaults()
	cfg.Version = 0
	if err := root.Content[0].Decode(&cfg); err != nil {
		return Config{}, describeDecodeError(err, lines)
	}
	if err := cfg.validate(); err != nil {
		var ve *validationError
		if errors.As(err, &ve) && ve.Line == 0 {
			ve.Line = lines[ve.Key]
		}
		return Config{}, err
	}
	return cfg, nil
}

// ConfigKeys lists the keys jwtgen.yaml accepts, in the order Marshal
// writes them.
func configKeys() []string {
	t := reflect.TypeFor[Config]()
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		keys = append(keys, name)
	}
	return keys
}

// checkKeys verifies that the document is a mapping of known keys (lists
// for list options, whose providers are names or {name, type} mappings), recording the line of every
// key and provider entry in lines ("providers[0]", ...).
func checkKeys(root *yaml.Node, lines map[string]int) error {
	if root.Kind == 0 || len(root.Content) == 0 {
		return &validationError{Key: "version", Reason: "the file is empty; version is required", Allowed: []string{"1"}}
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return &validationError{Key: "(document)", Line: m.Line, Reason: "must be a mapping of keys to values"}
	}
	allowed := configKeys()
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if !slices.Contains(allowed, k.Value) {
			return &validationError{Key: k.Value, Line: k.Line, Reason: "unknown key", Allowed: allowed}
		}
		lines[k.Value] = k.Line
		if !isList(k.Value) {
			if v.Kind != yaml.ScalarNode {
				return &validationError{Key: k.Value, Line: v.Line, Reason: "must be a single value, not a list or mapping"}
			}
			continue
		}
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			continue
		}
		if v.Kind != yaml.SequenceNode {
			return &validationError{Key: k.Value, Line: v.Line, Reason: fmt.Sprintf("must be a list (e.g. [%s])", strings.Join(optionByKey(k.Value).names()[:2], ", "))}
		}
		for j, item := range v.Content {
			key := fmt.Sprintf("%s[%d]", k.Value, j)
			lines[key] = item.Line
			switch {
			case item.Kind == yaml.ScalarNode:
			case item.Kind == yaml.MappingNode && k.Value == "providers":
				for n := 0; n+1 < len(item.Content); n += 2 {
					if f := item.Content[n]; f.Value != "name" && f.Value != "type" {
						return &validationError{Key: key + "." + f.Value, Line: f.Line, Reason: "unknown key", Allowed: []string{"name", "type"}}
					}
				}
			default:
				if k.Value == "providers" {
					return &validationError{Key: key, Line: item.Line, Reason: "must be a provider name or a {name, type} mapping"}
				}
				return &validationError{Key: key, Line: item.Line, Reason: "must be a single value", Allowed: optionByKey(k.Value).names()}
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
				return &validationError{Key: key, Line: line, Reason: "wrong type: " + detail}
			}
		}
	}
	return fmt.Errorf("%s: %s", ConfigFile, msg)
}

// ValidationError names the offending key, its line in jwtgen.yaml (0 when
// not from a file) and the allowed values.
type validationError struct {
	Key     string
	Line    int
	Value   string
	Allowed []string
	Reason  string
}

func (e *validationError) Error() string {
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

// isList reports whether a jwtgen.yaml key takes a list.
func isList(key string) bool {
	for _, o := range options {
		if o.key == key {
			return o.list
		}
	}
	return false
}

// validate checks every option against the registry.
func (c *Config) validate() error {
	if c.Version == 0 {
		return &validationError{Key: "version", Reason: "is required", Allowed: []string{"1"}}
	}
	if c.Version != 1 {
		return &validationError{Key: "version", Value: fmt.Sprint(c.Version), Allowed: []string{"1"}, Reason: fmt.Sprintf("schema version %d is not supported", c.Version)}
	}
	for _, o := range options {
		if err := o.check(c); err != nil {
			return err
		}
	}
	return c.checkProviderNames()
}

// checkProviderNames checks what the registry's list of types cannot: a
// provider's name and type agree and no name is listed twice.
func (c *Config) checkProviderNames() error {
	seen := map[string]bool{}
	for i, p := range c.Providers {
		key := fmt.Sprintf("providers[%d]", i)
		named := providerCaps(p.Type)&capNamed != 0
		if !validProviderName(p.Name) {
			return &validationError{Key: key, Value: p.Name, Reason: fmt.Sprintf("name %q must be lowercase letters and digits, starting with a letter (it names the %s_CLIENT_ID variable and the /oauth/%s route)", p.Name, strings.ToUpper(p.Name), p.Name)}
		}
		if builtin, ok := optionByKey("providers").value(p.Name); ok && builtin.caps&capNamed == 0 && p.Type != p.Name {
			return &validationError{Key: key, Value: p.Name, Reason: fmt.Sprintf("name %q belongs to the built-in %s provider and cannot have type %q; pick another name", p.Name, p.Name, p.Type)}
		}
		if !named && p.Name != p.Type {
			return &validationError{Key: key, Value: p.Name, Reason: fmt.Sprintf("provider %q of type %s must be named %s (only %s providers take a name of their own)", p.Name, p.Type, p.Type, strings.Join(namedProviderTypes(), ", "))}
		}
		if seen[p.Name] {
			return &validationError{Key: key, Value: p.Name, Reason: fmt.Sprintf("provider %q is listed twice", p.Name)}
		}
		seen[p.Name] = true
	}
	return nil
}

// namedProviderTypes are the provider types that take a name of their own.
func namedProviderTypes() []string {
	var types []string
	for _, v := range optionByKey("providers").values {
		if v.caps&capNamed != 0 {
			types = append(types, v.name)
		}
	}
	return types
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
		return &validationError{Key: "prefix", Value: prefix, Reason: fmt.Sprintf("%q must be a path of letters, digits, - _ . that starts with / and does not end with / (e.g. /api/auth)", prefix)}
	}
	return nil
}

func validOut(out string) error {
	bad := func(why string) error {
		return &validationError{Key: "out", Value: out, Reason: fmt.Sprintf("%q %s", out, why)}
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

// marshal renders the config as jwtgen.yaml.
func (c *Config) marshal() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("# yaml-language-server: $schema=" + schemaURL + "\n")
	b.WriteString("# jwtgen configuration: every choice that shapes the generated auth package.\n# Edit it, then run `go generate ./...` (or `jwtgen generate`). Secrets never go here.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(c.forYAML()); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
