package http

import (
	gohttp "net/http"

	"github.com/nakamawashi/nakamawashi"
)

// kindCount is one line of the dashboard's directory summary.
type kindCount struct {
	Kind  nakamawashi.CompanyKind
	Count int
}

// dashboardData is what the dashboard shows.
type dashboardData struct {
	Counts      []kindCount
	Total       int
	Memberships []*nakamawashi.Membership
	Events      []*nakamawashi.AuditEvent
	ShowAudit   bool
}

// handleDashboard greets the user and summarizes what the actor may see.
func (s *Server) handleDashboard(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	a := nakamawashi.ActorFromContext(ctx)
	d := &dashboardData{}
	for _, k := range nakamawashi.CompanyKinds {
		_, n, err := s.Store.FindCompanies(ctx, nakamawashi.CompanyFilter{Kind: k, Limit: 1})
		if err != nil {
			s.Error(w, r, err)
			return
		}
		d.Counts = append(d.Counts, kindCount{Kind: k, Count: n})
		d.Total += n
	}
	ms, err := s.Store.FindMemberships(ctx, nakamawashi.MembershipFilter{UserID: &a.UserID})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d.Memberships = ms
	if a.Can(nakamawashi.PermAuditRead, a.CompanyID) {
		events, _, err := s.recentAuditEvents(r, auditScope(a), 10)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		d.Events, d.ShowAudit = events, true
	}
	p := s.newPage(w, r, "ui.dashboard.title")
	p.Data = d
	s.render(w, r, gohttp.StatusOK, "dashboard", p)
}
