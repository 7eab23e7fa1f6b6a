package http

import (
	"fmt"
	gohttp "net/http"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// durationBuckets are the upper bounds, in seconds, of the request duration
// histogram.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type counterKey struct{ route, method, class string }

type histogram struct {
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      uint64
}

// metrics counts requests for the Prometheus text exposition. Route names,
// not paths, label the series, so their number stays bounded.
type metrics struct {
	mu        sync.Mutex
	requests  map[counterKey]uint64
	durations map[string]*histogram
}

func newMetrics() *metrics {
	return &metrics{requests: map[counterKey]uint64{}, durations: map[string]*histogram{}}
}

func (m *metrics) observe(route, method string, status int, d time.Duration) {
	switch method {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS":
	default:
		method = "other"
	}
	class := strconv.Itoa(status/100) + "xx"
	sec := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[counterKey{route, method, class}]++
	h := m.durations[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(durationBuckets)+1)}
		m.durations[route] = h
	}
	i := sort.SearchFloat64s(durationBuckets, sec)
	h.counts[i]++
	h.sum += sec
	h.n++
}

// labelValue escapes a label value for the text format.
func labelValue(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// handleMetrics writes the metrics in the Prometheus text format 0.0.4.
func (s *Server) handleMetrics(w gohttp.ResponseWriter, r *gohttp.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	var b strings.Builder
	m := s.metrics
	m.mu.Lock()
	keys := make([]counterKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, c := keys[i], keys[j]
		if a.route != c.route {
			return a.route < c.route
		} else if a.method != c.method {
			return a.method < c.method
		}
		return a.class < c.class
	})
	b.WriteString("# HELP nakamawashi_http_requests_total HTTP requests served, by route name, method and status class.\n")
	b.WriteString("# TYPE nakamawashi_http_requests_total counter\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "nakamawashi_http_requests_total{route=\"%s\",method=\"%s\",code=\"%s\"} %d\n",
			labelValue(k.route), k.method, k.class, m.requests[k])
	}
	routes := make([]string, 0, len(m.durations))
	for r := range m.durations {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	b.WriteString("# HELP nakamawashi_http_request_duration_seconds Time to serve an HTTP request, by route name.\n")
	b.WriteString("# TYPE nakamawashi_http_request_duration_seconds histogram\n")
	for _, route := range routes {
		h := m.durations[route]
		var cum uint64
		for i, le := range durationBuckets {
			cum += h.counts[i]
			fmt.Fprintf(&b, "nakamawashi_http_request_duration_seconds_bucket{route=\"%s\",le=\"%s\"} %d\n", labelValue(route), formatFloat(le), cum)
		}
		fmt.Fprintf(&b, "nakamawashi_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %d\n", labelValue(route), h.n)
		fmt.Fprintf(&b, "nakamawashi_http_request_duration_seconds_sum{route=\"%s\"} %s\n", labelValue(route), formatFloat(h.sum))
		fmt.Fprintf(&b, "nakamawashi_http_request_duration_seconds_count{route=\"%s\"} %d\n", labelValue(route), h.n)
	}
	m.mu.Unlock()

	b.WriteString("# HELP go_goroutines Number of goroutines that currently exist.\n# TYPE go_goroutines gauge\n")
	fmt.Fprintf(&b, "go_goroutines %d\n", runtime.NumGoroutine())
	b.WriteString("# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n# TYPE process_start_time_seconds gauge\n")
	fmt.Fprintf(&b, "process_start_time_seconds %s\n", formatFloat(float64(s.started.UnixNano())/1e9))
	b.WriteString("# HELP nakamawashi_build_info Build information; the value is always 1.\n# TYPE nakamawashi_build_info gauge\n")
	version := s.Version
	if version == "" {
		version = "dev"
	}
	fmt.Fprintf(&b, "nakamawashi_build_info{version=\"%s\",goversion=\"%s\"} 1\n", labelValue(version), labelValue(runtime.Version()))
	w.Write([]byte(b.String()))
}
