package nakamawashi

import (
	"bytes"
	"strings"
)

// SniffLen is how many of a file's first bytes SniffDrawing looks at.
const SniffLen = 512

// drawingKind is a kind of file accepted as a drawing.
type drawingKind struct {
	name        string // drawing.kind.<name> in the catalog
	contentType string
	exts        []string // lower case, with the dot; the first is the one to suggest
	match       func(head []byte) bool
}

var drawingKinds = []drawingKind{
	{"pdf", "application/pdf", []string{".pdf"}, prefix("%PDF-")},
	{"dxf", "image/vnd.dxf", []string{".dxf"}, isDXF},
	{"step", "model/step", []string{".step", ".stp", ".p21"}, isSTEP},
	{"png", "image/png", []string{".png"}, prefix("\x89PNG\r\n\x1a\n")},
	{"jpeg", "image/jpeg", []string{".jpg", ".jpeg", ".jpe"}, prefix("\xff\xd8\xff")},
	{"tiff", "image/tiff", []string{".tif", ".tiff"}, func(h []byte) bool {
		return bytes.HasPrefix(h, []byte("II*\x00")) || bytes.HasPrefix(h, []byte("MM\x00*"))
	}},
	{"gif", "image/gif", []string{".gif"}, func(h []byte) bool {
		return bytes.HasPrefix(h, []byte("GIF87a")) || bytes.HasPrefix(h, []byte("GIF89a"))
	}},
	{"webp", "image/webp", []string{".webp"}, func(h []byte) bool {
		return len(h) >= 12 && bytes.HasPrefix(h, []byte("RIFF")) && string(h[8:12]) == "WEBP"
	}},
}

// DrawingContentTypes lists the content types SniffDrawing returns.
func DrawingContentTypes() []string {
	out := make([]string, len(drawingKinds))
	for i, k := range drawingKinds {
		out[i] = k.contentType
	}
	return out
}

// SniffDrawing decides the content type of an uploaded drawing from its
// first bytes (SniffLen are enough; more are ignored), never from what the
// client claims, and checks that the file name's extension agrees, so that
// a file is served later as what it is. It accepts PDF, DXF (ASCII or
// binary), STEP and PNG, JPEG, TIFF, GIF and WebP images; anything else
// (programs, HTML, archives) is EUNSUPPORTED, and a name whose extension
// does not match the content is EINVALID with the extension to use.
func SniffDrawing(fileName string, head []byte) (contentType string, err error) {
	if len(head) > SniffLen {
		head = head[:SniffLen]
	}
	if len(head) == 0 {
		return "", Errorf(EINVALID, "err.drawing.empty")
	}
	for _, k := range drawingKinds {
		if !k.match(head) {
			continue
		}
		ext := extension(fileName)
		for _, e := range k.exts {
			if ext == e {
				return k.contentType, nil
			}
		}
		return "", Errorf(EINVALID, "err.drawing.extension", Msg("drawing.kind."+k.name), strings.Join(k.exts, " / "))
	}
	return "", Errorf(EUNSUPPORTED, "err.drawing.unsupported")
}

// extension returns the lower-case extension of the last element of a
// file name as a browser may send it (with / or \ separators).
func extension(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	i := strings.LastIndexByte(name, '.')
	if i <= 0 { // none, or a name that is only an extension (.pdf)
		return ""
	}
	return strings.ToLower(strings.TrimSpace(name[i:]))
}

func prefix(p string) func([]byte) bool {
	return func(h []byte) bool { return bytes.HasPrefix(h, []byte(p)) }
}

var utf8BOM = []byte("\xef\xbb\xbf")

// isSTEP recognizes an ISO 10303-21 exchange file (STEP).
func isSTEP(h []byte) bool {
	h = bytes.TrimLeft(bytes.TrimPrefix(h, utf8BOM), " \t\r\n")
	return bytes.HasPrefix(h, []byte("ISO-10303-21;"))
}

// isDXF recognizes a binary DXF by its sentinel, and an ASCII DXF by its
// first group: code 0 on a line of its own, then SECTION, after any 999
// comment groups.
func isDXF(h []byte) bool {
	if bytes.HasPrefix(h, []byte("AutoCAD Binary DXF\r\n\x1a\x00")) {
		return true
	}
	h = bytes.TrimPrefix(h, utf8BOM)
	for range 8 { // a few comment groups at most
		code, rest, ok := dxfLine(h)
		if !ok {
			return false
		}
		switch string(code) {
		case "0":
			value, _, _ := dxfLine(rest)
			return string(value) == "SECTION"
		case "999":
			if _, h, ok = dxfLine(rest); !ok {
				return false
			}
		default:
			return false
		}
	}
	return false
}

// dxfLine returns the first line of h without its surrounding spaces and
// line end, and the rest; ok is false when h holds no line end (line is
// then all of h).
func dxfLine(h []byte) (line, rest []byte, ok bool) {
	i := bytes.IndexByte(h, '\n')
	if i < 0 {
		return bytes.Trim(h, " \t\r"), nil, false
	}
	return bytes.Trim(h[:i], " \t\r"), h[i+1:], true
}
