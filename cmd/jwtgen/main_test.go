package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// runMainEnv makes the test binary behave as jwtgen, for tests that start
// it themselves (the pseudo-terminal test).
const runMainEnv = "JWTGEN_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		os.Exit(run(os.Args[1:]))
	}
	testscript.Main(m, map[string]func(){
		"jwtgen": func() { os.Exit(run(os.Args[1:])) },
	})
}

// TestScripts runs the CLI scenarios in testdata/script. Scripts marked
// [short] skip build and test a generated module with the go command.
func TestScripts(t *testing.T) {
	goEnv := goEnvironment(t)
	source, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			for k, v := range goEnv {
				env.Setenv(k, v)
			}
			env.Setenv("JWTGEN_SOURCE", source)
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "short":
				return testing.Short(), nil
			case "can-readonly":
				return canReadonly(t), nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"readonly": readonly,
		},
	})
}

// goEnvironment carries the go command's caches and proxy settings into
// the scripts, whose HOME is not the real one.
func goEnvironment(t *testing.T) map[string]string {
	t.Helper()
	keys := []string{"GOPATH", "GOMODCACHE", "GOCACHE", "GOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE", "GONOPROXY", "GOFLAGS", "GOTOOLCHAIN"}
	out, err := exec.Command("go", append([]string{"env"}, keys...)...).Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	env := map[string]string{}
	for i, k := range keys {
		if i < len(lines) && lines[i] != "" {
			env[k] = lines[i]
		}
	}
	if v := os.Getenv("JWTGEN_REQUIRE_SERVICES"); v != "" {
		env["JWTGEN_REQUIRE_SERVICES"] = v
	}
	return env
}

// readonly makes a directory unwritable, for every user: root ignores
// permission bits, so for root it sets the immutable attribute instead. It
// is undone when the script ends.
func readonly(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: readonly dir")
	}
	dir := ts.MkAbs(args[0])
	if os.Geteuid() != 0 {
		ts.Check(os.Chmod(dir, 0o555))
		ts.Defer(func() { os.Chmod(dir, 0o755) })
		return
	}
	if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
		ts.Fatalf("chattr +i %s: %v: %s", dir, err, out)
	}
	ts.Defer(func() { exec.Command("chattr", "-i", dir).Run() })
}

// canReadonly reports whether readonly can work: always for a normal user,
// and for root only where chattr +i is allowed.
func canReadonly(t *testing.T) bool {
	if os.Geteuid() != 0 {
		return true
	}
	dir := t.TempDir()
	if exec.Command("chattr", "+i", dir).Run() != nil {
		return false
	}
	exec.Command("chattr", "-i", dir).Run()
	return true
}
