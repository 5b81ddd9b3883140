package generator

import (
	"bytes"
	"path"
	"text/template"
)

// WiringSnippet is a complete main.go that wires the generated package into
// a server of cfg's framework, with the project's module and package
// names: open the store and build the Config, mount the routes, protect a
// route group, read the signed-in user. init prints it in an existing
// module; docs/wiring.md holds the same for every framework.
func WiringSnippet(cfg Config) string {
	var b bytes.Buffer
	d := struct {
		ImportPath, Package string
	}{path.Join(cfg.Module, cfg.Out), path.Base(cfg.Out)}
	if err := wiringTemplates.ExecuteTemplate(&b, cfg.Framework, d); err != nil {
		panic(err) // the templates are constants, tested for every framework
	}
	return b.String()
}

const wiringCommon = `{{define "setup"}}	ctx := context.Background()
	// Open the store and build the Config from the environment: DATABASE_URL,
	// PUBLIC_URL, JWT_SECRET or JWT_KEYRING, ... (see {{.Package}}.ConfigFromEnv),
	// or fill in the {{.Package}}.Config fields yourself.
	cfg, closeStore, err := {{.Package}}.ConfigFromEnv(ctx, "http://localhost:8080")
	if err != nil {
		log.Fatal(err)
	}
	defer closeStore()
	a, err := {{.Package}}.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	go a.RunJanitor(ctx, time.Hour) // purges expired sessions
	// There is no sign-up endpoint: create accounts with cfg.Users.CreateUser.
{{end}}`

var wiringTemplates = template.Must(template.New("").Parse(wiringCommon + `
{{define "nethttp"}}package main

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"time"

	"{{.ImportPath}}"
)

func main() {
{{template "setup" .}}
	mux := http.NewServeMux()
	mux.Handle("/", a.Handler()) // the auth endpoints under {{.Package}}.Prefix
	// Protected routes: a.Require answers 401 without a valid access token.
	mux.Handle("GET /api/me", a.Require(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		userID, _ := {{.Package}}.UserID(r.Context())
		fmt.Fprintf(w, "signed in as %s\n", userID)
	})))
	log.Fatal(http.ListenAndServe("localhost:8080", mux))
}
{{end}}
{{define "chi"}}package main

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"{{.ImportPath}}"
)

func main() {
{{template "setup" .}}
	r := chi.NewRouter()
	a.Mount(r) // the auth endpoints under {{.Package}}.Prefix
	r.Group(func(r chi.Router) {
		r.Use(a.Require) // 401 without a valid access token
		r.Get("/api/me", func(w http.ResponseWriter, r *http.Request) {
			userID, _ := {{.Package}}.UserID(r.Context())
			fmt.Fprintf(w, "signed in as %s\n", userID)
		})
	})
	log.Fatal(http.ListenAndServe("localhost:8080", r))
}
{{end}}
{{define "gin"}}package main

import (
	"context"
	"log"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"{{.ImportPath}}"
)

func main() {
{{template "setup" .}}
	engine := gin.New()
	a.Mount(engine) // the auth endpoints under {{.Package}}.Prefix
	api := engine.Group("/api", a.RequireGin()) // 401 without a valid access token
	api.GET("/me", func(c *gin.Context) {
		userID, _ := {{.Package}}.GinUserID(c)
		c.String(http.StatusOK, "signed in as %s\n", userID)
	})
	log.Fatal(engine.Run("localhost:8080"))
}
{{end}}
{{define "echo"}}package main

import (
	"context"
	"log"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"{{.ImportPath}}"
)

func main() {
{{template "setup" .}}
	e := echo.New()
	a.Mount(e) // the auth endpoints under {{.Package}}.Prefix
	api := e.Group("/api", a.RequireEcho()) // 401 without a valid access token
	api.GET("/me", func(c echo.Context) error {
		userID, _ := {{.Package}}.EchoUserID(c)
		return c.String(http.StatusOK, "signed in as "+userID+"\n")
	})
	log.Fatal(e.Start("localhost:8080"))
}
{{end}}
{{define "fiber"}}package main

import (
	"context"
	"log"
	"time"

	"github.com/gofiber/fiber/v3"

	"{{.ImportPath}}"
)

func main() {
{{template "setup" .}}
	// Room for the longest token the package accepts.
	app := fiber.New(fiber.Config{ReadBufferSize: {{.Package}}.FiberReadBufferSize})
	a.Mount(app) // the auth endpoints under {{.Package}}.Prefix
	api := app.Group("/api", a.RequireFiber()) // 401 without a valid access token
	api.Get("/me", func(c fiber.Ctx) error {
		userID, _ := {{.Package}}.FiberUserID(c)
		return c.SendString("signed in as " + userID + "\n")
	})
	log.Fatal(app.Listen("localhost:8080"))
}
{{end}}`))
