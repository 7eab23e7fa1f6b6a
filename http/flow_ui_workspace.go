package http

import (
	"context"
	gohttp "net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/match"
)

// The coordinator's inquiry workspace: the routing of each part, the chains
// chain matching suggests for it, the step requests to shops and the choice
// among their answers. The quote is drafted in flow_ui_quote.go.

// chainsView is what chain matching suggests for a part: the best chains,
// and per step the shops found in them, to send requests to.
type chainsView struct {
	PartID     int64
	Chains     []chainView
	Candidates []stepCandidates
	Deadline   string // the default deadline, as the form shows it
	Err        string // why there are no chains, translated
}

// stepCandidates are the shops offered for one step, best first; the
// first few are checked.
type stepCandidates struct {
	Step      *nakamawashi.Step
	Shops     []candidate
	Others    []candidate // other shops that offer the process, unchecked
	Requested bool        // requests for the step were sent already
}

type candidate struct {
	ID      int64
	Name    string
	Checked bool
}

// candidatesChecked is how many shops of a step are checked by default.
const candidatesChecked = 3

// chainsOf runs chain matching for a part of an inquiry.
func (s *Server) chainsOf(ctx context.Context, lang nakamawashi.Language, q *nakamawashi.Inquiry, pt *nakamawashi.Part, requests map[int64][]*nakamawashi.Request) *chainsView {
	cv := &chainsView{PartID: pt.ID, Deadline: time.Now().In(jst).Add(nakamawashi.DefaultRequestHours * time.Hour).Format("2006-01-02T15:04")}
	if len(pt.Steps) == 0 {
		return cv
	}
	rt, err := s.partRouting(ctx, q, pt)
	var res *match.Result
	if err == nil {
		res, err = s.runMatch(ctx, rt, 5)
	}
	if err != nil {
		cv.Err = nakamawashi.ErrorMessage(lang, err)
		if isInternal(err) {
			s.logger().Error("chains of a part", "part", pt.ID, "err", err)
		}
		return cv
	}
	mv := matchViewOf(lang, rt, res)
	cv.Chains = mv.Chains
	for i, st := range pt.Steps {
		sc := stepCandidates{Step: st, Requested: len(requests[st.ID]) > 0}
		seen := map[int64]bool{}
		for _, ch := range res.Chains {
			for _, cs := range ch.Steps {
				if cs.Step == i && !seen[cs.CompanyID] {
					seen[cs.CompanyID] = true
					sc.Shops = append(sc.Shops, candidate{ID: cs.CompanyID, Name: cs.CompanyName, Checked: len(sc.Shops) < candidatesChecked})
				}
			}
		}
		if sups, err := s.Store.FindSuppliers(ctx, []string{st.Process}); err == nil {
			for _, sp := range sups {
				if c := sp.Company; c != nil && !seen[c.ID] && c.Kind.Supplier() {
					seen[c.ID] = true
					sc.Others = append(sc.Others, candidate{ID: c.ID, Name: c.Name})
				}
			}
		}
		cv.Candidates = append(cv.Candidates, sc)
	}
	return cv
}

