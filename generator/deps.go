package generator

import (
	"fmt"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"
)

// PinnedModules are the versions of the generated code's dependencies that
// jwtgen is tested with: the one list of them. init requires exactly these
// (or keeps a newer one the project already has); the golden module
// requires exactly these (TestPinsAreTheGoldenRequirements, and
// go test ./generator -run TestGolden -update applies them), so every pin
// is a module some template imports.
var pinnedModules = map[string]string{
	"github.com/golang-jwt/jwt/v5":     "v5.3.1",
	"modernc.org/sqlite":               "v1.62.0",
	"github.com/jackc/pgx/v5":          "v5.13.0",
	"github.com/go-sql-driver/mysql":   "v1.10.1",
	"github.com/redis/go-redis/v9":     "v9.23.0",
	"github.com/coreos/go-oidc/v3":     "v3.21.0",
	"golang.org/x/oauth2":              "v0.38.0",
	"golang.org/x/crypto":              "v0.59.0",
	"golang.org/x/text":                "v0.44.0",
	"github.com/oauth2-proxy/mockoidc": "v0.0.0-20261103160011-e06ed0b7cb7f",
	"github.com/chromedp/chromedp":     "v0.23.0",
	"github.com/chromedp/cdproto":      "v0.160.0",
	"github.com/go-chi/chi/v5":         "v5.5.0",
	"github.com/gin-gonic/gin":         "v1.12.0",
	"github.com/labstack/echo/v4":      "v4.16.4",
	"github.com/gofiber/fiber/v3":      "v3.1.0",
	"github.com/valyala/fasthttp":      "v1.69.0",
	"github.com/go-webauthn/webauthn":  "v0.18.2",
}

// Requirement is a module the generated code needs, at a version ("" when
// jwtgen has no pin: the latest is taken).
type requirement struct {
	Path, Version string
}

// String is the argument to go get.
func (r requirement) String() string {
	if r.Version == "" {
		return r.Path + "@latest"
	}
	return r.Path + "@" + r.Version
}

// Requirements derives the modules the rendered Go files import (their
// tests included), leaving out the standard library and the project's own
// module. An import is attributed to the longest pinned module path that
// prefixes it; an import no pin covers is required as itself, at latest.
func requirements(files []file, module string) ([]requirement, error) {
	seen := map[string]bool{}
	var reqs []requirement
	fset := token.NewFileSet()
	for _, f := range files {
		if !strings.HasSuffix(f.Path, ".go") {
			continue
		}
		af, err := parser.ParseFile(fset, f.Path, f.Content, parser.ImportsOnly)
		if err != nil {
			return nil, fmt.Errorf("reading imports of %s: %w", f.Path, err)
		}
		for _, imp := range af.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(p, "/")
			if !strings.Contains(first, ".") || p == module || strings.HasPrefix(p, module+"/") {
				continue
			}
			r, best := requirement{Path: p}, ""
			for mod, v := range pinnedModules {
				if (p == mod || strings.HasPrefix(p, mod+"/")) && len(mod) > len(best) {
					r, best = requirement{Path: mod, Version: v}, mod
				}
			}
			if !seen[r.Path] {
				seen[r.Path] = true
				reqs = append(reqs, r)
			}
		}
	}
	slices.SortFunc(reqs, func(a, b requirement) int { return strings.Compare(a.Path, b.Path) })
	return reqs, nil
}

// Missing returns the requirements go.mod does not already satisfy: absent,
// or required at an older version. A newer version the project already
// requires is kept.
func missing(gomod []byte, reqs []requirement) ([]requirement, error) {
	f, err := modfile.ParseLax("go.mod", gomod, nil)
	if err != nil {
		return nil, fmt.Errorf("parsing go.mod: %w", err)
	}
	have := map[string]string{}
	for _, r := range f.Require {
		have[r.Mod.Path] = r.Mod.Version
	}
	var missing []requirement
	for _, r := range reqs {
		v, ok := have[r.Path]
		switch {
		case !ok:
			missing = append(missing, r)
		case r.Version != "" && semver.Compare(v, r.Version) < 0:
			missing = append(missing, r)
		}
	}
	return missing, nil
}
