package mtconnect

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

// ErrorEntry is one error of an MTConnectError document.
type ErrorEntry struct {
	Code    string // OUT_OF_RANGE, NO_DEVICE, INVALID_REQUEST…; may be empty
	Message string
}

// AgentError is an MTConnectError document: the agent refused the request.
// Status is the HTTP status it came with (0 when parsed from a reader).
type AgentError struct {
	Status int
	Header Header
	Errors []ErrorEntry
}

func (e *AgentError) Error() string {
	var b strings.Builder
	b.WriteString("mtconnect agent error")
	if e.Status != 0 {
		fmt.Fprintf(&b, " (http %d)", e.Status)
	}
	for i, x := range e.Errors {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(x.Code)
		if x.Message != "" {
			b.WriteString(" ")
			b.WriteString(x.Message)
		}
	}
	return b.String()
}

// Has reports whether the document carries an error with the code.
func (e *AgentError) Has(code string) bool {
	for _, x := range e.Errors {
		if strings.EqualFold(x.Code, code) {
			return true
		}
	}
	return false
}

func (e *AgentError) codes() string {
	var codes []string
	for _, x := range e.Errors {
		codes = append(codes, x.Code)
	}
	return strings.Join(codes, ", ")
}

// ParseError reads an MTConnectError document: the 1.0 form (one Error
// under the root), the 1.1–2.x form (Error elements under Errors) and the
// 2.6 form (OutOfRange, InvalidRequest… elements holding an ErrorMessage).
func ParseError(r io.Reader) (*AgentError, error) {
	d := newDecoder(r)
	ae, err := d.errorDocument("mtconnect.ParseError")
	if err != nil {
		return nil, err
	}
	return ae, nil
}

// errorDocument reads a document that must be an MTConnectError.
func (d *decoder) errorDocument(op string) (*AgentError, error) {
	for {
		tok, err := d.d.Token()
		if err != nil {
			if err == io.EOF {
				err = errors.New("no root element")
			}
			return nil, d.fail(op, err)
		}
		if t, ok := tok.(xml.StartElement); ok {
			if t.Name.Local != "MTConnectError" {
				return nil, d.fail(op, fmt.Errorf("root element is %s, want MTConnectError", t.Name.Local))
			}
			return d.errorBody(op)
		}
	}
}

// errorBody reads the rest of an MTConnectError document after its root.
func (d *decoder) errorBody(op string) (*AgentError, error) {
	ae := &AgentError{}
	var cur *ErrorEntry
	var curDepth int
	var text strings.Builder
	depth := 1
	for depth > 0 {
		tok, err := d.d.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, d.fail(op, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > MaxDepth {
				return nil, d.fail(op, fmt.Errorf("elements nested over %d deep", MaxDepth))
			}
			switch {
			case cur != nil:
			case depth == 2 && t.Name.Local == "Header":
				if err := readHeader(&ae.Header, t); err != nil {
					return nil, d.fail(op, err)
				}
			case (depth == 2 && t.Name.Local == "Error") || (depth == 3 && hasAttr(t, "errorCode")):
				ae.Errors = append(ae.Errors, ErrorEntry{Code: attr(t, "errorCode")})
				cur, curDepth = &ae.Errors[len(ae.Errors)-1], depth
				text.Reset()
			}
		case xml.CharData:
			// The message is the element's own text or, in 2.6, the text
			// of its ErrorMessage child.
			if cur != nil && depth <= curDepth+1 {
				text.Write(t)
			}
		case xml.EndElement:
			if cur != nil && depth == curDepth {
				cur.Message = strings.Join(strings.Fields(text.String()), " ")
				cur = nil
			}
			depth--
		}
	}
	return ae, nil
}

func hasAttr(t xml.StartElement, name string) bool {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return true
		}
	}
	return false
}

// agentFailure wraps an agent's error document in the application's error.
func agentFailure(op string, ae *AgentError) error {
	return &nakamawashi.Error{Code: nakamawashi.EUNAVAILABLE, Message: nakamawashi.Msg(msgAgent, ae.codes()), Op: op, Err: ae}
}
