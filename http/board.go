package http

import (
	"bytes"
	"context"
	"html/template"
	gohttp "net/http"
	"slices"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/schedule"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// boardStates are the machine states in the order boards count them;
// "unknown" is a machine no device has reported yet.
var boardStates = []string{"running", "setup", "idle", "alarm", "off", "unknown"}

// boardRow is one machine on a board.
type boardRow struct {
	ID          int64                        `json:"id"`
	CompanyID   int64                        `json:"company_id"`
	CompanyName string                       `json:"company_name"`
	Label       string                       `json:"label"`
	Process     string                       `json:"process"`
	Region      string                       `json:"region"`
	State       string                       `json:"state"` // one of boardStates
	Since       time.Time                    `json:"since,omitzero"`
	View        nakamawashi.TelemetrySharing `json:"view"`
	Utilization *float64                     `json:"utilization,omitempty"` // today's 稼働率 so far, with View utilization
	Own         bool                         `json:"-"`                     // the viewer may open its day chart
}

// boardCount is how many machines of a group are in each state.
type boardCount struct {
	Name   string         `json:"name"`
	Counts map[string]int `json:"counts"`
	Total  int            `json:"total"`
}

// boardData is a board: its machines and, for the network's, the counts.
type boardData struct {
	CompanyID   int64        `json:"company_id,omitempty"` // 0: the network's board
	CompanyName string       `json:"company_name,omitempty"`
	Day         time.Time    `json:"day"`
	Rows        []boardRow   `json:"machines"`
	Total       boardCount   `json:"total"`
	ByProcess   []boardCount `json:"by_process,omitempty"`
	ByRegion    []boardCount `json:"by_region,omitempty"`
	Events      string       `json:"-"`                     // the URL of its event stream
	Utilization *float64     `json:"utilization,omitempty"` // the company's 稼働率 today so far
}

// shopCalendar is the calendar boards plan the day by. Shops have no
// calendar of their own in the store yet: the typical small shop's
// (Monday to Friday 8:30–17:30 with breaks, Japanese holidays, お盆 and
// 年末年始).
var shopCalendar = schedule.StandardCalendar()

// now is the boards' clock.
func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// planned returns the planned spans of the day (from the shop calendar)
// up to until.
func planned(day, until time.Time) []telemetry.Span {
	var out []telemetry.Span
	for _, sp := range telemetry.Planned(shopCalendar, day, day) {
		if !sp.Start.Before(until) {
			continue
		}
		if sp.End.After(until) {
			sp.End = until
		}
		out = append(out, sp)
	}
	return out
}

// toIntervals clips stored intervals to [from, to), open ones ending at to.
func toIntervals(ivs []nakamawashi.StateInterval, from, to time.Time) []telemetry.Interval {
	var out []telemetry.Interval
	for _, iv := range ivs {
		st, err := telemetry.ParseState(iv.State)
		if err != nil {
			continue
		}
		start, end := iv.Start, iv.End
		if end.IsZero() || end.After(to) {
			end = to
		}
		if start.Before(from) {
			start = from
		}
		if end.After(start) {
			out = append(out, telemetry.Interval{State: st, Start: start, End: end})
		}
	}
	return out
}

// loadBoard reads a board: companyID's, or the network's with 0.
func (s *Server) loadBoard(ctx context.Context, companyID int64) (*boardData, error) {
	now := s.now()
	day := telemetry.Day(now)
	ms, err := s.Store.FindBoard(ctx, nakamawashi.BoardFilter{CompanyID: companyID, From: day, To: now.Add(time.Second)})
	if err != nil {
		return nil, err
	}
	a := nakamawashi.ActorFromContext(ctx)
	b := &boardData{CompanyID: companyID, Day: day, Rows: []boardRow{}, Total: boardCount{Counts: map[string]int{}}}
	if companyID != 0 {
		c, err := s.Store.FindCompanyByID(ctx, companyID)
		if err != nil {
			return nil, err
		}
		b.CompanyName = c.Name
	}
	plan := planned(day, now)
	var run, plannedAll time.Duration
	byProcess, byRegion := map[string]*boardCount{}, map[string]*boardCount{}
	for _, m := range ms {
		row := boardRow{ID: m.Machine.ID, CompanyID: m.Machine.CompanyID, CompanyName: m.CompanyName, Label: machineLabel(&m.Machine),
			Process: m.Machine.Process, Region: m.Region, State: "unknown", View: m.View,
			Own: a.Can(nakamawashi.PermTelemetryRead, m.Machine.CompanyID) || m.View == nakamawashi.ShareUtilization}
		if m.Current != nil {
			row.State, row.Since = m.Current.State, m.Current.Start
			if !m.Current.End.IsZero() && !m.Current.End.After(now) {
				row.State, row.Since = "off", m.Current.End
			}
		}
		if m.View == nakamawashi.ShareUtilization {
			u := telemetry.Utilize(toIntervals(m.Intervals, day, now), plan)
			r := u.Ratio()
			row.Utilization = &r
			run += u.Running
			plannedAll += u.Planned
		}
		b.Rows = append(b.Rows, row)
		b.Total.Counts[row.State]++
		b.Total.Total++
		for _, g := range []struct {
			m   map[string]*boardCount
			key string
		}{{byProcess, row.Process}, {byRegion, row.Region}} {
			c := g.m[g.key]
			if c == nil {
				c = &boardCount{Name: g.key, Counts: map[string]int{}}
				g.m[g.key] = c
			}
			c.Counts[row.State]++
			c.Total++
		}
	}
	if companyID != 0 && plannedAll > 0 {
		r := telemetry.Utilization{Running: run, Planned: plannedAll}.Ratio()
		b.Utilization = &r
	}
	if companyID == 0 {
		lang := a.Language
		for _, c := range byProcess {
			c.Name = processName(lang, c.Name)
			b.ByProcess = append(b.ByProcess, *c)
		}
		for _, c := range byRegion {
			b.ByRegion = append(b.ByRegion, *c)
		}
		byName := func(x, y boardCount) int {
			if x.Name < y.Name {
				return -1
			} else if x.Name > y.Name {
				return 1
			}
			return 0
		}
		slices.SortFunc(b.ByProcess, byName)
		slices.SortFunc(b.ByRegion, byName)
	}
	return b, nil
}

// boardFuncs are the template functions of the boards.
func boardFuncs(lang nakamawashi.Language) template.FuncMap {
	return template.FuncMap{
		"boardStates": func() []string { return boardStates },
		"stateName": func(st string) string {
			if st == "unknown" {
				return nakamawashi.Localize(lang, "ui.board.unknown")
			}
			return nakamawashi.Localize(lang, "telemetry.state."+st)
		},
		"percent": func(f *float64) string {
			if f == nil {
				return "—"
			}
			return formatPercent(*f)
		},
		"clock":           func(t time.Time) string { return formatTime(t, "15:04") },
		"lastSeen":        lastSeen,
		"mtconnectFields": mtconnectFields,
		"mtconnectValue":  mtconnectValue,
		"sinceText": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			if telemetry.Day(t).Equal(telemetry.Day(time.Now())) {
				return formatTime(t, "15:04")
			}
			return formatTime(t, "01/02 15:04")
		},
		"deviceKinds":  func() []nakamawashi.DeviceKind { return nakamawashi.DeviceKinds },
		"sharings":     func() []nakamawashi.TelemetrySharing { return nakamawashi.TelemetrySharings },
		"sharingKey":   func(l nakamawashi.TelemetrySharing) string { return "ui.sharing." + string(l) },
		"machineLabel": machineLabel,
	}
}

