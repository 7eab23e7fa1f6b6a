package sqlstore

import (
	"context"

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
