package http

import (
	"context"
	"html/template"
	gohttp "net/http"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// decodeTarget has fields of every JSON shape the API reads.
type decodeTarget struct {
	nakamawashi.CompanyUpdate
	UserID    int64            `json:"user_id"`
	Role      nakamawashi.Role `json:"role"`
	Disabled  *bool            `json:"disabled"`
	ExpiresAt *time.Time       `json:"expires_at"`
	Tags      []string         `json:"tags"`
	Nested    *struct {
		Values []float64 `json:"values"`
	} `json:"nested"`
}

// DecodeJSONHandler returns a handler that reads its body with decodeJSON,
// answers errors through the one error mapper as an API route would, and
// echoes what it decoded.
func DecodeJSONHandler(maxBody int64) gohttp.Handler {
	s := NewServer()
	s.MaxBodyBytes = maxBody
	return gohttp.HandlerFunc(func(w gohttp.ResponseWriter, r *gohttp.Request) {
		info := &requestInfo{api: true, lang: s.anonymousLanguage(r, true), route: "test"}
		r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
		var dst decodeTarget
		if err := s.decodeJSON(w, r, &dst); err != nil {
			s.Error(w, r, err)
			return
		}
		s.writeJSON(w, r, gohttp.StatusOK, dst)
	})
}

// Templates returns every parsed page template, in every language.
func (s *Server) Templates() []*template.Template {
	var out []*template.Template
	for _, set := range s.templates {
		for _, t := range set {
			out = append(out, t)
		}
	}
	return out
}

// LocalPath exposes localPath.
var LocalPath = localPath
