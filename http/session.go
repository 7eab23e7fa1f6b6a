package http

import (
	gohttp "net/http"
	"net/url"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// Cookie names.
const (
	sessionCookie = "nkm_session" // the session token; HttpOnly
	csrfCookie    = "nkm_csrf"    // the double-submit token of anonymous forms
	langCookie    = "nkm_lang"    // the language chosen before logging in
)

func (s *Server) setCookie(w gohttp.ResponseWriter, r *gohttp.Request, name, value string, expires time.Time) {
	c := &gohttp.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		HttpOnly: true,
		Secure:   s.secure(r),
		SameSite: gohttp.SameSiteLaxMode,
	}
	if !expires.IsZero() {
		c.Expires = expires
		c.MaxAge = int(time.Until(expires).Seconds())
		if c.MaxAge <= 0 {
			c.MaxAge = -1
		}
	}
	gohttp.SetCookie(w, c)
}

func (s *Server) clearCookie(w gohttp.ResponseWriter, r *gohttp.Request, name string) {
	gohttp.SetCookie(w, &gohttp.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.secure(r), SameSite: gohttp.SameSiteLaxMode})
}

// anonymousCSRF returns the double-submit token for an anonymous page,
// setting the nkm_csrf cookie if the browser has none.
func (s *Server) anonymousCSRF(w gohttp.ResponseWriter, r *gohttp.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 && len(c.Value) <= 100 {
		return c.Value
	}
	token := nakamawashi.NewToken("")
	s.setCookie(w, r, csrfCookie, token, time.Time{})
	return token
}

// urlQueryEscape escapes a value for a query string.
func urlQueryEscape(v string) string { return url.QueryEscape(v) }

// localPath returns next if it is a path on this site ("/companies?q=x")
// and "/" otherwise, so that no redirect leaves the site.
func localPath(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f {
			return "/"
		}
	}
	return next
}

// loginPage is the data of the login form.
type loginPage struct {
	Email string
	Next  string
}

func (s *Server) handleLoginForm(w gohttp.ResponseWriter, r *gohttp.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if requestInfoFrom(r.Context()).actor != nil {
		gohttp.Redirect(w, r, next, gohttp.StatusSeeOther)
		return
	}
	data := s.newPage(w, r, "ui.login.title")
	data.Form = &loginPage{Next: next}
	s.render(w, r, gohttp.StatusOK, "login", data)
}

// handleLogin checks the credentials. The CSRF check (double-submit for an
// anonymous browser) has run in the middleware. Any session the browser
// still holds is ended first, and the new session gets a new token, so a
// token planted before login is worth nothing after it.
func (s *Server) handleLogin(w gohttp.ResponseWriter, r *gohttp.Request) {
	if err := s.parseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	info := requestInfoFrom(r.Context())
	form := &loginPage{Email: strings.TrimSpace(r.PostFormValue("email")), Next: localPath(r.PostFormValue("next"))}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.Store.Logout(r.Context(), c.Value); err != nil && nakamawashi.ErrorCode(err) == nakamawashi.EINTERNAL {
			s.logger().Warn("logout before login", "err", err)
		}
		s.clearCookie(w, r, sessionCookie)
		info.actor, info.session, info.token, info.csrf = nil, nil, "", ""
	}
	sess, actor, err := s.Store.Login(r.Context(), nakamawashi.Credentials{
		Email:      form.Email,
		Password:   r.PostFormValue("password"),
		RemoteAddr: s.clientAddr(r),
		UserAgent:  r.UserAgent(),
	})
	if err != nil {
		code := nakamawashi.ErrorCode(err)
		if code != nakamawashi.EUNAUTHORIZED && code != nakamawashi.ETOOMANY && code != nakamawashi.EINVALID {
			s.Error(w, r, err)
			return
		}
		if code == nakamawashi.ETOOMANY {
			w.Header().Set("Retry-After", "900")
		}
		data := s.newPage(w, r, "ui.login.title")
		data.Form = form
		data.Message = nakamawashi.ErrorMessage(info.lang, err)
		s.render(w, r, ErrorStatus(code), "login", data)
		return
	}
	// The cookie may live as long as a session can; the store ends the
	// session earlier when it idles.
	s.setCookie(w, r, sessionCookie, sess.Token, time.Now().Add(nakamawashi.SessionMaxAge))
	s.setCookie(w, r, langCookie, string(languageOf(actor)), time.Now().AddDate(1, 0, 0))
	info.actor = actor
	gohttp.Redirect(w, r, form.Next, gohttp.StatusSeeOther)
}

// handleLogout ends the session; the CSRF token has been checked.
func (s *Server) handleLogout(w gohttp.ResponseWriter, r *gohttp.Request) {
	info := requestInfoFrom(r.Context())
	if err := s.Store.Logout(r.Context(), info.token); err != nil && nakamawashi.ErrorCode(err) != nakamawashi.EUNAUTHORIZED {
		s.Error(w, r, err)
		return
	}
	s.clearCookie(w, r, sessionCookie)
	gohttp.Redirect(w, r, "/login", gohttp.StatusSeeOther)
}

// handleLanguage switches the UI language: the cookie for everyone, and the
// user's own setting when logged in.
func (s *Server) handleLanguage(w gohttp.ResponseWriter, r *gohttp.Request) {
	if err := s.parseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	v := r.PostFormValue("lang")
	if v != string(nakamawashi.Japanese) && v != string(nakamawashi.English) {
		s.Error(w, r, nakamawashi.Errorf(nakamawashi.EINVALID, "err.language"))
		return
	}
	lang := nakamawashi.Language(v)
	info := requestInfoFrom(r.Context())
	if info.actor != nil && !info.actor.System {
		if _, err := s.Store.UpdateUser(r.Context(), info.actor.UserID, nakamawashi.UserUpdate{Language: &lang}); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	s.setCookie(w, r, langCookie, string(lang), time.Now().AddDate(1, 0, 0))
	gohttp.Redirect(w, r, localPath(r.PostFormValue("next")), gohttp.StatusSeeOther)
}

// handleSwitchCompany makes the session act through another membership.
func (s *Server) handleSwitchCompany(w gohttp.ResponseWriter, r *gohttp.Request) {
	if err := s.parseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	id, err := parseID(r.PostFormValue("membership_id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	info := requestInfoFrom(r.Context())
	if _, err := s.Store.SwitchCompany(r.Context(), info.token, id); err != nil {
		s.Error(w, r, err)
		return
	}
	gohttp.Redirect(w, r, "/", gohttp.StatusSeeOther)
}
