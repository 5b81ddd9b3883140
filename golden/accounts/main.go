// Command accounts is an example API protected by the generated auth
// package. Configuration comes from the environment: ADDR, the listen
// address (default 127.0.0.1:8080), and the variables auth.ConfigFromEnv
// reads (DATABASE_URL, PUBLIC_URL, the signing key, ...: see its doc).
// DEMO_USER and DEMO_PASSWORD create that user at start if absent.
//
// This file is yours: jwtgen writes it once and never again. It only wires
// the package into a server, so it keeps compiling when jwtgen.yaml changes
// the algorithm, the store, the transport or the providers.
//
// Try it:
//
//	DEMO_USER=demo DEMO_PASSWORD=correct-horse-battery go run .
//
// then send the requests shown in demo.go beside this file: jwtgen writes
// demo.go again on every generate, so they follow jwtgen.yaml's prefix and
// transport.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/jwtgen/jwtgen/golden/accounts/internal/auth"
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

	addr := getenv("ADDR", "127.0.0.1:8080")
	cfg, closeStore, err := auth.ConfigFromEnv(ctx, "http://"+addr)
	if err != nil {
		return err
	}
	defer closeStore()
	a, err := auth.New(cfg)
	if err != nil {
		return err
	}
	if err := auth.CreateDemoUser(ctx, cfg.Users); err != nil {
		return err
	}
	go a.RunJanitor(ctx, time.Hour)

	mux := http.NewServeMux()
	mux.Handle("/", a.Handler())
	mux.Handle("GET /api/hello", a.Require(http.HandlerFunc(hello)))
	if demo := demoHandler(); demo != nil {
		// A sign-in page to try the cookie transport from a browser.
		mux.Handle("GET /demo/", demo)
	}
	// The pages the links in account mails open (none when the package
	// sends no mail).
	paths, pages := auth.LinkPages()
	for _, p := range paths {
		mux.Handle("GET "+p, pages)
	}

	slog.Info("listening", "addr", addr, "auth", cfg.Issuer+auth.Prefix)
	return serve(ctx, addr, mux)
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
