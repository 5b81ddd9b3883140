// Command mfa-fiber is an example API protected by the generated auth
// package. Configuration comes from the environment:
//
//	ADDR            listen address (default 127.0.0.1:8080)
//	PUBLIC_URL      external base URL, the token issuer (default http://ADDR)
//	DATABASE_URL    store location (see OpenStore)
//	JWT_SECRET      HS256 signing secret, >= 32 bytes (default: a development key)
//	AUTH_GRACE      refresh grace window, a Go duration; 0s = strict (default 10s)
//	AUTH_INSECURE_DEV_COOKIES  1 = cookies without Secure and __Host- names, for
//	                plain http on a host other than localhost (never in production)
//	AUTH_MFA_KEY    32-byte key (base64) sealing TOTP secrets (default: a development key)
//	DEMO_USER, DEMO_PASSWORD   create this user at start if absent
//
// Try it:
//
//	DEMO_USER=demo DEMO_PASSWORD=correct-horse go run .
//
// then open http://localhost:8080/demo/ in a browser, or with curl:
//
//	curl -s -c jar -H 'Content-Type: application/json' -H 'X-Auth-Transport: cookie' -d '{"username":"demo","password":"correct-horse"}' localhost:8080/api/auth/token
//	curl -s -b jar localhost:8080/api/hello
//
// or as a header client (mobile app, other service):
//
//	curl -s -H 'Content-Type: application/json' -d '{"username":"demo","password":"correct-horse"}' localhost:8080/api/auth/token
//	curl -s -H "Authorization: Bearer $ACCESS" localhost:8080/api/hello
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/adaptor"
	"github.com/gofiber/fiber/v3/middleware/recover"

	"github.com/jwtgen/jwtgen/golden/mfa-fiber/internal/auth"
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
	// Browsers accept Secure cookies from http://localhost; any other
	// plain-http host needs development cookies.
	cfg.Cookies.InsecureDev = os.Getenv("AUTH_INSECURE_DEV_COOKIES") == "1"
	// AUTH_LOGIN_LIMIT, AUTH_ACCOUNT_LIMIT, AUTH_REFRESH_LIMIT,
	// AUTH_TRUSTED_PROXIES, REDIS_URL: see LimitsFromEnv.
	if err := auth.LimitsFromEnv(ctx, &cfg); err != nil {
		return err
	}
	if cfg.MFA, err = auth.MFAFromEnv(cfg.Issuer, slog.Default()); err != nil {
		return err
	}
	a, err := auth.New(cfg)
	if err != nil {
		return err
	}
	if err := createDemoUser(ctx, users); err != nil {
		return err
	}
	go a.RunJanitor(ctx, time.Hour)

	app := fiber.New(fiber.Config{
		// Room for the longest token the module accepts; Fiber's default
		// would answer 431 before the module sees it.
		ReadBufferSize: auth.FiberReadBufferSize,
		ReadTimeout:    15 * time.Second,
		WriteTimeout:   15 * time.Second,
		IdleTimeout:    60 * time.Second,
	})
	app.Use(recover.New())
	a.Mount(app)
	app.Get("/api/hello", a.RequireFiber(), hello)
	// A sign-in page to try the cookie transport from a browser.
	app.Get("/demo/*", adaptor.HTTPHandler(auth.DemoPage()))

	errc := make(chan error, 1)
	go func() { errc <- app.Listen(addr, fiber.ListenConfig{DisableStartupMessage: true}) }()
	slog.Info("listening", "addr", addr, "auth", cfg.Issuer+auth.Prefix, "demo", cfg.Issuer+"/demo/")
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	return app.ShutdownWithTimeout(10 * time.Second)
}

// hello is the protected example endpoint.
func hello(c fiber.Ctx) error {
	userID, _ := auth.FiberUserID(c)
	return c.JSON(fiber.Map{"hello": userID})
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
