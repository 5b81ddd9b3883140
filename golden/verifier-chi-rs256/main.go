// Command verifier-chi-rs256 is an example API that accepts the access tokens
// of the team's auth server. Configuration comes from the environment:
//
//	ADDR            listen address (default 127.0.0.1:8081)
//	AUTH_ISSUER     the auth server's issuer, its public base URL (required)
//	AUTH_AUDIENCE   the audience this API accepts tokens for (required)
//	AUTH_JWKS_URL   the auth server's key set (default AUTH_ISSUER/.well-known/jwks.json)
//	AUTH_INTROSPECTION_URL     the auth server's {prefix}/introspect, to refuse
//	                logged-out sessions' tokens within AUTH_INTROSPECTION_CACHE
//	                (default: off; tokens live until they expire)
//	AUTH_INTROSPECTION_SECRET  this service's introspection secret
//	AUTH_INTROSPECTION_CACHE   how long an answer is reused (default 10s)
//
// Try it, with the auth server on :8080:
//
//	AUTH_ISSUER=http://127.0.0.1:8080 AUTH_AUDIENCE=http://127.0.0.1:8080 go run .
//	curl -s -H "Authorization: Bearer $ACCESS" localhost:8081/api/hello
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/jwtgen/jwtgen/golden/verifier-chi-rs256/internal/auth"
)

func main() {
	if err := run(); err != nil {
		slog.Error("server stopped", "error", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	addr := getenv("ADDR", "127.0.0.1:8081")
	cfg := auth.Config{
		Issuer:   os.Getenv("AUTH_ISSUER"),
		Audience: os.Getenv("AUTH_AUDIENCE"),
		JWKSURL:  os.Getenv("AUTH_JWKS_URL"),
	}
	if cfg.Issuer == "" || cfg.Audience == "" {
		return errors.New("AUTH_ISSUER and AUTH_AUDIENCE are required")
	}
	cfg.Introspection.URL = os.Getenv("AUTH_INTROSPECTION_URL")
	cfg.Introspection.Secret = os.Getenv("AUTH_INTROSPECTION_SECRET")
	if ttl := os.Getenv("AUTH_INTROSPECTION_CACHE"); ttl != "" {
		d, err := time.ParseDuration(ttl)
		if err != nil {
			return fmt.Errorf("AUTH_INTROSPECTION_CACHE: %w", err)
		}
		cfg.Introspection.CacheTTL = d
	}
	v, err := auth.New(cfg)
	if err != nil {
		return err
	}

	r := chi.NewRouter()
	r.With(v.Require).Get("/api/hello", hello)
	slog.Info("listening", "addr", addr, "issuer", cfg.Issuer, "audience", cfg.Audience)
	return serve(ctx, addr, r)
}

// hello is the protected example endpoint.
func hello(w http.ResponseWriter, r *http.Request) {
	userID, _ := auth.UserID(r.Context())
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, "{\"hello\":%q}\n", userID)
}

// serve runs h on addr until ctx is done, then gives the requests in
// flight ten seconds to finish.
func serve(ctx context.Context, addr string, h http.Handler) error {
	srv := &http.Server{
		Addr:    addr,
		Handler: h,
		// Timeouts, so that slow or idle clients cannot hold connections
		// (and memory) without end.
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

func getenv(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
