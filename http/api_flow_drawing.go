package http

import (
	"context"
	"io"
	"mime/multipart"
	gohttp "net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nakamawashi/nakamawashi"
)

// Drawings: uploaded as multipart/form-data, typed from their first bytes,
// kept content-addressed in the BlobStore, and served only after the store
// has authorized and recorded the view.

// maxDrawingUpload is the body limit of a drawing upload: one drawing at
// its largest plus room for the note and the multipart framing.
const maxDrawingUpload = nakamawashi.MaxDrawingBytes + 1<<20

// maxInquiryUpload is the body limit of a new inquiry from the form: a
// drawing at its largest for each part row, plus room for the rest.
const maxInquiryUpload = inquiryPartRows*nakamawashi.MaxDrawingBytes + 1<<20

// drawingTooLarge is what a drawing over the limit is told.
func drawingTooLarge() error {
	return nakamawashi.Errorf(nakamawashi.ETOOLARGE, "err.flowapi.drawing_too_large", nakamawashi.MaxDrawingBytes>>20)
}

// checkDrawingFile checks an uploaded drawing before anything is stored:
// its size, its name, and its kind, read from its first bytes (the
// extension must agree). It returns the cleaned name and the content type.
func checkDrawingFile(fh *multipart.FileHeader) (name, ctype string, err error) {
	if fh.Size > nakamawashi.MaxDrawingBytes {
		return "", "", drawingTooLarge()
	}
	name = baseName(fh.Filename)
	if name == "" || len(name) > 255 || !utf8.ValidString(name) {
		return "", "", nakamawashi.Errorf(nakamawashi.EINVALID, "err.flowapi.file_name")
	}
	f, err := fh.Open()
	if err != nil {
		return "", "", nakamawashi.Errorf(nakamawashi.EINVALID, "err.flowapi.file_read")
	}
	defer f.Close()
	head := make([]byte, nakamawashi.SniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", "", nakamawashi.Errorf(nakamawashi.EINVALID, "err.flowapi.file_read")
	}
	ctype, err = nakamawashi.SniffDrawing(name, head[:n])
	return name, ctype, err
}

// saveDrawing is the one way a drawing comes in, from the API and from the
// pages: it checks the uploaded file, makes its content durable in the
// blob store, then records it as a new drawing of a part (drawingID 0) or
// the next version of drawingID.
func (s *Server) saveDrawing(ctx context.Context, fh *multipart.FileHeader, partID, drawingID int64, note string) (*nakamawashi.Drawing, error) {
	blobs, err := s.blobs()
	if err != nil {
		return nil, err
	}
	name, ctype, err := checkDrawingFile(fh)
	if err != nil {
		return nil, err
	}
	f, err := fh.Open()
	if err != nil {
		return nil, nakamawashi.Errorf(nakamawashi.EINVALID, "err.flowapi.file_read")
	}
	defer f.Close()
	sha, size, err := blobs.Put(ctx, f, nakamawashi.MaxDrawingBytes)
	if err != nil {
		return nil, err
	}
	v := &nakamawashi.DrawingVersion{FileName: name, ContentType: ctype, Size: size, SHA256: sha, Note: strings.TrimSpace(note)}
	return s.Store.AddDrawing(ctx, partID, drawingID, v)
}

// blobs returns the blob store, or EUNAVAILABLE when none is configured.
func (s *Server) blobs() (nakamawashi.BlobStore, error) {
	if s.Blobs == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAVAILABLE, "err.flowapi.no_blobs")
	}
	return s.Blobs, nil
}

// drawingUpload is one uploaded drawing file as read from a form.
type drawingUpload struct {
	DrawingID int64 // 0: a new drawing; else a new version of it
	Note      string
	file      *multipart.FileHeader
}

