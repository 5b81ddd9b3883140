// Command loadtest measures the throughput of a protected route against the
// same route without authentication, over real HTTP on the loopback
// interface only. Every run is bounded in requests and in time and stops by
// itself.
//
//	go run ./cmd/loadtest -c 32 -n 20000 -rounds 5
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jwtgen/jwtgen/golden/default/peerbench"
)

func main() {
	conns := flag.Int("c", 32, "concurrent connections")
	perRound := flag.Int("n", 20000, "requests per variant per round")
	rounds := flag.Int("rounds", 5, "rounds; the variants alternate within each")
	limit := flag.Duration("max", 2*time.Minute, "stop after this long in all")
	flag.Parse()

	s, err := peerbench.NewSetup(0)
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	paths := []string{}
	for _, v := range s.Handlers {
		switch v.Name {
		case "no-auth", "generated", "generated-no-cache", "bare-golang-jwt":
			mux.Handle("/"+v.Name, v.Handler)
			paths = append(paths, "/"+v.Name)
		}
	}
	// Loopback only: the load never leaves this machine.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())
	base := "http://" + ln.Addr().String()
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns},
	}
	deadline := time.Now().Add(*limit)
	results := map[string][]float64{}
	for r := range *rounds {
		order := slices.Clone(paths)
		if r%2 == 1 {
			slices.Reverse(order)
		}
		for _, p := range order {
			if time.Now().After(deadline) {
				break
			}
			rps, err := run(client, base+p, s.Token, *conns, *perRound, deadline)
			if err != nil {
				log.Fatalf("%s: %v", p, err)
			}
			results[p] = append(results[p], rps)
		}
	}
	open := median(results["/no-auth"])
	fmt.Printf("%-22s %12s %10s  (median of %d rounds, %d connections, %d requests each)\n", "route", "req/s", "vs no-auth", *rounds, *conns, *perRound)
	for _, p := range paths {
		m := median(results[p])
		fmt.Printf("%-22s %12.0f %10.2f\n", p, m, m/open)
	}
	if len(results["/no-auth"]) == 0 {
		os.Exit(1)
	}
}

// run sends n GETs with the token over conns connections and returns the
// requests per second.
func run(client *http.Client, url, token string, conns, n int, deadline time.Time) (float64, error) {
	var next atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) && time.Now().Before(deadline) {
				req, _ := http.NewRequest(http.MethodGet, url, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				res, err := client.Do(req)
				if err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusNoContent {
					firstErr.CompareAndSwap(nil, fmt.Errorf("status %d", res.StatusCode))
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return 0, err
	}
	done := min(next.Load()-int64(conns), int64(n))
	return float64(done) / time.Since(start).Seconds(), nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
