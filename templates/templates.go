// Package templates holds every template jwtgen renders, one folder per
// concern: core (tokens, sessions, handlers), store (one file per backend),
// oauth (the social-login flow; oauth/providers/<name>/ holds each
// provider's own templates, which the registry turns into plan rows),
// example (the runnable server init writes in an empty directory), tool
// (the go:generate wiring).
package templates

import "embed"

// FS is the embedded template tree.
//
//go:embed all:_shared all:api all:core all:store all:tool all:example all:cookie all:web all:oauth all:framework all:verifier all:accounts
var FS embed.FS