func formatPercent(f float64) string {
	return formatNum(float64(int(f*1000+0.5))/10) + "%"
}

// boardTemplate returns the board page's template, which defines the
// fragments the event stream sends.
func (s *Server) fragment(lang nakamawashi.Language, page, name string, data any) (string, error) {
	t := s.templates[lang][page]
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// boardCompany checks that the caller may see the board of the company in
// the path: its own people and the office, or anyone the company shares
// something with.
func (s *Server) boardCompany(r *gohttp.Request) (int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, err
	}
	a := nakamawashi.ActorFromContext(r.Context())
	if !a.Can(nakamawashi.PermCompanyRead, id) || !a.Can(nakamawashi.PermTelemetryRead, id) && !a.Can(nakamawashi.PermTelemetryShared, id) {
		return 0, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.company.not_found")
	}
	return id, nil
}

// handleCompanyBoard shows a shop's machine board.
func (s *Server) handleCompanyBoard(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, b, err := s.companyBoard(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	b.Events = "/companies/" + itoa(id) + "/board/events"
	p := s.newPage(w, r, "ui.board.company_title")
	p.Data = b
	s.render(w, r, gohttp.StatusOK, "board", p)
}

// handleNetworkBoard shows the network's board.
func (s *Server) handleNetworkBoard(w gohttp.ResponseWriter, r *gohttp.Request) {
	b, err := s.networkBoard(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	b.Events = "/board/events"
	p := s.newPage(w, r, "ui.board.network_title")
	p.Data = b
	s.render(w, r, gohttp.StatusOK, "board", p)
}

// companyBoard is the board of the company in the path, if the caller
// may see it.
func (s *Server) companyBoard(r *gohttp.Request) (int64, *boardData, error) {
	id, err := s.boardCompany(r)
	if err != nil {
		return 0, nil, err
	}
	b, err := s.loadBoard(r.Context(), id)
	return id, b, err
}

// networkBoard is the network's board, if the caller may see it.
func (s *Server) networkBoard(r *gohttp.Request) (*boardData, error) {
	if err := s.networkBoardAllowed(r); err != nil {
		return nil, err
	}
	return s.loadBoard(r.Context(), 0)
}

func (s *Server) networkBoardAllowed(r *gohttp.Request) error {
	a := nakamawashi.ActorFromContext(r.Context())
	if !a.CanNetwork(nakamawashi.PermTelemetryShared) && !a.CanNetwork(nakamawashi.PermTelemetryRead) {
		return nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden")
	}
	return nil
}

func (s *Server) apiCompanyBoard(w gohttp.ResponseWriter, r *gohttp.Request) {
	_, b, err := s.companyBoard(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, b)
}

func (s *Server) apiNetworkBoard(w gohttp.ResponseWriter, r *gohttp.Request) {
	b, err := s.networkBoard(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, b)
}
