package http

import (
	gohttp "net/http"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// A shop's pages: its step requests (見積依頼) with the answer form, and its
// work orders (注文) with the 請け button. The store shows a shop only what
// is addressed to it; another shop's request is not found.

// requestListPage is the data of the request inbox.
type requestListPage struct {
	Items   []*nakamawashi.Request
	Total   int
	Open    bool // only the requests that wait on an answer
	PrevURL string
	NextURL string
}

// handleRequestList is a shop's inbox of step requests, open ones first.
func (s *Server) handleRequestList(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	offset, limit, err := parsePage(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f := nakamawashi.RequestFilter{Offset: offset, Limit: limit}
	open := r.URL.Query().Get("open") == "1"
	if open {
		f.Status = []nakamawashi.RequestStatus{nakamawashi.RequestSent, nakamawashi.RequestAnswered}
	}
	items, total, err := s.Store.FindRequests(ctx, f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := &requestListPage{Items: items, Total: total, Open: open}
	d.PrevURL, d.NextURL = pageURLs(r, offset, limit, len(items), total)
	s.render(w, r, gohttp.StatusOK, "flow_requests", s.flowPage(w, r, "ui.flow.requests.title", d))
}

// answerForm is the answer form as typed.
type answerForm struct {
	PriceYen      string
	LeadDays      string
	EarliestStart string
	Note          string
	DeclineReason string
}

// requestPage is the data of a request's page.
type requestPage struct {
	Request  *nakamawashi.Request
	Inquiry  *nakamawashi.Inquiry // the inquiry, as far as the shop may see it
	Drawings []*nakamawashi.Drawing
	CanOpen  bool // the request takes answers now
	CanWork  bool
}

// handleRequestShow shows a step request with the drawing and the answer
// form.
func (s *Server) handleRequestShow(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.showRequest(w, r, id, gohttp.StatusOK, nil, nil)
}

func (s *Server) showRequest(w gohttp.ResponseWriter, r *gohttp.Request, id int64, status int, f *answerForm, formErr error) {
	ctx := r.Context()
	a := nakamawashi.ActorFromContext(ctx)
	rq, err := s.Store.FindRequestByID(ctx, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := &requestPage{Request: rq, CanOpen: rq.RequestOpenAt(time.Now()), CanWork: a.Can(nakamawashi.PermShopWork, rq.CompanyID)}
	// The drawings of the part: the shop reaches the inquiry's part only
	// through its request; when the store lets it read the inquiry, the
	// part's drawings are listed (each view is logged when opened).
	if q, err := s.Store.FindInquiryByID(ctx, rq.InquiryID); err == nil {
		d.Inquiry = q
		for _, pt := range q.Parts {
			for _, st := range pt.Steps {
				if st.ID == rq.StepID {
					d.Drawings = pt.Drawings
				}
			}
		}
	} else if c := nakamawashi.ErrorCode(err); c != nakamawashi.ENOTFOUND && c != nakamawashi.EFORBIDDEN {
		s.Error(w, r, err)
		return
	}
	if f == nil {
		f = &answerForm{}
		if an := rq.Answer; an != nil && !an.Declined {
			f.PriceYen, f.LeadDays = nakamawashi.FormatNumber(an.PriceYen), itoa(int64(an.LeadDays))
			f.EarliestStart, f.Note = an.EarliestStart.String(), an.Note
		} else {
			f.EarliestStart = nakamawashi.DateOf(time.Now()).AddWorkdays(1).String()
		}
	}
	p := s.flowPage(w, r, "ui.flow.request.title", d)
	p.Form = f
	s.renderForm(w, r, status, "flow_request", p, formErr)
}

// handleRequestAnswer records a shop's answer or refusal.
func (s *Server) handleRequestAnswer(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	id, v, err := s.idForm(w, r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f := &answerForm{PriceYen: strings.TrimSpace(v.Get("price_yen")), LeadDays: strings.TrimSpace(v.Get("lead_days")),
		EarliestStart: strings.TrimSpace(v.Get("earliest_start")), Note: v.Get("note"), DeclineReason: v.Get("decline_reason")}
	an := &nakamawashi.Answer{Declined: v.Get("decline") == "1", DeclineReason: f.DeclineReason, Note: f.Note}
	n := newNumbers()
	if !an.Declined {
		an.PriceYen = n.int64("price_yen", f.PriceYen)
		an.LeadDays = n.int("lead_days", f.LeadDays)
		an.EarliestStart = n.date("earliest_start", f.EarliestStart)
	}
	err = n.merge(an.Validate(nakamawashi.DateOf(time.Now())))
	if err == nil {
		_, err = s.Store.AnswerRequest(ctx, id, an)
	}
	ok := "answered"
	if an.Declined {
		ok = "declined"
	}
	s.afterForm(w, r, "/requests/"+i64s(id), ok, err, func(err error) { s.showRequest(w, r, id, 0, f, err) })
}

// workOrderListPage is the data of the work order list.
type workOrderListPage struct {
	Items   []*nakamawashi.WorkOrder
	Total   int
	Shop    bool
	PrevURL string
	NextURL string
}

// handleWorkOrderList lists a shop's work orders (注文), or every work
// order for the network office.
func (s *Server) handleWorkOrderList(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	a := nakamawashi.ActorFromContext(ctx)
	offset, limit, err := parsePage(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f := nakamawashi.WorkOrderFilter{Offset: offset, Limit: limit}
	if !isCoordinator(a) {
		f.CompanyID = a.CompanyID
	}
	items, total, err := s.Store.FindWorkOrders(ctx, f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := &workOrderListPage{Items: items, Total: total, Shop: isShop(a)}
	d.PrevURL, d.NextURL = pageURLs(r, offset, limit, len(items), total)
	s.render(w, r, gohttp.StatusOK, "flow_work_orders", s.flowPage(w, r, "ui.flow.work_orders.title", d))
}

// handleWorkOrderAccept is the shop's 請け.
func (s *Server) handleWorkOrderAccept(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if _, err := s.Store.AcceptWorkOrder(r.Context(), id); err != nil {
		s.Error(w, r, err)
		return
	}
	redirectOK(w, r, "/work-orders#wo-"+i64s(id), "wo_accepted")
}
