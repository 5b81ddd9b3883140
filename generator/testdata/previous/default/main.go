// Command default is an example API protected by the generated auth
// package. Configuration comes from the environment:
//
//	ADDR            listen address (default 127.0.0.1:8080)
//	PUBLIC_URL      external base URL, the token issuer (default http://ADDR)
//	DATABASE_URL    store location (see OpenStore)
//	JWT_SECRET      HS256 signing secret, >= 32 bytes (default: a development key)
//	AUTH_GRACE      refresh grace window, a Go duration; 0s = strict (default 10s)
//	DEMO_USER, DEMO_PASSWORD   create this user at start if absent
//
// Try it:
//
//	DEMO_USER=demo DEMO_PASSWORD=correct-horse go run .
//	curl -s -H 'Content-Type: application/json' -d '{"username":"demo","password":"correct-horse"}' localhost:8080/api/auth/token
//	curl -s -H "Authorization: Bearer $ACCESS" localhost:8080/api/hello
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

	"github.com/jwtgen/jwtgen/golden/default/internal/auth"
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
	store, users, err := auth.OpenStore(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer store.Close()

	cfg := auth.Config{
		Store:  store,
		Users:  users,
		Issuer: getenv("PUBLIC_URL", "http://"+addr),
	}
	if secret := os.Getenv("JWT_SECRET"); secret != "" {
		cfg.Secret = []byte(secret)
	} else {
		dev, err := auth.GenerateSecret()
		if err != nil {
			return err
		}
		cfg.Secret = []byte(dev)
		slog.Warn("JWT_SECRET is not set: using a random development key. Do not use this in production. To keep tokens valid across restarts, set JWT_SECRET=" + dev)
	}
	if g := os.Getenv("AUTH_GRACE"); g != "" {
		grace, err := time.ParseDuration(g)
		if err != nil {
			return fmt.Errorf("AUTH_GRACE: %w", err)
		}
		cfg.Grace = grace
		if grace == 0 {
			cfg.Grace = auth.NoGrace
		}
	}
	a, err := auth.New(cfg)
	if err != nil {
		return err
	}
	if err := createDemoUser(ctx, users); err != nil {
		return err
	}
	go a.RunJanitor(ctx, time.Hour)

	mux := http.NewServeMux()
	mux.Handle("/", a.Handler())
	mux.Handle("GET /api/hello", a.Require(http.HandlerFunc(hello)))

	srv := &http.Server{
		Addr:              addr,
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	slog.Info("listening", "addr", addr, "auth", cfg.Issuer+auth.Prefix)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// hello is the protected example endpoint.
func hello(w http.ResponseWriter, r *http.Request) {
	userID, _ := auth.UserID(r.Context())
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, "{\"hello\":%q}\n", userID)
}

// createDemoUser creates DEMO_USER with DEMO_PASSWORD unless it exists.
func createDemoUser(ctx context.Context, users auth.UserStore) error {
	name, password := os.Getenv("DEMO_USER"), os.Getenv("DEMO_PASSWORD")
	if name == "" || password == "" {
		return nil
	}
	_, err := users.CreateUser(ctx, auth.NewUser{Username: name, Password: password})
	switch {
	case errors.Is(err, auth.ErrUserExists):
		return nil
	case err != nil:
		return fmt.Errorf("create demo user %q: %w", name, err)
	}
	slog.Info("demo user created", "username", name)
	return nil
}

func getenv(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
