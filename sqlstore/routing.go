package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

// Routings (工程表): the ordered steps of a part, and reusable templates.

// moveInquiry moves q by action through the state machine and keeps its
// updated_at; q.Status follows.
func (tx *Tx) moveInquiry(ctx context.Context, q *nakamawashi.Inquiry, action string, detail map[string]any) error {
	to, err := tx.move(ctx, nakamawashi.EntityInquiry, q.ID, q.CustomerID, string(q.Status), action, detail)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE inquiries SET updated_at = ? WHERE id = ?`, tx.t(tx.now), q.ID); err != nil {
		return err
	}
	q.Status, q.UpdatedAt = nakamawashi.InquiryStatus(to), tx.now
	return nil
}

// SetRouting replaces the steps of a part, until requests for them go out.
func (s *Store) SetRouting(ctx context.Context, partID int64, steps []nakamawashi.StepInput) ([]*nakamawashi.Step, error) {
	if err := mayCoordinate(ctx); err != nil {
		return nil, err
	}
	if err := nakamawashi.ValidateRouting(steps); err != nil {
		return nil, err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("SetRouting"), err)
	}
	defer tx.Rollback()
	q, err := tx.inquiryOfPart(ctx, partID)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("SetRouting"), err)
	}
	var sent int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM requests r JOIN steps s ON s.id = r.step_id WHERE s.part_id = ?`,
		partID).Scan(&sent); err != nil {
		return nil, nakamawashi.Internal(s.op("SetRouting"), err)
	}
	if q.Status != nakamawashi.InquiryRouting {
		// submitted → routing; any other status refuses with its reason.
		if err := tx.moveInquiry(ctx, q, "route", nil); err != nil {
			return nil, nakamawashi.Internal(s.op("SetRouting"), err)
		}
	}
	if sent > 0 {
		return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.routing.requests_sent")
	}
	if _, err := tx.exec(ctx, `DELETE FROM steps WHERE part_id = ?`, partID); err != nil {
		return nil, nakamawashi.Internal(s.op("SetRouting"), err)
	}
	out := make([]*nakamawashi.Step, len(steps))
	procs := make([]string, len(steps))
	for i, in := range steps {
		st := &nakamawashi.Step{PartID: partID, Seq: i + 1, Process: in.Process, Requirements: in.Requirements,
			Certifications: in.Certifications, SetupHours: in.SetupHours, CycleMinutes: in.CycleMinutes}
		st.ID, err = tx.insert(ctx, `INSERT INTO steps (part_id, seq, process, requirements, certifications, setup_hours, cycle_minutes)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, st.PartID, st.Seq, st.Process, st.Requirements, strings.Join(st.Certifications, ","),
			st.SetupHours, st.CycleMinutes)
		if err != nil {
			return nil, nakamawashi.Internal(s.op("SetRouting"), err)
		}
		out[i], procs[i] = st, st.Process
	}
	tx.audit(ctx, q.CustomerID, "part.routing", "part", partID, map[string]any{"inquiry_id": q.ID, "steps": procs})
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("SetRouting"), err)
	}
	return out, nil
}

// DefaultRoutingTemplates are the templates offered while the network has
// stored none of its own: the common chains of Ota's job shops.
var DefaultRoutingTemplates = []nakamawashi.RoutingTemplate{
	{Name: "旋盤→フライス→焼入れ→研削→めっき→検査", Steps: []nakamawashi.StepInput{
		{Process: "turning.nc"}, {Process: "mc.3axis"}, {Process: "heat.quench"}, {Process: "grinding.cylindrical"},
		{Process: "plating.electroless_ni"}, {Process: "inspection.cmm"}}},
	{Name: "旋盤→めっき→検査", Steps: []nakamawashi.StepInput{
		{Process: "turning.nc"}, {Process: "plating.electroless_ni"}, {Process: "inspection.cmm"}}},
	{Name: "マシニング→アルマイト→検査", Steps: []nakamawashi.StepInput{
		{Process: "mc.3axis"}, {Process: "anodizing"}, {Process: "inspection.cmm"}}},
	{Name: "マシニング→焼入れ→平面研削→ワイヤーカット（金型部品）", Steps: []nakamawashi.StepInput{
		{Process: "mc.3axis"}, {Process: "heat.vacuum"}, {Process: "grinding.surface"}, {Process: "edm.wire"}}},
	{Name: "板金（レーザー→曲げ→溶接→粉体塗装）", Steps: []nakamawashi.StepInput{
		{Process: "sheet.laser"}, {Process: "sheet.bending"}, {Process: "welding.tig"}, {Process: "painting.powder"}}},
}

// FindRoutingTemplates returns the stored templates by name, or the
// defaults while none is stored.
func (s *Store) FindRoutingTemplates(ctx context.Context) ([]*nakamawashi.RoutingTemplate, error) {
	if err := mayCoordinate(ctx); err != nil {
		return nil, err
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindRoutingTemplates"), err)
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT id, name, steps FROM routing_templates ORDER BY name`)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindRoutingTemplates"), err)
	}
	defer rows.Close()
	out := []*nakamawashi.RoutingTemplate{}
	for rows.Next() {
		var t nakamawashi.RoutingTemplate
		if err := rows.Scan(&t.ID, &t.Name, jsonScan{&t.Steps}); err != nil {
			return nil, nakamawashi.Internal(s.op("FindRoutingTemplates"), err)
		}
		out = append(out, &t)
	}
	if err := rows.Err(); err != nil {
		return nil, nakamawashi.Internal(s.op("FindRoutingTemplates"), err)
	}
	if len(out) == 0 {
		for _, t := range DefaultRoutingTemplates {
			c := t
			c.Steps = append([]nakamawashi.StepInput(nil), t.Steps...)
			out = append(out, &c)
		}
	}
	return out, nil
}

// CreateRoutingTemplate stores a template under a name of its own.
func (s *Store) CreateRoutingTemplate(ctx context.Context, t *nakamawashi.RoutingTemplate) error {
	if err := mayCoordinate(ctx); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	steps, err := jsonText(t.Steps)
	if err != nil {
		return nakamawashi.Internal(s.op("CreateRoutingTemplate"), err)
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("CreateRoutingTemplate"), err)
	}
	defer tx.Rollback()
	id, err := tx.insert(ctx, `INSERT INTO routing_templates (name, steps, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`,
		t.Name, steps, tx.t(tx.now))
	if isNoRows(err) {
		return uniqueErr("name", "err.routing.template_exists")
	} else if err != nil {
		return nakamawashi.Internal(s.op("CreateRoutingTemplate"), err)
	}
	tx.audit(ctx, nakamawashi.ActorFromContext(ctx).CompanyID, "routing_template.create", "routing_template", id,
		map[string]any{"name": t.Name, "steps": len(t.Steps)})
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("CreateRoutingTemplate"), err)
	}
	t.ID = id
	return nil
}

// isNoRows reports whether err is sql.ErrNoRows (an INSERT … ON CONFLICT
// DO NOTHING RETURNING that inserted nothing).
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
