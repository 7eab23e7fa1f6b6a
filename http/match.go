package http

import (
	"context"
	"errors"
	"fmt"
	gohttp "net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/match"
)

// matchRows is how many step rows the matching form has. A fixed number
// keeps the form a plain GET form, linkable and without script.
const matchRows = 6

// matchRow is one step row of the matching form, as typed.
type matchRow struct {
	No                             int
	Process, Material, Shape       string
	X, Y, Z, D, L, Tolerance, Cert string
}

// matchForm is the matching form, as typed.
type matchForm struct {
	Rows        []matchRow
	Quantity    string
	Due         string
	Origin      string
	Destination string
	K           string
	Companies   []*nakamawashi.Company // for the origin and destination selects
}

// matchExamples are routings the form can be filled with.
var matchExamples = map[string]func() *matchForm{
	"shaft": func() *matchForm {
		return exampleForm("20", 21,
			matchRow{Process: "turning.nc", Material: "S45C", Shape: "round", D: "30", L: "150", Tolerance: "10"},
			matchRow{Process: "heat.quench", Material: "S45C"},
			matchRow{Process: "grinding.cylindrical", Material: "S45C", Shape: "round", D: "30", L: "150", Tolerance: "3"},
			matchRow{Process: "plating.electroless_ni"},
			matchRow{Process: "inspection.cmm", Shape: "round", D: "30", L: "150"})
	},
	"bracket": func() *matchForm {
		return exampleForm("50", 14,
			matchRow{Process: "sheet.laser", Material: "SPCC", Shape: "box", X: "300", Y: "200", Z: "3"},
			matchRow{Process: "sheet.bending", Material: "SPCC", Shape: "box", X: "300", Y: "200", Z: "60"},
			matchRow{Process: "welding.tig", Material: "SPCC"},
			matchRow{Process: "painting"})
	},
	"volume": func() *matchForm {
		return exampleForm("5000", 30,
			matchRow{Process: "press", Material: "SPCC", Shape: "box", X: "100", Y: "60", Z: "2"},
			matchRow{Process: "plating.zinc"})
	},
}

// matchExampleNames orders the example buttons.
var matchExampleNames = []string{"shaft", "bracket", "volume"}

func exampleForm(qty string, days int, rows ...matchRow) *matchForm {
	f := &matchForm{Quantity: qty, K: "5", Due: time.Now().In(jst).AddDate(0, 0, days).Format("2006-01-02")}
	f.Rows = append(f.Rows, rows...)
	return f
}

// normalize numbers the rows and pads them to matchRows.
func (f *matchForm) normalize() {
	for len(f.Rows) < matchRows {
		f.Rows = append(f.Rows, matchRow{})
	}
	for i := range f.Rows {
		f.Rows[i].No = i + 1
	}
}

// matchFormFrom reads the form from the query.
func matchFormFrom(q url.Values) *matchForm {
	g := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	f := &matchForm{Quantity: g("quantity"), Due: g("due"), Origin: g("origin"), Destination: g("destination"), K: g("k")}
	for i := 1; i <= matchRows; i++ {
		n := strconv.Itoa(i)
		f.Rows = append(f.Rows, matchRow{
			Process: g("p" + n), Material: g("m" + n), Shape: g("shape" + n),
			X: g("x" + n), Y: g("y" + n), Z: g("z" + n), D: g("d" + n), L: g("l" + n),
			Tolerance: g("tol" + n), Cert: g("cert" + n),
		})
	}
	return f
}

// routing turns the form into a routing. Problems are named by the form:
// "row3" for anything of the third row, else the field.
func (s *Server) routing(ctx context.Context, f *matchForm) (*match.Routing, int, error) {
	n := newNumbers()
	rt := &match.Routing{Quantity: 1}
	var rows []int // the row of each step
	for _, row := range f.Rows {
		if row.Process == "" {
			continue
		}
		field := "row" + strconv.Itoa(row.No)
		st := match.Step{Process: row.Process, Material: row.Material, ToleranceUM: n.float(field, row.Tolerance)}
		if row.X+row.Y+row.Z+row.D+row.L != "" {
			if row.Shape == "" {
				n.pr.Add(field, "err.envelope.shape")
			}
			st.Part = n.envelope(field, row.Shape, row.X, row.Y, row.Z, row.D, row.L)
			for _, sub := range []string{"_x", "_y", "_z", "_d", "_l"} {
				if m, bad := n.pr[field+sub]; bad {
					n.pr.Add(field, m.Key, m.Args...)
					delete(n.pr, field+sub)
				}
			}
		}
		if row.Cert != "" {
			st.Certifications = []string{row.Cert}
		}
		rt.Steps = append(rt.Steps, st)
		rows = append(rows, row.No)
	}
	if f.Quantity != "" {
		rt.Quantity = n.int("quantity", f.Quantity)
	}
	k := 5
	if f.K != "" {
		if k = n.int("k", f.K); k < 1 || k > 20 {
			n.pr.Add("k", "err.range", 1, 20)
		}
	}
	if f.Due != "" {
		if d, err := time.ParseInLocation("2006-01-02", f.Due, jst); err != nil {
			n.pr.Add("due", "err.http.date")
		} else {
			rt.Due = d.Add(18 * time.Hour) // the end of the working day
		}
	}
	for _, p := range []struct {
		field, value string
		dst          **nakamawashi.LatLon
	}{{"origin", f.Origin, &rt.Origin}, {"destination", f.Destination, &rt.Destination}} {
		if p.value == "" {
			continue
		}
		ll, err := s.companyLocation(ctx, p.value)
		if err != nil {
			n.pr.Add(p.field, "err.company.not_found")
			continue
		}
		*p.dst = ll
	}
	err := rt.Validate()
	var e *nakamawashi.Error
	if errors.As(err, &e) {
		names := map[string]string{}
		for i, row := range rows {
			for _, sub := range []string{"process", "material", "certifications", "part", "tolerance_um", "roughness_ra", "setup_hours", "cycle_minutes"} {
				names[fmt.Sprintf("steps.%d.%s", i, sub)] = "row" + strconv.Itoa(row)
			}
		}
		err = renameFields(e, names)
	}
	return rt, k, n.merge(err)
}

