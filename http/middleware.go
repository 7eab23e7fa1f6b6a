package http

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	gohttp "net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// requestInfo is what the middleware learns about a request, shared through
// the context so that the outer layers (logs, metrics) see what the inner
// ones (routing, authentication) found.
type requestInfo struct {
	route   string
	api     bool
	actor   *nakamawashi.Actor
	session *nakamawashi.Session
	token   string // the session cookie value, when a session was found
	bearer  bool   // authenticated by an API token
	lang    nakamawashi.Language
	csrf    string // the CSRF token forms of this response carry
	// The route's multipart body limit (0: the server's) and what a
	// larger body is told (nil: the generic message).
	maxBody     int64
	tooLargeErr func() error
}

type requestInfoKey struct{}

func requestInfoFrom(ctx context.Context) *requestInfo {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return info
	}
	return &requestInfo{}
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	gohttp.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = gohttp.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() gohttp.ResponseWriter { return w.ResponseWriter }

// logRequests logs one structured line per request and counts it in the
// metrics. It logs no headers, cookies, query strings or bodies: they may
// carry secrets.
func (s *Server) logRequests(next gohttp.Handler) gohttp.Handler {
	return gohttp.HandlerFunc(func(w gohttp.ResponseWriter, r *gohttp.Request) {
		start := time.Now()
		info := &requestInfo{route: "unmatched", lang: nakamawashi.Japanese}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info)))
		if sw.status == 0 {
			sw.status = gohttp.StatusOK
		}
		d := time.Since(start)
		s.metrics.observe(info.route, r.Method, sw.status, d)
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("route", info.route),
			slog.Int("status", sw.status),
			slog.Duration("duration", d),
			slog.Int64("bytes", sw.bytes),
		}
		if info.actor != nil {
			attrs = append(attrs, slog.Int64("user_id", info.actor.UserID), slog.Int64("company_id", info.actor.CompanyID))
		}
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		s.logger().LogAttrs(r.Context(), level, "http request", attrs...)
	})
}

