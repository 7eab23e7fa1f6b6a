package http

import (
	gohttp "net/http"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

// meResponse describes the caller of the API.
type meResponse struct {
	UserID      int64                   `json:"user_id"`
	Name        string                  `json:"name"`
	Email       string                  `json:"email"`
	Language    nakamawashi.Language    `json:"language"`
	CompanyID   int64                   `json:"company_id"`
	CompanyName string                  `json:"company_name"`
	CompanyKind nakamawashi.CompanyKind `json:"company_kind"`
	Role        nakamawashi.Role        `json:"role"`
	Auth        string                  `json:"auth"` // "session" or "token"
}

// apiMe returns the caller.
func (s *Server) apiMe(w gohttp.ResponseWriter, r *gohttp.Request) {
	info := requestInfoFrom(r.Context())
	a := info.actor
	via := "session"
	if info.bearer {
		via = "token"
	}
	s.writeJSON(w, r, gohttp.StatusOK, meResponse{
		UserID: a.UserID, Name: a.UserName, Email: a.Email, Language: languageOf(a),
		CompanyID: a.CompanyID, CompanyName: a.CompanyName, CompanyKind: a.CompanyKind, Role: a.Role, Auth: via,
	})
}

// apiCompanyList lists the companies the caller may see.
func (s *Server) apiCompanyList(w gohttp.ResponseWriter, r *gohttp.Request) {
	offset, limit, err := parsePage(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	q := r.URL.Query()
	filter := nakamawashi.CompanyFilter{Query: strings.TrimSpace(q.Get("q")), Region: strings.TrimSpace(q.Get("region")), Offset: offset, Limit: limit}
	if k := q.Get("kind"); k != "" {
		if !nakamawashi.CompanyKind(k).Valid() {
			s.Error(w, r, invalidParam("kind"))
			return
		}
		filter.Kind = nakamawashi.CompanyKind(k)
	}
	cs, total, err := s.Store.FindCompanies(r.Context(), filter)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(cs, total, offset, limit))
}

// apiCompanyCreate creates a company from the fields of CompanyUpdate.
func (s *Server) apiCompanyCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
	if err := nakamawashi.Authorize(r.Context(), nakamawashi.PermCompanyCreate, 0); err != nil {
		s.Error(w, r, err)
		return
	}
	var in nakamawashi.CompanyUpdate
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	c := &nakamawashi.Company{}
	in.Apply(c)
	if err := s.Store.CreateCompany(r.Context(), c); err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/companies/"+itoa(c.ID))
	s.writeJSON(w, r, gohttp.StatusCreated, c)
}

// apiCompanyGet returns one company the caller may see.
func (s *Server) apiCompanyGet(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	c, err := s.Store.FindCompanyByID(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, c)
}

// apiCompanyUpdate changes the fields present in the body. Only the network
// office changes a company's kind.
func (s *Server) apiCompanyUpdate(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCompanyUpdate, id); err != nil {
		s.Error(w, r, err)
		return
	}
	var upd nakamawashi.CompanyUpdate
	if err := s.decodeJSON(w, r, &upd); err != nil {
		s.Error(w, r, err)
		return
	}
	if upd.Kind != nil && !nakamawashi.ActorFromContext(ctx).CanNetwork(nakamawashi.PermCompanyKind) {
		c, err := s.Store.FindCompanyByID(ctx, id)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		if *upd.Kind != c.Kind {
			s.Error(w, r, nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.http.kind_change"))
			return
		}
	}
	c, err := s.Store.UpdateCompany(ctx, id, upd)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, c)
}

// apiMemberList lists a company's memberships. The permission is checked
// before anything is read.
func (s *Server) apiMemberList(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d, err := s.companyMembers(r, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(d.Memberships, len(d.Memberships), 0, len(d.Memberships)))
}

// memberRequest adds an existing user to a company.
type memberRequest struct {
	UserID int64            `json:"user_id"`
	Role   nakamawashi.Role `json:"role"`
}

// apiMemberCreate adds an existing user to the company in the path.
func (s *Server) apiMemberCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermMembersManage, id); err != nil {
		s.Error(w, r, err)
		return
	}
	var in memberRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := checkGrant(nakamawashi.ActorFromContext(ctx), in.Role, id); err != nil {
		s.Error(w, r, err)
		return
	}
	m := &nakamawashi.Membership{UserID: in.UserID, CompanyID: id, Role: in.Role}
	if err := s.Store.CreateMembership(ctx, m); err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusCreated, m)
}

// apiMemberDelete removes a membership; the store checks that the caller
// manages its company.
func (s *Server) apiMemberDelete(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.DeleteMembership(r.Context(), id); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(gohttp.StatusNoContent)
}
