package http

import (
	gohttp "net/http"

	"github.com/nakamawashi/nakamawashi"
)

// vocabularyResponse is the controlled vocabulary of profiles, searches
// and routings, with its version.
type vocabularyResponse struct {
	Version        string                      `json:"version"`
	ProcessGroups  []nakamawashi.ProcessGroup  `json:"process_groups"`
	Processes      []nakamawashi.Process       `json:"processes"`
	MaterialGroups []nakamawashi.ProcessGroup  `json:"material_groups"`
	Materials      []nakamawashi.Material      `json:"materials"`
	Certifications []nakamawashi.Certification `json:"certifications"`
	LotSizes       []nakamawashi.LotSize       `json:"lot_sizes"`
}

// apiVocabulary returns the vocabulary.
func (s *Server) apiVocabulary(w gohttp.ResponseWriter, r *gohttp.Request) {
	s.writeJSON(w, r, gohttp.StatusOK, vocabularyResponse{
		Version: nakamawashi.VocabularyVersion, ProcessGroups: nakamawashi.ProcessGroups, Processes: nakamawashi.Processes(),
		MaterialGroups: nakamawashi.MaterialGroups, Materials: nakamawashi.Materials(),
		Certifications: nakamawashi.Certifications(), LotSizes: nakamawashi.LotSizes,
	})
}

// apiSearch searches the directory, for those who may read it: a
// customer does not learn the partners' identities.
func (s *Server) apiSearch(w gohttp.ResponseWriter, r *gohttp.Request) {
	if !nakamawashi.ActorFromContext(r.Context()).CanNetwork(nakamawashi.PermDirectoryRead) {
		s.Error(w, r, nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden"))
		return
	}
	offset, limit, err := parsePage(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	sq, _, err := parseSearch(r.URL.Query())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	sq.Offset, sq.Limit = offset, limit
	res, err := s.Store.Search(r.Context(), sq)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(res.Hits, res.Total, offset, limit))
}

// apiProfileGet returns a company's profile.
func (s *Server) apiProfileGet(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p, err := s.findProfile(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, p)
}

// apiProfileUpdate replaces a company's profile.
func (s *Server) apiProfileUpdate(w gohttp.ResponseWriter, r *gohttp.Request) {
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
	var p nakamawashi.Profile
	if err := s.decodeJSON(w, r, &p); err != nil {
		s.Error(w, r, err)
		return
	}
	p.CompanyID = id
	if err := s.Store.UpdateProfile(ctx, &p); err != nil {
		s.Error(w, r, err)
		return
	}
	out, err := s.findProfile(ctx, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, out)
}

// apiMachineList lists a company's machines.
func (s *Server) apiMachineList(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ms, err := s.Store.FindMachines(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(ms, len(ms), 0, len(ms)))
}

// machineRequest is what a client writes of a machine.
type machineRequest struct {
	Process     string               `json:"process"`
	Maker       string               `json:"maker"`
	Model       string               `json:"model"`
	Count       int                  `json:"count"`
	Envelope    nakamawashi.Envelope `json:"envelope"`
	Axes        int                  `json:"axes"`
	ToleranceUM float64              `json:"tolerance_um"`
	RoughnessRa float64              `json:"roughness_ra"`
	Note        string               `json:"note"`
}

func (m machineRequest) machine(companyID, id int64) *nakamawashi.Machine {
	return &nakamawashi.Machine{ID: id, CompanyID: companyID, Process: m.Process, Maker: m.Maker, Model: m.Model,
		Count: m.Count, Envelope: m.Envelope, Axes: m.Axes, ToleranceUM: m.ToleranceUM, RoughnessRa: m.RoughnessRa, Note: m.Note}
}

// apiMachineCreate adds a machine to a company.
func (s *Server) apiMachineCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
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
	var in machineRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	m := in.machine(id, 0)
	if err := s.Store.CreateMachine(ctx, m); err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/companies/"+itoa(id)+"/machines/"+itoa(m.ID))
	s.writeJSON(w, r, gohttp.StatusCreated, m)
}

// apiMachineUpdate replaces a machine of the company in the path.
func (s *Server) apiMachineUpdate(w gohttp.ResponseWriter, r *gohttp.Request) {
	c, old, err := s.machineTarget(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var in machineRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	m := in.machine(c.ID, old.ID)
	if err := s.Store.UpdateMachine(r.Context(), m); err != nil {
		s.Error(w, r, err)
		return
	}
	if m, err = s.companyMachine(r.Context(), c.ID, old.ID); err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, m)
}

// apiMachineDelete deletes a machine of the company in the path.
func (s *Server) apiMachineDelete(w gohttp.ResponseWriter, r *gohttp.Request) {
	_, m, err := s.machineTarget(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.DeleteMachine(r.Context(), m.ID); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(gohttp.StatusNoContent)
}

// apiPostList lists a company's posts, newest first.
func (s *Server) apiPostList(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	offset, limit, err := parsePage(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	posts, total, err := s.Store.FindPosts(r.Context(), nakamawashi.PostFilter{CompanyID: &id, Offset: offset, Limit: limit})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(posts, total, offset, limit))
}

// postRequest is a post without photos, as JSON.
type postRequest struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// apiPostCreate writes a post: multipart/form-data with the fields title
// and body and up to MaxPhotosPerPost files in photos, or JSON without
// photos.
func (s *Server) apiPostCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
	c, err := s.postTarget(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var post *nakamawashi.Post
	if isMultipart(r) {
		post, err = s.readPost(w, r, c.ID)
	} else {
		var in postRequest
		if err = s.decodeJSON(w, r, &in); err == nil {
			post = &nakamawashi.Post{CompanyID: c.ID, Title: in.Title, Body: in.Body}
		}
	}
	if err == nil {
		err = s.createPost(r.Context(), post)
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/companies/"+itoa(c.ID)+"/posts/"+itoa(post.ID))
	s.writeJSON(w, r, gohttp.StatusCreated, post)
}

// apiPostDelete deletes a post of the company in the path.
func (s *Server) apiPostDelete(w gohttp.ResponseWriter, r *gohttp.Request) {
	c, err := s.postTarget(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	pid, err := pathID(r, "pid")
	if err == nil {
		err = s.companyHasPost(r.Context(), c.ID, pid)
	}
	if err == nil {
		err = s.Store.DeletePost(r.Context(), pid)
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(gohttp.StatusNoContent)
}
