package http

import (
	"context"
	gohttp "net/http"
	"slices"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/match"
)

// Step requests (見積依頼) and the shops' answers (手挙げ).

// requestsBody sends a step request: to the companies named, or, with
// open, to every shop eligible for the step in the best chains.
type requestsBody struct {
	CompanyIDs []int64   `json:"company_ids,omitempty"`
	Open       bool      `json:"open,omitempty"`
	InquiryID  int64     `json:"inquiry_id,omitempty"` // with open: the step's inquiry
	Deadline   time.Time `json:"deadline,omitzero"`
	Message    string    `json:"message,omitempty"`
}

// openChains is how many chains an open request looks through for shops.
const openChains = 20

// apiRequestsSend sends a step request to shops.
func (s *Server) apiRequestsSend(w gohttp.ResponseWriter, r *gohttp.Request) {
	stepID, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCoordinate, 0); err != nil {
		s.Error(w, r, err)
		return
	}
	var in requestsBody
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	ids := in.CompanyIDs
	if in.Open {
		if len(ids) > 0 {
			s.Error(w, r, fieldError("company_ids", "err.flowapi.open_or_companies"))
			return
		}
		if in.InquiryID == 0 {
			s.Error(w, r, fieldError("inquiry_id", "err.required"))
			return
		}
		if ids, err = s.openRequestShops(ctx, in.InquiryID, stepID); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	out, err := s.Store.SendRequests(ctx, &nakamawashi.SendRequests{StepID: stepID, CompanyIDs: ids, Deadline: in.Deadline, Message: in.Message})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusCreated, newList(out, len(out), 0, len(out)))
}

// openRequestShops returns the shops an open request goes to: the
// companies of the step in the best chains of its part's routing, best
// first, at most MaxRequestsPerStep.
func (s *Server) openRequestShops(ctx context.Context, inquiryID, stepID int64) ([]int64, error) {
	q, err := s.Store.FindInquiryByID(ctx, inquiryID)
	if err != nil {
		return nil, err
	}
	for _, p := range q.Parts {
		for i, st := range p.Steps {
			if st.ID != stepID {
				continue
			}
			rt, err := s.partRouting(ctx, q, p)
			if err != nil {
				return nil, err
			}
			res, err := s.runMatch(ctx, rt, openChains)
			if err != nil {
				return nil, err
			}
			ids := shopsOfStep(res, i)
			if len(ids) == 0 {
				return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.flowapi.no_shop", p.Name, st.Seq,
					processName(languageOf(nakamawashi.ActorFromContext(ctx)), st.Process))
			}
			return ids, nil
		}
	}
	return nil, fieldError("inquiry_id", "err.flowapi.step_not_in_inquiry")
}

// shopsOfStep lists the companies of step i across the chains, best first.
func shopsOfStep(res *match.Result, i int) []int64 {
	var ids []int64
	for _, ch := range res.Chains {
		if i < len(ch.Steps) && !slices.Contains(ids, ch.Steps[i].CompanyID) {
			ids = append(ids, ch.Steps[i].CompanyID)
			if len(ids) == nakamawashi.MaxRequestsPerStep {
				break
			}
		}
	}
	return ids
}

// apiRequestList lists the step requests the caller may see: a shop its
// own, the office every one.
func (s *Server) apiRequestList(w gohttp.ResponseWriter, r *gohttp.Request) {
	offset, limit, err := parsePage(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f := nakamawashi.RequestFilter{Offset: offset, Limit: limit}
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"inquiry_id", &f.InquiryID}, {"step_id", &f.StepID}, {"company_id", &f.CompanyID}} {
		if *p.dst, err = queryID(r, p.name); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	if f.Status, err = queryStatuses[nakamawashi.RequestStatus](r, nakamawashi.EntityRequest); err != nil {
		s.Error(w, r, err)
		return
	}
	rs, total, err := s.Store.FindRequests(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(rs, total, offset, limit))
}

// answerBody is a shop's answer to a step request, or its refusal.
type answerBody struct {
	PriceYen      int64            `json:"price_yen,omitempty"`
	LeadDays      int              `json:"lead_days,omitempty"`
	EarliestStart nakamawashi.Date `json:"earliest_start,omitzero"`
	Note          string           `json:"note,omitempty"`
	Declined      bool             `json:"declined,omitempty"`
	DeclineReason string           `json:"decline_reason,omitempty"`
}

// apiRequestAnswer records a shop's answer.
func (s *Server) apiRequestAnswer(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	if _, _, err := nakamawashi.Scope(ctx, nakamawashi.PermShopWork); err != nil {
		s.Error(w, r, err)
		return
	}
	var in answerBody
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	a := &nakamawashi.Answer{PriceYen: in.PriceYen, LeadDays: in.LeadDays, EarliestStart: in.EarliestStart, Note: in.Note,
		Declined: in.Declined, DeclineReason: in.DeclineReason}
	req, err := s.Store.AnswerRequest(ctx, id, a)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, req)
}

// apiRequestWithdraw withdraws an open step request.
func (s *Server) apiRequestWithdraw(w gohttp.ResponseWriter, r *gohttp.Request) {
	s.requestAction(w, r, s.Store.WithdrawRequest)
}

// apiRequestChoose makes an answered request's shop the step's shop.
func (s *Server) apiRequestChoose(w gohttp.ResponseWriter, r *gohttp.Request) {
	s.requestAction(w, r, s.Store.ChooseAnswer)
}

// requestAction runs a coordinator's action on a request and returns the
// request as it is afterwards.
func (s *Server) requestAction(w gohttp.ResponseWriter, r *gohttp.Request, act func(context.Context, int64) error) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCoordinate, 0); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := act(ctx, id); err != nil {
		s.Error(w, r, err)
		return
	}
	req, err := s.Store.FindRequestByID(ctx, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, req)
}
