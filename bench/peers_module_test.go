// Package bench holds the benchmark harnesses that are modules of their
// own (bench/peers), so that their dependencies never reach jwtgen's or a
// generated module's go.mod; this package only runs their own tests.
package bench

import (
	"os/exec"
	"testing"
)

// TestPeerBenchmarkVariants runs bench/peers' tests: every variant the
// side-by-side benchmark compares accepts the generated module's token and
// refuses a forgery, so like is compared with like (a broken variant would
// otherwise only show as a fast, wrong benchmark).
func TestPeerBenchmarkVariants(t *testing.T) {
	if testing.Short() {
		t.Skip("builds bench/peers, a module of its own")
	}
	cmd := exec.Command("go", "test", "-count=1", "./...")
	cmd.Dir = "peers"
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test in bench/peers: %v\n%s", err, out)
	}
}
