package peerbench

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// statusWriter keeps the status code only, so the benchmarks measure the
// middleware and not a response recorder.
type statusWriter struct {
	h    http.Header
	code int
}

func (w *statusWriter) Header() http.Header       { return w.h }
func (*statusWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *statusWriter) WriteHeader(code int)      { w.code = code }

func serve(b *testing.B, h http.Handler, req *http.Request, w *statusWriter) {
	w.code = http.StatusOK
	clear(w.h)
	h.ServeHTTP(w, req)
	if w.code != http.StatusNoContent && w.code != http.StatusOK {
		b.Fatalf("status %d", w.code)
	}
}

// TestEveryVariantAcceptsTheTokenAndRefusesAForgery makes sure the
// comparison compares like with like.
func TestEveryVariantAcceptsTheTokenAndRefusesAForgery(t *testing.T) {
	s, err := NewSetup(1)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range s.Handlers {
		for _, c := range []struct {
			token string
			want  int
		}{{s.Token, http.StatusNoContent}, {s.Token[:len(s.Token)-2] + "xx", http.StatusUnauthorized}} {
			req := httptest.NewRequest(http.MethodGet, "/api/hello", nil)
			req.Header.Set("Authorization", "Bearer "+c.token)
			w := httptest.NewRecorder()
			v.Handler.ServeHTTP(w, req)
			want := c.want
			if v.Name == "no-auth" || v.Name == "gin-no-auth" || v.Name == "one-hmac-sha256" {
				want = http.StatusNoContent
			}
			if w.Code != want {
				t.Errorf("%s: %d for %s token, want %d", v.Name, w.Code, map[bool]string{true: "the", false: "a forged"}[c.token == s.Token], want)
			}
		}
	}
}

// BenchmarkPeers runs each variant on the same token (the generated
// middleware's cache holds it, as it would for a client reusing its token),
// then all of them in one interleaved loop reporting each one's time and
// its ratio to the bare golang-jwt middleware.
func BenchmarkPeers(b *testing.B) {
	s, err := NewSetup(0)
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/hello", nil)
	req.Header.Set("Authorization", "Bearer "+s.Token)
	w := &statusWriter{h: http.Header{}}
	for _, v := range s.Handlers {
		b.Run(v.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				serve(b, v.Handler, req, w)
			}
		})
	}
	b.Run("interleaved", func(b *testing.B) {
		spent := make([]time.Duration, len(s.Handlers))
		for b.Loop() {
			for i, v := range s.Handlers {
				t0 := time.Now()
				serve(b, v.Handler, req, w)
				spent[i] += time.Since(t0)
			}
		}
		var bare time.Duration
		for i, v := range s.Handlers {
			if v.Name == "bare-golang-jwt" {
				bare = spent[i]
			}
		}
		for i, v := range s.Handlers {
			b.ReportMetric(float64(spent[i])/float64(bare), v.Name+"/bare")
		}
	})
}

// BenchmarkFirstSight compares, on 1024 distinct tokens, the generated
// middleware with its cache off (what verifying a token costs without help
// from the cache; the shipped BenchmarkAccessToken/first-sight adds the
// cache insert) with the bare golang-jwt middleware, interleaved.
func BenchmarkFirstSight(b *testing.B) {
	s, err := NewSetup(1024)
	if err != nil {
		b.Fatal(err)
	}
	var bare, noCache http.Handler
	for _, v := range s.Handlers {
		switch v.Name {
		case "bare-golang-jwt":
			bare = v.Handler
		case "generated-no-cache":
			noCache = v.Handler
		}
	}
	reqs := make([]*http.Request, len(s.Distinct))
	for i, t := range s.Distinct {
		reqs[i] = httptest.NewRequest(http.MethodGet, "/api/hello", nil)
		reqs[i].Header.Set("Authorization", "Bearer "+t)
	}
	w := &statusWriter{h: http.Header{}}
	b.Run("interleaved", func(b *testing.B) {
		var inBare, inGen time.Duration
		i := 0
		for b.Loop() {
			r := reqs[i%len(reqs)]
			i++
			t0 := time.Now()
			serve(b, bare, r, w)
			t1 := time.Now()
			serve(b, noCache, r, w)
			inGen += time.Since(t1)
			inBare += t1.Sub(t0)
		}
		b.ReportMetric(float64(inGen)/float64(inBare), "generated-no-cache/bare")
	})
}
