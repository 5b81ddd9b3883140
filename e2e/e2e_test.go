// Package e2e runs generated auth servers and verifiers as real processes,
// with keyrings written by jwtgen keys, and checks them against each other
// and against an outside JOSE implementation (npm jose, run by node).
package e2e

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jwtgen/jwtgen/generator"
	"github.com/jwtgen/jwtgen/keys"
)

// requireServices makes a missing node a failure instead of a skip (CI).
var requireServices = os.Getenv("JWTGEN_REQUIRE_SERVICES") == "1"

const demoPassword = "correct-horse-battery-staple"

// A pairing is an auth server and a verifier that checks its tokens.
type pairing struct {
	alg       string
	framework string // of the verifier
}

// pairings cover every asymmetric algorithm and every framework's
// verifier reading a JWKS (TestPairingsCoverEveryAlgorithmAndFramework),
// and the HS256 verifier sharing the auth server's keyring file.
var pairings = []pairing{
	{"ES256", "nethttp"},
	{"RS256", "chi"},
	{"EdDSA", "echo"},
	{"ES256", "fiber"},
	{"RS256", "gin"},
	{"HS256", "gin"},
}

func authName(alg string) string { return "auth" + strings.ToLower(alg) }
func verifierName(p pairing) string {
	return "verifier" + p.framework + strings.ToLower(p.alg)
}

// TestPairingsCoverEveryAlgorithmAndFramework keeps the end-to-end tests
// honest: each asymmetric algorithm's auth server, and each framework's
// verifier with a JWKS, runs as a process in at least one pairing.
func TestPairingsCoverEveryAlgorithmAndFramework(t *testing.T) {
	algs, frameworks := map[string]bool{}, map[string]bool{}
	for _, p := range pairings {
		if p.alg != "HS256" {
			algs[p.alg], frameworks[p.framework] = true, true
		}
	}
	for _, alg := range keys.Algorithms {
		if alg != "HS256" && !algs[alg] {
			t.Errorf("no pairing runs an %s auth server", alg)
		}
	}
	for _, fw := range generator.Values("framework") {
		if !frameworks[fw] {
			t.Errorf("no pairing runs the %s verifier with a JWKS", fw)
		}
	}
}

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binaries renders an auth server per algorithm and a verifier per
// framework, as init writes them in an empty directory, into one temporary
// module (the golden module's requirements) and builds them all at once.
func binaries(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() { binDir, buildErr = build() })
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binDir
}

func build() (string, error) {
	dir, err := os.MkdirTemp("", "jwtgen-e2e-")
	if err != nil {
		return "", err
	}
	gomod, err := os.ReadFile("../golden/go.mod")
	if err != nil {
		return "", err
	}
	_, rest, _ := bytes.Cut(gomod, []byte("\n"))
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), append([]byte("module example.test/e2e\n"), rest...), 0o644); err != nil {
		return "", err
	}
	gosum, err := os.ReadFile("../golden/go.sum")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), gosum, 0o644); err != nil {
		return "", err
	}
	var configs = map[string]generator.Config{}
	for _, p := range pairings {
		c := generator.Defaults()
		c.Store, c.Alg, c.Example = "memory", p.alg, true
		configs[authName(p.alg)] = c
		v := generator.Defaults()
		v.Role, v.Framework, v.Alg, v.Example = "verifier", p.framework, p.alg, true
		configs[verifierName(p)] = v
	}
	var pkgs []string
	for name, c := range configs {
		c.Module = "example.test/e2e/" + name
		files, err := generator.Render(c)
		if err != nil {
			return "", fmt.Errorf("render %s: %w", name, err)
		}
		for _, f := range files {
			p := filepath.Join(dir, name, filepath.FromSlash(f.Path))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return "", err
			}
			if err := os.WriteFile(p, f.Content, 0o644); err != nil {
				return "", err
			}
		}
		pkgs = append(pkgs, "./"+name)
	}
	bin := filepath.Join(dir, "bin")
	cmd := exec.Command("go", append([]string{"build", "-o", bin + string(filepath.Separator)}, pkgs...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build of the generated servers: %v\n%s", err, out)
	}
	return bin, nil
}

