package generator

import (
	"fmt"
	"slices"
	"strings"
)

// Prompter asks the user one question at a time. The command implements it
// on a terminal; tests implement it with scripted answers.
type Prompter interface {
	// Select asks for one of options, def preselected.
	Select(question string, options []string, def string) (string, error)
	// MultiSelect asks for any number of options, defs preselected.
	MultiSelect(question string, options []string, defs []string) ([]string, error)
	// Input asks for free text, def prefilled; validate rejects an answer
	// with a message and the question is asked again.
	Input(question, def string, validate func(string) error) (string, error)
}

// Question is one choice init asks about when no flag answered it. Key is
// the jwtgen.yaml key, which is also the flag's name.
type Question struct {
	Key  string
	Text string
}

// Questions lists what init asks, in order.
var Questions = []Question{
	{"framework", "Web framework"},
	{"store", "Session and user store"},
	{"transport", "Token transport (header: Authorization + JSON bodies; cookie: httpOnly cookies + CSRF)"},
	{"alg", "Signing algorithm"},
	{"out", "Package directory"},
	{"prefix", "Route prefix"},
	{"providers", "Social login providers (space to toggle)"},
}

// asked reports whether the question has anything to choose from.
func (q Question) asked() bool {
	return q.Key != "providers" || len(ProviderTypes) > 0
}

// Unanswered returns the flags for the questions that neither a flag (set
// holds the keys given as flags) nor --yes answered.
func Unanswered(set map[string]bool) []string {
	var flags []string
	for _, q := range Questions {
		if q.asked() && !set[q.Key] {
			flags = append(flags, "--"+q.Key)
		}
	}
	return flags
}

// Ask puts every question that set does not already answer to p, with cfg's
// current values as defaults, and stores the answers in cfg.
func Ask(p Prompter, cfg *Config, set map[string]bool) error {
	for _, q := range Questions {
		if !q.asked() || set[q.Key] {
			continue
		}
		var err error
		switch q.Key {
		case "framework":
			cfg.Framework, err = p.Select(q.Text, Frameworks, cfg.Framework)
		case "store":
			cfg.Store, err = p.Select(q.Text, Stores, cfg.Store)
		case "transport":
			cfg.Transport, err = p.Select(q.Text, Transports, cfg.Transport)
		case "alg":
			cfg.Alg, err = p.Select(q.Text, Algorithms, cfg.Alg)
		case "out":
			cfg.Out, err = p.Input(q.Text, cfg.Out, func(s string) error { return plain(validOut(s)) })
		case "prefix":
			cfg.Prefix, err = p.Input(q.Text, cfg.Prefix, func(s string) error { return plain(validPrefix(s)) })
		case "providers":
			var names []string
			names, err = p.MultiSelect(q.Text, ProviderTypes, providerNames(cfg.Providers))
			if err == nil {
				cfg.Providers, err = ParseProviders(strings.Join(names, ","))
			}
		}
		if err != nil {
			return fmt.Errorf("asking for %s: %w", q.Key, err)
		}
	}
	return nil
}

// plain drops the file name from a validation error, for showing it beside
// a prompt.
func plain(err error) error {
	if ve, ok := err.(*ValidationError); ok {
		if ve.Reason != "" {
			return fmt.Errorf("%s", ve.Reason)
		}
		return fmt.Errorf("%q is not supported (allowed: %s)", ve.Value, strings.Join(ve.Allowed, ", "))
	}
	return err
}

func providerNames(ps []Provider) []string {
	var names []string
	for _, p := range ps {
		if slices.Contains(ProviderTypes, p.Name) {
			names = append(names, p.Name)
		}
	}
	return names
}

// ParseProviders reads the --providers flag: comma-separated names of known
// providers ("google,github"), or name=type for a generic one ("okta=oidc").
func ParseProviders(s string) ([]Provider, error) {
	var ps []Provider
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, typ, ok := strings.Cut(item, "=")
		if !ok {
			typ = name
		}
		ps = append(ps, Provider{Name: name, Type: typ})
	}
	return ps, nil
}