// recoverPanics turns a panic in a handler into a logged internal error.
func (s *Server) recoverPanics(next gohttp.Handler) gohttp.Handler {
	return gohttp.HandlerFunc(func(w gohttp.ResponseWriter, r *gohttp.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == gohttp.ErrAbortHandler {
					panic(v)
				}
				s.logger().Error("http panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				gohttp.Error(w, gohttp.StatusText(gohttp.StatusInternalServerError), gohttp.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows no inline script or style anywhere.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next gohttp.Handler) gohttp.Handler {
	return gohttp.HandlerFunc(func(w gohttp.ResponseWriter, r *gohttp.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.secure(r) {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// secure reports whether the client reached us over TLS.
func (s *Server) secure(r *gohttp.Request) bool { return s.SecureCookies || r.TLS != nil }

var crossOrigin = gohttp.NewCrossOriginProtection()

// wrap puts a route's handler behind its authentication and CSRF checks.
func (s *Server) wrap(rt Route) gohttp.Handler {
	return gohttp.HandlerFunc(func(w gohttp.ResponseWriter, r *gohttp.Request) {
		info := requestInfoFrom(r.Context())
		info.route, info.api = rt.Name, rt.API
		info.maxBody, info.tooLargeErr = rt.MaxBody, rt.tooLargeErr
		if rt.Auth == AuthNone {
			info.lang = s.anonymousLanguage(r, rt.API)
			rt.handler(w, r)
			return
		}
		if err := s.authenticate(w, r, info, rt.API); err != nil {
			s.Error(w, r, err)
			return
		}
		if info.actor != nil {
			r = r.WithContext(nakamawashi.NewContextWithActor(r.Context(), info.actor))
		}
		if rt.Auth == AuthRequired && info.actor == nil {
			if rt.API || r.Method != gohttp.MethodGet {
				s.Error(w, r, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized"))
				return
			}
			gohttp.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), gohttp.StatusSeeOther)
			return
		}
		if unsafeMethod(r.Method) && !info.bearer {
			// A form with photos carries its CSRF token inside the
			// multipart body, so that body is read under its own limit
			// before the check.
			if rt.Upload && isMultipart(r) && crossOrigin.Check(r) == nil {
				if err := s.parseUpload(w, r); err != nil {
					// A page's form says it on its file field; the
					// answer only reads, so the unread token matters not.
					if rt.tooLarge != nil && nakamawashi.ErrorCode(err) == nakamawashi.ETOOLARGE && info.actor != nil {
						rt.tooLarge(w, r, err)
						return
					}
					s.Error(w, r, err)
					return
				}
			}
			if err := s.checkCSRF(w, r, info); err != nil {
				s.Error(w, r, err)
				return
			}
		}
		if info.actor != nil {
			w.Header().Set("Cache-Control", "no-store")
		}
		rt.handler(w, r)
	})
}

// authenticate resolves the caller's credentials into info. A bearer token
// counts only on API routes; a stale session cookie makes the caller
// anonymous and is cleared.
func (s *Server) authenticate(w gohttp.ResponseWriter, r *gohttp.Request, info *requestInfo, api bool) error {
	ctx := r.Context()
	if api {
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, token, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
				return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.http.bearer")
			}
			a, err := s.Store.AuthenticateAPIToken(ctx, strings.TrimSpace(token))
			if err != nil {
				info.lang = s.anonymousLanguage(r, api)
				return err
			}
			info.actor, info.bearer, info.lang = a, true, languageOf(a)
			return nil
		}
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		sess, a, err := s.Store.Authenticate(ctx, c.Value)
		switch code := nakamawashi.ErrorCode(err); code {
		case "":
			info.actor, info.session, info.token, info.lang = a, sess, c.Value, languageOf(a)
			info.csrf = sess.CSRFToken
			return nil
		case nakamawashi.EUNAUTHORIZED, nakamawashi.ENOTFOUND:
			s.clearCookie(w, r, sessionCookie)
		default:
			info.lang = s.anonymousLanguage(r, api)
			return err
		}
	}
	info.lang = s.anonymousLanguage(r, api)
	return nil
}

// languageOf returns an actor's language, Japanese when unset.
func languageOf(a *nakamawashi.Actor) nakamawashi.Language {
	if a != nil && a.Language == nakamawashi.English {
		return nakamawashi.English
	}
	return nakamawashi.Japanese
}

// anonymousLanguage picks the language for a caller without a user: the
// nkm_lang cookie, then, for the API only, Accept-Language, then Japanese.
func (s *Server) anonymousLanguage(r *gohttp.Request, api bool) nakamawashi.Language {
	if c, err := r.Cookie(langCookie); err == nil && c.Value != "" {
		return nakamawashi.ParseLanguage(c.Value)
	}
	if api {
		first, _, _ := strings.Cut(r.Header.Get("Accept-Language"), ",")
		first, _, _ = strings.Cut(first, ";")
		return nakamawashi.ParseLanguage(first)
	}
	return nakamawashi.Japanese
}

func unsafeMethod(m string) bool {
	switch m {
	case gohttp.MethodGet, gohttp.MethodHead, gohttp.MethodOptions:
		return false
	}
	return true
}

// checkCSRF verifies the CSRF token of a state-changing request made with a
// cookie or with no credentials at all. A session's token is compared for a
// logged-in caller; the double-submit nkm_csrf cookie for an anonymous one.
// Browsers' cross-origin signals are checked first, as a second wall.
func (s *Server) checkCSRF(w gohttp.ResponseWriter, r *gohttp.Request, info *requestInfo) error {
	forbidden := nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.http.csrf")
	if err := crossOrigin.Check(r); err != nil {
		return forbidden
	}
	want := ""
	if info.session != nil {
		want = info.session.CSRFToken
	} else if c, err := r.Cookie(csrfCookie); err == nil {
		want = c.Value
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data" {
			if err := s.parseForm(w, r); err != nil {
				return err
			}
			got = r.PostFormValue("csrf_token")
		}
	}
	if want == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return forbidden
	}
	return nil
}

// clientAddr returns the client's address for rate limiting: the peer of the
// connection, or, behind a trusted proxy, the last X-Forwarded-For entry.
func (s *Server) clientAddr(r *gohttp.Request) string {
	if s.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// isInternal reports whether err is an internal fault, for logging.
func isInternal(err error) bool {
	code := nakamawashi.ErrorCode(err)
	return code == nakamawashi.EINTERNAL || code == nakamawashi.EUNAVAILABLE || errors.Is(err, context.DeadlineExceeded)
}
