package generator

import (
	"slices"
	"strings"
	"testing"
)

func TestFeaturesOption(t *testing.T) {
	cfg, err := ParseConfig([]byte("version: 1\nfeatures: [mfa]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !newData(cfg).MFA() {
		t.Error("features: [mfa] does not turn MFA on")
	}
	if cfg, _ := ParseConfig([]byte("version: 1\n")); newData(cfg).MFA() {
		t.Error("MFA is on without features")
	}
	if _, err := ParseConfig([]byte("version: 1\nfeatures:\n  - sms\n")); err == nil || !strings.Contains(err.Error(), `features[0]`) || !strings.Contains(err.Error(), "mfa") {
		t.Errorf("unknown feature: %v", err)
	}
}

// offeredOptions records the options each multiple-choice question offers.
type offeredOptions struct {
	*scripted
	offered map[string][]string
}

func (o *offeredOptions) MultiSelect(q, help string, options []string, defs []string) ([]string, error) {
	o.offered[q] = options
	return o.scripted.MultiSelect(q, help, options, defs)
}

// The flag (--features) and init's question turn MFA on like the YAML key.
func TestMFAFromTheFlagAndTheQuestion(t *testing.T) {
	var c Config
	c.Set("features", " accounts, mfa ")
	if !slices.Equal(c.Features, []string{"accounts", "mfa"}) || !newData(c).MFA() {
		t.Errorf("--features ' accounts, mfa ' gave %q", c.Features)
	}

	p := &offeredOptions{scripted: &scripted{t: t, answers: []string{"mfa"}}, offered: map[string][]string{}}
	cfg := Defaults()
	set := map[string]bool{}
	for _, o := range options {
		set[o.key] = o.key != "features"
	}
	if err := ask(p, &cfg, set); err != nil {
		t.Fatal(err)
	}
	if len(p.asked) != 1 || !strings.HasPrefix(p.asked[0], "Optional features") || !slices.Contains(p.offered[p.asked[0]], "mfa") {
		t.Fatalf("asked %q offering %q, want the features question offering mfa", p.asked, p.offered)
	}
	if !slices.Equal(cfg.Features, []string{"mfa"}) || !newData(cfg).MFA() {
		t.Errorf("answering mfa gave features %q", cfg.Features)
	}
}

// With the feature off nothing of it is planned; with it on, every store
// gets its second-factor files and the SQL stores migration 0004.
func TestMFAFilesInThePlan(t *testing.T) {
	for _, st := range optionByKey("store").names() {
		for _, on := range []bool{false, true} {
			c := Defaults()
			c.Store = st
			if on {
				c.Features = []string{"mfa"}
			}
			d := newData(c)
			var got []string
			for _, e := range plan {
				if e.When(d) && (strings.Contains(e.Output, "mfa") || strings.Contains(e.Output, "totp") || strings.Contains(e.Output, "stepup") || strings.Contains(e.Output, "passkeys")) {
					got = append(got, e.Output)
				}
			}
			if !on && len(got) > 0 {
				t.Errorf("%s without mfa plans %v", st, got)
			}
			if on && (len(got) < 10 || d.SQL() != strings.Contains(strings.Join(got, " "), "0004_mfa.up.sql")) {
				t.Errorf("%s with mfa plans %v", st, got)
			}
		}
	}
}
