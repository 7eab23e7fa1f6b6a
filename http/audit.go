package http

import (
	"cmp"
	gohttp "net/http"
	"slices"
	"strconv"

	"github.com/nakamawashi/nakamawashi"
)

// auditData is what the audit page shows.
type auditData struct {
	Events       []*nakamawashi.AuditEvent
	Total        int
	Offset       int
	Limit        int
	PrevURL      string
	NextURL      string
	CanVerify    bool
	Verification *nakamawashi.AuditVerification
}

// auditScope returns the filter an actor's audit reads start from: the
// whole log for the network office, the own company's events otherwise.
func auditScope(a *nakamawashi.Actor) nakamawashi.AuditFilter {
	var f nakamawashi.AuditFilter
	if !a.CanNetwork(nakamawashi.PermAuditRead) {
		id := a.CompanyID
		f.CompanyID = &id
	}
	return f
}

// recentAuditEvents returns up to n of the newest events in filter, newest
// first.
func (s *Server) recentAuditEvents(r *gohttp.Request, filter nakamawashi.AuditFilter, n int) ([]*nakamawashi.AuditEvent, int, error) {
	filter.Offset, filter.Limit = 0, n
	events, total, err := s.Store.FindAuditEvents(r.Context(), filter)
	if err != nil {
		return nil, 0, err
	}
	events = slices.Clone(events)
	slices.SortFunc(events, func(a, b *nakamawashi.AuditEvent) int { return cmp.Compare(b.ID, a.ID) })
	return events, total, nil
}

// handleAuditList shows the audit log, newest first as the store lists it, scoped to what
// the actor may read.
func (s *Server) handleAuditList(w gohttp.ResponseWriter, r *gohttp.Request) {
	s.renderAudit(w, r, false)
}

// handleAuditVerify shows the audit log with the result of walking the whole
// chain; only the network office may.
func (s *Server) handleAuditVerify(w gohttp.ResponseWriter, r *gohttp.Request) {
	s.renderAudit(w, r, true)
}

func (s *Server) renderAudit(w gohttp.ResponseWriter, r *gohttp.Request, verify bool) {
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
	d := &auditData{Offset: offset, Limit: limit, CanVerify: a.CanNetwork(nakamawashi.PermAuditRead)}
	filter := auditScope(a)
	filter.Offset, filter.Limit = offset, limit
	if d.Events, d.Total, err = s.Store.FindAuditEvents(ctx, filter); err != nil {
		s.Error(w, r, err)
		return
	}
	if offset > 0 {
		d.PrevURL = "/audit?offset=" + strconv.Itoa(max(0, offset-limit))
	}
	if offset+len(d.Events) < d.Total {
		d.NextURL = "/audit?offset=" + strconv.Itoa(offset+limit)
	}
	if verify {
		if !d.CanVerify {
			s.Error(w, r, nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden"))
			return
		}
		if d.Verification, err = s.Store.VerifyAuditChain(ctx); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	p := s.newPage(w, r, "ui.audit.title")
	p.Data = d
	s.render(w, r, gohttp.StatusOK, "audit", p)
}