// readDrawingUpload parses the multipart body under the route's limit
// (unless the CSRF check has parsed it already) and returns the file and
// fields.
func (s *Server) readDrawingUpload(w gohttp.ResponseWriter, r *gohttp.Request) (*drawingUpload, error) {
	if r.MultipartForm == nil && !isMultipart(r) {
		return nil, nakamawashi.Errorf(nakamawashi.EUNSUPPORTED, "err.flowapi.multipart")
	}
	if err := s.parseUpload(w, r); err != nil {
		return nil, err
	}
	up := &drawingUpload{Note: strings.TrimSpace(url.Values(r.MultipartForm.Value).Get("note"))}
	p := nakamawashi.Problems{}
	if v := strings.TrimSpace(url.Values(r.MultipartForm.Value).Get("drawing_id")); v != "" {
		id, err := parseID(v)
		if err != nil {
			p.Add("drawing_id", "err.http.param", "drawing_id")
		}
		up.DrawingID = id
	}
	if utf8.RuneCountInString(up.Note) > 1000 {
		p.Add("note", "err.text_max", 1000)
	}
	files := r.MultipartForm.File["file"]
	switch {
	case len(files) == 0 || files[0].Size == 0:
		p.Add("file", "err.flowapi.file_required")
	case len(files) > 1:
		p.Add("file", "err.flowapi.one_file")
	case files[0].Size > nakamawashi.MaxDrawingBytes:
		return nil, drawingTooLarge()
	default:
		up.file = files[0]
		name := files[0].Filename
		if name == "" || len(name) > 255 || !utf8.ValidString(name) {
			p.Add("file", "err.flowapi.file_name")
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return up, nil
}

// apiDrawingUpload adds a drawing to a part, or a new version of one of
// its drawings. The file's type is read from its bytes, the content is
// made durable in the blob store, then recorded.
func (s *Server) apiDrawingUpload(w gohttp.ResponseWriter, r *gohttp.Request) {
	partID, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	// Those who may not submit or coordinate inquiries are refused before
	// their body is read; the store checks the part's inquiry.
	if _, _, err := nakamawashi.Scope(ctx, nakamawashi.PermInquirySubmit); err != nil {
		s.Error(w, r, err)
		return
	}
	if _, err := s.blobs(); err != nil {
		s.Error(w, r, err)
		return
	}
	up, err := s.readDrawingUpload(w, r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d, err := s.saveDrawing(ctx, up.file, partID, up.DrawingID, up.Note)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/drawings/"+itoa(d.ID)+"/content")
	s.writeJSON(w, r, gohttp.StatusCreated, d)
}

// baseName drops any directories a client put in a file name.
func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return strings.TrimSpace(name)
}

// apiDrawingContent serves one version of a drawing (the latest unless
// ?version=N). The store authorizes the view and records it durably
// before a byte is sent; the file goes out as an attachment of the type
// decided at upload, never sniffed, never cached by shared caches.
func (s *Server) apiDrawingContent(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	version := 0
	if v := r.URL.Query().Get("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			s.Error(w, r, invalidParam("version"))
			return
		}
		version = n
	}
	blobs, err := s.blobs()
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	dv, err := s.Store.OpenDrawing(ctx, id, version)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f, err := blobs.Open(ctx, dv.SHA256)
	if err != nil {
		if nakamawashi.ErrorCode(err) == nakamawashi.ENOTFOUND {
			err = nakamawashi.Internal("http.drawing", err) // a recorded file must be there
		}
		s.Error(w, r, err)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", drawingContentType(dv.ContentType))
	h.Set("Content-Disposition", attachment(dv.FileName))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	h.Set("ETag", `"`+dv.SHA256+`"`)
	gohttp.ServeContent(w, r, "", time.Time{}, f)
}

// drawingContentType is the type a drawing is served as: one SniffDrawing
// decides, else a plain download.
func drawingContentType(ct string) string {
	for _, t := range nakamawashi.DrawingContentTypes() {
		if t == ct {
			return ct
		}
	}
	return "application/octet-stream"
}

// attachment is a Content-Disposition for a download named name: an ASCII
// fallback and the UTF-8 name of RFC 5987 (filename*), which every current
// browser prefers.
func attachment(name string) string {
	var ascii strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r >= 0x7f || r == '"' || r == '\\' || r == '%' || r == ';':
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	fallback := ascii.String()
	if fallback == "" {
		fallback = "drawing"
	}
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + extValue(name)
}

// extValue percent-encodes s as the value of an RFC 5987 parameter: every
// byte but the attr-chars (letters, digits and !#$&-.^_`|~; + too is
// encoded, as some read it as a space).
func extValue(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// apiDrawingViews lists who opened a drawing and when.
func (s *Server) apiDrawingViews(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	vs, err := s.Store.FindDrawingViews(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(vs, len(vs), 0, len(vs)))
}
