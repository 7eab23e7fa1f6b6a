package http

import (
	"fmt"
	"html/template"
	gohttp "net/http"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// dayChart is one machine's day: its state bands, the shop's planned
// hours, the traveler scans at its company, and the totals.
type dayChart struct {
	Machine     nakamawashi.BoardMachine      `json:"machine"`
	Day         string                        `json:"day"` // YYYY-MM-DD, Japan
	Prev, Next  string                        `json:"-"`
	Intervals   []nakamawashi.StateInterval   `json:"intervals"`
	Planned     []daySpan                     `json:"planned"` // the shop calendar's working hours
	Seconds     map[string]int64              `json:"seconds"` // time in each state within the day (so far)
	Utilization *float64                      `json:"utilization"`
	Scans       []nakamawashi.CompanyLotEvent `json:"scans"` // only for the shop, the office and coordinators
	ShowScans   bool                          `json:"-"`
	SVG         template.HTML                 `json:"-"`
	Legend      []dayLegend                   `json:"-"`
}

// daySpan is a stretch of planned time.
type daySpan struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

type dayLegend struct {
	State    string
	Duration string
}

// parseDay reads ?date=YYYY-MM-DD as midnight in Japan; today without it.
func (s *Server) parseDay(r *gohttp.Request) (time.Time, error) {
	v := r.URL.Query().Get("date")
	if v == "" {
		return telemetry.Day(s.now()), nil
	}
	t, err := time.ParseInLocation("2006-01-02", v, jst)
	if err != nil {
		return time.Time{}, invalidParam("date")
	}
	return telemetry.Day(t), nil
}

// loadDay reads the day chart of the machine in the path.
func (s *Server) loadDay(r *gohttp.Request) (*dayChart, error) {
	mid, err := pathID(r, "mid")
	if err != nil {
		return nil, err
	}
	day, err := s.parseDay(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	end := day.AddDate(0, 0, 1)
	ms, err := s.Store.FindBoard(ctx, nakamawashi.BoardFilter{MachineID: mid, From: day, To: end})
	if err != nil {
		return nil, err
	}
	// A machine whose history is not shared with the caller is not there
	// for it: the board shows its state, not its day.
	if len(ms) != 1 || ms[0].View != nakamawashi.ShareUtilization {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.machine.not_found")
	}
	m := ms[0]
	now := s.now()
	until := end
	if now.Before(until) {
		until = now
	}
	c := &dayChart{Machine: *m, Day: day.Format("2006-01-02"), Prev: day.AddDate(0, 0, -1).Format("2006-01-02"),
		Intervals: m.Intervals, Seconds: map[string]int64{}, Scans: []nakamawashi.CompanyLotEvent{}}
	if c.Intervals == nil {
		c.Intervals = []nakamawashi.StateInterval{}
	}
	if end.Before(now) || end.Equal(now) {
		c.Next = end.Format("2006-01-02")
	}
	c.Machine.Intervals = nil
	if until.After(day) {
		ivs := toIntervals(m.Intervals, day, until)
		for _, iv := range ivs {
			c.Seconds[iv.State.String()] += int64(iv.Duration() / time.Second)
		}
		for _, sp := range telemetry.Planned(shopCalendar, day, day) {
			c.Planned = append(c.Planned, daySpan{sp.Start, sp.End})
		}
		u := telemetry.Utilize(ivs, planned(day, until))
		if u.Planned > 0 {
			r := u.Ratio()
			c.Utilization = &r
		}
	}
	if c.Planned == nil {
		c.Planned = []daySpan{}
	}
	a := nakamawashi.ActorFromContext(ctx)
	if a.Can(nakamawashi.PermTelemetryRead, m.Machine.CompanyID) {
		c.ShowScans = true
		if c.Scans, err = s.Store.FindCompanyLotEvents(ctx, m.Machine.CompanyID, day, end); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// handleMachineDay shows a machine's day chart.
func (s *Server) handleMachineDay(w gohttp.ResponseWriter, r *gohttp.Request) {
	c, err := s.loadDay(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p := s.newPage(w, r, "ui.board.day_title")
	day, _ := time.ParseInLocation("2006-01-02", c.Day, jst)
	c.SVG = daySVG(p.Lang, c, day, s.now())
	for _, st := range []string{"running", "setup", "idle", "alarm", "off"} {
		c.Legend = append(c.Legend, dayLegend{st, formatDuration(time.Duration(c.Seconds[st]) * time.Second)})
	}
	p.Data = c
	s.render(w, r, gohttp.StatusOK, "board_day", p)
}

func (s *Server) apiMachineDay(w gohttp.ResponseWriter, r *gohttp.Request) {
	c, err := s.loadDay(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, c)
}

func formatDuration(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	return fmt.Sprintf("%d:%02d", h, m)
}

// The day chart's geometry, in SVG user units.
const (
	svgWidth  = 960.0
	svgLeft   = 40.0
	svgRight  = 16.0
	svgBandY  = 24.0
	svgBandH  = 40.0
	svgPlanY  = 70.0
	svgPlanH  = 8.0
	svgScanY  = 100.0
	svgHeight = 140.0
)

// daySVG draws the day: the planned hours, a band per state interval, the
// hours, a mark per traveler scan and, for today, a line at now. Colours
// come from board.css through the classes (st-running, …): the CSP allows
// no inline styles.
func daySVG(lang nakamawashi.Language, c *dayChart, day, now time.Time) template.HTML {
	end := day.Add(24 * time.Hour)
	span := end.Sub(day).Seconds()
	x := func(t time.Time) float64 {
		if t.Before(day) {
			t = day
		} else if t.After(end) {
			t = end
		}
		return svgLeft + (svgWidth-svgLeft-svgRight)*t.Sub(day).Seconds()/span
	}
	var b strings.Builder
	esc := template.HTMLEscapeString
	fmt.Fprintf(&b, `<svg class="day-chart" id="day-chart" viewBox="0 0 %g %g" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		svgWidth, svgHeight, esc(nakamawashi.Localize(lang, "ui.board.day_chart", c.Day)))
	for _, p := range c.Planned {
		fmt.Fprintf(&b, `<rect class="plan" x="%.1f" y="%g" width="%.1f" height="%g"><title>%s</title></rect>`,
			x(p.Start), svgPlanY, x(p.End)-x(p.Start), svgPlanH,
			esc(nakamawashi.Localize(lang, "ui.board.planned")+" "+formatTime(p.Start, "15:04")+"–"+formatTime(p.End, "15:04")))
	}
	until := end
	if now.Before(until) {
		until = now
	}
	for _, iv := range c.Intervals {
		e := iv.End
		if e.IsZero() || e.After(until) {
			e = until
		}
		if !e.After(iv.Start) && !e.After(day) {
			continue
		}
		x0, x1 := x(iv.Start), x(e)
		if x1 <= x0 {
			continue
		}
		fmt.Fprintf(&b, `<rect class="band st-%s" data-state="%s" x="%.1f" y="%g" width="%.1f" height="%g"><title>%s %s–%s</title></rect>`,
			iv.State, iv.State, x0, svgBandY, x1-x0, svgBandH,
			esc(nakamawashi.Localize(lang, "telemetry.state."+iv.State)), formatTime(iv.Start, "15:04"), formatTime(e, "15:04"))
	}
	for h := 0; h <= 24; h += 2 {
		t := day.Add(time.Duration(h) * time.Hour)
		fmt.Fprintf(&b, `<line class="tick" x1="%.1f" y1="%g" x2="%.1f" y2="%g"/><text class="hour" x="%.1f" y="%g">%d</text>`,
			x(t), svgBandY-4, x(t), svgPlanY+svgPlanH+2, x(t), svgBandY-8, h)
	}
	if now.After(day) && now.Before(end) {
		fmt.Fprintf(&b, `<line class="now" x1="%.1f" y1="%g" x2="%.1f" y2="%g"/>`, x(now), svgBandY-6, x(now), svgScanY+24)
	}
	for _, e := range c.Scans {
		label := nakamawashi.Localize(lang, "flow.action."+string(e.Kind))
		fmt.Fprintf(&b, `<g class="scan scan-%s" data-lot="%s"><line x1="%.1f" y1="%g" x2="%.1f" y2="%g"/><circle cx="%.1f" cy="%g" r="5"/><title>%s %s %s %s</title></g>`,
			esc(string(e.Kind)), esc(e.LotNumber), x(e.At), svgPlanY+svgPlanH, x(e.At), svgScanY, x(e.At), svgScanY+6,
			formatTime(e.At, "15:04"), esc(e.LotNumber), esc(label), esc(e.UserName))
	}
	fmt.Fprintf(&b, `<text class="axis-label" x="2" y="%g">%s</text>`, svgBandY+svgBandH/2+4, esc(nakamawashi.Localize(lang, "ui.board.axis_state")))
	if c.ShowScans {
		fmt.Fprintf(&b, `<text class="axis-label" x="2" y="%g">%s</text>`, svgScanY+10, esc(nakamawashi.Localize(lang, "ui.board.axis_scans")))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
