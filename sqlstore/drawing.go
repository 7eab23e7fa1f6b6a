package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/nakamawashi/nakamawashi"
)

// Drawings (図面) of parts, in versions, and the log of every view.

// loadDrawings reads the drawings matching cond (on d: drawings, p:
// parts) with their versions, oldest first.
func (tx *Tx) loadDrawings(ctx context.Context, cond string, args ...any) ([]*nakamawashi.Drawing, error) {
	rows, err := tx.query(ctx, `SELECT d.id, d.part_id, d.name, v.version, v.file_name, v.content_type, v.size, v.sha256,
		v.note, v.uploaded_by, v.uploaded_at
		FROM drawings d JOIN parts p ON p.id = d.part_id JOIN drawing_versions v ON v.drawing_id = d.id
		WHERE `+cond+` ORDER BY d.id, v.version`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*nakamawashi.Drawing
	for rows.Next() {
		var d nakamawashi.Drawing
		var v nakamawashi.DrawingVersion
		if err := rows.Scan(&d.ID, &d.PartID, &d.Name, &v.Version, &v.FileName, &v.ContentType, &v.Size, &v.SHA256,
			&v.Note, &v.UploadedBy, timeScan{&v.UploadedAt}); err != nil {
			return nil, err
		}
		v.DrawingID = d.ID
		if n := len(out); n == 0 || out[n-1].ID != d.ID {
			out = append(out, &d)
		}
		last := out[len(out)-1]
		last.Versions = append(last.Versions, &v)
	}
	return out, rows.Err()
}

// findDrawing reads a drawing's row with the inquiry it belongs to.
func (tx *Tx) findDrawing(ctx context.Context, id int64) (*nakamawashi.Drawing, *nakamawashi.Inquiry, error) {
	var d nakamawashi.Drawing
	var inquiryID int64
	err := tx.queryRow(ctx, `SELECT d.id, d.part_id, d.name, p.inquiry_id FROM drawings d JOIN parts p ON p.id = d.part_id
		WHERE d.id = ?`, id).Scan(&d.ID, &d.PartID, &d.Name, &inquiryID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.drawing.not_found")
	} else if err != nil {
		return nil, nil, err
	}
	q, err := tx.findInquiry(ctx, inquiryID)
	return &d, q, err
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// validateDrawingVersion checks what the upload handler recorded of a file.
func validateDrawingVersion(v *nakamawashi.DrawingVersion) error {
	p := nakamawashi.Problems{}
	v.FileName = strings.TrimSpace(v.FileName)
	v.Note = strings.TrimSpace(v.Note)
	v.SHA256 = strings.ToLower(strings.TrimSpace(v.SHA256))
	if v.FileName == "" {
		p.Add("file_name", "err.required")
	} else if utf8.RuneCountInString(v.FileName) > 200 || !utf8.ValidString(v.FileName) || strings.ContainsAny(v.FileName, "\x00/\\\r\n") {
		p.Add("file_name", "err.drawing.file_name")
	}
	if !slices.Contains(nakamawashi.DrawingContentTypes(), v.ContentType) {
		p.Add("content_type", "err.drawing.content_type")
	}
	if v.Size < 1 || v.Size > nakamawashi.MaxDrawingBytes {
		p.Add("size", "err.drawing.size", nakamawashi.MaxDrawingBytes>>20)
	}
	if !sha256Hex.MatchString(v.SHA256) {
		p.Add("sha256", "err.drawing.sha256")
	}
	if utf8.RuneCountInString(v.Note) > 1000 {
		p.Add("note", "err.text_max", 1000)
	}
	return p.Err()
}

// AddDrawing records an uploaded file as a new drawing of a part or as the
// next version of one: by the customer that owns the inquiry or the office.
func (s *Store) AddDrawing(ctx context.Context, partID, drawingID int64, v *nakamawashi.DrawingVersion) (*nakamawashi.Drawing, error) {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	if err := validateDrawingVersion(v); err != nil {
		return nil, err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AddDrawing"), err)
	}
	defer tx.Rollback()
	q, err := tx.inquiryOfPart(ctx, partID)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AddDrawing"), err)
	}
	if err := mayReadInquiry(ctx, q); err != nil {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.inquiry.part_not_found")
	}
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermInquirySubmit, q.CustomerID); err != nil {
		return nil, err
	}
	if q.Status == nakamawashi.InquiryLost || q.Status == nakamawashi.InquiryCancelled {
		return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.drawing.closed")
	}
	added := *v
	added.UploadedAt, added.UploadedBy = tx.now, 0
	if !a.System {
		added.UploadedBy = a.UserID
	}
	if drawingID == 0 {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM drawings WHERE part_id = ?`, partID).Scan(&n); err != nil {
			return nil, nakamawashi.Internal(s.op("AddDrawing"), err)
		}
		if n >= nakamawashi.MaxDrawingsPerPart {
			return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.drawing.max", nakamawashi.MaxDrawingsPerPart)
		}
		if drawingID, err = tx.insert(ctx, `INSERT INTO drawings (part_id, name, created_at) VALUES (?, ?, ?)`,
			partID, added.FileName, tx.t(tx.now)); err != nil {
			return nil, nakamawashi.Internal(s.op("AddDrawing"), err)
		}
		added.Version = 1
	} else {
		d, _, err := tx.findDrawing(ctx, drawingID)
		if err != nil {
			return nil, nakamawashi.Internal(s.op("AddDrawing"), err)
		} else if d.PartID != partID {
			return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.drawing.not_found")
		}
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM drawing_versions WHERE drawing_id = ?`,
			drawingID).Scan(&added.Version); err != nil {
			return nil, nakamawashi.Internal(s.op("AddDrawing"), err)
		}
	}
	added.DrawingID = drawingID
	if _, err := tx.exec(ctx, `INSERT INTO drawing_versions (drawing_id, version, file_name, content_type, size, sha256, note,
		uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, drawingID, added.Version, added.FileName, added.ContentType,
		added.Size, added.SHA256, added.Note, added.UploadedBy, tx.t(added.UploadedAt)); err != nil {
		return nil, nakamawashi.Internal(s.op("AddDrawing"), err)
	}
	tx.audit(ctx, q.CustomerID, "drawing.add", "drawing", drawingID, map[string]any{"part_id": partID, "version": added.Version,
		"file_name": added.FileName, "size": added.Size, "sha256": added.SHA256})
	ds, err := tx.loadDrawings(ctx, `d.id = ?`, drawingID)
	if err != nil || len(ds) != 1 {
		return nil, nakamawashi.Internal(s.op("AddDrawing"), fmt.Errorf("reload drawing %d: %v", drawingID, err))
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("AddDrawing"), err)
	}
	*v = added
	return ds[0], nil
}

// mayViewDrawing returns nil if the caller may open the drawings of a part
// of inquiry q: the office; the customer's people; a shop while a request
// for a step of the part (sent before its deadline, or answered) or a work
// order for it (not done or cancelled) is addressed to it. Anyone else
// gets ENOTFOUND.
func (tx *Tx) mayViewDrawing(ctx context.Context, q *nakamawashi.Inquiry, partID int64) error {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	if officeView(a) || a.Can(nakamawashi.PermInquiryRead, q.CustomerID) {
		return nil
	}
	if a.CompanyID > 0 && a.Can(nakamawashi.PermShopWork, a.CompanyID) {
		var n int
		err := tx.queryRow(ctx, `SELECT
			(SELECT COUNT(*) FROM requests r JOIN steps s ON s.id = r.step_id
				WHERE s.part_id = ? AND r.company_id = ? AND (r.status = ? OR (r.status = ? AND r.deadline > ?)))
			+ (SELECT COUNT(*) FROM work_orders w WHERE w.part_id = ? AND w.company_id = ? AND w.status NOT IN (?, ?))`,
			partID, a.CompanyID, string(nakamawashi.RequestAnswered), string(nakamawashi.RequestSent), tx.t(tx.now),
			partID, a.CompanyID, string(nakamawashi.WorkOrderDone), string(nakamawashi.WorkOrderCancelled)).Scan(&n)
		if err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
	}
	return nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.drawing.not_found")
}

// OpenDrawing authorizes a view of a drawing version (0: the latest) and
// records it, with its audit event, before returning what to serve.
func (s *Store) OpenDrawing(ctx context.Context, drawingID int64, version int) (*nakamawashi.DrawingVersion, error) {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("OpenDrawing"), err)
	}
	defer tx.Rollback()
	d, q, err := tx.findDrawing(ctx, drawingID)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("OpenDrawing"), err)
	}
	if err := tx.mayViewDrawing(ctx, q, d.PartID); err != nil {
		return nil, nakamawashi.Internal(s.op("OpenDrawing"), err)
	}
	ds, err := tx.loadDrawings(ctx, `d.id = ?`, drawingID)
	if err != nil || len(ds) != 1 {
		return nil, nakamawashi.Internal(s.op("OpenDrawing"), fmt.Errorf("load drawing %d: %v", drawingID, err))
	}
	v := ds[0].Latest()
	if version != 0 {
		v = nil
		for _, x := range ds[0].Versions {
			if x.Version == version {
				v = x
			}
		}
		if v == nil {
			return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.drawing.not_found")
		}
	}
	userName := a.UserName
	if a.System {
		userName = "system"
	}
	viewID, err := tx.insert(ctx, `INSERT INTO drawing_views (drawing_id, version, user_id, user_name, company_id, at) VALUES (?, ?, ?, ?, ?, ?)`,
		drawingID, v.Version, a.UserID, userName, a.CompanyID, tx.t(tx.now))
	if err != nil {
		return nil, nakamawashi.Internal(s.op("OpenDrawing"), err)
	}
	tx.audit(ctx, auditCompany(ctx, q.CustomerID, q.OfficeID), "drawing.view", "drawing", drawingID, map[string]any{"version": v.Version, "view_id": viewID,
		"viewer_company_id": a.CompanyID, "sha256": v.SHA256})
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("OpenDrawing"), err)
	}
	return v, nil
}

// FindDrawingViews lists who viewed a drawing and when, oldest first: for
// the office and the customer that owns the drawing. The customer sees
// every view, but not who viewed it at a shop: views by anyone neither of
// its own nor of the office come without user and company.
func (s *Store) FindDrawingViews(ctx context.Context, drawingID int64) ([]*nakamawashi.DrawingView, error) {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindDrawingViews"), err)
	}
	defer tx.Rollback()
	_, q, err := tx.findDrawing(ctx, drawingID)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindDrawingViews"), err)
	}
	if !officeView(a) && !a.Can(nakamawashi.PermInquiryRead, q.CustomerID) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.drawing.not_found")
	}
	rows, err := tx.query(ctx, `SELECT drawing_id, version, user_id, user_name, company_id, at FROM drawing_views
		WHERE drawing_id = ? ORDER BY id`, drawingID)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindDrawingViews"), err)
	}
	defer rows.Close()
	out := []*nakamawashi.DrawingView{}
	for rows.Next() {
		var v nakamawashi.DrawingView
		if err := rows.Scan(&v.DrawingID, &v.Version, &v.UserID, &v.UserName, &v.CompanyID, timeScan{&v.At}); err != nil {
			return nil, nakamawashi.Internal(s.op("FindDrawingViews"), err)
		}
		if !officeView(a) && v.CompanyID != q.CustomerID && v.CompanyID != q.OfficeID {
			v.UserID, v.UserName, v.CompanyID = 0, "", 0
		}
		out = append(out, &v)
	}
	if err := rows.Err(); err != nil {
		return nil, nakamawashi.Internal(s.op("FindDrawingViews"), err)
	}
	return out, nil
}
