package http

import (
	"context"
	gohttp "net/http"
	"strconv"

	"github.com/nakamawashi/nakamawashi"
)

// machineForm holds the machine form's values as typed.
type machineForm struct {
	CompanyID   int64
	CompanyName string
	ID          int64
	Process     string
	Maker       string
	Model       string
	Count       string
	Shape       string
	X, Y, Z     string
	D, L        string
	Axes        string
	ToleranceUM string
	RoughnessRa string
	Note        string
}

func machineFormOf(c *nakamawashi.Company, m *nakamawashi.Machine) *machineForm {
	num := func(f float64) string {
		if f == 0 {
			return ""
		}
		return formatNum(f)
	}
	f := &machineForm{CompanyID: c.ID, CompanyName: c.Name, Count: "1", Shape: string(nakamawashi.ShapeBox)}
	if m == nil {
		return f
	}
	e := m.Envelope
	f.ID, f.Process, f.Maker, f.Model, f.Count = m.ID, m.Process, m.Maker, m.Model, strconv.Itoa(m.Count)
	f.Shape, f.X, f.Y, f.Z, f.D, f.L = string(e.Shape), num(e.X), num(e.Y), num(e.Z), num(e.D), num(e.L)
	f.Axes, f.ToleranceUM, f.RoughnessRa, f.Note = strconv.Itoa(m.Axes), num(m.ToleranceUM), num(m.RoughnessRa), m.Note
	return f
}

func machineFormFrom(r *gohttp.Request) *machineForm {
	v := r.PostFormValue
	return &machineForm{
		Process: v("process"), Maker: v("maker"), Model: v("model"), Count: v("count"), Shape: v("shape"),
		X: v("envelope_x"), Y: v("envelope_y"), Z: v("envelope_z"), D: v("envelope_d"), L: v("envelope_l"),
		Axes: v("axes"), ToleranceUM: v("tolerance_um"), RoughnessRa: v("roughness_ra"), Note: v("note"),
	}
}

// machine parses the form, with the problems of its numbers.
func (f *machineForm) machine() (*nakamawashi.Machine, *numbers) {
	n := newNumbers()
	m := &nakamawashi.Machine{
		ID: f.ID, CompanyID: f.CompanyID, Process: f.Process, Maker: f.Maker, Model: f.Model,
		Count:       n.int("count", f.Count),
		Envelope:    n.envelope("envelope", f.Shape, f.X, f.Y, f.Z, f.D, f.L),
		Axes:        n.int("axes", f.Axes),
		ToleranceUM: n.float("tolerance_um", f.ToleranceUM),
		RoughnessRa: n.float("roughness_ra", f.RoughnessRa),
		Note:        f.Note,
	}
	return m, n
}

// companyMachine returns a machine of the company, or ENOTFOUND: a machine
// id of another company is not found under this one.
func (s *Server) companyMachine(ctx context.Context, companyID, id int64) (*nakamawashi.Machine, error) {
	ms, err := s.Store.FindMachines(ctx, companyID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.ID == id {
			return m, nil
		}
	}
	return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.machine.not_found")
}

// machineTarget authorizes the caller to edit the company in the path and
// loads the company and, when the path names one, its machine.
func (s *Server) machineTarget(r *gohttp.Request) (*nakamawashi.Company, *nakamawashi.Machine, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	ctx := r.Context()
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermProfileEdit, id); err != nil {
		return nil, nil, err
	}
	c, err := s.Store.FindCompanyByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if r.PathValue("mid") == "" {
		return c, nil, nil
	}
	mid, err := pathID(r, "mid")
	if err != nil {
		return nil, nil, err
	}
	m, err := s.companyMachine(ctx, id, mid)
	return c, m, err
}

// handleMachineNew shows an empty machine form.
func (s *Server) handleMachineNew(w gohttp.ResponseWriter, r *gohttp.Request) {
	c, _, err := s.machineTarget(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.renderMachineForm(w, r, gohttp.StatusOK, machineFormOf(c, nil), nil)
}

// handleMachineEdit shows a machine's form.
func (s *Server) handleMachineEdit(w gohttp.ResponseWriter, r *gohttp.Request) {
	c, m, err := s.machineTarget(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.renderMachineForm(w, r, gohttp.StatusOK, machineFormOf(c, m), nil)
}

// handleMachineSave creates a machine (no mid in the path) or updates one.
func (s *Server) handleMachineSave(w gohttp.ResponseWriter, r *gohttp.Request) {
	c, old, err := s.machineTarget(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.parseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	f := machineFormFrom(r)
	f.CompanyID, f.CompanyName = c.ID, c.Name
	if old != nil {
		f.ID = old.ID
	}
	m, n := f.machine()
	if err := n.merge(m.Validate()); err != nil {
		s.renderMachineForm(w, r, 0, f, err)
		return
	}
	if old == nil {
		err = s.Store.CreateMachine(r.Context(), m)
	} else {
		err = s.Store.UpdateMachine(r.Context(), m)
	}
	if err != nil {
		s.renderMachineForm(w, r, 0, f, err)
		return
	}
	gohttp.Redirect(w, r, "/companies/"+itoa(c.ID)+"?ok=saved#profile-machines", gohttp.StatusSeeOther)
}

// handleMachineDelete deletes a machine of the company in the path.
func (s *Server) handleMachineDelete(w gohttp.ResponseWriter, r *gohttp.Request) {
	c, m, err := s.machineTarget(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.DeleteMachine(r.Context(), m.ID); err != nil {
		s.Error(w, r, err)
		return
	}
	gohttp.Redirect(w, r, "/companies/"+itoa(c.ID)+"?ok=deleted#profile-machines", gohttp.StatusSeeOther)
}

func (s *Server) renderMachineForm(w gohttp.ResponseWriter, r *gohttp.Request, status int, f *machineForm, err error) {
	title := "ui.machine.new_title"
	if f.ID != 0 {
		title = "ui.machine.edit_title"
	}
	p := s.newPage(w, r, title)
	p.Form = f
	s.renderForm(w, r, status, "machine_form", p, err)
}
