package generator

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// mountedRoutes reads the route tables of a rendered package: every
// element {http.MethodX, Prefix + "/path", handler} of a []route literal,
// whichever file and function holds it, as "METHOD /path" with the prefix
// spelled out.
func mountedRoutes(t *testing.T, files []file, prefix string) []string {
	t.Helper()
	var routes []string
	fset := token.NewFileSet()
	for _, f := range files {
		if !strings.HasSuffix(f.Path, ".go") || strings.HasSuffix(f.Path, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(fset, f.Path, f.Content, 0)
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		ast.Inspect(parsed, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			arr, ok := lit.Type.(*ast.ArrayType)
			if !ok {
				return true
			}
			if id, ok := arr.Elt.(*ast.Ident); !ok || id.Name != "route" {
				return true
			}
			for _, el := range lit.Elts {
				r, ok := el.(*ast.CompositeLit)
				if !ok || len(r.Elts) != 3 {
					t.Fatalf("%s: a route that is not {method, path, handler}: %s", f.Path, fset.Position(el.Pos()))
				}
				routes = append(routes, routeMethod(t, r.Elts[0])+" "+routePath(t, r.Elts[1], prefix))
			}
			return false
		})
	}
	slices.Sort(routes)
	return routes
}

func routeMethod(t *testing.T, e ast.Expr) string {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || !strings.HasPrefix(sel.Sel.Name, "Method") {
		t.Fatalf("route method %#v is not http.MethodX", e)
	}
	return strings.ToUpper(strings.TrimPrefix(sel.Sel.Name, "Method"))
}

func routePath(t *testing.T, e ast.Expr, prefix string) string {
	switch e := e.(type) {
	case *ast.BasicLit:
		s, err := strconv.Unquote(e.Value)
		if err != nil {
			t.Fatal(err)
		}
		return s
	case *ast.Ident:
		if e.Name == "Prefix" {
			return prefix
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			return routePath(t, e.X, prefix) + routePath(t, e.Y, prefix)
		}
	}
	t.Fatalf("route path %#v is not a literal, Prefix, or a sum of them", e)
	return ""
}

// operation is one operation of an OpenAPI document: its path, its method
// in upper case, and the operation object as written.
type operation struct {
	path, method string
	raw          json.RawMessage
}

// documentedOperations lists the operations of an OpenAPI document: the
// method entries of each path item, not its shared parameters or other
// fields.
func documentedOperations(t *testing.T, doc []byte) []operation {
	t.Helper()
	var parsed struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(doc, &parsed); err != nil {
		t.Fatal(err)
	}
	var ops []operation
	for p, item := range parsed.Paths {
		for m, raw := range item {
			switch m {
			case "get", "put", "post", "delete", "patch", "head", "options", "trace":
				ops = append(ops, operation{path: p, method: strings.ToUpper(m), raw: raw})
			}
		}
	}
	return ops
}

// documentedRoutes lists the operations of an OpenAPI document as
// "METHOD /path".
func documentedRoutes(t *testing.T, doc []byte) []string {
	t.Helper()
	var routes []string
	for _, op := range documentedOperations(t, doc) {
		routes = append(routes, op.method+" "+op.path)
	}
	slices.Sort(routes)
	return routes
}

// TestOpenAPICoversEveryRoute renders the package for every transport with
// combinations of the optional features and of social login that bring
// every conditional route (form_post callbacks, the header-only exchange),
// reads the routes its code mounts from the rendered route tables, and
// requires the document to describe exactly those: a route added to a
// template and not to openapi.go fails here.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	combos := []struct {
		name      string
		features  []string
		providers []Provider
	}{
		{"core", nil, nil},
		{"accounts-github", []string{"accounts"}, []Provider{{Name: "github", Type: "github"}}},
		{"mfa-apple-okta", []string{"mfa"}, []Provider{{Name: "apple", Type: "apple"}, {Name: "okta", Type: "oidc"}}},
		{"accounts-mfa-google", []string{"accounts", "mfa"}, []Provider{{Name: "google", Type: "google"}}},
	}
	for _, transport := range []string{"header", "cookie", "both"} {
		for _, c := range combos {
			t.Run(transport+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				cfg := Defaults()
				cfg.Module = "example.com/app"
				cfg.Transport, cfg.Features, cfg.Providers = transport, c.features, c.providers
				cfg.Prefix = "/auth/v1"
				files, err := Render(cfg)
				if err != nil {
					t.Fatal(err)
				}
				var doc []byte
				for _, f := range files {
					if strings.HasSuffix(f.Path, "/openapi.json") {
						doc = f.Content
					}
				}
				if doc == nil {
					t.Fatal("no openapi.json rendered")
				}
				mounted := mountedRoutes(t, files, cfg.Prefix)
				if len(mounted) < 9 {
					t.Fatalf("found only %d routes in the rendered code: %v", len(mounted), mounted)
				}
				documented := documentedRoutes(t, doc)
				for _, r := range mounted {
					if !slices.Contains(documented, r) {
						t.Errorf("%s is mounted but not in openapi.json", r)
					}
				}
				for _, r := range documented {
					if !slices.Contains(mounted, r) {
						t.Errorf("%s is in openapi.json but not mounted", r)
					}
				}
			})
		}
	}
}
