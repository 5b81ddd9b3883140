package generator

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/mod/module"
)

// Prompter asks the user one question at a time. The command implements it
// on a terminal; tests implement it with scripted answers.
//
// help is the question's help text, shown when the user types `?`.
type Prompter interface {
	// Select asks for one of options, def preselected.
	Select(question, help string, options []string, def string) (string, error)
	// MultiSelect asks for any number of options, defs preselected.
	MultiSelect(question, help string, options []string, defs []string) ([]string, error)
	// Input asks for free text, def prefilled; validate rejects an answer
	// with a message and the question is asked again.
	Input(question, help, def string, validate func(string) error) (string, error)
	// Confirm asks a yes/no question, def preselected.
	Confirm(question, help string, def bool) (bool, error)
}

// Unanswered returns the flags for the questions that neither a flag (set
// holds the keys given as flags) nor --yes answered.
func unanswered(set map[string]bool, cfg *Config) []string {
	var flags []string
	for _, o := range options {
		if o.question != "" && !set[o.key] && usedByRole(cfg, o.key) {
			flags = append(flags, "--"+o.key)
		}
	}
	return flags
}

// Ask puts every question of the registry that set does not already answer
// to p, with cfg's current values as defaults, and stores the answers in cfg.
func ask(p Prompter, cfg *Config, set map[string]bool) error {
	for _, o := range options {
		if o.question == "" || set[o.key] || !usedByRole(cfg, o.key) {
			continue
		}
		if err := o.ask(p, cfg); err != nil {
			return fmt.Errorf("asking for %s: %w", o.key, err)
		}
	}
	return nil
}

// ask puts the option's question: a choice among its values, any number of
// them for a list, or free text checked like jwtgen.yaml's value.
func (o *option) ask(p Prompter, cfg *Config) error {
	current := o.get(cfg)
	var answer []string
	switch {
	case o.values == nil:
		s, err := p.Input(o.question, o.helpText(), first(current), func(s string) error { return plain(o.validate(s)) })
		if err != nil {
			return err
		}
		answer = []string{s}
	case o.list:
		var defs []string
		for _, v := range current {
			if slices.Contains(o.names(), v) {
				defs = append(defs, v)
			}
		}
		var err error
		if answer, err = p.MultiSelect(o.question, o.helpText(), o.names(), defs); err != nil {
			return err
		}
		if answer, err = o.askNames(p, answer); err != nil {
			return err
		}
	default:
		s, err := p.Select(o.question, o.helpText(), o.names(), first(current))
		if err != nil {
			return err
		}
		answer = []string{s}
	}
	o.set(cfg, answer)
	return nil
}

// helpText is the question's help (`?` on a terminal): what the option is
// for and one line per value, from the registry.
func (o *option) helpText() string {
	var b strings.Builder
	b.WriteString(strings.ToUpper(o.help[:1]) + o.help[1:] + ".")
	for _, v := range o.values {
		fmt.Fprintf(&b, "\n  %s: %s", v.name, v.doc)
		if v.caps&capNamed != 0 {
			b.WriteString(" (you are asked for its name next)")
		}
	}
	if o.values == nil && o.def != "" {
		fmt.Fprintf(&b, "\nDefault: %s.", o.def)
	}
	return b.String()
}

// askNames asks a name for each chosen provider type that takes a name of
// its own (a generic OIDC issuer), and returns the answer with those as
// name=type.
func (o *option) askNames(p Prompter, answer []string) ([]string, error) {
	if o.key != "providers" {
		return answer, nil
	}
	taken := map[string]bool{}
	for _, a := range answer {
		if providerCaps(a)&capNamed == 0 {
			taken[a] = true
		}
	}
	var out []string
	for _, a := range answer {
		if providerCaps(a)&capNamed == 0 {
			out = append(out, a)
			continue
		}
		v, _ := o.value(a)
		name, err := p.Input(
			fmt.Sprintf("Name of your %s provider (e.g. okta, corp)", a),
			fmt.Sprintf("%s: %s.\nThe name is yours: lowercase letters and digits, starting with a letter. It names the provider's route ({prefix}/oauth/NAME/...) and its settings (NAME_CLIENT_ID, NAME_ISSUER_URL, ...).", a, v.doc),
			"",
			func(s string) error {
				switch {
				case !validProviderName(s):
					return fmt.Errorf("%q: use lowercase letters and digits, starting with a letter", s)
				case taken[s]:
					return fmt.Errorf("%q is already taken", s)
				}
				if b, ok := o.value(s); ok && b.caps&capNamed == 0 {
					return fmt.Errorf("%q is a built-in provider; pick another name", s)
				}
				return nil
			})
		if err != nil {
			return nil, err
		}
		taken[name] = true
		out = append(out, name+"="+a)
	}
	return out, nil
}

// askModule asks the module path of a new module, def (the directory's
// name) prefilled.
func askModule(p Prompter, def string) (string, error) {
	return p.Input("Module path of the new module",
		"The path others import your module by, written to go.mod: usually where the code is hosted, e.g. github.com/you/app or example.com/app.",
		def, func(s string) error {
			if err := module.CheckImportPath(s); err != nil {
				return fmt.Errorf("%q is not a valid module path: %v", s, err)
			}
			return nil
		})
}

// summary lists every choice init is about to write, one per line.
func summary(cfg *Config, newModule bool) string {
	var b strings.Builder
	if newModule {
		fmt.Fprintf(&b, "  %-11s %s (new go.mod, with an example server)\n", "module", cfg.Module)
	}
	for _, o := range options {
		if !usedByRole(cfg, o.key) {
			continue
		}
		var vals []string
		if o.key == "providers" {
			for _, p := range cfg.Providers {
				if p.Name == p.Type {
					vals = append(vals, p.Name)
				} else {
					vals = append(vals, p.Name+" ("+p.Type+")")
				}
			}
		} else {
			vals = o.get(cfg)
		}
		v := cmp.Or(strings.Join(vals, ", "), o.def, "none")
		fmt.Fprintf(&b, "  %-11s %s\n", o.key, v)
	}
	return b.String()
}

// plain drops the file name from a validation error, for showing it beside
// a prompt.
func plain(err error) error {
	if ve, ok := err.(*validationError); ok {
		if ve.Reason != "" {
			return fmt.Errorf("%s", ve.Reason)
		}
		return fmt.Errorf("%q is not supported (allowed: %s)", ve.Value, strings.Join(ve.Allowed, ", "))
	}
	return err
}

// parseProviders reads providers as the --providers flag and the prompt
// give them: names of built-in providers ("google"), or name=type for a
// generic one ("okta=oidc").
func parseProviders(items []string) []Provider {
	var ps []Provider
	for _, item := range items {
		name, typ, ok := strings.Cut(item, "=")
		if !ok {
			typ = name
		}
		ps = append(ps, Provider{Name: name, Type: typ})
	}
	return ps
}
