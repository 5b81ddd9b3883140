package generator

import (
	"bytes"
	"encoding/json"
	"strings"
)

// SchemaFile is where the JSON Schema of jwtgen.yaml is published in the
// repository, for editors (yaml-language-server) to complete and check the
// file.
const SchemaFile = "docs/jwtgen.schema.json"

// SchemaURL is the published schema's address, written at the top of every
// jwtgen.yaml.
const SchemaURL = "https://raw.githubusercontent.com/jwtgen/jwtgen/main/" + SchemaFile

// JSONSchema describes jwtgen.yaml, built from the option registry that
// ParseConfig enforces.
func JSONSchema() ([]byte, error) {
	props := map[string]any{
		"version":        map[string]any{"description": "Schema version of this file.", "const": 1},
		"jwtgen_version": map[string]any{"description": "The jwtgen version that last wrote the package (maintained by jwtgen).", "type": "string"},
		"module":         map[string]any{"description": "The module path; optional, and when present it must equal go.mod's.", "type": "string"},
		"example":        map[string]any{"description": "Whether init wrote the runnable example server (main.go).", "type": "boolean", "default": false},
	}
	for _, o := range options {
		props[o.key] = o.schema()
	}
	schema := map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  SchemaURL,
		"title":                "jwtgen.yaml",
		"description":          "Every choice that shapes the auth package jwtgen generates. Secrets never go here.",
		"type":                 "object",
		"additionalProperties": false,
		"required":             []string{"version"},
		"properties":           props,
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(schema); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// schema is the option's property in the JSON Schema: its help, and each
// allowed value with its description.
func (o *option) schema() map[string]any {
	desc := strings.ToUpper(o.help[:1]) + o.help[1:] + "."
	for _, v := range o.values {
		desc += "\n- " + v.name + ": " + v.doc
	}
	switch {
	case o.values == nil:
		return map[string]any{"description": desc, "type": "string", "default": o.def, "pattern": o.pattern}
	case !o.list:
		return map[string]any{"description": desc, "type": "string", "enum": o.names(), "default": o.def}
	case o.key == "providers":
		return map[string]any{
			"description": desc,
			"type":        "array",
			"items": map[string]any{
				"oneOf": []any{
					map[string]any{"type": "string", "enum": o.names()},
					map[string]any{
						"type":                 "object",
						"additionalProperties": false,
						"required":             []string{"name"},
						"properties": map[string]any{
							"name": map[string]any{"type": "string", "pattern": "^[a-z][a-z0-9]*$"},
							"type": map[string]any{"type": "string", "enum": o.names()},
						},
					},
				},
			},
		}
	default:
		return map[string]any{"description": desc, "type": "array", "uniqueItems": true, "items": map[string]any{"type": "string", "enum": o.names()}}
	}
}
