package generator

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestExampleServesLinkPages builds the example server of every framework
// with accounts, starts it with its mail going to a real SMTP server
// (Mailpit), and follows the links of the mails it sends: the verify-email
// and reset-password pages (and their script) must be served by the
// example's own routes, without spending the token, and the flows they
// start must complete.
func TestExampleServesLinkPages(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs an example server per framework")
	}
	mp := requireMailpit(t)
	dir := t.TempDir()
	writeMatrixModule(t, dir, "example.com/pages")
	frameworks := optionByKey("framework").names()
	for _, fw := range frameworks {
		cfg := Defaults()
		cfg.Module, cfg.Framework, cfg.Out = "example.com/pages", fw, fw+"/auth"
		cfg.Store, cfg.Features, cfg.Example = "memory", []string{"accounts"}, true
		files, err := Render(cfg)
		if err != nil {
			t.Fatal(err)
		}
		tree := map[string]string{}
		for _, f := range files {
			// The example server's own files (main.go, demo.go) go beside
			// it, one directory per framework.
			p := f.Path
			if !strings.Contains(p, "/") {
				p = fw + "/" + p
			}
			tree[p] = string(f.Content)
		}
		if !strings.Contains(tree[fw+"/main.go"], "LinkPages()") {
			t.Fatalf("%s example does not mount LinkPages", fw)
		}
		writeTree(t, dir, tree)
	}
	bin := filepath.Join(dir, "bin")
	run(t, dir, "go", "build", "-o", bin+string(filepath.Separator), "./...")

	for _, fw := range frameworks {
		t.Run(fw, func(t *testing.T) {
			base := startExample(t, filepath.Join(bin, fw), "SMTP_URL="+mp.smtpURL, "MAIL_FROM=no-reply@example.test")
			const prefix = "/api/auth"
			const password, newPassword = "violet harbour lantern 7 quietly", "amber meadow compass 9 softly"
			addr := fmt.Sprintf("pages.%s.%s@example.test", fw, randomHexString(6))

			// Sign up, then open the link of the mail: the example's own
			// page, served without spending the token.
			wantCode(t, post(t, base+prefix+"/register", `{"email":"`+addr+`","password":"`+password+`"}`), http.StatusAccepted)
			token := openLinkPage(t, base, mp.waitLink(t, addr, "Confirm your email address", "/verify-email"))
			wantCode(t, post(t, base+prefix+"/token", `{"username":"`+addr+`","password":"`+password+`"}`), http.StatusForbidden)
			// What the page's button posts.
			wantCode(t, post(t, base+prefix+"/email/verify", `{"token":"`+token+`"}`), http.StatusNoContent)
			wantCode(t, post(t, base+prefix+"/token", `{"username":"`+addr+`","password":"`+password+`"}`), http.StatusOK)

			// Forgot password, then the reset page of the mail.
			wantCode(t, post(t, base+prefix+"/password/forgot", `{"email":"`+addr+`"}`), http.StatusAccepted)
			token = openLinkPage(t, base, mp.waitLink(t, addr, "Reset your password", "/reset-password"))
			wantCode(t, post(t, base+prefix+"/password/reset", `{"token":"`+token+`","password":"`+newPassword+`"}`), http.StatusNoContent)
			wantCode(t, post(t, base+prefix+"/token", `{"username":"`+addr+`","password":"`+password+`"}`), http.StatusUnauthorized)
			wantCode(t, post(t, base+prefix+"/token", `{"username":"`+addr+`","password":"`+newPassword+`"}`), http.StatusOK)
		})
	}
}

