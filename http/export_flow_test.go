package http

import (
	"context"

	"github.com/nakamawashi/nakamawashi"
)

// DraftQuote composes and stores a draft quote as the API does.
func (s *Server) DraftQuote(ctx context.Context, inquiryID int64) (*nakamawashi.Quote, error) {
	return s.draftQuote(ctx, inquiryID, draftInput{})
}
