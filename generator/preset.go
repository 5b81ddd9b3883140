package generator

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// A preset is a team's jwtgen.yaml: the options every service of the team
// standardizes on. init takes it as the defaults (flags still win), and
// generate --check --preset fails when a project departs from it on an
// option the preset fixes.

// preset is a parsed preset file and the option keys it fixes.
type preset struct {
	name string
	cfg  Config
	keys []string
}

func loadPreset(name string) (*preset, error) {
	raw, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("--preset: %w", err)
	}
	cfg, err := ParseConfig(raw)
	if err != nil {
		// ParseConfig names the file jwtgen.yaml; the mistake is in the
		// preset, so the line reference names the preset file instead.
		msg := err.Error()
		if rest, ok := strings.CutPrefix(msg, ConfigFile); ok {
			msg = name + rest
		}
		return nil, fmt.Errorf("--preset: %s", msg)
	}
	p := &preset{name: name, cfg: cfg}
	for _, o := range options {
		if keyLine(raw, o.key) > 0 {
			p.keys = append(p.keys, o.key)
		}
	}
	return p, nil
}

// apply copies the preset's options into cfg, except those a flag set.
func (p *preset) apply(cfg *Config, set map[string]bool) {
	for _, k := range p.keys {
		if set[k] {
			continue
		}
		if k == "providers" {
			cfg.Providers = slices.Clone(p.cfg.Providers) // keeps the names of named providers
			continue
		}
		o := optionByKey(k)
		o.set(cfg, o.get(&p.cfg))
	}
}

// departures lists the options on which cfg differs from the preset.
func (p *preset) departures(cfg Config) []string {
	var out []string
	for _, k := range p.keys {
		o := optionByKey(k)
		have, want := o.get(&cfg), o.get(&p.cfg)
		if k == "providers" {
			have, want = providerItems(cfg.Providers), providerItems(p.cfg.Providers)
		}
		if !slices.Equal(have, want) {
			out = append(out, fmt.Sprintf("%s: %s has %s, the preset %s fixes %s", k, ConfigFile, show(have), p.name, show(want)))
		}
	}
	return out
}

func providerItems(ps []Provider) []string {
	var items []string
	for _, p := range ps {
		items = append(items, p.Name+"="+p.Type)
	}
	return items
}

func show(v []string) string {
	if len(v) == 0 {
		return "none"
	}
	return strings.Join(v, ", ")
}
