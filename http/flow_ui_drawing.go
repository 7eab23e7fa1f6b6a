package http

import (
	"context"
	"io"
	"mime/multipart"
	gohttp "net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nakamawashi/nakamawashi"
)

// Drawings sent from the pages: with a new inquiry (one file per part
// row) and later as a new drawing or a new version of one. The file's kind
// is read from its bytes (SniffDrawing), the content made durable in the
// blob store, then recorded; downloads go through the API's content route,
// which records the view before a byte is sent.

// drawingFile returns the file of a form field, or nil when the input was
// left empty.
func drawingFile(r *gohttp.Request, field string) *multipart.FileHeader {
	if r.MultipartForm == nil {
		return nil
	}
	for _, fh := range r.MultipartForm.File[field] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		return fh
	}
	return nil
}

// sniffDrawingFile reads the head of an uploaded file and returns its
// cleaned name and content type, or the reason it is refused.
func sniffDrawingFile(fh *multipart.FileHeader) (string, string, error) {
	if fh.Size > nakamawashi.MaxDrawingBytes {
		return "", "", nakamawashi.Errorf(nakamawashi.ETOOLARGE, "err.flowapi.drawing_too_large", nakamawashi.MaxDrawingBytes>>20)
	}
	name := baseName(fh.Filename)
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
	ctype, err := nakamawashi.SniffDrawing(name, head[:n])
	return name, ctype, err
}

// drawingRowError is a refused drawing of a form row.
type drawingRowError struct {
	row int
	err error
}

func (e *drawingRowError) Error() string { return e.err.Error() }

// checkDrawingUploads checks the drawing files of the kept part rows
// before anything is recorded, so that a wrong file refuses the whole form.
func (s *Server) checkDrawingUploads(r *gohttp.Request, rows []int) error {
	any := false
	for _, row := range rows {
		fh := drawingFile(r, "parts."+strconv.Itoa(row)+".drawing")
		if fh == nil {
			continue
		}
		any = true
		if _, _, err := sniffDrawingFile(fh); err != nil {
			return fieldMessage("parts."+strconv.Itoa(row)+".drawing", err)
		}
	}
	if any {
		if _, err := s.blobs(); err != nil {
			return err
		}
	}
	return nil
}

// fieldMessage puts the message of err on one field of a form, as a
// problem the person fixes there.
func fieldMessage(field string, err error) error {
	e, ok := err.(*nakamawashi.Error)
	if !ok {
		return err
	}
	return &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: e.Message, Fields: map[string]nakamawashi.Message{field: e.Message}}
}

// saveUploadedDrawing stores the file of a form field as a new drawing of
// a part (drawingID 0) or the next version of drawingID; it reports
// whether there was a file.
func (s *Server) saveUploadedDrawing(ctx context.Context, r *gohttp.Request, field string, partID, drawingID int64, note string) (bool, error) {
	fh := drawingFile(r, field)
	if fh == nil {
		return false, nil
	}
	blobs, err := s.blobs()
	if err != nil {
		return true, err
	}
	name, ctype, err := sniffDrawingFile(fh)
	if err != nil {
		return true, err
	}
	f, err := fh.Open()
	if err != nil {
		return true, nakamawashi.Errorf(nakamawashi.EINVALID, "err.flowapi.file_read")
	}
	defer f.Close()
	sha, size, err := blobs.Put(ctx, f, nakamawashi.MaxDrawingBytes)
	if err != nil {
		return true, err
	}
	v := &nakamawashi.DrawingVersion{FileName: name, ContentType: ctype, Size: size, SHA256: sha, Note: strings.TrimSpace(note)}
	_, err = s.Store.AddDrawing(ctx, partID, drawingID, v)
	return true, err
}

// handleDrawingUpload adds a drawing to a part from its inquiry's page, or
// a new version of one of the part's drawings.
func (s *Server) handleDrawingUpload(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	q, pt, err := s.findPart(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	v, err := s.flowForm(w, r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var drawingID int64
	if d := strings.TrimSpace(v.Get("drawing_id")); d != "" {
		if drawingID, err = parseID(d); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	field := "drawing_" + i64s(pt.ID)
	had, err := s.saveUploadedDrawing(ctx, r, field, pt.ID, drawingID, v.Get("note"))
	if err == nil && !had {
		err = fieldError(field, "err.flowapi.file_required")
	}
	if err != nil {
		if c := nakamawashi.ErrorCode(err); c == nakamawashi.ETOOLARGE || c == nakamawashi.EUNSUPPORTED {
			err = fieldMessage(field, err)
		}
	}
	s.afterAction(w, r, q.ID, "/inquiries/"+i64s(q.ID)+"#part-"+i64s(pt.ID), "drawing", err)
}
