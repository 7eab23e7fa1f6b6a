package http

import (
	"context"
	"mime/multipart"
	gohttp "net/http"
	"strconv"
	"strings"

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
		if _, _, err := checkDrawingFile(fh); err != nil {
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
// problem the person fixes there; a file too large stays ETOOLARGE (413).
func fieldMessage(field string, err error) error {
	e, ok := err.(*nakamawashi.Error)
	if !ok {
		return err
	}
	code := nakamawashi.EINVALID
	if e.Code == nakamawashi.ETOOLARGE {
		code = e.Code
	}
	return &nakamawashi.Error{Code: code, Message: e.Message, Fields: map[string]nakamawashi.Message{field: e.Message}}
}

// saveUploadedDrawing stores the file of a form field as a new drawing of
// a part (drawingID 0) or the next version of drawingID, as the API does
// (saveDrawing); it reports whether there was a file.
func (s *Server) saveUploadedDrawing(ctx context.Context, r *gohttp.Request, field string, partID, drawingID int64, note string) (bool, error) {
	fh := drawingFile(r, field)
	if fh == nil {
		return false, nil
	}
	_, err := s.saveDrawing(ctx, fh, partID, drawingID, note)
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

// drawingUploadTooLarge answers a drawing upload whose body is over the
// route's limit: the inquiry's page again, the message on the part's file
// input, as 413. The body was not read; nothing is recorded.
func (s *Server) drawingUploadTooLarge(w gohttp.ResponseWriter, r *gohttp.Request, tooLarge error) {
	q, pt, err := s.findPart(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.showInquiry(w, r, q.ID, 0, nil, fieldMessage("drawing_"+i64s(pt.ID), tooLarge))
}

// inquiryUploadTooLarge answers a new inquiry whose body is over the
// route's limit: the form again with the message, as 413. The body was not
// read, so the form comes back empty.
func (s *Server) inquiryUploadTooLarge(w gohttp.ResponseWriter, r *gohttp.Request, tooLarge error) {
	a := nakamawashi.ActorFromContext(r.Context())
	if !a.Can(nakamawashi.PermInquirySubmit, a.CompanyID) {
		s.Error(w, r, nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden"))
		return
	}
	f := &inquiryForm{Parts: []partForm{{Quantity: "1"}}}
	f.pad()
	s.renderInquiryForm(w, r, 0, f, tooLarge)
}
