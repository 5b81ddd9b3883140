package generator

import (
	"bytes"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// failingGo puts a go command that always fails first on PATH.
func failingGo(t *testing.T) {
	t.Helper()
	bin := t.TempDir()
	script := "#!/bin/sh\necho 'go: simulated failure' >&2\nexit 1\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
}

func sameTree(t *testing.T, before, after map[string]string) {
	t.Helper()
	if maps.Equal(before, after) {
		return
	}
	for p, b := range before {
		if a, ok := after[p]; !ok {
			t.Errorf("%s is gone", p)
		} else if a != b {
			t.Errorf("%s changed", p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s appeared", p)
		}
	}
}

func TestGenerateIsAllOrNothingWhenTheGoStepFails(t *testing.T) {
	dir := initProject(t, nil)
	editConfig(t, dir, "store: sqlite", "store: postgres")
	before := readTree(t, dir)
	failingGo(t)
	var out bytes.Buffer
	_, err := Generate(GenerateOptions{Dir: dir, Stdout: &out, Stderr: &out})
	if err == nil || !strings.Contains(err.Error(), "simulated failure") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("generate = %v, want the go failure and that nothing changed", err)
	}
	sameTree(t, before, readTree(t, dir))
}

func TestGenerateIsAllOrNothingWhenAWriteFails(t *testing.T) {
	dir := initProject(t, nil)
	// out moves too: the hook file and main.go must come back as well.
	editConfig(t, dir, "store: sqlite", "store: postgres", "out: internal/auth", "out: pkg/authn")
	before := readTree(t, dir)
	afterApply = func() error { return errors.New("disk full") }
	t.Cleanup(func() { afterApply = nil })
	_, _, err := generate(t, GenerateOptions{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("generate = %v, want a failure that changed nothing", err)
	}
	sameTree(t, before, readTree(t, dir))
}

func TestInitIsAllOrNothingWhenTheGoStepFails(t *testing.T) {
	t.Run("existing module", func(t *testing.T) {
		dir := t.TempDir()
		writeTree(t, dir, map[string]string{"go.mod": "module example.com/app\n\ngo 1.22\n", "cmd/app/main.go": "package main\n\nfunc main() {}\n"})
		before := readTree(t, dir)
		failingGo(t)
		var out bytes.Buffer
		err := Init(InitOptions{Dir: dir, Config: Defaults(), Yes: true, Source: "..", Stdout: &out, Stderr: &out})
		if err == nil || !strings.Contains(err.Error(), "simulated failure") || !strings.Contains(err.Error(), "nothing was changed") {
			t.Fatalf("init = %v, want the go failure and that nothing changed", err)
		}
		sameTree(t, before, readTree(t, dir))
	})
	t.Run("empty directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "app")
		failingGo(t)
		var out bytes.Buffer
		cfg := Defaults()
		cfg.Module = "example.com/app"
		err := Init(InitOptions{Dir: dir, Config: cfg, Yes: true, Source: "..", Stdout: &out, Stderr: &out})
		if err == nil || !strings.Contains(err.Error(), "nothing was changed") {
			t.Fatalf("init = %v", err)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("init left %s behind (%v)", dir, err)
		}
	})
}

func TestInitRefusesAnOutputDirectoryWithTheUsersGoFiles(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"go.mod":                  "module example.com/app\n",
		"internal/auth/legacy.go": "package auth\n\ntype User struct{}\n",
		"internal/auth/claims.go": "package auth\n",
	})
	before := readTree(t, dir)
	var out bytes.Buffer
	err := Init(InitOptions{Dir: dir, Config: Defaults(), Yes: true, NoGo: true, Stdout: &out, Stderr: &out})
	if err == nil || !strings.Contains(err.Error(), "internal/auth/claims.go, internal/auth/legacy.go") || !strings.Contains(err.Error(), "--out") {
		t.Fatalf("init = %v, want a refusal naming both files and --out", err)
	}
	sameTree(t, before, readTree(t, dir))
}
