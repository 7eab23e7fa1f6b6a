package nakamawashi

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. Each code maps to one HTTP status in the http package, and
// nowhere else.
const (
	EINVALID      = "invalid"            // the input is wrong; the message says how
	ENOTFOUND     = "not_found"          // no such object, or not visible to the caller
	ECONFLICT     = "conflict"           // the object exists or is in a state that forbids this
	EUNAUTHORIZED = "unauthorized"       // not logged in, or the credentials are wrong
	EFORBIDDEN    = "forbidden"          // logged in, but the role does not allow it
	ETOOLARGE     = "too_large"          // the request body is over its limit
	ETOOMANY      = "too_many_requests"  // rate limited; try again later
	EUNSUPPORTED  = "unsupported_media"  // wrong content type
	EINTERNAL     = "internal"           // a fault on our side; details are logged, not shown
	EUNAVAILABLE  = "unavailable"        // a dependency is down
	EMETHOD       = "method_not_allowed" // wrong HTTP method
)

// Message is a user-facing text: a key into the message catalog and the
// arguments that fill its verbs. It is translated at the edge (HTTP, CLI,
// documents) into the reader's language.
type Message struct {
	Key  string
	Args []any
}

// Msg builds a Message.
func Msg(key string, args ...any) Message { return Message{Key: key, Args: args} }

// In renders the message in the given language.
func (m Message) In(lang Language) string { return Localize(lang, m.Key, m.Args...) }

// Error is the one error type of the application. Code says what kind of
// failure it is; Message says it to a person; Fields holds per-field messages
// for invalid input. Err keeps an underlying cause for the logs; it is never
// shown to users.
type Error struct {
	Code    string
	Message Message
	Fields  map[string]Message
	Op      string // the operation that failed, for logs, e.g. "sqlite.CreateCompany"
	Err     error  // the cause, for logs
}

// Error renders the error in English, for logs and for Go callers.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if e.Message.Key != "" {
		b.WriteString(e.Message.In(English))
	} else {
		b.WriteString(e.Code)
	}
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "; %s: %s", k, e.Fields[k].In(English))
		}
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and catalog message.
func Errorf(code, key string, args ...any) *Error {
	return &Error{Code: code, Message: Msg(key, args...)}
}

// Internal wraps an unexpected failure: the cause is kept for the logs and the
// user is told only that something went wrong on our side.
func Internal(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: EINTERNAL, Message: Msg("err.internal"), Op: op, Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err in the given language.
// The text of a non-application error is never shown: it may carry internals.
func ErrorMessage(lang Language, err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) && e.Code != EINTERNAL && e.Message.Key != "" {
		return e.Message.In(lang)
	}
	return Localize(lang, "err.internal")
}

// ErrorFields returns the per-field messages of err, translated.
func ErrorFields(lang Language, err error) map[string]string {
	var e *Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return nil
	}
	out := make(map[string]string, len(e.Fields))
	for k, m := range e.Fields {
		out[k] = m.In(lang)
	}
	return out
}

// Problems collects field errors during validation.
type Problems map[string]Message

// Add records a problem with a field; the first problem of a field wins.
func (p Problems) Add(field, key string, args ...any) {
	if _, ok := p[field]; !ok {
		p[field] = Msg(key, args...)
	}
}

// Err returns an EINVALID *Error holding the problems, or nil if none.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: Msg("err.invalid_fields"), Fields: map[string]Message(p)}
}
