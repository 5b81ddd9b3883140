package generator

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestPresetIsInitsDefaultsAndChecksDrift(t *testing.T) {
	presetFile := filepath.Join(t.TempDir(), "team.yaml")
	writeTree(t, filepath.Dir(presetFile), map[string]string{"team.yaml": "version: 1\nstore: postgres\nalg: ES256\nproviders:\n  - name: corp\n    type: oidc\n"})

	dir := filepath.Join(t.TempDir(), "app")
	cfg := Defaults()
	cfg.Module, cfg.Alg = "example.com/app", "EdDSA"
	var out bytes.Buffer
	// A flag (alg) wins over the preset; the rest comes from it.
	err := Init(InitOptions{Dir: dir, Config: cfg, Set: map[string]bool{"alg": true}, Yes: true, NoGo: true, Preset: presetFile, Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatalf("init: %v\n%s", err, out.String())
	}
	got := mustLoad(t, dir)
	if got.Store != "postgres" || got.Alg != "EdDSA" || len(got.Providers) != 1 || got.Providers[0].Name != "corp" {
		t.Fatalf("jwtgen.yaml after init --preset: %+v", got)
	}

	_, report, err := generate(t, GenerateOptions{Dir: dir, Check: true, Preset: presetFile})
	if err == nil || errors.Is(err, errDrift) || !strings.Contains(err.Error(), "departs from the team preset") ||
		!strings.Contains(report, "alg: jwtgen.yaml has EdDSA, the preset "+presetFile+" fixes ES256") {
		t.Fatalf("check --preset = %v\n%s", err, report)
	}
	editConfig(t, dir, "alg: EdDSA", "alg: ES256")
	if _, _, err := generate(t, GenerateOptions{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	if _, report, err := generate(t, GenerateOptions{Dir: dir, Check: true, Preset: presetFile}); err != nil {
		t.Fatalf("check --preset on a conforming project = %v\n%s", err, report)
	}
}

// A mistake in the preset is reported against the preset file, with its
// line, not against the project's jwtgen.yaml.
func TestPresetErrorsNameThePresetFile(t *testing.T) {
	dir := t.TempDir()
	presetFile := filepath.Join(dir, "team.yaml")
	writeTree(t, dir, map[string]string{"team.yaml": "version: 1\nstore: postgress\n"})
	_, err := loadPreset(presetFile)
	if err == nil || !strings.HasPrefix(err.Error(), "--preset: "+presetFile+":2: store: \"postgress\" is not supported") {
		t.Fatalf("loadPreset = %v", err)
	}
	writeTree(t, dir, map[string]string{"team.yaml": "version: 1\nstore: [\n"})
	if _, err := loadPreset(presetFile); err == nil || !strings.HasPrefix(err.Error(), "--preset: "+presetFile+": invalid YAML") {
		t.Fatalf("loadPreset = %v", err)
	}
}