// companyLocation returns where the company with the typed id is.
func (s *Server) companyLocation(ctx context.Context, id string) (*nakamawashi.LatLon, error) {
	cid, err := parseID(id)
	if err != nil {
		return nil, err
	}
	c, err := s.Store.FindCompanyByID(ctx, cid)
	if err != nil {
		return nil, err
	}
	p, err := s.findProfile(ctx, cid)
	if err != nil {
		return nil, err
	}
	ll, ok := nakamawashi.Location(c, p)
	if !ok {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.company.not_found")
	}
	return &ll, nil
}

// runMatch finds chains for a routing over every supplier offering one of
// its processes, or a process that covers one.
func (s *Server) runMatch(ctx context.Context, rt *match.Routing, k int) (*match.Result, error) {
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermMatch, 0); err != nil {
		return nil, err
	}
	if err := rt.Validate(); err != nil {
		return nil, err
	}
	var codes []string
	for _, st := range rt.Steps {
		for _, p := range nakamawashi.Processes() {
			if nakamawashi.ProcessSatisfies(p.Code, st.Process) && !slices.Contains(codes, p.Code) {
				codes = append(codes, p.Code)
			}
		}
	}
	sups, err := s.Store.FindSuppliers(ctx, codes)
	if err != nil {
		return nil, err
	}
	net := match.NewNetwork(match.FromSuppliers(sups, s.Network), match.DefaultTransport)
	return net.Match(ctx, rt, match.Options{K: k, Now: time.Now()})
}

// matchReasons orders the exclusion reasons, the least specific first.
var matchReasons = []match.Reason{match.ReasonProcess, match.ReasonMaterial, match.ReasonEnvelope, match.ReasonTolerance,
	match.ReasonRoughness, match.ReasonCertification, match.ReasonCapacity}

// matchNamesShown is how many excluded companies a step lists by name.
const matchNamesShown = 5

type (
	matchView struct {
		Chains []chainView
		Steps  []stepView
	}
	chainView struct {
		match.Chain
		Price float64 // processing and transport, yen
		Steps []chainStepView
	}
	chainStepView struct {
		match.ChainStep
		No      int
		Process string
	}
	stepView struct {
		No            int
		Process       string
		Eligible      int
		ExcludedTotal int
		Reasons       []reasonCount
		Excluded      []match.Exclusion
		More          int
	}
	reasonCount struct {
		Reason string
		Count  int
	}
)

// matchViewOf arranges a result for the page.
func matchViewOf(lang nakamawashi.Language, rt *match.Routing, res *match.Result) *matchView {
	v := &matchView{}
	name := func(step int) string {
		if step >= 0 && step < len(rt.Steps) {
			return processName(lang, rt.Steps[step].Process)
		}
		return ""
	}
	for _, ch := range res.Chains {
		cv := chainView{Chain: ch, Price: ch.Cost.PriceYen + ch.Cost.TransportYen}
		for _, st := range ch.Steps {
			cv.Steps = append(cv.Steps, chainStepView{ChainStep: st, No: st.Step + 1, Process: name(st.Step)})
		}
		v.Chains = append(v.Chains, cv)
	}
	for _, rep := range res.Steps {
		sv := stepView{No: rep.Step + 1, Process: name(rep.Step), Eligible: rep.Eligible, ExcludedTotal: rep.ExcludedTotal}
		for _, r := range matchReasons {
			if n := rep.ExcludedByReason[r]; n > 0 {
				sv.Reasons = append(sv.Reasons, reasonCount{string(r), n})
			}
		}
		sv.Excluded = rep.Excluded[:min(len(rep.Excluded), matchNamesShown)]
		sv.More = rep.ExcludedTotal - len(sv.Excluded)
		v.Steps = append(v.Steps, sv)
	}
	return v
}

// matchPage is what the matching page shows.
type matchPage struct {
	Examples []string
	Results  *matchView // nil until the form is run
	Ran      bool
}

// handleMatch is the coordinator's matching page: the routing form, filled
// from the query (so that results can be linked to) or from an example,
// and, when run, the best chains and why candidates were excluded.
func (s *Server) handleMatch(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermMatch, 0); err != nil {
		s.Error(w, r, err)
		return
	}
	q := r.URL.Query()
	f := matchFormFrom(q)
	if ex, ok := matchExamples[q.Get("example")]; ok {
		f = ex()
	} else if len(q) == 0 {
		// A first visit shows a worked example rather than a blank
		// routing: the coordinator edits it into the real one.
		f = matchExamples[matchExampleNames[0]]()
	}
	f.normalize()
	cs, _, err := s.Store.FindCompanies(ctx, nakamawashi.CompanyFilter{Limit: nakamawashi.MaxPageSize})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f.Companies = cs
	d := &matchPage{Examples: matchExampleNames}
	p := s.newPage(w, r, "ui.match.title")
	p.Form, p.Data = f, d
	if q.Get("run") == "" {
		s.render(w, r, gohttp.StatusOK, "match", p)
		return
	}
	rt, k, err := s.routing(ctx, f)
	if err == nil {
		var res *match.Result
		if res, err = s.runMatch(ctx, rt, k); err == nil {
			d.Results, d.Ran = matchViewOf(p.Lang, rt, res), true
		}
	}
	s.renderForm(w, r, gohttp.StatusOK, "match", p, err)
}