// handlePartChains answers the workspace's request for a part's chains
// (an htmx fragment; the whole page with the chains without htmx).
func (s *Server) handlePartChains(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	a := nakamawashi.ActorFromContext(ctx)
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCoordinate, 0); err != nil {
		s.Error(w, r, err)
		return
	}
	inqID, err := pathID(r, "id")
	var partID int64
	if err == nil {
		partID, err = pathID(r, "pid")
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d, err := s.inquiryPageData(ctx, a, inqID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	pt := findPart(d.Inquiry, partID)
	if pt == nil {
		s.Error(w, r, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.not_found"))
		return
	}
	p := s.newPage(w, r, "ui.flow.inquiry.title")
	d.Chains = map[int64]*chainsView{pt.ID: s.chainsOf(ctx, p.Lang, d.Inquiry, pt, d.Requests)}
	p.Data = d
	if r.Header.Get("HX-Request") == "" {
		s.render(w, r, gohttp.StatusOK, "flow_inquiry", p)
		return
	}
	s.renderFragment(w, r, "flow_inquiry", "chains", d.Chains[pt.ID], p)
}

// fragment is the data of a fragment template: the page's language
// functions reach it through Page.
type fragment struct {
	Page *page
	Data any
}

// renderFragment executes one named template of a page, without the
// layout, for htmx.
func (s *Server) renderFragment(w gohttp.ResponseWriter, r *gohttp.Request, name, block string, data any, p *page) {
	t := s.templates[p.Lang][name]
	var buf strings.Builder
	if t == nil {
		s.Error(w, r, nakamawashi.Errorf(nakamawashi.EINTERNAL, "err.internal"))
		return
	}
	if err := t.ExecuteTemplate(&buf, block, fragment{Page: p, Data: data}); err != nil {
		s.logger().Error("render fragment", "name", name, "block", block, "err", err)
		s.Error(w, r, nakamawashi.Errorf(nakamawashi.EINTERNAL, "err.internal"))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(buf.String()))
}

// findPart loads the inquiry of the part in the path and the part.
func (s *Server) findPart(r *gohttp.Request) (*nakamawashi.Inquiry, *nakamawashi.Part, error) {
	inqID, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	partID, err := pathID(r, "pid")
	if err != nil {
		return nil, nil, err
	}
	q, err := s.Store.FindInquiryByID(r.Context(), inqID)
	if err != nil {
		return nil, nil, err
	}
	pt := findPart(q, partID)
	if pt == nil {
		return nil, nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.not_found")
	}
	return q, pt, nil
}

// handleRoutingSave replaces a part's routing: from a template, or from
// the editor's rows.
func (s *Server) handleRoutingSave(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	q, pt, err := s.findPart(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	v, err := s.flowForm(w, r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var steps []nakamawashi.StepInput
	if tid := v.Get("template_id"); tid != "" && v.Get("use") == "template" {
		id, err := parseID(tid)
		if err != nil {
			s.afterAction(w, r, q.ID, "", "", invalidParam("template_id"))
			return
		}
		ts, err := s.Store.FindRoutingTemplates(ctx)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		for _, t := range ts {
			if t.ID == id {
				steps = slices.Clone(t.Steps)
			}
		}
		if steps == nil {
			s.afterAction(w, r, q.ID, "", "", invalidParam("template_id"))
			return
		}
	} else {
		var rows []int
		for i := 1; i <= max(routingRows, len(pt.Steps)+2); i++ {
			n := strconv.Itoa(i)
			proc := strings.TrimSpace(v.Get("process_" + n))
			if proc == "" {
				continue
			}
			steps = append(steps, nakamawashi.StepInput{Process: proc, Requirements: v.Get("requirements_" + n)})
			rows = append(rows, i)
		}
		if err := nakamawashi.ValidateRouting(steps); err != nil {
			names := map[string]string{"steps": "process_1"}
			for k, row := range rows {
				for _, sub := range []string{"process", "requirements"} {
					names["steps."+strconv.Itoa(k)+"."+sub] = sub + "_" + strconv.Itoa(row)
				}
			}
			if e, ok := err.(*nakamawashi.Error); ok {
				err = renameFields(e, names)
			}
			s.afterAction(w, r, q.ID, "", "", err)
			return
		}
	}
	_, err = s.Store.SetRouting(ctx, pt.ID, steps)
	s.afterAction(w, r, q.ID, "/inquiries/"+i64s(q.ID)+"#part-"+i64s(pt.ID), "routing", err)
}

// handleRequestsSend sends the requests checked for a part's steps, one
// step after the other.
func (s *Server) handleRequestsSend(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	q, pt, err := s.findPart(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	v, err := s.flowForm(w, r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var deadline time.Time
	if dl := strings.TrimSpace(v.Get("deadline")); dl != "" {
		t, perr := time.ParseInLocation("2006-01-02T15:04", nakamawashi.NormalizeWidth(dl), jst)
		if perr != nil {
			if d, derr := nakamawashi.ParseDate(dl); derr == nil {
				t, perr = time.Date(d.Time().Year(), d.Time().Month(), d.Time().Day(), 17, 0, 0, 0, jst), nil
			}
		}
		if perr != nil {
			s.afterAction(w, r, q.ID, "", "", fieldError("deadline", "err.date"))
			return
		}
		deadline = t
	}
	sent := 0
	for _, st := range pt.Steps {
		cids, err := ids(v["step_"+i64s(st.ID)])
		if err != nil {
			s.Error(w, r, err)
			return
		}
		if len(cids) == 0 {
			continue
		}
		in := &nakamawashi.SendRequests{StepID: st.ID, CompanyIDs: cids, Deadline: deadline, Message: v.Get("message")}
		if err := in.Validate(time.Now()); err != nil {
			s.afterAction(w, r, q.ID, "", "", err)
			return
		}
		if _, err := s.Store.SendRequests(ctx, in); err != nil {
			s.afterAction(w, r, q.ID, "", "", err)
			return
		}
		sent++
	}
	if sent == 0 {
		s.afterAction(w, r, q.ID, "", "", fieldError("company_ids", "err.flow.companies_required"))
		return
	}
	redirectOK(w, r, "/inquiries/"+i64s(q.ID)+"#part-"+i64s(pt.ID), "requests")
}

// handleRequestAction chooses (採用) or withdraws a request, from the
// workspace.
func (s *Server) handleRequestAction(choose bool) gohttp.HandlerFunc {
	return func(w gohttp.ResponseWriter, r *gohttp.Request) {
		ctx := r.Context()
		id, err := pathID(r, "id")
		if err != nil {
			s.Error(w, r, err)
			return
		}
		if err := nakamawashi.Authorize(ctx, nakamawashi.PermCoordinate, 0); err != nil {
			s.Error(w, r, err)
			return
		}
		rq, err := s.Store.FindRequestByID(ctx, id)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		ok := "withdrawn"
		if choose {
			ok, err = "chosen", s.Store.ChooseAnswer(ctx, id)
		} else {
			err = s.Store.WithdrawRequest(ctx, id)
		}
		s.afterAction(w, r, rq.InquiryID, "/inquiries/"+i64s(rq.InquiryID)+"#step-"+i64s(rq.StepID), ok, err)
	}
}

// handleQuoteSend sends a draft quote to the customer.
func (s *Server) handleQuoteSend(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	qt, err := s.Store.FindQuoteByID(ctx, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	_, err = s.Store.SendQuote(ctx, id)
	s.afterAction(w, r, qt.InquiryID, "/inquiries/"+i64s(qt.InquiryID)+"#quotes", "quote_sent", err)
}
