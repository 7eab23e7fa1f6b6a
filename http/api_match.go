package http

import (
	gohttp "net/http"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/match"
)

// matchRequest asks for the best k chains for a routing.
type matchRequest struct {
	Routing match.Routing `json:"routing"`
	K       int           `json:"k"`
}

// apiMatch finds partner chains for a routing over the whole directory.
func (s *Server) apiMatch(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermMatch, 0); err != nil {
		s.Error(w, r, err)
		return
	}
	in := matchRequest{K: 5}
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	if in.K < 1 || in.K > 20 {
		s.Error(w, r, &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg("err.invalid_fields"),
			Fields: map[string]nakamawashi.Message{"k": nakamawashi.Msg("err.range", 1, 20)}})
		return
	}
	res, err := s.runMatch(ctx, &in.Routing, in.K)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, res)
}
