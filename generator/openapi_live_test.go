package generator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// liveCases are the golden cases whose own tests are recorded and checked
// against their openapi.json: together they bring every endpoint (header,
// cookie and both transports; accounts; mfa and passkeys; social login with
// the exchange, the native flow and a second factor, with either
// transport; introspection) on every framework: net/http, chi, gin, echo
// and Fiber (the verifier role serves no endpoint and has no document).
var liveCases = []string{"default", "mfa", "accounts", "accounts-cookie", "chi-postgres-both-eddsa-oauth", "gin-mysql-cookie-rs256-strict-oauth", "echo-redis-cookie-eddsa-oauth", "fiber-memory-header-hs256", "es256-strict"}

// answerRecorder is laid over the generated package with go test -overlay
// (the package on disk is untouched and nothing reaches the user's
// go.mod): it records every answer of the test servers, as JSON lines in
// $OPENAPI_ANSWERS.
const answerRecorder = `package %s

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"sync"
)

var answersMu sync.Mutex

type answerWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *answerWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
	w.ResponseWriter.WriteHeader(s)
}

func (w *answerWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *answerWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *answerWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// unrecorded marks an answer of the recording's own proxy, not of the
// package.
const unrecorded = "X-Answer-Unrecorded"

// proxyFailed is the recording proxy's answer when the package's server
// cut the connection: fasthttp answers oversized headers and closes with
// the rest unread, which resets the connection, so the proxy may see the
// reset before the answer.
func proxyFailed(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set(unrecorded, err.Error())
	w.WriteHeader(http.StatusBadGateway)
}

func recordAnswers(h http.Handler) http.Handler {
	out := os.Getenv("OPENAPI_ANSWERS")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqBody, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(reqBody))
		aw := &answerWriter{ResponseWriter: w}
		h.ServeHTTP(aw, r)
		if w.Header().Get(unrecorded) != "" {
			return
		}
		if aw.status == 0 {
			aw.status = http.StatusOK
		}
		line, _ := json.Marshal(map[string]any{
			"method": r.Method, "url": r.URL.String(), "request_header": r.Header, "request_body": string(reqBody),
			"status": aw.status, "header": w.Header(), "body": aw.body.String(),
		})
		answersMu.Lock()
		defer answersMu.Unlock()
		f, err := os.OpenFile(out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			panic(err)
		}
		defer f.Close()
		f.Write(append(line, '\n'))
	})
}
`

