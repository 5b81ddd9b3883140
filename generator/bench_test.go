package generator

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/jwtgen/jwtgen/templates"
)

// largestConfig returns the configuration that selects the most template
// bytes among every combination of the currently allowed values (all
// providers on), so the benchmarks follow the templates as they grow. It
// evaluates the plan's conditions only; nothing is rendered.
func largestConfig(tb testing.TB) Config {
	tb.Helper()
	best, bestSize := Config{}, int64(-1)
	for _, comb := range allCombinations(dimensions()) {
		c := comb.config("example.com/bench", Defaults().Out)
		if len(c.Providers) == 0 {
			continue
		}
		d := newData(c)
		var size int64
		for _, e := range plan {
			if !e.When(d) {
				continue
			}
			fi, err := fs.Stat(templates.FS, e.Template)
			if err != nil {
				tb.Fatalf("plan row %s: %v", e.Template, err)
			}
			size += fi.Size()
		}
		if size > bestSize {
			best, bestSize = c, size
		}
	}
	return best
}

func describe(c Config) string {
	return fmt.Sprintf("%s/%s/%s/%s/%s/%dproviders", c.Framework, c.Store, c.Transport, c.Alg, c.Revocation, len(c.Providers))
}

// BenchmarkRender measures config -> plan -> render -> format, in memory,
// for the largest configuration.
func BenchmarkRender(b *testing.B) {
	cfg := largestConfig(b)
	b.Logf("largest configuration: %s", describe(cfg))
	var files []file
	cpu := startCPU()
	for b.Loop() {
		var err error
		if files, err = Render(cfg); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
	b.ReportMetric(float64(len(files)), "files/op")
}

// writeProject lays out a module with cfg as its jwtgen.yaml.
func writeProject(tb testing.TB, cfg Config) string {
	tb.Helper()
	dir := tb.TempDir()
	cfg.Module = ""
	raw, err := cfg.marshal()
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/bench\n\ngo 1.26\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ConfigFile), raw, 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// BenchmarkGenerate measures a whole `jwtgen generate` of the largest
// configuration into a project that has none of its files yet: read the
// config, render, format, compare and write.
func BenchmarkGenerate(b *testing.B) {
	cfg := largestConfig(b)
	dir := writeProject(b, cfg)
	o := GenerateOptions{Dir: dir, NoGo: true, Stdout: io.Discard, Stderr: io.Discard}
	var stats WriteStats
	cpu := startCPU()
	for b.Loop() {
		b.StopTimer()
		for _, p := range []string{cfg.Out, manifestFile, "main.go"} {
			if err := os.RemoveAll(filepath.Join(dir, p)); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		var err error
		if stats, err = Generate(o); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
	b.ReportMetric(float64(stats.Written), "files-written/op")
}

// BenchmarkRegenerateNoop measures a generate that finds everything up to
// date, and checks that it rewrites no file.
func BenchmarkRegenerateNoop(b *testing.B) {
	cfg := largestConfig(b)
	dir := writeProject(b, cfg)
	o := GenerateOptions{Dir: dir, NoGo: true, Stdout: io.Discard, Stderr: io.Discard}
	if _, err := Generate(o); err != nil {
		b.Fatal(err)
	}
	var stats WriteStats
	cpu := startCPU()
	for b.Loop() {
		var err error
		if stats, err = Generate(o); err != nil {
			b.Fatal(err)
		}
		if stats.Written != 0 || stats.Deleted != 0 {
			b.Fatalf("a no-op generate wrote %d and deleted %d files", stats.Written, stats.Deleted)
		}
	}
	cpu.report(b)
	b.ReportMetric(float64(stats.Written), "files-written/op")
	b.ReportMetric(float64(stats.Unchanged), "files-unchanged/op")
}

// cpuClock measures the CPU time (user + system) of this process and of
// the go commands it starts. On a shared machine wall time depends on the
// other load; CPU time much less so.
type cpuClock struct{ start time.Duration }

func cpuTime() time.Duration {
	var self, children syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(children.Utime) + tv(children.Stime)
}

func startCPU() cpuClock { return cpuClock{cpuTime()} }

// report adds cpu-ms/op. It includes the timer-stopped setup of each
// iteration, which for these benchmarks is small (removing files).
func (c cpuClock) report(b *testing.B) {
	b.ReportMetric(float64(cpuTime()-c.start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}
