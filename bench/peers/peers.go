// Package peerbench compares the middleware jwtgen generates (the golden
// "default" case: net/http, HS256, Authorization header) with a bare
// golang-jwt middleware, appleboy/gin-jwt and go-chi/jwtauth, all verifying
// the same access token. It is a module of its own so that none of these
// peers ever enters a generated module's go.mod; its import path lies under
// golden/default so that it may import that case's internal package.
package peerbench

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	ginjwt "github.com/appleboy/gin-jwt/v2"
	"github.com/gin-gonic/gin"
	"github.com/go-chi/jwtauth/v5"
	"github.com/golang-jwt/jwt/v5"

	"github.com/jwtgen/jwtgen/golden/default/internal/auth"
)

const (
	issuer   = "https://auth.example.test"
	password = "correct horse battery staple"
)

// Secret is the HS256 key every variant verifies with.
var Secret = []byte("BUw+AWvzIc2IsXkUzsldUnCSwAasRgpPk7N2K6BwvFkICcjLsIFZOgfe71cYkV/T")

// Setup is the module and the handlers under comparison, each answering
// 204 to an authenticated GET and 401 otherwise.
type Setup struct {
	Auth     *auth.Auth
	NoCache  *auth.Auth
	Token    string   // one access token, as a client reuses it
	Distinct []string // access tokens of as many sessions
	Handlers []Variant
	Close    func() // removes the temporary store
}

// Variant is one middleware under comparison.
type Variant struct {
	Name    string
	Handler http.Handler
}

func ok(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }

// NewSetup signs in n+1 times on the generated module and builds every
// variant.
func NewSetup(n int) (*Setup, error) {
	// Cheap password hashing: sign-in is not what is compared.
	auth.DefaultArgon2id = auth.Argon2idParams{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}
	// The golden case's own store (SQLite, in a temporary directory):
	// verifying an access token never reads it.
	dir, err := os.MkdirTemp("", "peerbench-")
	if err != nil {
		return nil, err
	}
	store, err := auth.OpenSQLiteStore(context.Background(), filepath.Join(dir, "auth.db"), auth.SQLOptions{})
	if err != nil {
		return nil, err
	}
	users := store.Users()
	if _, err := users.CreateUser(context.Background(), auth.NewUser{Username: "alice", Password: password}); err != nil {
		return nil, err
	}
	cfg := auth.Config{
		Store: store, Users: users, Issuer: issuer, Secret: Secret,
		AccessTTL:  time.Hour,
		LoginLimit: auth.Limit{Requests: -1}, LoginAccountLimit: auth.Limit{Requests: -1},
		Events: func(context.Context, auth.Event) {},
		Logger: slog.New(slog.DiscardHandler),
	}
	s := &Setup{Close: func() { store.Close(); os.RemoveAll(dir) }}
	if s.Auth, err = auth.New(cfg); err != nil {
		return nil, err
	}
	cfg.TokenCache = auth.TokenCacheConfig{Off: true}
	if s.NoCache, err = auth.New(cfg); err != nil {
		return nil, err
	}
	h := s.Auth.Handler()
	for i := range n + 1 {
		t, err := login(h)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			s.Token = t
		} else {
			s.Distinct = append(s.Distinct, t)
		}
	}

	gin.SetMode(gin.ReleaseMode)
	ginOpen := gin.New()
	ginOpen.GET("/api/hello", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	gj, err := ginjwt.New(&ginjwt.GinJWTMiddleware{
		Realm: "bench", Key: Secret, Timeout: time.Hour,
		Authenticator: func(*gin.Context) (any, error) { return nil, ginjwt.ErrFailedAuthentication },
	})
	if err != nil {
		return nil, err
	}
	ginAuth := gin.New()
	ginAuth.GET("/api/hello", gj.MiddlewareFunc(), func(c *gin.Context) { c.Status(http.StatusNoContent) })

	ja := jwtauth.New("HS256", Secret, nil)
	chiAuth := jwtauth.Verifier(ja)(jwtauth.Authenticator(ja)(http.HandlerFunc(ok)))

	s.Handlers = []Variant{
		{"no-auth", http.HandlerFunc(ok)},
		{"one-hmac-sha256", oneHMAC()},
		{"bare-golang-jwt", bareGolangJWT(cfg)},
		{"generated", s.Auth.Require(http.HandlerFunc(ok))},
		{"generated-no-cache", s.NoCache.Require(http.HandlerFunc(ok))},
		{"gin-no-auth", ginOpen},
		{"appleboy-gin-jwt", ginAuth},
		{"go-chi-jwtauth", chiAuth},
	}
	return s, nil
}

func login(h http.Handler) (string, error) {
	body, _ := json.Marshal(map[string]string{"username": "alice", "password": password})
	req := httptest.NewRequest(http.MethodPost, auth.Prefix+"/token", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	var out struct {
		Access string `json:"access"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || w.Code != http.StatusOK || out.Access == "" {
		return "", fmt.Errorf("login: %d %s", w.Code, w.Body)
	}
	return out.Access, nil
}

type claimsKey struct{}

// bareGolangJWT is what a careful hand-written middleware does: golang-jwt
// ParseWithClaims with the same options as the generated module (pinned
// algorithm, iss, aud, exp required, iat, strict base64, leeway), the claims
// put in the request context.
func bareGolangJWT(cfg auth.Config) http.Handler {
	type claims struct {
		jwt.RegisteredClaims
		SessionID string `json:"sid"`
	}
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{"HS256"}),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Issuer),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithStrictDecoding(),
		jwt.WithLeeway(30*time.Second),
	)
	keyFunc := func(*jwt.Token) (any, error) { return Secret, nil }
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := r.Header.Get("Authorization")
		if len(tok) < 7 {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		c := &claims{}
		if _, err := p.ParseWithClaims(tok[7:], c, keyFunc); err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		ok(w, r.WithContext(context.WithValue(r.Context(), claimsKey{}, c)))
	})
}

// oneHMAC computes one HMAC-SHA256 over the token's header and payload and
// nothing else: the floor under any HS256 verification.
func oneHMAC() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := r.Header.Get("Authorization")
		i := strings.LastIndexByte(tok, '.')
		if len(tok) < 7 || i < 7 {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		m := hmac.New(sha256.New, Secret)
		io.WriteString(m, tok[7:i])
		if len(m.Sum(nil)) != sha256.Size {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		ok(w, r)
	})
}
