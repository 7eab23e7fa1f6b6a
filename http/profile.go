package http

import (
	"context"
	gohttp "net/http"
	"strconv"

	"github.com/nakamawashi/nakamawashi"
)

// companyShowData is what a company page shows: the company, its profile
// of capabilities, its machines and its latest posts.
type companyShowData struct {
	Company  *nakamawashi.Company
	Profile  *nakamawashi.Profile
	Machines []*nakamawashi.Machine
	Posts    []*nakamawashi.Post
	// Location is where the company is: Entered from the profile, else
	// estimated from the address (Known is false when even that fails).
	Location nakamawashi.LatLon
	Entered  bool
	Known    bool
	CanEdit  bool // profile and machines
	CanPost  bool
}

// postsOnPage is how many posts a company page shows.
const postsOnPage = 20

// findProfile returns a company's profile; a company that has entered none
// has an empty one.
func (s *Server) findProfile(ctx context.Context, companyID int64) (*nakamawashi.Profile, error) {
	p, err := s.Store.FindProfile(ctx, companyID)
	if nakamawashi.ErrorCode(err) == nakamawashi.ENOTFOUND {
		if _, err := s.Store.FindCompanyByID(ctx, companyID); err != nil {
			return nil, err
		}
		return &nakamawashi.Profile{CompanyID: companyID}, nil
	}
	return p, err
}

// companyShow loads everything a company page shows.
func (s *Server) companyShow(ctx context.Context, c *nakamawashi.Company) (*companyShowData, error) {
	d := &companyShowData{Company: c}
	var err error
	if d.Profile, err = s.findProfile(ctx, c.ID); err != nil {
		return nil, err
	}
	if d.Machines, err = s.Store.FindMachines(ctx, c.ID); err != nil {
		return nil, err
	}
	if d.Posts, _, err = s.Store.FindPosts(ctx, nakamawashi.PostFilter{CompanyID: &c.ID, Limit: postsOnPage}); err != nil {
		return nil, err
	}
	d.Entered = d.Profile.Latitude != nil && d.Profile.Longitude != nil
	d.Location, d.Known = nakamawashi.Location(c, d.Profile)
	a := nakamawashi.ActorFromContext(ctx)
	d.CanEdit, d.CanPost = a.Can(nakamawashi.PermProfileEdit, c.ID), a.Can(nakamawashi.PermPostWrite, c.ID)
	return d, nil
}

// profileForm holds the profile form's values as typed.
type profileForm struct {
	CompanyID      int64
	CompanyName    string
	Processes      []string
	Materials      []string
	Certifications []string
	LotSizes       []string
	CapacityHours  string
	HourlyRate     string
	Employees      string
	Latitude       string
	Longitude      string
}

func profileFormOf(c *nakamawashi.Company, p *nakamawashi.Profile) *profileForm {
	f := &profileForm{CompanyID: c.ID, CompanyName: c.Name, Processes: p.Processes, Materials: p.Materials,
		Certifications: p.Certifications}
	for _, l := range p.LotSizes {
		f.LotSizes = append(f.LotSizes, string(l))
	}
	itoaZero := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	f.CapacityHours, f.HourlyRate, f.Employees = itoaZero(p.CapacityHours), itoaZero(p.HourlyRate), itoaZero(p.Employees)
	if p.Latitude != nil && p.Longitude != nil {
		f.Latitude, f.Longitude = formatNum(*p.Latitude), formatNum(*p.Longitude)
	}
	return f
}

func profileFormFrom(r *gohttp.Request) *profileForm {
	v := r.PostFormValue
	return &profileForm{
		Processes: r.PostForm["processes"], Materials: r.PostForm["materials"],
		Certifications: r.PostForm["certifications"], LotSizes: r.PostForm["lot_sizes"],
		CapacityHours: v("capacity_hours"), HourlyRate: v("hourly_rate"), Employees: v("employees"),
		Latitude: v("latitude"), Longitude: v("longitude"),
	}
}

// profile parses the form into a profile, with the problems of its numbers.
func (f *profileForm) profile() (*nakamawashi.Profile, *numbers) {
	n := newNumbers()
	p := &nakamawashi.Profile{
		CompanyID: f.CompanyID, Processes: f.Processes, Materials: f.Materials, Certifications: f.Certifications,
		CapacityHours: n.int("capacity_hours", f.CapacityHours),
		HourlyRate:    n.int("hourly_rate", f.HourlyRate),
		Employees:     n.int("employees", f.Employees),
		Latitude:      n.optFloat("latitude", f.Latitude),
		Longitude:     n.optFloat("longitude", f.Longitude),
	}
	for _, l := range f.LotSizes {
		p.LotSizes = append(p.LotSizes, nakamawashi.LotSize(l))
	}
	return p, n
}

// handleProfileEdit shows the profile form to those who may edit it.
func (s *Server) handleProfileEdit(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermProfileEdit, id); err != nil {
		s.Error(w, r, err)
		return
	}
	c, err := s.Store.FindCompanyByID(ctx, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p, err := s.findProfile(ctx, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.renderProfileForm(w, r, gohttp.StatusOK, profileFormOf(c, p), nil)
}

// handleProfileUpdate saves the profile form; with errors the form comes
// back with the input and a message next to each wrong field.
func (s *Server) handleProfileUpdate(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermProfileEdit, id); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.parseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	c, err := s.Store.FindCompanyByID(ctx, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f := profileFormFrom(r)
	f.CompanyID, f.CompanyName = id, c.Name
	p, n := f.profile()
	if err := n.merge(p.Validate()); err != nil {
		s.renderProfileForm(w, r, 0, f, err)
		return
	}
	if err := s.Store.UpdateProfile(ctx, p); err != nil {
		s.renderProfileForm(w, r, 0, f, err)
		return
	}
	gohttp.Redirect(w, r, "/companies/"+itoa(id)+"?ok=saved#profile-processes", gohttp.StatusSeeOther)
}

func (s *Server) renderProfileForm(w gohttp.ResponseWriter, r *gohttp.Request, status int, f *profileForm, err error) {
	p := s.newPage(w, r, "ui.profile.edit_title")
	p.Form = f
	s.renderForm(w, r, status, "profile_form", p, err)
}
