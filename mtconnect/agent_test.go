package mtconnect_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mtconnect"
)

func TestNewAgentRefuses(t *testing.T) {
	allowed := []string{"192.168.1.20", "agent.shop.local:5000", "::1"}
	tests := []struct {
		name, url, code string
	}{
		{"host not allowed", "http://10.0.0.5:5000/", nakamawashi.EFORBIDDEN},
		{"loopback not allowed by itself", "http://127.0.0.1:5000/", nakamawashi.EFORBIDDEN},
		{"localhost not allowed by itself", "http://localhost/", nakamawashi.EFORBIDDEN},
		{"cloud metadata", "http://169.254.169.254/latest/meta-data/", nakamawashi.EFORBIDDEN},
		{"private range not allowed by itself", "http://192.168.1.21/", nakamawashi.EFORBIDDEN},
		{"allowed name on another port", "http://agent.shop.local:5001/", nakamawashi.EFORBIDDEN},
		{"allowed name on the default port", "http://agent.shop.local/", nakamawashi.EFORBIDDEN},
		{"file scheme", "file:///etc/passwd", nakamawashi.EINVALID},
		{"ftp scheme", "ftp://192.168.1.20/", nakamawashi.EINVALID},
		{"gopher scheme", "gopher://192.168.1.20:70/", nakamawashi.EINVALID},
		{"credentials", "http://admin:secret@192.168.1.20/", nakamawashi.EINVALID},
		{"user name only", "http://admin@192.168.1.20/", nakamawashi.EINVALID},
		{"no host", "http:///probe", nakamawashi.EINVALID},
		{"not a url", "http://[::1", nakamawashi.EINVALID},
		{"allowed host as userinfo trick", "http://192.168.1.20@10.0.0.5/", nakamawashi.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := mtconnect.NewAgent(tt.url, mtconnect.AgentOptions{AllowedHosts: allowed})
			var e *nakamawashi.Error
			if a != nil || !errors.As(err, &e) || e.Code != tt.code || !strings.HasPrefix(e.Message.Key, "err.mtconnect.") {
				t.Fatalf("NewAgent(%q) = %v, %v; want an *nakamawashi.Error %q", tt.url, a, err, tt.code)
			}
		})
	}
	for _, ok := range []string{"http://192.168.1.20/", "https://192.168.1.20:8443/mtc/", "http://AGENT.shop.local:5000", "http://[::1]:5000/"} {
		if _, err := mtconnect.NewAgent(ok, mtconnect.AgentOptions{AllowedHosts: allowed}); err != nil {
			t.Errorf("NewAgent(%q) = %v, want it allowed", ok, err)
		}
	}
	if _, err := mtconnect.NewAgent("http://192.168.1.20/", mtconnect.AgentOptions{}); nakamawashi.ErrorCode(err) != nakamawashi.EFORBIDDEN {
		t.Errorf("no allowed hosts: %v, want forbidden", err)
	}
}

// newTestAgent serves handler and returns a client allowed to reach it.
func newTestAgent(t *testing.T, handler http.Handler, opt mtconnect.AgentOptions) (*mtconnect.Agent, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	opt.AllowedHosts = append(opt.AllowedHosts, "127.0.0.1")
	a, err := mtconnect.NewAgent(srv.URL+"/agent/", opt)
	if err != nil {
		t.Fatal(err)
	}
	return a, srv
}

func serveFile(t *testing.T, name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, "testdata/"+name)
	}
}

