package generator

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// scripted answers each question from a list, in order, and records what
// it was asked and which defaults it was offered.
type scripted struct {
	t       *testing.T
	answers []string
	asked   []string
	rejects []string // validation messages seen
}

func (s *scripted) next(question string) string {
	s.t.Helper()
	s.asked = append(s.asked, question)
	if len(s.answers) == 0 {
		s.t.Fatalf("unexpected question %q", question)
	}
	a := s.answers[0]
	s.answers = s.answers[1:]
	return a
}

func (s *scripted) Select(q string, options []string, def string) (string, error) {
	if !slices.Contains(options, def) {
		s.t.Errorf("%s: default %q is not among %v", q, def, options)
	}
	a := s.next(q)
	if a == "" {
		return def, nil
	}
	if !slices.Contains(options, a) {
		return "", fmt.Errorf("scripted answer %q not offered for %q (%v)", a, q, options)
	}
	return a, nil
}

func (s *scripted) MultiSelect(q string, options []string, defs []string) ([]string, error) {
	a := s.next(q)
	if a == "" {
		return defs, nil
	}
	return strings.Split(a, ","), nil
}

func (s *scripted) Input(q, def string, validate func(string) error) (string, error) {
	for {
		a := s.next(q)
		if a == "" {
			a = def
		}
		err := validate(a)
		if err == nil {
			return a, nil
		}
		// A terminal would show the message and ask again.
		s.rejects = append(s.rejects, err.Error())
	}
}

func TestAskPutsOnlyUnansweredQuestions(t *testing.T) {
	p := &scripted{t: t, answers: []string{"memory", "", "", "pkg/authn", "/auth", ""}}
	cfg := Defaults()
	set := map[string]bool{"framework": true}
	if err := Ask(p, &cfg, set); err != nil {
		t.Fatal(err)
	}
	wantAsked := []string{"Session and user store", "Token transport", "Signing algorithm", "Package directory", "Route prefix", "Social login providers"}
	if len(p.asked) != len(wantAsked) {
		t.Fatalf("asked %q, want %d questions", p.asked, len(wantAsked))
	}
	for i, w := range wantAsked {
		if !strings.HasPrefix(p.asked[i], w) {
			t.Errorf("question %d = %q, want %q", i, p.asked[i], w)
		}
	}
	if cfg.Store != "memory" || cfg.Transport != "header" || cfg.Alg != "HS256" || cfg.Out != "pkg/authn" || cfg.Prefix != "/auth" {
		t.Errorf("answers not applied: %+v", cfg)
	}
}

func TestAskRepeatsAQuestionUntilTheAnswerIsValid(t *testing.T) {
	p := &scripted{t: t, answers: []string{"../outside", "/abs", "internal/auth2", "api", "/api/v2/auth"}}
	cfg := Defaults()
	set := map[string]bool{"framework": true, "store": true, "transport": true, "alg": true, "providers": true}
	if err := Ask(p, &cfg, set); err != nil {
		t.Fatal(err)
	}
	if cfg.Out != "internal/auth2" || cfg.Prefix != "/api/v2/auth" {
		t.Errorf("got out %q prefix %q", cfg.Out, cfg.Prefix)
	}
	if len(p.rejects) != 3 || !strings.Contains(p.rejects[0], "outside the module") {
		t.Errorf("rejections = %q", p.rejects)
	}
	for _, r := range p.rejects {
		if strings.Contains(r, ConfigFile) {
			t.Errorf("a prompt message should not mention %s: %q", ConfigFile, r)
		}
	}
}

func TestAskOffersEveryRegisteredProvider(t *testing.T) {
	p := &offered{scripted: scripted{t: t, answers: []string{"google,github"}}}
	cfg := Defaults()
	set := map[string]bool{"framework": true, "store": true, "transport": true, "alg": true, "out": true, "prefix": true}
	if err := Ask(p, &cfg, set); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Providers) != 2 || cfg.Providers[1] != (Provider{"github", "github"}) {
		t.Errorf("providers = %v", cfg.Providers)
	}
	if !slices.Equal(p.options, optionByKey("providers").names()) {
		t.Errorf("offered %v, want every registered provider %v", p.options, optionByKey("providers").names())
	}
	if !slices.Contains(Unanswered(map[string]bool{}), "--providers") {
		t.Error("Unanswered omits --providers although providers can be chosen")
	}
}

// offered records the options a multiple choice offered.
type offered struct {
	scripted
	options []string
}

func (o *offered) MultiSelect(q string, options []string, defs []string) ([]string, error) {
	o.options = options
	return o.scripted.MultiSelect(q, options, defs)
}

func TestAskReportsWhichQuestionFailed(t *testing.T) {
	cfg := Defaults()
	err := Ask(failing{}, &cfg, map[string]bool{})
	if err == nil || !strings.Contains(err.Error(), "asking for framework") || !errors.Is(err, errInterrupted) {
		t.Fatalf("Ask = %v", err)
	}
}

var errInterrupted = errors.New("interrupted")

type failing struct{}

func (failing) Select(string, []string, string) (string, error)          { return "", errInterrupted }
func (failing) MultiSelect(string, []string, []string) ([]string, error) { return nil, errInterrupted }
func (failing) Input(string, string, func(string) error) (string, error) { return "", errInterrupted }

func TestUnansweredNamesTheMissingFlags(t *testing.T) {
	got := Unanswered(map[string]bool{"framework": true, "out": true})
	for _, w := range []string{"--store", "--transport", "--alg", "--prefix"} {
		if !slices.Contains(got, w) {
			t.Errorf("Unanswered = %v, missing %s", got, w)
		}
	}
	if slices.Contains(got, "--framework") || slices.Contains(got, "--out") {
		t.Errorf("Unanswered = %v names flags that were given", got)
	}
}

func TestProvidersFlag(t *testing.T) {
	var c Config
	c.Set("providers", " google, okta=oidc,,github ")
	got := c.Providers
	want := []Provider{{"google", "google"}, {"okta", "oidc"}, {"github", "github"}}
	if !slices.Equal(got, want) {
		t.Errorf("--providers gave %v, want %v", got, want)
	}
}