// openLinkPage opens a mail link twice (as a mail scanner and then the
// user would) on the example server, checks that the page and its script
// come from the example's routes with Referrer-Policy: no-referrer, and
// returns the link's token.
func openLinkPage(t *testing.T, base, link string) string {
	t.Helper()
	if !strings.HasPrefix(link, base+"/") {
		t.Fatalf("link %s does not point at the example server %s", link, base)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		res, body := get(t, link)
		if res.StatusCode != http.StatusOK || res.Header.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(body, "account.js") {
			t.Fatalf("GET %s: %d, Referrer-Policy %q\n%s", u.Path, res.StatusCode, res.Header.Get("Referrer-Policy"), body)
		}
	}
	res, body := get(t, base+"/account.js")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") || !strings.Contains(body, "fetch(") {
		t.Fatalf("GET /account.js: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	return u.Query().Get("token")
}

// startExample runs an example server binary on a free loopback port with
// a memory store, unless env names another DATABASE_URL (the last value of
// a variable wins), and returns its base URL once it answers.
func startExample(t *testing.T, bin string, env ...string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	srv := exec.Command(bin)
	srv.Env = append(os.Environ(), append([]string{"ADDR=" + addr, "DATABASE_URL="}, env...)...)
	var logs bytes.Buffer
	srv.Stdout, srv.Stderr = &logs, &logs
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Process.Kill()
		srv.Wait()
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(base + "/.well-known/jwks.json")
		if err == nil {
			res.Body.Close()
			return base
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start: %v\n%s", err, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// reply is a status and body.
type reply struct {
	path   string
	status int
	body   string
}

func post(t *testing.T, u, body string) reply {
	t.Helper()
	res, err := http.Post(u, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return reply{res.Request.URL.Path, res.StatusCode, string(b)}
}

func wantCode(t *testing.T, r reply, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("POST %s: %d, want %d: %s", r.path, r.status, want, r.body)
	}
}

func randomHexString(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// mailpit is a running Mailpit: AUTH_TEST_SMTP_URL and
// AUTH_TEST_MAILPIT_API, by default the one on the standard ports.
type mailpit struct{ smtpURL, api string }

func requireMailpit(t *testing.T) *mailpit {
	t.Helper()
	m := &mailpit{smtpURL: os.Getenv("AUTH_TEST_SMTP_URL"), api: strings.TrimSuffix(os.Getenv("AUTH_TEST_MAILPIT_API"), "/")}
	if m.smtpURL == "" {
		m.smtpURL = "smtp://127.0.0.1:1025"
	}
	if m.api == "" {
		m.api = "http://127.0.0.1:8025"
	}
	client := http.Client{Timeout: 2 * time.Second}
	res, err := client.Get(m.api + "/api/v1/info")
	if err == nil {
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET /api/v1/info: %s", res.Status)
		}
	}
	if err != nil {
		if v := os.Getenv("AUTH_TEST_REQUIRE_SERVICES"); v != "" && v != "0" {
			t.Fatalf("Mailpit is required (AUTH_TEST_REQUIRE_SERVICES=%s) but not reachable at %s: %v", v, m.api, err)
		}
		t.Skipf("SKIPPED: Mailpit is not reachable at %s (%v); start it or set AUTH_TEST_SMTP_URL and AUTH_TEST_MAILPIT_API", m.api, err)
	}
	return m
}

// waitLink waits for the mail to addr with that subject and returns its
// link to page.
func (m *mailpit) waitLink(t *testing.T, addr, subject, page string) string {
	t.Helper()
	link := regexp.MustCompile(`https?://[^\s"<>]+` + regexp.QuoteMeta(page) + `\?token=[A-Za-z0-9_-]+`)
	deadline := time.Now().Add(20 * time.Second)
	for {
		var list struct {
			Messages []struct{ ID, Subject string }
		}
		m.getJSON(t, "/api/v1/search?query="+url.QueryEscape(fmt.Sprintf("to:%q subject:%q", addr, subject)), &list)
		for _, msg := range list.Messages {
			if msg.Subject != subject {
				continue
			}
			var full struct{ Text string }
			m.getJSON(t, "/api/v1/message/"+msg.ID, &full)
			if l := link.FindString(full.Text); l != "" {
				return l
			}
			t.Fatalf("mail %q to %s has no %s link:\n%s", subject, addr, page, full.Text)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no mail %q to %s arrived in Mailpit", subject, addr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (m *mailpit) getJSON(t *testing.T, path string, v any) {
	t.Helper()
	res, body := get(t, m.api+path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("Mailpit %s: %s %s", path, res.Status, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("Mailpit %s: %v", path, err)
	}
}

// TestDemoPageOnlyInTheExample checks, with the go command, that the demo
// page is not in the build of the auth package but only in the example
// server's (and the package's tests'): the package does not embed its
// files, the example server and the tests do, and the page's directory
// holds no Go file, so no option change deletes one there.
func TestDemoPageOnlyInTheExample(t *testing.T) {
	for _, c := range []string{"accounts-cookie", "gin-example-providers"} {
		t.Run(c, func(t *testing.T) {
			cfg := goldenConfig(t, filepath.Join("..", "golden", c))
			root := "github.com/jwtgen/jwtgen/golden/" + c
			pkg := root + "/" + cfg.Out
			golden := filepath.Join("..", "golden")
			page := []string{"index.html", "demo.js", "auth-client.js"}
			embeds := run(t, golden, "go", "list", "-f", "{{.EmbedFiles}}", pkg)
			for _, f := range page {
				if strings.Contains(embeds, f) {
					t.Errorf("the auth package embeds %s: %s", f, embeds)
				}
			}
			for what, list := range map[string]string{
				"the example server":  run(t, golden, "go", "list", "-f", "{{.EmbedFiles}}", root),
				"the package's tests": run(t, golden, "go", "list", "-f", "{{.TestEmbedPatterns}}", pkg),
			} {
				for _, f := range page {
					if !strings.Contains(list, cfg.Out+"/web/"+f) && !strings.Contains(list, "web/"+f) {
						t.Errorf("%s does not embed %s: %s", what, f, list)
					}
				}
			}
			gos, _ := filepath.Glob(filepath.Join(golden, c, filepath.FromSlash(cfg.Out), "web", "*.go"))
			if len(gos) > 0 {
				t.Errorf("the demo page's directory holds Go files: %v", gos)
			}
		})
	}
}
