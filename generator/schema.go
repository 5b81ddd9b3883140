package generator

import (
	"bytes"
	"encoding/json"
)

// SchemaFile is where the JSON Schema of jwtgen.yaml is published in the
// repository, for editors (yaml-language-server) to complete and check the
// file.
const SchemaFile = "docs/jwtgen.schema.json"

// SchemaURL is the published schema's address, written at the top of every
// jwtgen.yaml.
const SchemaURL = "https://raw.githubusercontent.com/jwtgen/jwtgen/main/" + SchemaFile

// JSONSchema describes jwtgen.yaml, built from the same allowed-value
// lists and defaults that ParseConfig enforces.
func JSONSchema() ([]byte, error) {
	enum := func(desc, def string, values []string) map[string]any {
		return map[string]any{"description": desc, "type": "string", "enum": values, "default": def}
	}
	providerTypes := ProviderTypes
	if providerTypes == nil {
		providerTypes = []string{}
	}
	schema := map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  SchemaURL,
		"title":                "jwtgen.yaml",
		"description":          "Every choice that shapes the auth package jwtgen generates. Secrets never go here.",
		"type":                 "object",
		"additionalProperties": false,
		"required":             []string{"version"},
		"properties": map[string]any{
			"version":        map[string]any{"description": "Schema version of this file.", "const": 1},
			"jwtgen_version": map[string]any{"description": "The jwtgen version that last wrote the package (maintained by jwtgen).", "type": "string"},
			"module":         map[string]any{"description": "The module path; optional, and when present it must equal go.mod's.", "type": "string"},
			"framework":      enum("Web framework the handlers are mounted on.", DefaultFramework, Frameworks),
			"store":          enum("Where sessions and users live.", DefaultStore, Stores),
			"transport":      enum("How tokens travel: Authorization header and JSON bodies, httpOnly cookies with CSRF defence, or both.", DefaultTransport, Transports),
			"alg":            enum("JWT signing algorithm.", DefaultAlg, Algorithms),
			"revocation":     enum("expiry: access tokens live until exp; strict: every request checks that the session is still live.", DefaultRevocation, Revocations),
			"out": map[string]any{
				"description": "Package directory, relative to the module root.",
				"type":        "string", "default": DefaultOut,
				"pattern": `^[A-Za-z][A-Za-z0-9_-]*(/[A-Za-z][A-Za-z0-9_-]*)*$`,
			},
			"prefix": map[string]any{
				"description": "Route prefix of the auth endpoints.",
				"type":        "string", "default": DefaultPrefix,
				"pattern": `^(/[A-Za-z0-9._-]+)+$`,
			},
			"features": map[string]any{
				"description": "Optional feature sets generated beside the core. mfa: TOTP, recovery codes and step-up middleware.",
				"type":        "array", "uniqueItems": true,
				"items": map[string]any{"type": "string", "enum": Features},
			},
			"example": map[string]any{"description": "Whether init wrote the runnable example server (main.go).", "type": "boolean", "default": false},
			"providers": map[string]any{
				"description": "Social login providers: a built-in provider's name, or {name, type: oidc} for a generic OIDC issuer.",
				"type":        "array",
				"items": map[string]any{
					"oneOf": []any{
						map[string]any{"type": "string", "enum": providerTypes},
						map[string]any{
							"type":                 "object",
							"additionalProperties": false,
							"required":             []string{"name"},
							"properties": map[string]any{
								"name": map[string]any{"type": "string", "pattern": "^[a-z][a-z0-9]*$"},
								"type": map[string]any{"type": "string", "enum": providerTypes},
							},
						},
					},
				},
			},
		},
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(schema); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
