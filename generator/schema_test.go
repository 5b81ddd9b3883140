package generator

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// TestGoldenSchema keeps docs/jwtgen.schema.json in step with the allowed
// values (go test ./generator -run TestGolden -update rewrites it).
func TestGoldenSchema(t *testing.T) {
	want, err := jsonSchema()
	if err != nil {
		t.Fatal(err)
	}
	path := "../" + schemaFile
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, want) {
		t.Errorf("%s is out of date: run go test ./generator -run TestGolden -update", schemaFile)
	}
}

// TestSchemaCoversEveryKey checks that the schema lists exactly the keys
// ParseConfig accepts, so that editors neither miss nor invent one.
func TestSchemaCoversEveryKey(t *testing.T) {
	raw, err := jsonSchema()
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range s.Properties {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := slices.Sorted(slices.Values(configKeys()))
	if !slices.Equal(keys, want) {
		t.Errorf("schema keys %v, config keys %v", keys, want)
	}
}
