package generator

import (
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