func TestAgentRequests(t *testing.T) {
	var paths []string
	mux := http.NewServeMux()
	mux.HandleFunc("/agent/Haas_1/probe", serveFile(t, "probe-haas.xml"))
	mux.HandleFunc("/agent/Haas_1/current", serveFile(t, "linuxcnc-test_current.xml"))
	mux.HandleFunc("/agent/Haas_1/sample", serveFile(t, "linuxcnc-test_sample.xml"))
	a, _ := newTestAgent(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.RequestURI())
		mux.ServeHTTP(w, r)
	}), mtconnect.AgentOptions{Device: "Haas_1"})
	ctx := context.Background()
	d, err := a.Probe(ctx)
	if err != nil || d.Devices[0].Name != "Haas_1" {
		t.Fatalf("Probe = %v, %v", d, err)
	}
	c, err := a.Current(ctx)
	if err != nil || c.Header.NextSequence != 10254805 {
		t.Fatalf("Current = %v, %v", c, err)
	}
	s, err := a.Sample(ctx, 10843512, 100)
	if err != nil || len(s.Observations) != 12 {
		t.Fatalf("Sample = %v, %v", s, err)
	}
	want := []string{"/agent/Haas_1/probe", "/agent/Haas_1/current", "/agent/Haas_1/sample?count=100&from=10843512"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Errorf("requests = %v, want %v", paths, want)
	}
}

func TestAgentRedirects(t *testing.T) {
	var otherHits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
		http.ServeFile(w, r, "testdata/probe-haas.xml")
	}))
	defer other.Close()
	targets := map[string]string{
		"/agent/probe":     "/agent/probe2", // the same host: followed
		"/agent/current":   other.URL + "/current",
		"/agent/sample":    "http://169.254.169.254/latest/meta-data/",
		"/agent/x/current": "file:///etc/passwd",
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/agent/probe2" {
			http.ServeFile(w, r, "testdata/probe-haas.xml")
			return
		}
		http.Redirect(w, r, targets[r.URL.Path], http.StatusFound)
	})
	a, srv := newTestAgent(t, h, mtconnect.AgentOptions{})
	ctx := context.Background()
	if _, err := a.Probe(ctx); err != nil {
		t.Errorf("a redirect on the same host: %v", err)
	}
	// The other server listens on 127.0.0.1, an allowed host, but on
	// another port: it is another host.
	if _, err := a.Current(ctx); nakamawashi.ErrorCode(err) != nakamawashi.EFORBIDDEN {
		t.Errorf("redirect to another host: %v, want forbidden", err)
	}
	if _, err := a.Sample(ctx, 1, 1); nakamawashi.ErrorCode(err) != nakamawashi.EFORBIDDEN {
		t.Errorf("redirect to the metadata service: %v, want forbidden", err)
	}
	b, err := mtconnect.NewAgent(srv.URL+"/agent/", mtconnect.AgentOptions{AllowedHosts: []string{"127.0.0.1"}, Device: "x", HTTPClient: &http.Client{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Current(ctx); nakamawashi.ErrorCode(err) != nakamawashi.EFORBIDDEN {
		t.Errorf("redirect to file://, with a client of the caller's: %v, want forbidden", err)
	}
	if n := otherHits.Load(); n != 0 {
		t.Errorf("the other host was reached %d times", n)
	}
}

func TestAgentFailures(t *testing.T) {
	ctx := context.Background()
	slow := make(chan struct{})
	defer close(slow)
	a, _ := newTestAgent(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/agent/probe": // too slow
			select {
			case <-slow:
			case <-r.Context().Done():
			}
		case "/agent/current": // too large
			w.Write([]byte("<MTConnectStreams>" + strings.Repeat(" ", 2000) + "</MTConnectStreams>"))
		case "/agent/sample": // not MTConnect
			http.Error(w, "proxy error", http.StatusBadGateway)
		}
	}), mtconnect.AgentOptions{Timeout: 200 * time.Millisecond, MaxBytes: 1000})
	start := time.Now()
	if _, err := a.Probe(ctx); nakamawashi.ErrorCode(err) != nakamawashi.EUNAVAILABLE || time.Since(start) > 5*time.Second {
		t.Errorf("slow agent: %v after %v, want unavailable after the timeout", err, time.Since(start))
	}
	if _, err := a.Current(ctx); nakamawashi.ErrorCode(err) != nakamawashi.ETOOLARGE {
		t.Errorf("large answer: %v, want too large", err)
	}
	if _, err := a.Sample(ctx, 1, 10); nakamawashi.ErrorCode(err) != nakamawashi.EUNAVAILABLE || !strings.Contains(err.Error(), "502") {
		t.Errorf("bad gateway: %v, want unavailable naming the status", err)
	}
}