// process is a started server.
type process struct {
	cmd  *exec.Cmd
	url  string
	logs *bytes.Buffer
	done chan struct{}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// start runs a built server listening on addr (a free one when "") with
// env, and waits until it accepts connections.
func start(t *testing.T, bin, addr string, env ...string) *process {
	t.Helper()
	if addr == "" {
		addr = freeAddr(t)
	}
	p := &process{url: "http://" + addr, logs: &bytes.Buffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin)
	p.cmd.Env = append(os.Environ(), append([]string{"ADDR=" + addr}, env...)...)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("%s output:\n%s", filepath.Base(bin), p.logs)
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
			return p
		}
		select {
		case <-p.done:
			t.Fatalf("%s exited at start:\n%s", filepath.Base(bin), p.logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not listen on %s:\n%s", filepath.Base(bin), addr, p.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startAuth starts the auth server of alg with the demo user and the
// keyring at ring; its url is its issuer.
func startAuth(t *testing.T, bin, alg, ring string, env ...string) *process {
	t.Helper()
	addr := freeAddr(t)
	return start(t, filepath.Join(bin, authName(alg)), addr, append([]string{
		"PUBLIC_URL=http://" + addr, "JWT_KEYRING=" + ring,
		"DEMO_USER=demo", "DEMO_PASSWORD=" + demoPassword,
	}, env...)...)
}

func (p *process) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

func (p *process) hup(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
}

// login signs the demo user in at an auth server and returns the access
// token.
func login(t *testing.T, auth *process) string {
	t.Helper()
	access, _ := loginTokens(t, auth)
	return access
}

// loginTokens signs the demo user in and returns both tokens.
func loginTokens(t *testing.T, auth *process) (access, refresh string) {
	t.Helper()
	res, err := http.Post(auth.url+"/api/auth/token", "application/json", strings.NewReader(`{"username":"demo","password":"`+demoPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Access  string `json:"access"`
		Refresh string `json:"refresh"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != http.StatusOK || body.Access == "" {
		t.Fatalf("login: %d %v", res.StatusCode, err)
	}
	return body.Access, body.Refresh
}

// hello calls the verifier's protected endpoint and returns the status and
// the error code.
func hello(t *testing.T, verifier *process, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, verifier.url+"/api/hello", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Error string `json:"error"`
	}
	raw, _ := io.ReadAll(res.Body)
	_ = json.Unmarshal(raw, &body)
	return res.StatusCode, body.Error
}

func poll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func segment(t *testing.T, token string, i int) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	b, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// currentKey returns the kid and signing key of a keyring's current key.
func currentKey(t *testing.T, path string) (string, any) {
	t.Helper()
	r, err := keys.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range r.Keys {
		if k.State != keys.Current {
			continue
		}
		if r.Alg == "HS256" {
			secret, err := base64.StdEncoding.DecodeString(k.Secret)
			if err != nil {
				t.Fatal(err)
			}
			return k.ID, secret
		}
		block, _ := pem.Decode([]byte(k.PrivateKey))
		priv, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		return k.ID, priv
	}
	t.Fatal("no current key")
	return "", nil
}

// signJWS signs claims as a compact JWS with alg and key; it is written
// here, not taken from the module, so that the tests check the module
// against an independent implementation.
func signJWS(t *testing.T, alg, kid string, key any, claims map[string]any) string {
	t.Helper()
	h, _ := json.Marshal(map[string]any{"alg": alg, "kid": kid, "typ": "at+jwt"})
	c, _ := json.Marshal(claims)
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	sum := sha256.Sum256([]byte(input))
	var sig []byte
	var err error
	switch k := key.(type) {
	case []byte:
		m := hmac.New(sha256.New, k)
		m.Write([]byte(input))
		sig = m.Sum(nil)
	case *rsa.PrivateKey:
		sig, err = rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, sum[:])
	case *ecdsa.PrivateKey:
		var r, s *big.Int
		r, s, err = ecdsa.Sign(rand.Reader, k, sum[:])
		if err == nil {
			sig = append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
		}
	case ed25519.PrivateKey:
		sig = ed25519.Sign(k, []byte(input))
	default:
		t.Fatalf("key %T", key)
	}
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// writeKeyring writes a new keyring the way `jwtgen keys generate` does.
func writeKeyring(t *testing.T, alg string) string {
	t.Helper()
	r, err := keys.Generate(alg, keys.Options{RSABits: 2048}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "keyring.json")
	if err := keys.Create(path, r); err != nil {
		t.Fatal(err)
	}
	return path
}

// rotateKeyring rotates a keyring the way `jwtgen keys rotate` does and
// returns the new current kid.
func rotateKeyring(t *testing.T, path string) string {
	t.Helper()
	r, err := keys.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Rotate(keys.Options{RSABits: 2048}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := keys.Replace(path, r); err != nil {
		t.Fatal(err)
	}
	for _, k := range r.Keys {
		if k.State == keys.Current {
			return k.ID
		}
	}
	t.Fatal("no current key after rotation")
	return ""
}

func TestAuthServerAndVerifierProcesses(t *testing.T) {
	bin := binaries(t)
	for _, p := range pairings {
		t.Run(p.alg+"/"+p.framework, func(t *testing.T) {
			ring := writeKeyring(t, p.alg)
			auth := startAuth(t, bin, p.alg, ring)
			issuer := auth.url
			verifierEnv := []string{"AUTH_ISSUER=" + issuer, "AUTH_AUDIENCE=" + issuer}
			if p.alg == "HS256" {
				verifierEnv = append(verifierEnv, "JWT_KEYRING="+ring)
			}
			verifier := start(t, filepath.Join(bin, verifierName(p)), "", verifierEnv...)

			token := login(t, auth)
			if status, code := hello(t, verifier, token); status != http.StatusOK {
				t.Fatalf("the auth server's token at the verifier: %d %s", status, code)
			}

			claims := segment(t, token, 1)
			kid, key := currentKey(t, ring)
			with := func(name string, v any) map[string]any {
				c := map[string]any{}
				for k, x := range claims {
					c[k] = x
				}
				c[name] = v
				return c
			}
			parts := strings.Split(token, ".")
			tamperedClaims, _ := json.Marshal(with("sub", "someone-else"))
			tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString(tamperedClaims) + "." + parts[2]
			past := time.Now().Add(-time.Hour).Unix()
			expired := with("exp", past)
			expired["iat"], expired["nbf"] = past-60, past-60
			for _, c := range []struct {
				name, token, code string
			}{
				{"tampered", tampered, "token_not_valid"},
				{"expired", signJWS(t, p.alg, kid, key, expired), "token_expired"},
				{"wrong audience", signJWS(t, p.alg, kid, key, with("aud", "https://other.example.test")), "token_not_valid"},
				{"wrong issuer", signJWS(t, p.alg, kid, key, with("iss", "https://evil.example.test")), "token_not_valid"},
			} {
				if status, code := hello(t, verifier, c.token); status != http.StatusUnauthorized || code != c.code {
					t.Errorf("%s token: %d %q, want 401 %q", c.name, status, code, c.code)
				}
			}
			if status, _ := hello(t, verifier, signJWS(t, p.alg, kid, key, claims)); status != http.StatusOK {
				t.Fatalf("a token this test signed with the current key is refused (%d): the refusals above prove nothing", status)
			}

			// Rotate with jwtgen keys; the auth server reloads on SIGHUP,
			// the verifier (not restarted) accepts the new key's tokens.
			newKid := rotateKeyring(t, ring)
			var rotated string
			poll(t, "the auth server signing with the new key", func() bool {
				auth.hup(t)
				rotated = login(t, auth)
				return segment(t, rotated, 0)["kid"] == newKid
			})
			if p.alg == "HS256" {
				verifier.hup(t)
			}
			poll(t, "the verifier accepting the new key's token", func() bool {
				status, _ := hello(t, verifier, rotated)
				return status == http.StatusOK
			})
			if status, code := hello(t, verifier, token); status != http.StatusOK {
				t.Fatalf("a token of the retired key: %d %s", status, code)
			}

			// With the auth server gone, the verifier keeps verifying.
			auth.stop()
			if status, code := hello(t, verifier, rotated); status != http.StatusOK {
				t.Fatalf("auth server stopped: %d %s, want the cached keys to verify", status, code)
			}
		})
	}
}

// jose prepares npm jose in a temporary directory and returns it, or skips
// (fails when JWTGEN_REQUIRE_SERVICES=1) without node and npm.
func jose(t *testing.T) string {
	t.Helper()
	unavailable := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if requireServices {
			t.Fatal(msg)
		}
		t.Skip("SKIPPED, the interoperability test did not run: " + msg + " (JWTGEN_REQUIRE_SERVICES=1 makes this a failure)")
	}
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			unavailable("%s is not installed", tool)
		}
	}
	joseOnce.Do(func() {
		joseDir, joseErr = os.MkdirTemp("", "jwtgen-jose-")
		if joseErr != nil {
			return
		}
		for _, f := range []string{"package.json", "package-lock.json", "verify.mjs", "sign.mjs"} {
			b, err := os.ReadFile(filepath.Join("testdata", "jose", f))
			if err != nil {
				joseErr = err
				return
			}
			if joseErr = os.WriteFile(filepath.Join(joseDir, f), b, 0o644); joseErr != nil {
				return
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
		cmd.Dir = joseDir
		if out, err := cmd.CombinedOutput(); err != nil {
			joseErr = fmt.Errorf("npm ci: %v\n%s", err, out)
		}
	})
	if joseErr != nil {
		unavailable("%v", joseErr)
	}
	return joseDir
}

var (
	joseOnce sync.Once
	joseDir  string
	joseErr  error
)

func node(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("node", args...)
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("node %s: %v: %s", args[0], err, errOut.String())
	}
	return out.String(), nil
}

func TestJoseInterop(t *testing.T) {
	dir := jose(t)
	bin := binaries(t)
	for _, p := range pairings {
		if p.alg == "HS256" {
			continue
		}
		t.Run(p.alg+"/"+p.framework, func(t *testing.T) {
			// jose verifies the auth server's token against its JWKS.
			ring := writeKeyring(t, p.alg)
			auth := startAuth(t, bin, p.alg, ring)
			issuer := auth.url
			token := login(t, auth)
			out, err := node(t, dir, "verify.mjs", token, issuer+"/.well-known/jwks.json", issuer, issuer)
			if err != nil {
				t.Fatalf("jose refuses the auth server's token: %v", err)
			}
			if !strings.Contains(out, `"typ":"at+jwt"`) {
				t.Fatalf("jose's view of the token: %s", out)
			}
			if _, err := node(t, dir, "verify.mjs", token, issuer+"/.well-known/jwks.json", issuer, "https://other.example.test"); err == nil {
				t.Fatal("jose accepted the token for another audience: the check above proves nothing")
			}

			// The verifier accepts a token jose signed with a key published
			// in a JWKS this test serves.
			now := time.Now().Unix()
			claims, _ := json.Marshal(map[string]any{
				"iss": "https://jose.example.test", "aud": "https://api.example.test", "sub": "jose-user",
				"iat": now, "nbf": now, "exp": now + 300, "jti": "jose-1",
			})
			out, err = node(t, dir, "sign.mjs", p.alg, "jose-key", string(claims))
			if err != nil {
				t.Fatal(err)
			}
			var signed struct {
				JWK   map[string]any `json:"jwk"`
				Token string         `json:"token"`
			}
			if err := json.Unmarshal([]byte(out), &signed); err != nil {
				t.Fatalf("sign.mjs: %v: %s", err, out)
			}
			jwks, _ := json.Marshal(map[string]any{"keys": []any{signed.JWK}})
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write(jwks)
			})}
			go srv.Serve(l)
			t.Cleanup(func() { srv.Close() })
			verifier := start(t, filepath.Join(bin, verifierName(p)), "",
				"AUTH_ISSUER=https://jose.example.test", "AUTH_AUDIENCE=https://api.example.test",
				"AUTH_JWKS_URL=http://"+l.Addr().String()+"/jwks.json")
			if status, code := hello(t, verifier, signed.Token); status != http.StatusOK {
				t.Fatalf("the verifier refuses jose's token: %d %s", status, code)
			}
		})
	}
}

// TestIntrospectionEndToEnd logs out at the auth server and watches the
// verifier, which asks the auth server (RFC 7662) with a one-second cache,
// refuse the session's access token, long before it expires.
func TestIntrospectionEndToEnd(t *testing.T) {
	bin := binaries(t)
	const secret = "Yq0lO6o3bJm2r8XzT1cK9pVw4eHs7uDf5gNa"
	ring := writeKeyring(t, "ES256")
	auth := startAuth(t, bin, "ES256", ring, "AUTH_INTROSPECTION_SECRETS="+secret)
	issuer := auth.url
	verifier := start(t, filepath.Join(bin, verifierName(pairing{"ES256", "nethttp"})), "",
		"AUTH_ISSUER="+issuer, "AUTH_AUDIENCE="+issuer,
		"AUTH_INTROSPECTION_URL="+issuer+"/api/auth/introspect", "AUTH_INTROSPECTION_SECRET="+secret,
		"AUTH_INTROSPECTION_CACHE=1s")

	access, refresh := loginTokens(t, auth)
	if status, code := hello(t, verifier, access); status != http.StatusOK {
		t.Fatalf("a live session's token: %d %s", status, code)
	}
	res, err := http.Post(auth.url+"/api/auth/logout", "application/json", strings.NewReader(`{"refresh":"`+refresh+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	poll(t, "the verifier refusing the logged-out session's token", func() bool {
		status, code := hello(t, verifier, access)
		return status == http.StatusUnauthorized && code == "token_revoked"
	})
}

// TestAudienceAllowlistEndToEnd starts an auth server whose AUTH_AUDIENCE
// lists two APIs and a verifier of the second: a token asked for the
// second API (login body "audience") passes there, the default token (for
// the first) is refused, an audience outside the list is refused at
// login, and every token names AUTH_CLIENT_ID as its client_id.
func TestAudienceAllowlistEndToEnd(t *testing.T) {
	bin := binaries(t)
	const apiA, apiB = "https://api-a.example.test", "https://api-b.example.test"
	ring := writeKeyring(t, "ES256")
	auth := startAuth(t, bin, "ES256", ring, "AUTH_AUDIENCE="+apiA+", "+apiB, "AUTH_CLIENT_ID=web")
	verifierB := start(t, filepath.Join(bin, verifierName(pairing{"ES256", "nethttp"})), "",
		"AUTH_ISSUER="+auth.url, "AUTH_AUDIENCE="+apiB)

	loginFor := func(audience string) (int, string, string) {
		t.Helper()
		body := map[string]string{"username": "demo", "password": demoPassword}
		if audience != "" {
			body["audience"] = audience
		}
		b, _ := json.Marshal(body)
		res, err := http.Post(auth.url+"/api/auth/token", "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out struct {
			Access string `json:"access"`
			Error  string `json:"error"`
		}
		_ = json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out.Access, out.Error
	}
	// audIs reports whether a token's aud is exactly want, alone.
	audIs := func(token, want string) bool {
		switch aud := segment(t, token, 1)["aud"].(type) {
		case string:
			return aud == want
		case []any:
			return len(aud) == 1 && aud[0] == want
		}
		return false
	}

	status, forB, code := loginFor(apiB)
	if status != http.StatusOK {
		t.Fatalf("login asking for %s: %d %s", apiB, status, code)
	}
	if !audIs(forB, apiB) {
		t.Fatalf("login asking for %s: aud %v", apiB, segment(t, forB, 1)["aud"])
	}
	if got := segment(t, forB, 1)["client_id"]; got != "web" {
		t.Fatalf("client_id %v, want AUTH_CLIENT_ID web", got)
	}
	if status, code := hello(t, verifierB, forB); status != http.StatusOK {
		t.Fatalf("a token for %s at its verifier: %d %s", apiB, status, code)
	}

	status, def, code := loginFor("")
	if status != http.StatusOK {
		t.Fatalf("login without audience: %d %s", status, code)
	}
	if !audIs(def, apiA) {
		t.Fatalf("login without audience: aud %v; want %s alone", segment(t, def, 1)["aud"], apiA)
	}
	if status, code := hello(t, verifierB, def); status != http.StatusUnauthorized || code != "token_not_valid" {
		t.Fatalf("a token for %s at the verifier of %s: %d %q, want 401 token_not_valid", apiA, apiB, status, code)
	}

	if status, _, code := loginFor("https://evil.example.test"); status != http.StatusBadRequest || code != "invalid_request" {
		t.Fatalf("login asking for an audience outside AUTH_AUDIENCE: %d %q, want 400 invalid_request", status, code)
	}
}

// TestVerifierExampleRequiresIssuerAndAudience: the verifier's example
// server refuses to start without AUTH_ISSUER or AUTH_AUDIENCE, which the
// contract makes required, instead of accepting tokens of any issuer or
// for any API.
func TestVerifierExampleRequiresIssuerAndAudience(t *testing.T) {
	bin := binaries(t)
	for name, env := range map[string][]string{
		"no AUTH_AUDIENCE": {"AUTH_ISSUER=https://auth.example.test"},
		"no AUTH_ISSUER":   {"AUTH_AUDIENCE=https://api.example.test"},
	} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, filepath.Join(bin, verifierName(pairing{"ES256", "nethttp"})))
			cmd.Env = append(os.Environ(), append([]string{"ADDR=" + freeAddr(t), "AUTH_ISSUER=", "AUTH_AUDIENCE="}, env...)...)
			out, err := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("the verifier kept running without its required settings:\n%s", out)
			}
			if err == nil || !strings.Contains(string(out), "AUTH_ISSUER and AUTH_AUDIENCE are required") {
				t.Fatalf("exit %v, output:\n%s\nwant a refusal naming AUTH_ISSUER and AUTH_AUDIENCE", err, out)
			}
		})
	}
}
