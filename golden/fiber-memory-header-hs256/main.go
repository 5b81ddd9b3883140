// Command fiber-memory-header-hs256 is an example API protected by the generated auth
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
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/adaptor"
	"github.com/gofiber/fiber/v3/middleware/recover"

	"github.com/jwtgen/jwtgen/golden/fiber-memory-header-hs256/internal/auth"
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

	app := fiber.New(fiber.Config{
		// Room for the longest token the module accepts; Fiber's default
		// would answer 431 before the module sees it.
		ReadBufferSize: auth.FiberReadBufferSize,
		// Fiber's own errors (431, malformed requests) as contract JSON.
		ErrorHandler: auth.FiberErrorHandler,
		ReadTimeout:  15 * time.Second,
		WriteTimeout: 15 * time.Second,
		IdleTimeout:  60 * time.Second,
	})
	app.Use(recover.New())
	a.Mount(app)
	app.Get("/api/hello", a.RequireFiber(), hello)
	if demo := demoHandler(); demo != nil {
		// A sign-in page to try the cookie transport from a browser.
		app.Get("/demo/*", adaptor.HTTPHandler(demo))
	}
	// The pages the links in account mails open (none when the package
	// sends no mail).
	paths, pages := auth.LinkPages()
	for _, p := range paths {
		app.Get(p, adaptor.HTTPHandler(pages))
	}

	slog.Info("listening", "addr", addr, "auth", cfg.Issuer+auth.Prefix)
	return serve(ctx, addr, app)
}

// hello is the protected example endpoint.
func hello(c fiber.Ctx) error {
	userID, _ := auth.FiberUserID(c)
	return c.JSON(fiber.Map{"hello": userID})
}

// serve runs app on addr until ctx is done, then gives the requests in
// flight ten seconds to finish.
func serve(ctx context.Context, addr string, app *fiber.App) error {
	errc := make(chan error, 1)
	go func() { errc <- app.Listen(addr, fiber.ListenConfig{DisableStartupMessage: true}) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	return app.ShutdownWithTimeout(10 * time.Second)
}

func getenv(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
