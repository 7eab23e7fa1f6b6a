package http

import (
	gohttp "net/http"

	"github.com/nakamawashi/nakamawashi"
)

// ErrorStatus maps an application error code to its HTTP status. It is the
// one place where this mapping lives. Invalid input is 400 Bad Request, for
// JSON and forms alike (not 422): the client must change the request.
func ErrorStatus(code string) int {
	switch code {
	case nakamawashi.EINVALID:
		return gohttp.StatusBadRequest
	case nakamawashi.ENOTFOUND:
		return gohttp.StatusNotFound
	case nakamawashi.ECONFLICT:
		return gohttp.StatusConflict
	case nakamawashi.EUNAUTHORIZED:
		return gohttp.StatusUnauthorized
	case nakamawashi.EFORBIDDEN:
		return gohttp.StatusForbidden
	case nakamawashi.ETOOLARGE:
		return gohttp.StatusRequestEntityTooLarge
	case nakamawashi.ETOOMANY:
		return gohttp.StatusTooManyRequests
	case nakamawashi.EUNSUPPORTED:
		return gohttp.StatusUnsupportedMediaType
	case nakamawashi.EMETHOD:
		return gohttp.StatusMethodNotAllowed
	case nakamawashi.EUNAVAILABLE:
		return gohttp.StatusServiceUnavailable
	default:
		return gohttp.StatusInternalServerError
	}
}

// errorBody is the JSON shape of every API error:
// {"error":{"code":"invalid","message":"…","fields":{"name":"…"}}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// Error writes err to the client: as JSON on API routes, as a page in the
// caller's language elsewhere. Internal errors are logged with their cause
// and shown only as "something went wrong".
func (s *Server) Error(w gohttp.ResponseWriter, r *gohttp.Request, err error) {
	info := requestInfoFrom(r.Context())
	code := nakamawashi.ErrorCode(err)
	status := ErrorStatus(code)
	if isInternal(err) || status >= 500 {
		s.logger().Error("http error", "method", r.Method, "path", r.URL.Path, "route", info.route, "code", code, "err", err)
	}
	lang := info.lang
	if info.api {
		if status == gohttp.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="nakamawashi"`)
		}
		s.writeJSON(w, r, status, errorBody{Error: errorDetail{
			Code:    code,
			Message: nakamawashi.ErrorMessage(lang, err),
			Fields:  nakamawashi.ErrorFields(lang, err),
		}})
		return
	}
	if status == gohttp.StatusUnauthorized && info.actor == nil && r.Method == gohttp.MethodGet {
		gohttp.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), gohttp.StatusSeeOther)
		return
	}
	s.renderError(w, r, status, nakamawashi.ErrorMessage(lang, err))
}

// renderError renders the error page; if even that fails, plain text.
func (s *Server) renderError(w gohttp.ResponseWriter, r *gohttp.Request, status int, message string) {
	data := s.newPage(w, r, "ui.error.title")
	data.Status = status
	data.Message = message
	s.render(w, r, status, "error", data)
}
