package http

import (
	"errors"
	gohttp "net/http"
	"strconv"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// accountData is what the account page shows.
type accountData struct {
	User     *nakamawashi.User
	Tokens   []*nakamawashi.APIToken
	NewToken *nakamawashi.APIToken // shown once, right after creation
}

// accountForms holds the values of the account page's forms.
type accountForms struct {
	Name       string
	Language   string
	TokenName  string
	TokenDays  string
	FormErrors string // which form the errors belong to: profile, password or token
}

// handleAccount shows the caller's own account.
func (s *Server) handleAccount(w gohttp.ResponseWriter, r *gohttp.Request) {
	s.renderAccount(w, r, gohttp.StatusOK, nil, nil, nil)
}

// handleAccountUpdate changes the caller's name and language.
func (s *Server) handleAccountUpdate(w gohttp.ResponseWriter, r *gohttp.Request) {
	if err := s.parseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	a := nakamawashi.ActorFromContext(r.Context())
	f := &accountForms{Name: r.PostFormValue("name"), Language: r.PostFormValue("language"), FormErrors: "profile"}
	lang := nakamawashi.Language(f.Language)
	if _, err := s.Store.UpdateUser(r.Context(), a.UserID, nakamawashi.UserUpdate{Name: &f.Name, Language: &lang}); err != nil {
		s.renderAccount(w, r, 0, f, nil, err)
		return
	}
	if lang == nakamawashi.Japanese || lang == nakamawashi.English {
		s.setCookie(w, r, langCookie, string(lang), time.Now().AddDate(1, 0, 0))
	}
	gohttp.Redirect(w, r, "/account?ok=saved", gohttp.StatusSeeOther)
}

// handleAccountPassword changes the caller's password.
func (s *Server) handleAccountPassword(w gohttp.ResponseWriter, r *gohttp.Request) {
	if err := s.parseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	a := nakamawashi.ActorFromContext(r.Context())
	next := r.PostFormValue("new_password")
	var err error
	if next != r.PostFormValue("new_password_confirm") {
		err = &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg("err.invalid_fields"),
			Fields: map[string]nakamawashi.Message{"new_password_confirm": nakamawashi.Msg("err.http.password_mismatch")}}
	} else if err = s.Store.ChangePassword(r.Context(), a.UserID, r.PostFormValue("current_password"), next); err != nil {
		err = renamePasswordField(err)
	}
	if err != nil {
		s.renderAccount(w, r, 0, &accountForms{FormErrors: "password"}, nil, err)
		return
	}
	// A new password ends every session of the user, this one included, so
	// that a stolen session dies with the old password. Log this browser in
	// again with the new one.
	sess, _, err := s.Store.Login(r.Context(), nakamawashi.Credentials{
		Email: a.Email, Password: next, RemoteAddr: s.clientAddr(r), UserAgent: r.UserAgent(),
	})
	if err != nil {
		s.clearCookie(w, r, sessionCookie)
		gohttp.Redirect(w, r, "/login", gohttp.StatusSeeOther)
		return
	}
	s.setCookie(w, r, sessionCookie, sess.Token, time.Now().Add(nakamawashi.SessionMaxAge))
	gohttp.Redirect(w, r, "/account?ok=password", gohttp.StatusSeeOther)
}

// renamePasswordField puts a store error about the passwords next to the
// form's fields: a wrong current password on "current_password", a rule
// about the new one on "new_password".
func renamePasswordField(err error) error {
	var e *nakamawashi.Error
	if !errors.As(err, &e) {
		return err
	}
	if e.Message.Key == "err.password_wrong" {
		return &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg("err.password_wrong"),
			Fields: map[string]nakamawashi.Message{"current_password": nakamawashi.Msg("err.password_wrong")}}
	}
	return renameFields(e, map[string]string{"password": "new_password", "current": "current_password", "next": "new_password"})
}

// renameFields returns a copy of e with its field names mapped.
func renameFields(e *nakamawashi.Error, names map[string]string) error {
	if len(e.Fields) == 0 {
		return e
	}
	out := *e
	out.Fields = map[string]nakamawashi.Message{}
	for k, m := range e.Fields {
		if n, ok := names[k]; ok {
			k = n
		}
		out.Fields[k] = m
	}
	return &out
}

// handleAccountTokenCreate issues an API token and shows its secret once.
func (s *Server) handleAccountTokenCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
	if err := s.parseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	f := &accountForms{TokenName: strings.TrimSpace(r.PostFormValue("token_name")), TokenDays: r.PostFormValue("token_days"), FormErrors: "token"}
	days, err := strconv.Atoi(f.TokenDays)
	if err != nil || days < 1 || days > 366 {
		err = &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg("err.invalid_fields"),
			Fields: map[string]nakamawashi.Message{"token_days": nakamawashi.Msg("err.token.expiry")}}
		s.renderAccount(w, r, 0, f, nil, err)
		return
	}
	tok, err := s.Store.CreateAPIToken(r.Context(), f.TokenName, time.Now().Add(time.Duration(days)*24*time.Hour))
	if err != nil {
		s.renderAccount(w, r, 0, f, nil, renameTokenField(err))
		return
	}
	s.renderAccount(w, r, gohttp.StatusCreated, nil, tok, nil)
}

// renameTokenField moves store errors about a token's name and expiry onto
// the form's fields.
func renameTokenField(err error) error {
	var e *nakamawashi.Error
	if !errors.As(err, &e) {
		return err
	}
	return renameFields(e, map[string]string{"name": "token_name", "expires_at": "token_days"})
}

// handleAccountTokenDelete revokes one of the caller's tokens.
func (s *Server) handleAccountTokenDelete(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.RevokeAPIToken(r.Context(), id); err != nil {
		s.Error(w, r, err)
		return
	}
	gohttp.Redirect(w, r, "/account?ok=revoked", gohttp.StatusSeeOther)
}

// renderAccount renders the account page. err, if an EINVALID, shows next
// to the fields of the form that failed.
func (s *Server) renderAccount(w gohttp.ResponseWriter, r *gohttp.Request, status int, f *accountForms, newToken *nakamawashi.APIToken, err error) {
	ctx := r.Context()
	a := nakamawashi.ActorFromContext(ctx)
	u, uerr := s.Store.FindUserByID(ctx, a.UserID)
	if uerr != nil {
		s.Error(w, r, uerr)
		return
	}
	tokens, terr := s.Store.FindAPITokens(ctx)
	if terr != nil {
		s.Error(w, r, terr)
		return
	}
	if f == nil {
		f = &accountForms{}
	}
	if f.FormErrors != "profile" {
		f.Name, f.Language = u.Name, string(u.Language)
	}
	if f.TokenDays == "" {
		f.TokenDays = "90"
	}
	p := s.newPage(w, r, "ui.account.title")
	p.Data = &accountData{User: u, Tokens: tokens, NewToken: newToken}
	p.Form = f
	switch r.URL.Query().Get("ok") {
	case "saved":
		p.Notice = "ui.notice.saved"
	case "password":
		p.Notice = "ui.notice.password_changed"
	case "revoked":
		p.Notice = "ui.notice.token_revoked"
	}
	if newToken != nil {
		p.Notice = "ui.notice.token_created"
	}
	s.renderForm(w, r, status, "account", p, err)
}
