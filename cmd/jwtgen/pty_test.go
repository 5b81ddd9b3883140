package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/jwtgen/jwtgen/generator"
)

// terminal is the far side of a pseudo-terminal: it records what the
// program prints and answers its cursor-position queries as a real
// terminal would.
type terminal struct {
	pty  *os.File
	mu   sync.Mutex
	out  bytes.Buffer
	seen int // output consumed by expect
	done chan struct{}
}

func (term *terminal) read() {
	defer close(term.done)
	buf := make([]byte, 4096)
	for {
		n, err := term.pty.Read(buf)
		if n > 0 {
			term.mu.Lock()
			term.out.Write(buf[:n])
			// Device status report: reply with a cursor position.
			for range bytes.Count(buf[:n], []byte("\x1b[6n")) {
				term.pty.Write([]byte("\x1b[1;1R"))
			}
			term.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

// expect waits until text appears in the output after what earlier calls
// consumed.
func (term *terminal) expect(t *testing.T, text string) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		term.mu.Lock()
		out := term.out.String()
		term.mu.Unlock()
		if i := strings.Index(out[term.seen:], text); i >= 0 {
			term.seen += i + len(text)
			return
		}
		select {
		case <-deadline:
			t.Fatalf("waiting for %q; the terminal shows:\n%s", text, out)
		case <-term.done:
			t.Fatalf("jwtgen exited while waiting for %q; the terminal shows:\n%s", text, out)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (term *terminal) snapshot() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.out.String()
}

func (term *terminal) send(t *testing.T, keys string) {
	t.Helper()
	// Give the prompt a moment to switch the terminal to raw mode.
	time.Sleep(100 * time.Millisecond)
	term.mu.Lock()
	defer term.mu.Unlock()
	if _, err := term.pty.Write([]byte(keys)); err != nil {
		t.Fatal(err)
	}
}

// TestInitPromptsOnATerminal runs jwtgen init on a pseudo-terminal and
// answers its questions with keystrokes: defaults, a filtered selection and
// a typed value.
func TestInitPromptsOnATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: init runs go get and go mod tidy")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/tty\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	source, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "init", dir)
	cmd.Env = append(os.Environ(), runMainEnv+"=1", generator.SourceEnv+"="+source, "TERM=xterm")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 160})
	if err != nil {
		t.Fatalf("starting jwtgen on a pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	term := &terminal{pty: f, done: make(chan struct{})}
	go term.read()

	term.expect(t, "Web framework")
	term.send(t, "\r") // default
	term.expect(t, "Session and user store")
	term.send(t, "mem") // filter the list down to memory
	term.expect(t, "mem")
	term.send(t, "\r")
	term.expect(t, "Token transport")
	term.send(t, "\r")
	term.expect(t, "Signing algorithm")
	term.send(t, "ES2")
	term.expect(t, "ES2")
	term.send(t, "\r")
	term.expect(t, "Package directory")
	term.send(t, "../escape\r") // refused, asked again
	term.expect(t, "points outside the module")
	term.send(t, strings.Repeat("\x7f", len("../escape"))+"pkg/authn\r")
	term.expect(t, "Route prefix")
	term.send(t, "\r")
	wantProviders := 0
	if len(generator.ProviderTypes) > 0 {
		term.expect(t, "Social login providers")
		term.send(t, " ") // toggle the first provider
		term.send(t, "\r")
		wantProviders = 1
	}

	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("jwtgen init: %v; the terminal shows:\n%s", err, term.snapshot())
		}
	case <-time.After(3 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("jwtgen init did not finish; the terminal shows:\n%s", term.snapshot())
	}
	<-term.done
	raw, err := os.ReadFile(filepath.Join(dir, generator.ConfigFile))
	if err != nil {
		t.Fatalf("%v; the terminal shows:\n%s", err, term.snapshot())
	}
	cfg, err := generator.ParseConfig(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := generator.Defaults()
	if cfg.Framework != want.Framework || cfg.Store != "memory" || cfg.Transport != want.Transport || cfg.Alg != "ES256" || cfg.Out != "pkg/authn" || cfg.Prefix != want.Prefix || len(cfg.Providers) != wantProviders {
		t.Errorf("answers not recorded: %+v\n%s", cfg, raw)
	}
	if _, err := os.Stat(filepath.Join(dir, "pkg", "authn", "generate_test.go")); err != nil {
		t.Errorf("package not rendered: %v", err)
	}
}