// answerProbe is laid over the generated package beside answerRecorder: on
// the package's own test server (newEnv), it sends every operation of the
// package's openapi.json the requests any client can get wrong (and
// fetches the document itself), so that the answers of the code paths
// every endpoint shares are seen on each endpoint: no credentials (401),
// malformed JSON (400), another content type (415), an oversized body
// (413), oversized headers (431 where the server answers them), with the
// cookie transports a cross-site request (403), and to every operation
// that takes an access token one whose session has ended and one past its
// expiry (401). It asserts nothing: the recorded answers are checked
// against the document like every other.
const answerProbe = `package auth

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func TestOpenAPIProbe(t *testing.T) {
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths      map[string]map[string]json.RawMessage
		Components struct{ SecuritySchemes map[string]any }
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	_, bearer := doc.Components.SecuritySchemes["bearer"]
	_, cookies := doc.Components.SecuritySchemes["accessCookie"]
	e := newEnv(t)
	send := func(method, path, body, contentType string, with func(*http.Request)) *http.Response {
		req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if with != nil {
			with(req)
		}
		res, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	login := func(transport string) (access, csrf string, jar []*http.Cookie) {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+Prefix+"/token", strings.NewReader(` + "`" + `{"username":"alice","password":"` + "`" + `+testPassword+` + "`" + `"}` + "`" + `))
		req.Header.Set("Content-Type", "application/json")
		if transport != "" {
			req.Header.Set("X-Auth-Transport", transport)
		}
		res, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var tokens struct {
			Access string ` + "`" + `json:"access"` + "`" + `
			CSRF   string ` + "`" + `json:"csrf_token"` + "`" + `
		}
		json.NewDecoder(res.Body).Decode(&tokens)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("login: %d", res.StatusCode)
		}
		return tokens.Access, tokens.CSRF, res.Cookies()
	}
	var withToken, withCookies func(*http.Request)
	if bearer {
		access, _, _ := login("")
		withToken = func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+access) }
	}
	if cookies {
		_, csrf, jar := login("cookie")
		withCookies = func(r *http.Request) {
			for _, c := range jar {
				r.AddCookie(c)
			}
			r.Header.Set("X-CSRF-Token", csrf)
		}
		if withToken == nil {
			withToken = withCookies
		}
	}
	// credentials signs in again: a session of its own.
	credentials := func() func(*http.Request) {
		if bearer {
			access, _, _ := login("")
			return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+access) }
		}
		_, csrf, jar := login("cookie")
		return func(r *http.Request) {
			for _, c := range jar {
				r.AddCookie(c)
			}
			r.Header.Set("X-CSRF-Token", csrf)
		}
	}
	type call struct {
		method, path string
		body         bool
	}
	var later []call
	crossSite := func(r *http.Request) {
		withCookies(r)
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		r.Header.Set("Origin", "https://elsewhere.example")
	}
	big := ` + "`" + `{"x":"` + "`" + ` + strings.Repeat("a", 70<<10) + ` + "`" + `"}` + "`" + `
	// The document itself, as a client generator fetches it.
	send(http.MethodGet, Prefix+"/openapi.json", "", "", nil)
	// Request headers larger than a server reads (Fiber's ReadBufferSize;
	// net/http's 1 MB limit is far above).
	padded := func(r *http.Request) { r.Header.Set("X-Padding", strings.Repeat("a", 128<<10)) }
	for tmpl, item := range doc.Paths {
		if tmpl == Prefix+"/introspect" {
			send(http.MethodPost, tmpl, "", "", padded)
			continue // its callers hold a secret; introspection_test.go probes it
		}
		path := strings.NewReplacer("{provider}", "probe", "{id}", "probe").Replace(tmpl)
		for m, rawOp := range item {
			var op struct {
				RequestBody *struct{ Content map[string]any } ` + "`" + `json:"requestBody"` + "`" + `
				Security    []any
			}
			if m == "parameters" || json.Unmarshal(rawOp, &op) != nil {
				continue
			}
			method := strings.ToUpper(m)
			send(method, path, "", "", padded)
			secured := len(op.Security) > 0
			var with func(*http.Request)
			if secured {
				send(method, path, "", "", nil)
				with = withToken
				later = append(later, call{method, path, op.RequestBody != nil})
			}
			if op.RequestBody != nil {
				send(method, path, "{", "application/json", with)
				send(method, path, "{}", "text/plain", with)
				send(method, path, big, "application/json", with)
			} else if secured && strings.Contains(tmpl, "{") {
				send(method, path, "", "", with)
			}
			if cookies && method != http.MethodGet {
				send(method, path, "{}", "application/json", crossSite)
			}
		}
	}
	// Every operation that takes an access token, with one whose session
	// has ended (401 token_revoked wherever the session is checked), then
	// with one past its expiry (401 token_expired).
	again := func(with func(*http.Request)) {
		for _, c := range later {
			if c.body {
				send(c.method, c.path, "{}", "application/json", with)
			} else {
				send(c.method, c.path, "", "", with)
			}
		}
	}
	ended := credentials()
	send(http.MethodPost, Prefix+"/logout/all", "", "", ended)
	again(ended)
	expired := credentials()
	e.clock.Advance(e.auth.cfg.AccessTTL + e.auth.cfg.Leeway + time.Second)
	again(expired)
}
`

// liveAnswer is one recorded request and its answer.
type liveAnswer struct {
	Method        string      `json:"method"`
	URL           string      `json:"url"`
	RequestHeader http.Header `json:"request_header"`
	RequestBody   string      `json:"request_body"`
	Status        int         `json:"status"`
	Header        http.Header `json:"header"`
	Body          string      `json:"body"`
}

var testServerCall = regexp.MustCompile(`httptest\.NewServer\((\w+)\)`)

// fiberTestServer is the Fiber test server's front: an httptest.Server that
// only reports the address of the app, which listens on a socket of its
// own. The recording puts a real reverse proxy there instead, so that the
// answers pass through net/http.
var fiberTestServer = regexp.MustCompile(`httptest\.NewUnstartedServer\((httputil\.NewSingleHostReverseProxy\([^\n]*\))\)\n\tsrv\.Listener\.Close\(\)\n\tsrv\.Listener = [^\n]*\n\tsrv\.Start\(\)`)

