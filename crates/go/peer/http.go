// http: C units each making requests until the work runs out (C1, C2, C6), through net/http,
// Go's standard client: one Client whose Transport holds at most C connections per host,
// kept alive, or none kept (keep-alive off: every request opens a connection and asks the
// server to close it).

package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type httpPlan struct {
	URL              string  `json:"url"`
	N                int64   `json:"n"`
	Concurrency      int     `json:"concurrency"`
	KeepAlive        bool    `json:"keep_alive"`
	RequestTimeoutMs int64   `json:"request_timeout_ms"`
	Rate             *uint64 `json:"rate"`
	CAFile           *string `json:"ca_file"`
}

// httpRun is one run's requests: units claim the next from one counter and record each in
// a slot of their own, as every Rust model does through tvc_core::HttpRun.
type httpRun struct {
	plan       httpPlan
	next       atomic.Int64
	results    [][]any
	firstError atomic.Pointer[string]
}

func newHTTPRun(p httpPlan) *httpRun {
	return &httpRun{plan: p, results: make([][]any, p.N)}
}

// claim is the next request's index, or -1 once the work has run out.
func (r *httpRun) claim() int64 {
	if i := r.next.Add(1) - 1; i < r.plan.N {
		return i
	}
	return -1
}

func header(resp *http.Response, name string) any {
	v, err := strconv.ParseInt(resp.Header.Get(name), 10, 64)
	if err != nil {
		return nil
	}
	return v
}

// get makes request i and records it.
func (r *httpRun) get(client *http.Client, i int64) {
	started := time.Now()
	req, err := http.NewRequest(http.MethodGet, r.plan.URL, nil)
	if err == nil {
		req.Close = !r.plan.KeepAlive
		var resp *http.Response
		if resp, err = client.Do(req); err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err == nil {
				latency := time.Since(started).Seconds()
				r.results[i] = []any{latency, resp.StatusCode, nil,
					header(resp, "x-tvc-served-delay-us"), header(resp, "x-tvc-asked-delay-us")}
				return
			}
		}
	}
	r.results[i] = []any{time.Since(started).Seconds(), nil, errorKind(err), nil, nil}
	text := err.Error()
	r.firstError.CompareAndSwap(nil, &text)
}

// errorKind is tvc's ErrorKind name for a request's error.
func errorKind(err error) string {
	var netErr net.Error
	var unknown x509.UnknownAuthorityError
	var verify *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	switch {
	case errors.As(err, &unknown), errors.As(err, &verify), errors.As(err, &record),
		strings.Contains(err.Error(), "HTTP response to HTTPS client"):
		return "tls"
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connect"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "reset"
	}
	return "io"
}

func (r *httpRun) report(window map[string]any, inFlight, workers int, knobs [][2]any) map[string]any {
	requests := make([][]any, 0, len(r.results))
	for _, res := range r.results {
		if res != nil {
			requests = append(requests, res)
		}
	}
	var first any
	if e := r.firstError.Load(); e != nil {
		first = *e
	}
	return map[string]any{
		"window":      window,
		"in_flight":   inFlight,
		"workers":     workers,
		"knobs":       knobs,
		"requests":    requests,
		"first_error": first,
	}
}

// newClient is one Client for the run: at most c connections, all kept alive, or none.
func newClient(p httpPlan, c int) (*http.Client, error) {
	transport := &http.Transport{
		MaxConnsPerHost:     c,
		MaxIdleConnsPerHost: c,
		MaxIdleConns:        c,
		DisableKeepAlives:   !p.KeepAlive,
		DisableCompression:  true,
	}
	if p.CAFile != nil {
		roots, err := x509.SystemCertPool()
		if err != nil {
			roots = x509.NewCertPool()
		}
		pem, err := os.ReadFile(*p.CAFile)
		if err != nil {
			return nil, err
		}
		roots.AppendCertsFromPEM(pem)
		transport.TLSClientConfig = &tls.Config{RootCAs: roots}
	}
	timeout := time.Duration(p.RequestTimeoutMs) * time.Millisecond
	return &http.Client{Transport: transport, Timeout: timeout}, nil
}

// spawnRequests starts the c request units.
func spawnRequests(v variant, r *httpRun, client *http.Client, c int, units *sync.WaitGroup) {
	for range c {
		units.Add(1)
		v.spawn(func() {
			defer units.Done()
			for i := r.claim(); i >= 0; i = r.claim() {
				r.get(client, i)
			}
		})
	}
}

func httpKnobs(v variant, p httpPlan, c int) [][2]any {
	kept := c
	if !p.KeepAlive {
		kept = 0
	}
	pool := strconv.Itoa(c) + " connections, " + strconv.Itoa(kept) + " kept alive"
	return append(v.knobs(), [2]any{"client", "one net/http Client"}, [2]any{"pool", pool})
}

func httpWorkload(v variant, p httpPlan) (map[string]any, error) {
	if p.Rate != nil {
		return nil, unsupported("the Go peer sends as fast as answers come (a closed loop); it has no schedule to send on at a rate")
	}
	c := max(p.Concurrency, 1)
	if v.sequential {
		c = 1
	}
	client, err := newClient(p, c)
	if err != nil {
		return nil, err
	}
	defer client.CloseIdleConnections()
	r := newHTTPRun(p)
	var units sync.WaitGroup
	clock := startClock()
	spawnRequests(v, r, client, c, &units)
	clock.started()
	units.Wait()
	window := clock.stop()
	return r.report(window, c, workers(v, c), httpKnobs(v, p, c)), nil
}
