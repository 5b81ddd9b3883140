package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

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
			// A free port for scripts that start a server.
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return err
			}
			env.Setenv("FREE_ADDR", l.Addr().String())
			return l.Close()
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
			"readonly":   readonly,
			"httpexpect": httpexpect,
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

// httpexpect sends a JSON request and checks the response status, retrying
// for up to a minute while the server is not listening yet:
//
//	httpexpect METHOD URL BODY STATUS [BODY-SUBSTRING]
func httpexpect(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 4 || len(args) > 5 {
		ts.Fatalf("usage: httpexpect METHOD URL BODY STATUS [BODY-SUBSTRING]")
	}
	want, err := strconv.Atoi(args[3])
	ts.Check(err)
	deadline := time.Now().Add(time.Minute)
	for {
		req, err := http.NewRequest(args[0], args[1], strings.NewReader(args[2]))
		ts.Check(err)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			if time.Now().After(deadline) {
				ts.Fatalf("%s %s: %v", args[0], args[1], err)
			}
			time.Sleep(200 * time.Millisecond)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		ts.Logf("%s %s -> %d %s", args[0], args[1], resp.StatusCode, body)
		if resp.StatusCode != want {
			ts.Fatalf("status %d, want %d", resp.StatusCode, want)
		}
		if len(args) == 5 && !strings.Contains(string(body), args[4]) {
			ts.Fatalf("body does not contain %q", args[4])
		}
		return
	}
}
