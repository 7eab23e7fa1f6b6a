package http

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net"
	gohttp "net/http"
	"strconv"
	"sync"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/live"
)

// DefaultMaxBodyBytes limits JSON and form bodies unless MaxBodyBytes says
// otherwise.
const DefaultMaxBodyBytes = 1 << 20

// DefaultShutdownTimeout is how long Close waits for requests in flight.
const DefaultShutdownTimeout = 10 * time.Second

// Server serves the JSON API and the UI of one network. Set its fields
// after NewServer and before Open or the first request.
type Server struct {
	// Addr is the address Open listens on, e.g. ":8080"; ":0" picks a free port.
	Addr string
	// Store is the database behind every request.
	Store nakamawashi.Store
	// Network holds the name and home region of the network served.
	Network nakamawashi.Network
	// Logger receives request logs and internal errors; nil discards them.
	Logger *slog.Logger
	// SecureCookies marks cookies Secure and turns on HSTS. Set it when the
	// server is reached over TLS, directly or through a TLS proxy; requests
	// that arrive over TLS get Secure cookies in any case.
	SecureCookies bool
	// TrustProxy makes the client address come from X-Forwarded-For, for
	// rate limiting. Set it only behind a proxy that sets that header.
	TrustProxy bool
	// Version is reported in /metrics and the OpenAPI document.
	Version string
	// MaxBodyBytes limits JSON and form bodies; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxUploadBytes limits the bodies of posts with photos; 0 means
	// MaxPhotosPerPost photos of MaxPhotoBytes each, plus 1 MiB.
	MaxUploadBytes int64
	// ShutdownTimeout bounds Close; 0 means DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
	// Blobs keeps the drawings' files; nil refuses drawing uploads and
	// downloads as unavailable.
	Blobs nakamawashi.BlobStore
	// Fees are the network's charges that draft quotes add; zero means
	// nakamawashi.DefaultFees.
	Fees nakamawashi.Fees
	// BaseURL is the public address printed in travelers' QR codes, e.g.
	// "https://nakama.example.jp"; empty: the scheme and host of the
	// request that asks for the traveler.
	BaseURL string
	// Live announces machine state changes to the boards' event streams;
	// nil: the boards refresh only periodically.
	Live *live.Hub
	// MQTTAddr is the broker address shown to devices when they are
	// registered ("host:port"); an empty host stands for the host the
	// browser reached this server by.
	MQTTAddr string
	// MTConnectAllow lists the hosts (host or host:port) whose MTConnect
	// agents and adapters devices may name as their source (serve
	// --mtconnect-allow); empty: none, and the device page says so.
	MTConnectAllow []string
	// Now is the boards' clock; time.Now when nil.
	Now func() time.Time

	ln        net.Listener
	server    *gohttp.Server
	mux       *gohttp.ServeMux
	routes    []Route
	handler   gohttp.Handler
	templates map[nakamawashi.Language]map[string]*template.Template
	assets    map[string]string // static file name → versioned URL
	metrics   *metrics
	started   time.Time
	closing   chan struct{} // closed by Close: long-lived streams end
	closeOnce sync.Once
}

// NewServer returns a server with its routes registered and its templates
// parsed. Templates and assets are embedded, so a failure to parse them is a
// programming error and panics here, at start-up, rather than at a request.
func NewServer() *Server {
	s := &Server{
		mux:     gohttp.NewServeMux(),
		metrics: newMetrics(),
		started: time.Now(),
		closing: make(chan struct{}),
	}
	if err := s.parseTemplates(); err != nil {
		panic(fmt.Sprintf("http: templates: %v", err))
	}
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		s.mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
	}
	s.handler = s.recoverPanics(s.logRequests(s.securityHeaders(gohttp.HandlerFunc(s.dispatch))))
	return s
}

// Open starts listening on Addr and serving in the background.
func (s *Server) Open() (err error) {
	if s.Store == nil {
		return errors.New("http: no store")
	}
	if s.ln, err = net.Listen("tcp", s.Addr); err != nil {
		return err
	}
	s.server = &gohttp.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.logger().Handler(), slog.LevelWarn),
	}
	go func() {
		if err := s.server.Serve(s.ln); err != nil && !errors.Is(err, gohttp.ErrServerClosed) {
			s.logger().Error("http serve", "err", err)
		}
	}()
	return nil
}

// Close stops accepting connections and waits, up to ShutdownTimeout, for
// requests in flight to finish.
func (s *Server) Close() error {
	s.closeOnce.Do(func() { close(s.closing) })
	if s.server == nil {
		return nil
	}
	timeout := s.ShutdownTimeout
	if timeout <= 0 {
		timeout = DefaultShutdownTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := s.server.Shutdown(ctx); err != nil {
		s.server.Close()
		return err
	}
	return nil
}

// Port returns the port Open listens on, or 0 before Open.
func (s *Server) Port() int {
	if s.ln == nil {
		return 0
	}
	return s.ln.Addr().(*net.TCPAddr).Port
}

// URL returns the base URL of the running server, e.g.
// "http://localhost:8080". An unspecified host reads as localhost.
func (s *Server) URL() string {
	scheme := "http"
	if s.SecureCookies {
		scheme = "https"
	}
	host := "localhost"
	if s.ln != nil {
		if h, _, err := net.SplitHostPort(s.Addr); err == nil && h != "" && h != "0.0.0.0" && h != "::" {
			host = h
		}
	}
	return scheme + "://" + net.JoinHostPort(host, strconv.Itoa(s.Port()))
}

// Handler returns the server's handler with all middleware, for httptest.
func (s *Server) Handler() gohttp.Handler { return s }

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w gohttp.ResponseWriter, r *gohttp.Request) {
	s.handler.ServeHTTP(w, r)
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return s.Logger
}

func (s *Server) maxBody() int64 {
	if s.MaxBodyBytes <= 0 {
		return DefaultMaxBodyBytes
	}
	return s.MaxBodyBytes
}

// handleHealth answers 200 "ok" when the store answers, 503 otherwise.
func (s *Server) handleHealth(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.Store.Ping(ctx); err != nil {
		s.logger().Error("health check", "err", err)
		w.WriteHeader(gohttp.StatusServiceUnavailable)
		io.WriteString(w, "unavailable\n")
		return
	}
	io.WriteString(w, "ok\n")
}
