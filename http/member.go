package http

import (
	gohttp "net/http"
	"slices"

	"strconv"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

// checkGrant refuses a role the caller may not give in the company, so that
// the form can say so before the store is asked.
func checkGrant(a *nakamawashi.Actor, role nakamawashi.Role, companyID int64) error {
	if !role.Valid() {
		return &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg("err.invalid_fields"),
			Fields: map[string]nakamawashi.Message{"role": nakamawashi.Msg("err.role")}}
	}
	if !a.MayGrant(role, companyID) {
		return nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden")
	}
	return nil
}

// memberForm holds the "add a person" form.
type memberForm struct {
	Name     string
	Email    string
	Language string
	Role     string
	Roles    []nakamawashi.Role
}

// memberData is what the members page shows.
type memberData struct {
	Company     *nakamawashi.Company
	Memberships []*nakamawashi.Membership
	CanManage   bool
}

// companyMembers authorizes and loads a company's members. The permission
// is checked before anything is read, so that a refused caller learns
// nothing about the company.
func (s *Server) companyMembers(r *gohttp.Request, id int64) (*memberData, error) {
	ctx := r.Context()
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermMembersRead, id); err != nil {
		return nil, err
	}
	c, err := s.Store.FindCompanyByID(ctx, id)
	if err != nil {
		return nil, err
	}
	ms, err := s.Store.FindMemberships(ctx, nakamawashi.MembershipFilter{CompanyID: &id})
	if err != nil {
		return nil, err
	}
	a := nakamawashi.ActorFromContext(ctx)
	return &memberData{Company: c, Memberships: ms, CanManage: a.Can(nakamawashi.PermMembersManage, id)}, nil
}

// handleMemberList shows a company's people.
func (s *Server) handleMemberList(w gohttp.ResponseWriter, r *gohttp.Request) {
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
	a := nakamawashi.ActorFromContext(r.Context())
	f := &memberForm{Language: string(nakamawashi.Japanese), Role: string(nakamawashi.RoleStaff), Roles: a.GrantableRoles(id)}
	s.renderMembers(w, r, gohttp.StatusOK, d, f, nil)
}

// handleMemberCreate creates a user with a membership in the company.
func (s *Server) handleMemberCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	a := nakamawashi.ActorFromContext(ctx)
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermMembersManage, id); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.parseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	f := &memberForm{
		Name:     r.PostFormValue("name"),
		Email:    strings.TrimSpace(r.PostFormValue("email")),
		Language: r.PostFormValue("language"),
		Role:     r.PostFormValue("role"),
		Roles:    a.GrantableRoles(id),
	}
	err = checkGrant(a, nakamawashi.Role(f.Role), id)
	if err == nil {
		_, err = s.Store.CreateUser(ctx, &nakamawashi.NewUser{
			User:      nakamawashi.User{Name: f.Name, Email: f.Email, Language: nakamawashi.Language(f.Language)},
			Password:  r.PostFormValue("password"),
			CompanyID: id,
			Role:      nakamawashi.Role(f.Role),
		})
	}
	if err != nil {
		d, derr := s.companyMembers(r, id)
		if derr != nil {
			s.Error(w, r, derr)
			return
		}
		s.renderMembers(w, r, 0, d, f, err)
		return
	}
	gohttp.Redirect(w, r, "/companies/"+strconv.FormatInt(id, 10)+"/members?ok=created", gohttp.StatusSeeOther)
}

// handleMemberDelete removes a membership of the company in the path; a
// membership of another company is not found here.
func (s *Server) handleMemberDelete(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	mid, err := pathID(r, "mid")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermMembersManage, id); err != nil {
		s.Error(w, r, err)
		return
	}
	ms, err := s.Store.FindMemberships(ctx, nakamawashi.MembershipFilter{CompanyID: &id})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if !slices.ContainsFunc(ms, func(m *nakamawashi.Membership) bool { return m.ID == mid }) {
		s.Error(w, r, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.membership.not_found"))
		return
	}
	if err := s.Store.DeleteMembership(ctx, mid); err != nil {
		if nakamawashi.ErrorCode(err) == nakamawashi.ECONFLICT {
			d, derr := s.companyMembers(r, id)
			if derr != nil {
				s.Error(w, r, derr)
				return
			}
			a := nakamawashi.ActorFromContext(ctx)
			s.renderMembers(w, r, 0, d, &memberForm{Language: "ja", Role: string(nakamawashi.RoleStaff), Roles: a.GrantableRoles(id)}, err)
			return
		}
		s.Error(w, r, err)
		return
	}
	gohttp.Redirect(w, r, "/companies/"+strconv.FormatInt(id, 10)+"/members?ok=deleted", gohttp.StatusSeeOther)
}

// renderMembers renders the members page, with the add form's errors if any.
func (s *Server) renderMembers(w gohttp.ResponseWriter, r *gohttp.Request, status int, d *memberData, f *memberForm, err error) {
	p := s.newPage(w, r, "ui.members.title")
	p.Data, p.Form = d, f
	switch r.URL.Query().Get("ok") {
	case "created":
		p.Notice = "ui.notice.member_added"
	case "deleted":
		p.Notice = "ui.notice.member_removed"
	}
	s.renderForm(w, r, status, "members", p, err)
}
