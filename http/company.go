package http

import (
	gohttp "net/http"
	"strconv"

	"github.com/nakamawashi/nakamawashi"
)

// companyForm holds a company form's values as typed, so that a form with
// errors comes back with the person's input.
type companyForm struct {
	ID                 int64
	Kind               string
	Name               string
	NameKana           string
	CorporateNumber    string
	RegistrationNumber string
	PostalCode         string
	Prefecture         string
	City               string
	Street             string
	Building           string
	Phone              string
	Fax                string
	Email              string
	Region             string
	Description        string
	CanChangeKind      bool
}

func companyFormOf(c *nakamawashi.Company) *companyForm {
	return &companyForm{
		ID: c.ID, Kind: string(c.Kind), Name: c.Name, NameKana: c.NameKana,
		CorporateNumber: c.CorporateNumber, RegistrationNumber: c.RegistrationNumber,
		PostalCode: c.PostalCode, Prefecture: c.Prefecture, City: c.City, Street: c.Street,
		Building: c.Building, Phone: c.Phone, Fax: c.Fax, Email: c.Email, Region: c.Region,
		Description: c.Description,
	}
}

func companyFormFrom(r *gohttp.Request) *companyForm {
	v := r.PostFormValue
	return &companyForm{
		Kind: v("kind"), Name: v("name"), NameKana: v("name_kana"),
		CorporateNumber: v("corporate_number"), RegistrationNumber: v("registration_number"),
		PostalCode: v("postal_code"), Prefecture: v("prefecture"), City: v("city"), Street: v("street"),
		Building: v("building"), Phone: v("phone"), Fax: v("fax"), Email: v("email"), Region: v("region"),
		Description: v("description"),
	}
}

// update returns the change the form asks for. The kind is part of it
// only when the caller may change kinds (the network office), because a
// company's kind decides what its people may see.
func (f *companyForm) update(withKind bool) nakamawashi.CompanyUpdate {
	u := nakamawashi.CompanyUpdate{
		Name: &f.Name, NameKana: &f.NameKana, CorporateNumber: &f.CorporateNumber,
		RegistrationNumber: &f.RegistrationNumber, PostalCode: &f.PostalCode, Prefecture: &f.Prefecture,
		City: &f.City, Street: &f.Street, Building: &f.Building, Phone: &f.Phone, Fax: &f.Fax,
		Email: &f.Email, Region: &f.Region, Description: &f.Description,
	}
	if withKind {
		k := nakamawashi.CompanyKind(f.Kind)
		u.Kind = &k
	}
	return u
}

// handleCompanyShow shows a profile. A company the actor may not see is
// not found, whether or not it exists.
func (s *Server) handleCompanyShow(w gohttp.ResponseWriter, r *gohttp.Request) {
	c, ok := s.findCompany(w, r)
	if !ok {
		return
	}
	d, err := s.companyShow(r.Context(), c)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p := s.newPage(w, r, "ui.company.title")
	p.Data = d
	switch r.URL.Query().Get("ok") {
	case "created":
		p.Notice = "ui.notice.created"
	case "saved":
		p.Notice = "ui.notice.saved"
	case "deleted":
		p.Notice = "ui.notice.deleted"
	case "posted":
		p.Notice = "ui.notice.post_created"
	}
	s.render(w, r, gohttp.StatusOK, "company", p)
}

// findCompany loads the company named in the path, writing the error if
// there is none the actor may see.
func (s *Server) findCompany(w gohttp.ResponseWriter, r *gohttp.Request) (*nakamawashi.Company, bool) {
	id, err := pathID(r, "id")
	if err == nil {
		var c *nakamawashi.Company
		if c, err = s.Store.FindCompanyByID(r.Context(), id); err == nil {
			return c, true
		}
	}
	s.Error(w, r, err)
	return nil, false
}

// handleCompanyNew shows an empty company form to those who may create one.
func (s *Server) handleCompanyNew(w gohttp.ResponseWriter, r *gohttp.Request) {
	if err := nakamawashi.Authorize(r.Context(), nakamawashi.PermCompanyCreate, 0); err != nil {
		s.Error(w, r, err)
		return
	}
	s.renderCompanyForm(w, r, gohttp.StatusOK, &companyForm{Kind: string(nakamawashi.KindMember), Prefecture: "東京都", CanChangeKind: true}, nil)
}

// handleCompanyCreate creates a company from the form.
func (s *Server) handleCompanyCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
	if err := nakamawashi.Authorize(r.Context(), nakamawashi.PermCompanyCreate, 0); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.parseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	f := companyFormFrom(r)
	f.CanChangeKind = true
	c := &nakamawashi.Company{}
	f.update(true).Apply(c)
	if err := s.Store.CreateCompany(r.Context(), c); err != nil {
		s.renderCompanyForm(w, r, 0, f, err)
		return
	}
	gohttp.Redirect(w, r, "/companies/"+strconv.FormatInt(c.ID, 10)+"?ok=created", gohttp.StatusSeeOther)
}

// handleCompanyEdit shows the edit form to those who may change the company.
func (s *Server) handleCompanyEdit(w gohttp.ResponseWriter, r *gohttp.Request) {
	c, ok := s.findCompany(w, r)
	if !ok {
		return
	}
	if err := nakamawashi.Authorize(r.Context(), nakamawashi.PermCompanyUpdate, c.ID); err != nil {
		s.Error(w, r, err)
		return
	}
	f := companyFormOf(c)
	f.CanChangeKind = nakamawashi.ActorFromContext(r.Context()).CanNetwork(nakamawashi.PermCompanyKind)
	s.renderCompanyForm(w, r, gohttp.StatusOK, f, nil)
}

// handleCompanyUpdate saves the edit form; with errors the form comes back
// with the input and a message next to each wrong field.
func (s *Server) handleCompanyUpdate(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if err := nakamawashi.Authorize(r.Context(), nakamawashi.PermCompanyUpdate, id); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.parseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	f := companyFormFrom(r)
	f.ID = id
	f.CanChangeKind = nakamawashi.ActorFromContext(r.Context()).CanNetwork(nakamawashi.PermCompanyKind)
	if _, err := s.Store.UpdateCompany(r.Context(), id, f.update(f.CanChangeKind)); err != nil {
		s.renderCompanyForm(w, r, 0, f, err)
		return
	}
	gohttp.Redirect(w, r, "/companies/"+strconv.FormatInt(id, 10)+"?ok=saved", gohttp.StatusSeeOther)
}

// renderCompanyForm renders the new or edit form. An EINVALID error brings
// the form back with field messages; any other error is an error page.
func (s *Server) renderCompanyForm(w gohttp.ResponseWriter, r *gohttp.Request, status int, f *companyForm, err error) {
	title := "ui.company.new_title"
	if f.ID != 0 {
		title = "ui.company.edit_title"
	}
	p := s.newPage(w, r, title)
	p.Form = f
	s.renderForm(w, r, status, "company_form", p, err)
}
