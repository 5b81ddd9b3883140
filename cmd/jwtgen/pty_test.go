//go:build linux

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/jwtgen/jwtgen/generator"
)

// terminal is the far side of a pseudo-terminal: it records what the
// program prints and answers its cursor-position queries as a real
// terminal would.
type terminal struct {
	pty *os.File
	tty *os.File // the program's side, kept open to see its input queue
	// noSTI is set once TIOCSTI was refused (see write).
	noSTI bool
	mu    sync.Mutex
	out   bytes.Buffer
	seen  int // output consumed by expect
	done  chan struct{}
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
				term.write([]byte("\x1b[1;1R"))
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

// write puts b in the program's input queue, as if typed.
//
// Bytes written to the pseudo-terminal's master side reach the program's
// input queue later, from a kernel worker; TIOCSTI puts them there before
// it returns, so the queue's length (TIOCINQ) tells exactly what the
// program has not read yet. Where TIOCSTI is not permitted (it needs
// CAP_SYS_ADMIN, or dev.tty.legacy_tiocsti), the master side is used.
func (term *terminal) write(b []byte) error {
	if !term.noSTI {
		for i, c := range b {
			if _, _, errno := unix.Syscall(unix.SYS_IOCTL, term.tty.Fd(), unix.TIOCSTI, uintptr(unsafe.Pointer(&c))); errno != 0 {
				if i > 0 {
					return errno
				}
				term.noSTI = true
				break
			}
		}
		if !term.noSTI {
			return nil
		}
	}
	_, err := term.pty.Write(b)
	return err
}

// send types keys once the program is ready to read them one by one.
//
// A prompt draws itself, asks the terminal where the cursor is and only
// then switches to raw mode and reads keys. The cursor-position answer is
// read through a buffer that is thrown away with whatever followed the
// answer, so keys typed before the program has read that answer are lost.
// send waits, holding the lock under which read answers, until the
// terminal is in raw mode and the program's input queue is empty: every
// answer has been read, and any answer still to come is queued after the
// keys, which the program then keeps.
func (term *terminal) send(t *testing.T, keys string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		term.mu.Lock()
		ready, err := term.readyForKeys()
		if err == nil && ready {
			err = term.write([]byte(keys))
			term.mu.Unlock()
			if err != nil {
				t.Fatal(err)
			}
			return
		}
		term.mu.Unlock()
		if err != nil {
			t.Fatalf("reading the terminal's state: %v", err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the prompt never became ready to read keys; the terminal shows:\n%s", term.snapshot())
		}
		select {
		case <-term.done:
			t.Fatalf("jwtgen exited before reading keys; the terminal shows:\n%s", term.snapshot())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// readyForKeys reports whether the terminal is out of canonical mode and
// the program has read everything typed to it.
func (term *terminal) readyForKeys() (bool, error) {
	tio, err := unix.IoctlGetTermios(int(term.pty.Fd()), unix.TCGETS)
	if err != nil {
		return false, err
	}
	queued, err := unix.IoctlGetInt(int(term.tty.Fd()), unix.TIOCINQ)
	if err != nil {
		return false, err
	}
	return tio.Lflag&unix.ICANON == 0 && queued == 0, nil
}

// TestInitPromptsOnATerminal runs jwtgen init on a pseudo-terminal and
// answers its questions with keystrokes: defaults, a filtered selection, a
// typed value, a question's help (`?`) and the summary's confirmation.
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
	f, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("opening a pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { f.Close(); tty.Close() })
	if err := pty.Setsize(f, &pty.Winsize{Rows: 50, Cols: 160}); err != nil {
		t.Fatal(err)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting jwtgen on a pseudo-terminal: %v", err)
	}
	term := &terminal{pty: f, tty: tty, done: make(chan struct{})}
	go term.read()

	term.expect(t, "Web framework")
	term.send(t, "\r") // default
	term.expect(t, "Session and user store")
	term.send(t, "mem") // filter the list down to memory
	term.expect(t, "mem")
	term.send(t, "\r")
	term.expect(t, "Token transport")
	term.expect(t, "both: either")
	term.expect(t, "? for more help")
	term.send(t, "?") // the question's help
	term.expect(t, "either; a token that came in a cookie only leaves in a cookie")
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
	term.expect(t, "Social login providers")
	term.send(t, " ") // toggle the first provider
	term.send(t, "\r")
	wantProviders := 1
	term.expect(t, "Optional features")
	term.send(t, "\r") // none
	term.expect(t, "jwtgen will write the package with these choices")
	term.expect(t, "alg         ES256")
	term.expect(t, "Write it?")
	term.send(t, "\r") // yes, the default

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
	// The program's side is closed only now, so that reading ends.
	tty.Close()
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
	if cfg.Framework != want.Framework || cfg.Store != "memory" || cfg.Transport != want.Transport || cfg.Alg != "ES256" || cfg.Out != "pkg/authn" || cfg.Prefix != want.Prefix || len(cfg.Providers) != wantProviders || len(cfg.Features) != 0 {
		t.Errorf("answers not recorded: %+v\n%s", cfg, raw)
	}
	if _, err := os.Stat(filepath.Join(dir, "pkg", "authn", "generate_test.go")); err != nil {
		t.Errorf("package not rendered: %v", err)
	}
}
