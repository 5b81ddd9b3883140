package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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
	helps   map[string]string // question -> its help text
	rejects []string          // validation messages seen
}

func (s *scripted) next(question, help string) string {
	s.t.Helper()
	s.asked = append(s.asked, question)
	if s.helps == nil {
		s.helps = map[string]string{}
	}
	s.helps[question] = help
	if len(s.answers) == 0 {
		s.t.Fatalf("unexpected question %q", question)
	}
	a := s.answers[0]
	s.answers = s.answers[1:]
	return a
}

func (s *scripted) Select(q, help string, options []string, def string) (string, error) {
	if !slices.Contains(options, def) {
		s.t.Errorf("%s: default %q is not among %v", q, def, options)
	}
	a := s.next(q, help)
	if a == "" {
		return def, nil
	}
	if !slices.Contains(options, a) {
		return "", fmt.Errorf("scripted answer %q not offered for %q (%v)", a, q, options)
	}
	return a, nil
}

func (s *scripted) MultiSelect(q, help string, options []string, defs []string) ([]string, error) {
	a := s.next(q, help)
	if a == "" {
		return defs, nil
	}
	return strings.Split(a, ","), nil
}

func (s *scripted) Input(q, help, def string, validate func(string) error) (string, error) {
	for {
		a := s.next(q, help)
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

// Confirm takes "y" or "n"; "" is the default.
func (s *scripted) Confirm(q, help string, def bool) (bool, error) {
	switch a := s.next(q, help); a {
	case "":
		return def, nil
	case "y", "n":
		return a == "y", nil
	default:
		return false, fmt.Errorf("scripted answer %q to the yes/no question %q", a, q)
	}
}

func TestAskPutsOnlyUnansweredQuestions(t *testing.T) {
	p := &scripted{t: t, answers: []string{"memory", "", "", "pkg/authn", "/auth", "", ""}}
	cfg := Defaults()
	set := map[string]bool{"framework": true}
	if err := ask(p, &cfg, set); err != nil {
		t.Fatal(err)
	}
	wantAsked := []string{"Session and user store", "Token transport", "Signing algorithm", "Package directory", "Route prefix", "Social login providers", "Optional features"}
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
	set := map[string]bool{"framework": true, "store": true, "transport": true, "alg": true, "providers": true, "features": true}
	if err := ask(p, &cfg, set); err != nil {
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
	set := map[string]bool{"framework": true, "store": true, "transport": true, "alg": true, "out": true, "prefix": true, "features": true}
	if err := ask(p, &cfg, set); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Providers) != 2 || cfg.Providers[1] != (Provider{"github", "github"}) {
		t.Errorf("providers = %v", cfg.Providers)
	}
	if !slices.Equal(p.options, optionByKey("providers").names()) {
		t.Errorf("offered %v, want every registered provider %v", p.options, optionByKey("providers").names())
	}
	if !slices.Contains(unanswered(map[string]bool{}, &Config{}), "--providers") {
		t.Error("Unanswered omits --providers although providers can be chosen")
	}
}

// offered records the options a multiple choice offered.
type offered struct {
	scripted
	options []string
}

func (o *offered) MultiSelect(q, help string, options []string, defs []string) ([]string, error) {
	o.options = options
	return o.scripted.MultiSelect(q, help, options, defs)
}

func TestAskReportsWhichQuestionFailed(t *testing.T) {
	cfg := Defaults()
	err := ask(failing{}, &cfg, map[string]bool{})
	if err == nil || !strings.Contains(err.Error(), "asking for framework") || !errors.Is(err, errInterrupted) {
		t.Fatalf("Ask = %v", err)
	}
}

var errInterrupted = errors.New("interrupted")

type failing struct{}

func (failing) Select(string, string, []string, string) (string, error) { return "", errInterrupted }
func (failing) MultiSelect(string, string, []string, []string) ([]string, error) {
	return nil, errInterrupted
}
func (failing) Input(string, string, string, func(string) error) (string, error) {
	return "", errInterrupted
}
func (failing) Confirm(string, string, bool) (bool, error) { return false, errInterrupted }

func TestUnansweredNamesTheMissingFlags(t *testing.T) {
	got := unanswered(map[string]bool{"framework": true, "out": true}, &Config{})
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

// TestAskGivesEveryQuestionHelp: every question has help text (`?` on a
// terminal) that says what the option is for and what each value does.
func TestAskGivesEveryQuestionHelp(t *testing.T) {
	p := &scripted{t: t, answers: []string{"", "", "", "", "", "", "", ""}}
	cfg := Defaults()
	if err := ask(p, &cfg, map[string]bool{}); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, o := range options {
		if o.question == "" {
			continue
		}
		n++
		help, ok := p.helps[o.question]
		if !ok {
			t.Errorf("%s: not asked", o.key)
			continue
		}
		if !strings.Contains(strings.ToLower(help), strings.ToLower(o.help)) {
			t.Errorf("%s: help %q does not say what the option is for (%q)", o.key, help, o.help)
		}
		for _, v := range o.values {
			if !strings.Contains(help, v.name+": "+v.doc) {
				t.Errorf("%s: help does not explain %s:\n%s", o.key, v.name, help)
			}
		}
	}
	if n != len(p.asked) {
		t.Errorf("asked %d questions, the registry has %d", len(p.asked), n)
	}
}

func TestTransportQuestionExplainsBoth(t *testing.T) {
	q := optionByKey("transport").question
	for _, v := range []string{"header:", "cookie:", "both:"} {
		if !strings.Contains(q, v) {
			t.Errorf("the transport question does not explain %s: %q", strings.TrimSuffix(v, ":"), q)
		}
	}
}

// TestAskNamesAnOIDCProvider: choosing the generic OIDC type asks its name,
// checked like jwtgen.yaml's names.
func TestAskNamesAnOIDCProvider(t *testing.T) {
	p := &scripted{t: t, answers: []string{"google,oidc", "", "Corp", "google", "github", "corp"}}
	cfg := Defaults()
	set := map[string]bool{"framework": true, "store": true, "transport": true, "alg": true, "out": true, "prefix": true, "features": true}
	if err := ask(p, &cfg, set); err != nil {
		t.Fatal(err)
	}
	want := []Provider{{"google", "google"}, {"corp", "oidc"}}
	if !slices.Equal(cfg.Providers, want) {
		t.Errorf("providers = %v, want %v", cfg.Providers, want)
	}
	if err := cfg.validate(); err != nil {
		t.Errorf("the answers do not validate: %v", err)
	}
	if len(p.asked) < 2 || !strings.Contains(p.asked[1], "Name of your oidc provider") {
		t.Fatalf("asked %q", p.asked)
	}
	// "", "Corp", "google" (taken), "github" (built-in) are refused.
	if len(p.rejects) != 4 || !strings.Contains(p.rejects[2], "already taken") || !strings.Contains(p.rejects[3], "built-in") {
		t.Errorf("rejections = %q", p.rejects)
	}
	if h := p.helps[p.asked[1]]; !strings.Contains(h, "NAME_CLIENT_ID") {
		t.Errorf("the name question's help does not say what the name is for: %q", h)
	}
}

// initWithAnswers runs init in a new directory with scripted answers and
// no go command.
func initWithAnswers(t *testing.T, answers ...string) (dir string, p *scripted, out string, err error) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "app")
	p = &scripted{t: t, answers: answers}
	var stdout, stderr bytes.Buffer
	err = Init(InitOptions{Dir: dir, Config: Defaults(), Ask: p, NoGo: true, Stdout: &stdout, Stderr: &stderr})
	if len(p.answers) > 0 {
		t.Errorf("answers left over: %q (asked %q)", p.answers, p.asked)
	}
	return dir, p, stdout.String(), err
}

// TestInitAsksTheModulePathForANewModule: in a directory without go.mod
// the module path is the first question, checked before it is taken.
func TestInitAsksTheModulePathForANewModule(t *testing.T) {
	dir, p, _, err := initWithAnswers(t, "not a path", "example.com/me/shop", "", "", "", "", "", "", "", "", "y")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.asked[0], "Module path") {
		t.Errorf("first question %q, want the module path", p.asked[0])
	}
	if len(p.rejects) != 1 || !strings.Contains(p.rejects[0], "not a valid module path") {
		t.Errorf("rejections = %q", p.rejects)
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil || !strings.HasPrefix(string(gomod), "module example.com/me/shop\n") {
		t.Errorf("go.mod = %q, %v", gomod, err)
	}
}

// TestInitShowsASummaryBeforeWriting: after the questions, every answer is
// shown and confirmed; declining writes nothing and says so.
func TestInitShowsASummaryBeforeWriting(t *testing.T) {
	dir, p, out, err := initWithAnswers(t, "example.com/me/shop", "chi", "postgres", "both", "ES256", "", "", "google,oidc", "corp", "accounts", "n")
	if !errors.Is(err, errInitDeclined) || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("Init = %v, want the declined error", err)
	}
	if _, serr := os.Stat(dir); !errors.Is(serr, fs.ErrNotExist) {
		t.Errorf("declining left %s behind (%v)", dir, serr)
	}
	if last := p.asked[len(p.asked)-1]; !strings.Contains(last, "Write it?") {
		t.Errorf("last question %q, want the confirmation", last)
	}
	for _, line := range []string{
		"module      example.com/me/shop (new go.mod, with an example server)", "framework   chi", "store       postgres", "transport   both", "alg         ES256",
		"out         internal/auth", "prefix      /api/auth", "providers   google, corp (oidc)", "features    accounts",
	} {
		if !strings.Contains(out, "  "+line+"\n") {
			t.Errorf("summary lacks %q:\n%s", line, out)
		}
	}

	dir, _, _, err = initWithAnswers(t, "", "", "", "", "", "", "", "", "", "y")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ConfigFile)); err != nil {
		t.Errorf("confirming wrote no %s: %v", ConfigFile, err)
	}
}

// TestInitWithoutATerminalNamesEveryMissingFlag: no terminal, no --yes and
// no flags: the error names every flag init would have asked for.
func TestInitWithoutATerminalNamesEveryMissingFlag(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "app")
	err := Init(InitOptions{Dir: dir, Config: Defaults(), NoGo: true, Stdout: io.Discard, Stderr: io.Discard})
	if err == nil {
		t.Fatal("init without a terminal and without flags succeeded")
	}
	want := []string{"--module"}
	for _, o := range options {
		if o.question != "" {
			want = append(want, "--"+o.key)
		}
	}
	for _, f := range append(want, "--store", "--providers", "--features") {
		if !strings.Contains(err.Error(), f+",") && !strings.Contains(err.Error(), f+" (") {
			t.Errorf("the error does not name %s: %v", f, err)
		}
	}
	if _, serr := os.Stat(dir); !errors.Is(serr, fs.ErrNotExist) {
		t.Errorf("the refusal left %s behind", dir)
	}
}