// recordGeneratedTests runs the tests of golden case c with every test
// server that serves the package's Handler (or Mount) wrapped in the
// recorder, and returns what they answered. JWTGEN_OPENAPI_ANSWERS=DIR
// reads DIR/<case>.jsonl instead (a recording kept from an earlier run).
func recordGeneratedTests(t *testing.T, c string, cfg Config) []liveAnswer {
	t.Helper()
	out := filepath.Join(t.TempDir(), "answers.jsonl")
	if dir := os.Getenv("JWTGEN_OPENAPI_ANSWERS"); dir != "" {
		out = filepath.Join(dir, c+".jsonl")
	} else {
		pkg, err := filepath.Abs(filepath.Join("..", "golden", c, filepath.FromSlash(cfg.Out)))
		if err != nil {
			t.Fatal(err)
		}
		tmp := t.TempDir()
		replace := map[string]string{}
		tests, _ := filepath.Glob(filepath.Join(pkg, "*_test.go"))
		for _, f := range tests {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(src, []byte(".Handler()")) && !bytes.Contains(src, []byte(".Mount(")) || !testServerCall.Match(src) && !fiberTestServer.Match(src) {
				continue
			}
			src = testServerCall.ReplaceAll(src, []byte("httptest.NewServer(recordAnswers($1))"))
			// A connection per request: fasthttp closes one after a 431,
			// and a proxy that reused it would fail; what the proxy still
			// cannot relay (proxyFailed) is not recorded.
			src = fiberTestServer.ReplaceAll(src, []byte("httptest.NewServer(recordAnswers(func() http.Handler { p := $1; p.Transport = &http.Transport{DisableKeepAlives: true}; p.ErrorHandler = proxyFailed; return p }()))"))
			laid := filepath.Join(tmp, filepath.Base(f))
			if err := os.WriteFile(laid, src, 0o644); err != nil {
				t.Fatal(err)
			}
			replace[f] = laid
		}
		if replace[filepath.Join(pkg, "testserver_test.go")] == "" {
			t.Fatalf("%s: newTestServer does not start an httptest.Server of one handler", c)
		}
		rec := filepath.Join(tmp, "zz_answers_test.go")
		if err := os.WriteFile(rec, fmt.Appendf(nil, answerRecorder, newData(cfg).Package), 0o644); err != nil {
			t.Fatal(err)
		}
		replace[filepath.Join(pkg, "zz_answers_test.go")] = rec
		probe := filepath.Join(tmp, "zz_probe_test.go")
		if err := os.WriteFile(probe, []byte(strings.Replace(answerProbe, "package auth", "package "+newData(cfg).Package, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		replace[filepath.Join(pkg, "zz_probe_test.go")] = probe
		overlay, _ := json.Marshal(map[string]any{"Replace": replace})
		ov := filepath.Join(tmp, "overlay.json")
		if err := os.WriteFile(ov, overlay, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("go", "test", "-short", "-p", "1", "-count=1", "-overlay", ov, "./"+c+"/"+cfg.Out+"/")
		cmd.Dir = filepath.Join("..", "golden")
		cmd.Env = append(os.Environ(), "OPENAPI_ANSWERS="+out)
		// A generated test that fails is the golden tests' to report; this
		// check needs the package to build and its tests to run.
		if b, err := cmd.CombinedOutput(); err != nil {
			if bytes.Contains(b, []byte("[build failed]")) || bytes.Contains(b, []byte("[setup failed]")) {
				t.Fatalf("the generated tests of %s did not run: %v\n%s", c, err, b)
			}
			t.Logf("some generated tests of %s failed (%v); their answers are checked all the same:\n%s", c, err, failures(b))
		}
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatalf("no answers recorded: %v", err)
	}
	defer f.Close()
	var answers []liveAnswer
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var a liveAnswer
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		answers = append(answers, a)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return answers
}

// documentedAnswers lists every answer the document promises, as
// "METHOD {prefix}/path STATUS code" (code empty for a success, the error
// code otherwise), mapped to nothing yet.
func documentedAnswers(t *testing.T, doc []byte, prefix string) []string {
	t.Helper()
	type schema struct {
		Ref   string `json:"$ref"`
		AllOf []struct {
			Properties struct {
				Error struct {
					Enum []string `json:"enum"`
				} `json:"error"`
			} `json:"properties"`
		} `json:"allOf"`
	}
	var out []string
	for _, op := range documentedOperations(t, doc) {
		var o struct {
			Responses map[string]struct {
				Content map[string]struct {
					Schema struct {
						schema
						OneOf []schema `json:"oneOf"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"responses"`
		}
		if err := json.Unmarshal(op.raw, &o); err != nil {
			t.Fatal(err)
		}
		key := op.method + " " + templateKey(op.path, prefix) + " "
		for status, r := range o.Responses {
			s := r.Content["application/json"].Schema
			var codes []string
			for _, alt := range append([]schema{s.schema}, s.OneOf...) {
				if alt.Ref == "#/components/schemas/MFARequired" {
					codes = append(codes, "mfa_required")
				}
				for _, a := range alt.AllOf {
					codes = append(codes, a.Properties.Error.Enum...)
				}
			}
			if len(codes) == 0 {
				codes = []string{""}
			}
			for _, c := range codes {
				out = append(out, strings.TrimSpace(key+status+" "+c))
			}
		}
	}
	slices.Sort(out)
	return out
}

func templateKey(p, prefix string) string {
	if strings.HasPrefix(p, prefix) {
		return "{prefix}" + strings.TrimPrefix(p, prefix)
	}
	return p
}

// matchPath finds the documented path template of p, literal segments
// before parameters ("sessions/revoke-others" before "sessions/{id}").
func matchPath(paths []string, p string) (string, bool) {
	segs := strings.Split(p, "/")
	best, bestParams := "", -1
	for _, tmpl := range paths {
		ts := strings.Split(tmpl, "/")
		if len(ts) != len(segs) {
			continue
		}
		params, ok := 0, true
		for i, s := range ts {
			switch {
			case strings.HasPrefix(s, "{"):
				params++
				ok = ok && segs[i] != ""
			case s != segs[i]:
				ok = false
			}
		}
		if ok && (bestParams < 0 || params < bestParams) {
			best, bestParams = tmpl, params
		}
	}
	return best, bestParams >= 0
}

// checkAnswers checks each answer against the document and returns what
// was seen, keyed as documentedAnswers keys them. Answers outside the
// package's paths (the test application's own routes) are left out; an
// unknown path under the prefix must be 404 not_found, and a documented
// path with another method 405 method_not_allowed with an Allow header
// that lists exactly the documented methods.
func checkAnswers(t *testing.T, c string, doc []byte, prefix string, answers []liveAnswer) map[string]bool {
	t.Helper()
	v := openAPIValidator(t, doc)
	var parsed struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(doc, &parsed); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for p := range parsed.Paths {
		paths = append(paths, p)
	}
	seen := map[string]bool{}
	checked := 0
	for _, a := range answers {
		u, err := url.Parse(a.URL)
		if err != nil {
			t.Fatal(err)
		}
		p := u.Path
		if p != prefix && !strings.HasPrefix(p, prefix+"/") && p != "/.well-known/jwks.json" && !strings.HasPrefix(u.EscapedPath(), "//") {
			continue
		}
		checked++
		var body struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal([]byte(a.Body), &body)
		what := fmt.Sprintf("%s: %s %s -> %d %s", c, a.Method, a.URL, a.Status, truncateBody(a.Body))
		tmpl, ok := matchPath(paths, p)
		if !ok || u.RawPath != "" && strings.Contains(strings.ToLower(u.RawPath), "%2f") {
			if a.Status != http.StatusNotFound || body.Error != "not_found" {
				t.Errorf("%s: an unknown path must answer 404 not_found", what)
			}
			seen["unknown path 404 not_found"] = true
			continue
		}
		var methods []string
		for m := range parsed.Paths[tmpl] {
			if m != "parameters" {
				methods = append(methods, strings.ToUpper(m))
			}
		}
		method := a.Method
		if method == http.MethodHead && slices.Contains(methods, http.MethodGet) {
			method = http.MethodGet
		}
		if !slices.Contains(methods, method) {
			allow := strings.Split(strings.ReplaceAll(a.Header.Get("Allow"), " ", ""), ",")
			want := slices.Clone(methods)
			if slices.Contains(want, http.MethodGet) {
				want = append(want, http.MethodHead)
			}
			slices.Sort(allow)
			slices.Sort(want)
			if a.Status != http.StatusMethodNotAllowed || body.Error != "method_not_allowed" || !slices.Equal(allow, want) {
				t.Errorf("%s (Allow %q): a method the document does not list must answer 405 method_not_allowed with Allow: %s", what, a.Header.Get("Allow"), strings.Join(want, ", "))
			}
			seen["other method 405 method_not_allowed"] = true
			continue
		}
		seen[strings.TrimSpace(fmt.Sprintf("%s %s %d %s", method, templateKey(tmpl, prefix), a.Status, body.Error))] = true
		if a.Method == http.MethodHead {
			continue
		}
		req, err := http.NewRequest(a.Method, "http://127.0.0.1"+u.RequestURI(), strings.NewReader(a.RequestBody))
		if err != nil {
			t.Fatal(err)
		}
		req.Header = a.RequestHeader
		resp := &http.Response{StatusCode: a.Status, Header: a.Header, Body: io.NopCloser(strings.NewReader(a.Body)), Request: req}
		if ok, errs := v.ValidateHttpResponse(req, resp); !ok {
			for _, e := range errs {
				t.Errorf("%s: not as documented: %s", what, e.Error())
			}
		}
	}
	if checked == 0 {
		t.Errorf("%s: no answer of the package was recorded", c)
	}
	t.Logf("%s: %d answers of the package checked", c, checked)
	return seen
}

// failures keeps the lines of go test output that name a failure.
func failures(out []byte) string {
	var keep []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "FAIL") || strings.Contains(l, "_test.go:") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

func truncateBody(b string) string {
	if len(b) > 300 {
		return b[:300] + "..."
	}
	return b
}

// unseenReasons says why a documented answer that no generated test
// provokes is still the code's: keyed by the whole answer, or by its
// status and code for the answers of a code path shared by many endpoints
// (tested on one of them).
var unseenReasons = map[string]string{
	"503 unavailable":            "every handler answers a store or provider failure through the same a.fail (respond.go); the generated tests inject one into login, refresh, logout and logout/all",
	"413 payload_too_large":      "every JSON body is read by readJSON (respond.go), which the probe reaches on each endpoint whose earlier checks (a known provider or passkey id) it passes; introspection bounds its form the same way",
	"415 unsupported_media_type": "every JSON body is read by readJSON (respond.go), which the probe reaches on each endpoint whose earlier checks (a known provider or passkey id) it passes; introspection refuses a non-form body likewise",
	"400 invalid_request":        "malformed JSON and missing fields are refused by readJSON and the handlers' field checks, which the probe reaches on each endpoint whose earlier checks (a known provider) it passes",
	"401 token_expired":          "Require (middleware.go) answers every expired access token the same way, tested on GET {prefix}/me",
	"401 token_revoked":          "the session check of Require (strict revocation) and of the handlers that read the session in every mode (requireLiveSession, caller) answers it the same way; the tests see it on logout/all, refresh and me",
	"401 token_not_valid":        "Require answers a missing or bad access token the same way on every protected route, tested on GET {prefix}/me and logout/all",
	"403 csrf_failed":            "the cross-origin check wraps every unsafe request of the cookie transports (refuseCrossOrigin, cookies.go), and the probe sends each endpoint a cross-site request; introspection is left out of the probe (its callers hold a secret)",
	"429 rate_limited":           "every limit answers through a.limit (ratelimit.go), tested on login, refresh, token/mfa and introspection",
	"431 invalid_request":        "fasthttp reads every request's headers before any route and FiberErrorHandler answers an overflow alike on every path; the probe sends each operation oversized headers, but fasthttp closes with them unread, which can reset the connection before the recording proxy reads the answer",

	"POST {prefix}/register 201 ":                                    "only with AUTH_EMAIL_VERIFICATION=off (AccountsConfig.SkipEmailVerification), which no golden case's tests turn on",
	"POST {prefix}/register 409 account_conflict":                    "a taken username (ErrUserExists from CreateUser), or a taken address with email verification off; with it on, a taken address answers 202 like any other; no recorded test signs up a taken username",
	"POST {prefix}/email/verify 409 account_conflict":                "an email change whose new address was taken between the request and the link",
	"POST {prefix}/mfa/recovery-codes 400 invalid_request":           "a token with mfa in amr after the second factors were turned off (errMFAOff); no generated test asks for codes then",
	"POST {prefix}/mfa/totp/setup 400 invalid_request":               "TOTP already on (errMFAOn), the refusal totp/confirm answers in the tests",
	"DELETE {prefix}/mfa/totp 401 mfa_failed":                        "a wrong code, refused by checkTOTP: the check behind token/mfa's and totp/confirm's 401 mfa_failed, both tested",
	"POST {prefix}/oauth/{provider}/callback 404 not_found":          "the unknown-provider answer of a.provider, tested on GET {prefix}/oauth/{provider}",
	"POST {prefix}/oauth/{provider}/callback 405 method_not_allowed": "a form post to the callback of a provider that does not use form_post (oauthCallback); no generated test posts one",
	"POST {prefix}/oauth/{provider}/callback 409 account_conflict":   "accountFor, shared with the GET callback, where the tests see it",
	"POST {prefix}/oauth/{provider}/token 409 account_conflict":      "accountFor, shared with the GET callback, where the tests see it",
	"POST {prefix}/oauth/{provider}/link 404 not_found":              "the unknown-provider answer of a.provider, tested on GET {prefix}/oauth/{provider}",
	"DELETE {prefix}/oauth/{provider}/link 404 not_found":            "the unknown-provider answer of a.provider, tested on GET {prefix}/oauth/{provider}",
	"POST {prefix}/oauth/{provider}/nonce 404 not_found":             "the unknown-provider answer of a.provider, tested on GET {prefix}/oauth/{provider}",
	"POST {prefix}/oauth/{provider}/token 404 not_found":             "the unknown-provider answer of a.provider, tested on GET {prefix}/oauth/{provider}",
	"GET {prefix}/oauth/{provider}/callback 404 not_found":           "the unknown-provider answer of a.provider, tested on GET {prefix}/oauth/{provider}",
}

func unseenReason(key string) string {
	if r, ok := unseenReasons[key]; ok {
		return r
	}
	f := strings.Fields(key)
	if len(f) == 4 {
		return unseenReasons[f[2]+" "+f[3]]
	}
	return ""
}

// TestOpenAPIMatchesLiveResponses runs the own tests of the golden cases
// that bring every endpoint, records every answer of their test servers,
// and checks each against the case's openapi.json (status, body shape,
// error code); then every answer any of the documents promises must have
// been seen in some case, or carry a reason in unseenReasons.
func TestOpenAPIMatchesLiveResponses(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the tests of generated packages")
	}
	seen := map[string]bool{}
	documented := map[string][]string{}
	for _, c := range liveCases {
		t.Run(c, func(t *testing.T) {
			dir := filepath.Join("..", "golden", c)
			cfg := goldenConfig(t, dir)
			doc, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(cfg.Out), "openapi.json"))
			if err != nil {
				t.Fatal(err)
			}
			want, err := openAPI(newData(cfg))
			if err != nil {
				t.Fatal(err)
			}
			if string(doc) != want {
				t.Fatalf("%s/openapi.json is not what jwtgen renders: regenerate golden", c)
			}
			for _, k := range documentedAnswers(t, doc, cfg.Prefix) {
				documented[k] = append(documented[k], c)
			}
			for k := range checkAnswers(t, c, doc, cfg.Prefix, recordGeneratedTests(t, c, cfg)) {
				seen[k] = true
			}
		})
	}
	if t.Failed() {
		return
	}
	var keys []string
	for k := range documented {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	justified := 0
	for _, k := range keys {
		if seen[k] {
			continue
		}
		if r := unseenReason(k); r != "" {
			justified++
			t.Logf("documented, not provoked by the tests: %s (%s)", k, r)
			continue
		}
		t.Errorf("documented in %v, but no test saw it and no reason says why: %s", documented[k], k)
	}
	t.Logf("%d documented answers: %d seen, %d justified", len(keys), len(keys)-justified, justified)
}
