package generator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	goformat "go/format"
	"go/parser"
	"go/printer"
	"go/token"
	"io"
	"maps"
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

// The probe (testdata/openapiprobe) is laid over the generated package
// beside answerRecorder: on test servers of the package (newEnv), it sends
// every operation of the package's openapi.json the requests any client
// can get wrong (and fetches the document itself), so that the answers of
// the code paths every endpoint shares are seen on each endpoint: no
// credentials (401), malformed JSON (400), another content type (415), an
// oversized body (413), oversized headers (431 where the server answers
// them), with the cookie transports a cross-site request (403), with an
// unknown provider (404) and a known one, and to every operation that
// takes an access token one whose session has ended and one past its
// expiry (401). Then every operation with a body it accepts, twice at a
// module whose every limit allows one request (429), and once while the
// stores cannot be reached (503, through the wrappers storeDown renders);
// and per feature (probe_<feature>.go.txt, laid over where the package
// has the feature's file) the answers that need an account in a given
// state. It asserts nothing: the recorded answers are checked against the
// document like every other.
var probeParts = []struct{ file, when string }{
	{"probe.go.txt", ""},
	{"probe_accounts.go.txt", "accounts.go"},
	{"probe_mfa.go.txt", "mfa.go"},
	{"probe_passkeys.go.txt", "passkeys.go"},
	{"probe_oauth.go.txt", "oauth.go"},
	{"probe_apple.go.txt", "provider_apple_test.go"},
}

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
		pkgName := newData(cfg).Package
		laidOver := map[string][]byte{"zz_probe_down_test.go": storeDown(t, pkg, pkgName)}
		for _, part := range probeParts {
			if part.when != "" {
				if _, err := os.Stat(filepath.Join(pkg, part.when)); err != nil {
					continue
				}
			}
			src, err := os.ReadFile(filepath.Join("testdata", "openapiprobe", part.file))
			if err != nil {
				t.Fatal(err)
			}
			laidOver["zz_"+strings.TrimSuffix(part.file, ".go.txt")+"_test.go"] = bytes.Replace(src, []byte("package auth"), []byte("package "+pkgName), 1)
		}
		for name, src := range laidOver {
			f := filepath.Join(tmp, name)
			if err := os.WriteFile(f, src, 0o644); err != nil {
				t.Fatal(err)
			}
			replace[filepath.Join(pkg, name)] = f
		}
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
// status and code for the answers of a code path shared by many endpoints.
// The probe provokes every other documented answer; keep this to the
// answers no test can provoke deterministically.
var unseenReasons = map[string]string{
	// None today: the recorded tests and the probe provoke every documented
	// answer (the probe sends again what the recording proxy in front of
	// Fiber could not relay).
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

// storeDown renders, for the package in dir, wrappers of its memory stores
// (MemoryStore, MemoryUsers) and of the rate limits' LimitStore whose every
// exported method that can fail fails while probeDown is set, with an
// error that wraps ErrUnavailable: the answer of every endpoint whose
// store cannot be reached. The methods are read from the package's
// source, so the wrappers keep every optional interface of the stores
// (second factors, sessions, accounts) and fail each of its calls.
func storeDown(t *testing.T, dir, pkg string) []byte {
	t.Helper()
	fset := token.NewFileSet()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var out bytes.Buffer
	imports := map[string]bool{`"fmt"`: true, `"sync/atomic"`: true}
	wrapped := map[string]bool{}
	// wrap renders the method name of type ft on probe<typ>, which embeds
	// typ.
	wrap := func(typ, name string, ft *ast.FuncType, paths map[string]string) {
		results := ft.Results.List
		if last, ok := results[len(results)-1].Type.(*ast.Ident); !ok || last.Name != "error" {
			return
		}
		wrapped[typ] = true
		typeOf := func(e ast.Expr) string {
			ast.Inspect(e, func(n ast.Node) bool {
				if s, ok := n.(*ast.SelectorExpr); ok {
					if x, ok := s.X.(*ast.Ident); ok {
						imports[paths[x.Name]] = true
					}
				}
				return true
			})
			var b bytes.Buffer
			if err := printer.Fprint(&b, fset, e); err != nil {
				t.Fatal(err)
			}
			return b.String()
		}
		var params, args, types, zeros []string
		for _, p := range ft.Params.List {
			for range max(len(p.Names), 1) {
				arg := fmt.Sprintf("a%d", len(args))
				params = append(params, arg+" "+typeOf(p.Type))
				if _, ok := p.Type.(*ast.Ellipsis); ok {
					arg += "..."
				}
				args = append(args, arg)
			}
		}
		for _, r := range results {
			for range max(len(r.Names), 1) {
				types = append(types, typeOf(r.Type))
			}
		}
		for _, r := range types[:len(types)-1] {
			zeros = append(zeros, "*new("+r+")")
		}
		zeros = append(zeros, "errProbeDown")
		fmt.Fprintf(&out, "\nfunc (s probe%s) %s(%s) (%s) {\n\tif probeDown.Load() {\n\t\treturn %s\n\t}\n\treturn s.%s.%s(%s)\n}\n",
			typ, name, strings.Join(params, ", "), strings.Join(types, ", "), strings.Join(zeros, ", "), typ, name, strings.Join(args, ", "))
	}
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		if file.Name.Name != pkg {
			continue
		}
		paths := map[string]string{}
		for _, im := range file.Imports {
			p := strings.Trim(im.Path.Value, `"`)
			name := p[strings.LastIndex(p, "/")+1:]
			if im.Name != nil {
				name = im.Name.Name
			}
			paths[name] = im.Path.Value
		}
		for _, d := range file.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil || !d.Name.IsExported() || d.Type.Results == nil {
					continue
				}
				if star, ok := d.Recv.List[0].Type.(*ast.StarExpr); ok {
					if recv, ok := star.X.(*ast.Ident); ok && (recv.Name == "MemoryStore" || recv.Name == "MemoryUsers") {
						wrap(recv.Name, d.Name.Name, d.Type, paths)
					}
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					ts, ok := spec.(*ast.TypeSpec)
					if !ok || ts.Name.Name != "LimitStore" {
						continue
					}
					for _, m := range ts.Type.(*ast.InterfaceType).Methods.List {
						if ft, ok := m.Type.(*ast.FuncType); ok && len(m.Names) == 1 && ft.Results != nil {
							wrap("LimitStore", m.Names[0].Name, ft, paths)
						}
					}
				}
			}
		}
	}
	if !wrapped["MemoryStore"] || !wrapped["MemoryUsers"] || !wrapped["LimitStore"] {
		t.Fatalf("%s: no MemoryStore, MemoryUsers or LimitStore to wrap", dir)
	}
	var head bytes.Buffer
	fmt.Fprintf(&head, "package %s\n\nimport (\n", pkg)
	for _, im := range slices.Sorted(maps.Keys(imports)) {
		fmt.Fprintf(&head, "\t%s\n", im)
	}
	head.WriteString(`)

// probeDown takes the wrapped stores down.
var probeDown atomic.Bool

var errProbeDown = fmt.Errorf("dial backend: connection refused: %w", ErrUnavailable)

type probeMemoryStore struct{ *MemoryStore }

type probeMemoryUsers struct{ *MemoryUsers }

type probeLimitStore struct{ LimitStore }

// probeStores wraps the memory stores of c and keeps its rate limits in a
// wrapped LimitStore: configure for newEnv.
func probeStores(c *Config) {
	c.Store = probeMemoryStore{c.Store.(*MemoryStore)}
	c.Users = probeMemoryUsers{c.Users.(*MemoryUsers)}
	c.Limits = probeLimitStore{newMemoryLimits(maxLimiterKeys)}
}
`)
	src, err := goformat.Source(append(head.Bytes(), out.Bytes()...))
	if err != nil {
		t.Fatalf("%s: the store wrappers do not format: %v\n%s%s", dir, err, head.Bytes(), out.Bytes())
	}
	return src
}
