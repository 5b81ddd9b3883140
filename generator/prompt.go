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

// Unanswered returns the flags for the questions that neither a flag (set
// holds the keys given as flags) nor --yes answered.
func Unanswered(set map[string]bool) []string {
	var flags []string
	for _, o := range options {
		if o.question != "" && !set[o.key] {
			flags = append(flags, "--"+o.key)
		}
	}
	return flags
}

// Ask puts every question of the registry that set does not already answer
// to p, with cfg's current values as defaults, and stores the answers in cfg.
func Ask(p Prompter, cfg *Config, set map[string]bool) error {
	for _, o := range options {
		if o.question == "" || set[o.key] {
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
		s, err := p.Input(o.question, first(current), func(s string) error { return plain(o.validate(s)) })
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
		if answer, err = p.MultiSelect(o.question, o.names(), defs); err != nil {
			return err
		}
	default:
		s, err := p.Select(o.question, o.names(), first(current))
		if err != nil {
			return err
		}
		answer = []string{s}
	}
	o.set(cfg, answer)
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
