package http

import (
	gohttp "net/http"

	"github.com/nakamawashi/nakamawashi"
)

// Quotes (見積書): drafted from the routings, sent to the customer, and
// accepted (the order) or rejected by it.

// apiQuoteDraft composes and stores a draft quote for an inquiry.
func (s *Server) apiQuoteDraft(w gohttp.ResponseWriter, r *gohttp.Request) {
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
	var in draftInput
	if err := s.decodeOptionalJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	if in.ValidDays < 0 || in.ValidDays > nakamawashi.MaxQuoteValidDays {
		s.Error(w, r, fieldError("valid_days", "err.range", 0, nakamawashi.MaxQuoteValidDays))
		return
	}
	q, err := s.draftQuote(ctx, id, in)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/quotes/"+itoa(q.ID))
	s.writeJSON(w, r, gohttp.StatusCreated, q)
}

// apiQuoteList lists the versions of an inquiry's quote.
func (s *Server) apiQuoteList(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	qs, err := s.Store.FindQuotes(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(qs, len(qs), 0, len(qs)))
}

// apiQuoteSend sends a draft to the customer and issues its 見積書.
func (s *Server) apiQuoteSend(w gohttp.ResponseWriter, r *gohttp.Request) {
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
	q, err := s.Store.SendQuote(ctx, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, q)
}

// apiQuoteAccept is the customer's order.
func (s *Server) apiQuoteAccept(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var in reasonBody
	if err := s.decodeOptionalJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	o, err := s.Store.AcceptQuote(r.Context(), id, in.text())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/orders/"+itoa(o.ID))
	s.writeJSON(w, r, gohttp.StatusCreated, o)
}
