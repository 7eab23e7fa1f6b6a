package http

import (
	gohttp "net/http"
	"strconv"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// apiUserList lists the users the caller may see, optionally those of one
// company or with one email address.
func (s *Server) apiUserList(w gohttp.ResponseWriter, r *gohttp.Request) {
	offset, limit, err := parsePage(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	q := r.URL.Query()
	filter := nakamawashi.UserFilter{Email: strings.TrimSpace(q.Get("email")), Offset: offset, Limit: limit}
	if v := q.Get("company_id"); v != "" {
		id, err := parseID(v)
		if err != nil {
			s.Error(w, r, invalidParam("company_id"))
			return
		}
		filter.CompanyID = &id
	}
	users, total, err := s.Store.FindUsers(r.Context(), filter)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(users, total, offset, limit))
}

// userCreateRequest creates a user, with a first membership when
// company_id is set.
type userCreateRequest struct {
	Email     string               `json:"email"`
	Name      string               `json:"name"`
	Language  nakamawashi.Language `json:"language"`
	Password  string               `json:"password"`
	CompanyID int64                `json:"company_id"`
	Role      nakamawashi.Role     `json:"role"`
}

// apiUserCreate creates a user.
func (s *Server) apiUserCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
	var in userCreateRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	a := nakamawashi.ActorFromContext(ctx)
	if in.CompanyID != 0 {
		if err := nakamawashi.Authorize(ctx, nakamawashi.PermUserCreate, in.CompanyID); err != nil {
			s.Error(w, r, err)
			return
		}
		if err := checkGrant(a, in.Role, in.CompanyID); err != nil {
			s.Error(w, r, err)
			return
		}
	} else if err := nakamawashi.Authorize(ctx, nakamawashi.PermUsersAll, 0); err != nil {
		s.Error(w, r, err)
		return
	}
	u, err := s.Store.CreateUser(ctx, &nakamawashi.NewUser{
		User:      nakamawashi.User{Email: in.Email, Name: in.Name, Language: in.Language},
		Password:  in.Password,
		CompanyID: in.CompanyID,
		Role:      in.Role,
	})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/users/"+itoa(u.ID))
	s.writeJSON(w, r, gohttp.StatusCreated, u)
}

// apiUserGet returns one user the caller may see.
func (s *Server) apiUserGet(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	u, err := s.Store.FindUserByID(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, u)
}

// apiUserUpdate changes a user's name, language or disabled flag.
func (s *Server) apiUserUpdate(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var upd nakamawashi.UserUpdate
	if err := s.decodeJSON(w, r, &upd); err != nil {
		s.Error(w, r, err)
		return
	}
	u, err := s.Store.UpdateUser(r.Context(), id, upd)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, u)
}

// apiTokenList lists the caller's API tokens, without their secrets.
func (s *Server) apiTokenList(w gohttp.ResponseWriter, r *gohttp.Request) {
	tokens, err := s.Store.FindAPITokens(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(tokens, len(tokens), 0, len(tokens)))
}

// tokenCreateRequest asks for an API token; the expiry defaults to 90 days.
type tokenCreateRequest struct {
	Name      string     `json:"name"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// apiTokenCreate issues an API token; the response is the only time its
// secret is shown.
func (s *Server) apiTokenCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
	var in tokenCreateRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	expires := time.Now().Add(90 * 24 * time.Hour)
	if in.ExpiresAt != nil {
		expires = *in.ExpiresAt
	}
	tok, err := s.Store.CreateAPIToken(r.Context(), strings.TrimSpace(in.Name), expires)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusCreated, tok)
}

// apiTokenDelete revokes one of the caller's tokens.
func (s *Server) apiTokenDelete(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.RevokeAPIToken(r.Context(), id); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(gohttp.StatusNoContent)
}

// apiAuditList lists audit events the caller may read.
func (s *Server) apiAuditList(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	a := nakamawashi.ActorFromContext(ctx)
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermAuditRead, a.CompanyID); err != nil {
		s.Error(w, r, err)
		return
	}
	offset, limit, err := parsePage(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	q := r.URL.Query()
	filter := auditScope(a)
	filter.Offset, filter.Limit = offset, limit
	filter.EntityType = q.Get("entity_type")
	if v := q.Get("company_id"); v != "" {
		id, err := parseID(v)
		if err != nil {
			s.Error(w, r, invalidParam("company_id"))
			return
		}
		if err := nakamawashi.Authorize(ctx, nakamawashi.PermAuditRead, id); err != nil {
			s.Error(w, r, err)
			return
		}
		filter.CompanyID = &id
	}
	if v := q.Get("entity_id"); v != "" {
		id, err := parseID(v)
		if err != nil {
			s.Error(w, r, invalidParam("entity_id"))
			return
		}
		filter.EntityID = &id
	}
	for name, dst := range map[string]**time.Time{"since": &filter.Since, "until": &filter.Until} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				s.Error(w, r, invalidParam(name))
				return
			}
			*dst = &t
		}
	}
	events, total, err := s.Store.FindAuditEvents(ctx, filter)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(events, total, offset, limit))
}

// apiAuditVerify walks the whole audit chain; only the network office may.
func (s *Server) apiAuditVerify(w gohttp.ResponseWriter, r *gohttp.Request) {
	if !nakamawashi.ActorFromContext(r.Context()).CanNetwork(nakamawashi.PermAuditRead) {
		s.Error(w, r, nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden"))
		return
	}
	v, err := s.Store.VerifyAuditChain(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, v)
}
