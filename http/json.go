package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	gohttp "net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nakamawashi/nakamawashi"
)

// maxJSONDepth bounds the nesting of objects and arrays in a request body.
// No request of the API nests deeper than a few levels.
const maxJSONDepth = 32

// decodeJSON reads the request body into dst. It is the one way API
// handlers read JSON, and it refuses, with a 4xx error and a catalog
// message: a content type other than application/json (415), a body over
// the limit (413), an empty body, invalid UTF-8, nesting deeper than
// maxJSONDepth, syntax errors, unknown fields, values of the wrong type and
// trailing data (all 400, naming the field where there is one).
func (s *Server) decodeJSON(w gohttp.ResponseWriter, r *gohttp.Request, dst any) error {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return nakamawashi.Errorf(nakamawashi.EUNSUPPORTED, "err.json.content_type")
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nakamawashi.Errorf(nakamawashi.EUNSUPPORTED, "err.json.content_type")
	}
	body, err := io.ReadAll(gohttp.MaxBytesReader(w, r.Body, s.maxBody()))
	if err != nil {
		var mbe *gohttp.MaxBytesError
		if errors.As(err, &mbe) {
			return nakamawashi.Errorf(nakamawashi.ETOOLARGE, "err.http.too_large", mbe.Limit)
		}
		return nakamawashi.Errorf(nakamawashi.EINVALID, "err.json.read")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nakamawashi.Errorf(nakamawashi.EINVALID, "err.json.empty")
	}
	if !utf8.Valid(body) {
		return nakamawashi.Errorf(nakamawashi.EINVALID, "err.json.utf8")
	}
	if jsonDepth(body) > maxJSONDepth {
		return nakamawashi.Errorf(nakamawashi.EINVALID, "err.json.depth", maxJSONDepth)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nakamawashi.Errorf(nakamawashi.EINVALID, "err.json.trailing")
	}
	return nil
}

// jsonError turns a decoding error into an EINVALID error with a catalog
// message, naming the field when the decoder does.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return nakamawashi.Errorf(nakamawashi.EINVALID, "err.json.syntax", syn.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return nakamawashi.Errorf(nakamawashi.EINVALID, "err.json.syntax", 0)
	case errors.As(err, &typ):
		field := jsonFieldPath(typ.Field)
		if field == "" {
			return nakamawashi.Errorf(nakamawashi.EINVALID, "err.json.body_type")
		}
		return &nakamawashi.Error{
			Code:    nakamawashi.EINVALID,
			Message: nakamawashi.Msg("err.json.field_type", field),
			Fields:  map[string]nakamawashi.Message{field: nakamawashi.Msg("err.json.type", jsonTypeName(typ.Type.Kind().String()))},
		}
	}
	const unknown = "json: unknown field "
	if msg := err.Error(); strings.HasPrefix(msg, unknown) {
		field, uerr := strconv.Unquote(strings.TrimPrefix(msg, unknown))
		if uerr != nil || !utf8.ValidString(field) {
			field = "?"
		}
		return &nakamawashi.Error{
			Code:    nakamawashi.EINVALID,
			Message: nakamawashi.Msg("err.json.unknown_field", field),
			Fields:  map[string]nakamawashi.Message{field: nakamawashi.Msg("err.json.unknown")},
		}
	}
	// Anything else the decoder refuses (a bad value for a typed string such
	// as a time) is still the client's input.
	return nakamawashi.Errorf(nakamawashi.EINVALID, "err.json.value")
}

// jsonFieldPath drops the names of embedded Go structs ("CompanyUpdate.name")
// from a decoder's field path: the API's JSON names are all lower case.
func jsonFieldPath(p string) string {
	parts := strings.Split(p, ".")
	out := parts[:0]
	for _, s := range parts {
		if s != "" && !(s[0] >= 'A' && s[0] <= 'Z') {
			out = append(out, s)
		}
	}
	return strings.Join(out, ".")
}

// jsonTypeName names a Go kind the way a JSON author thinks of it.
func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "struct", "map", "ptr":
		return "object"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "integer"
	case "float32", "float64":
		return "number"
	}
	return kind
}

// jsonDepth returns the deepest nesting of objects and arrays in data,
// skipping brackets inside strings. It does not validate.
func jsonDepth(data []byte) int {
	depth, max := 0, 0
	inString, escaped := false, false
	for _, c := range data {
		switch {
		case inString:
			if escaped {
				escaped = false
			} else if c == '\\' {
				escaped = true
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			if depth > max {
				max = depth
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return max
}

// writeJSON writes v as JSON with the given status.
func (s *Server) writeJSON(w gohttp.ResponseWriter, r *gohttp.Request, status int, v any) {
	// Encode before the status is written, so that a value that cannot be
	// encoded is a logged internal error rather than an empty 200.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		s.Error(w, r, nakamawashi.Internal("http.writeJSON", err))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// listBody is the JSON shape of every list.
type listBody[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

func newList[T any](items []T, total, offset, limit int) listBody[T] {
	if items == nil {
		items = []T{}
	}
	return listBody[T]{Items: items, Total: total, Offset: offset, Limit: limit}
}

// parseForm parses a urlencoded form under the body limit and refuses
// invalid UTF-8. It is idempotent.
func (s *Server) parseForm(w gohttp.ResponseWriter, r *gohttp.Request) error {
	if r.PostForm != nil {
		return nil
	}
	r.Body = gohttp.MaxBytesReader(w, r.Body, s.maxBody())
	if err := r.ParseForm(); err != nil {
		var mbe *gohttp.MaxBytesError
		if errors.As(err, &mbe) {
			return nakamawashi.Errorf(nakamawashi.ETOOLARGE, "err.http.too_large", mbe.Limit)
		}
		return nakamawashi.Errorf(nakamawashi.EINVALID, "err.http.form")
	}
	return validValues(r.Form)
}

// validValues refuses form names or values that are not UTF-8.
func validValues(form map[string][]string) error {
	for k, vs := range form {
		if !utf8.ValidString(k) {
			return nakamawashi.Errorf(nakamawashi.EINVALID, "err.json.utf8")
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return nakamawashi.Errorf(nakamawashi.EINVALID, "err.json.utf8")
			}
		}
	}
	return nil
}

// parseID parses a positive decimal id, strictly: digits only, no sign, no
// leading zero. A malformed id names nothing, so it is ENOTFOUND.
func parseID(s string) (int64, error) {
	notFound := nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.not_found")
	if s == "" || len(s) > 18 || s[0] == '0' {
		return 0, notFound
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, notFound
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, notFound
	}
	return id, nil
}

// pathID parses the path value name of r as an id.
func pathID(r *gohttp.Request, name string) (int64, error) { return parseID(r.PathValue(name)) }

// parsePage reads offset and limit from the query: non-negative integers,
// the limit capped by nakamawashi.PageLimit.
func parsePage(r *gohttp.Request) (offset, limit int, err error) {
	q := r.URL.Query()
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 || offset > 1<<30 {
			return 0, 0, invalidParam("offset")
		}
	}
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 0 {
			return 0, 0, invalidParam("limit")
		}
	}
	return offset, nakamawashi.PageLimit(limit), nil
}

// invalidParam is the error for a malformed query parameter.
func invalidParam(name string) error {
	return &nakamawashi.Error{
		Code:    nakamawashi.EINVALID,
		Message: nakamawashi.Msg("err.http.param", name),
		Fields:  map[string]nakamawashi.Message{name: nakamawashi.Msg("err.http.param", name)},
	}
}
