package http

import (
	"encoding/json"
	"fmt"
	"io"
	gohttp "net/http"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/live"
)

// Timing of the boards' event streams.
const (
	// boardHeartbeat keeps proxies and the browser from timing the stream
	// out while nothing changes.
	boardHeartbeat = 15 * time.Second
	// boardRefresh re-reads the board while nothing changes, for today's
	// 稼働率 so far and for the clock.
	boardRefresh = 30 * time.Second
	// boardCoalesce gathers the changes that arrive together into one
	// read of the store: well inside the two seconds a change may take to
	// show.
	boardCoalesce = 150 * time.Millisecond
	// boardRetry is how soon a browser reconnects (the SSE retry field).
	boardRetry = 2 * time.Second
)

// boardUpdate is the data of an event: rows (and the summary) as HTML
// fragments that the page puts in place by id.
type boardUpdate struct {
	Rows    []boardFragment `json:"rows"`
	Summary string          `json:"summary,omitempty"`
}

type boardFragment struct {
	ID   int64  `json:"id"`
	HTML string `json:"html"`
}

// handleCompanyBoardEvents streams a shop's board.
func (s *Server) handleCompanyBoardEvents(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := s.boardCompany(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.serveBoardEvents(w, r, id)
}

// handleNetworkBoardEvents streams the network's board.
func (s *Server) handleNetworkBoardEvents(w gohttp.ResponseWriter, r *gohttp.Request) {
	if err := s.networkBoardAllowed(r); err != nil {
		s.Error(w, r, err)
		return
	}
	s.serveBoardEvents(w, r, 0)
}

// serveBoardEvents is the event stream of a board (Server-Sent Events):
//
//   - "snapshot": every machine's row and the summary, first and whenever
//     the stream fell behind (the page reloads if it lacks a row);
//   - "rows": the rows that changed, after a change the hub announced
//     (within boardCoalesce) or a periodic refresh;
//   - a comment every boardHeartbeat.
//
// Each event's id is the hub's latest batch when the board was read: a
// browser that reconnects with it (Last-Event-ID) gets only what changed
// since, or a snapshot when the hub no longer holds that far back. With
// ?once=1 the stream ends after the snapshot, for scripts.
func (s *Server) serveBoardEvents(w gohttp.ResponseWriter, r *gohttp.Request, companyID int64) {
	ctx := r.Context()
	lang := requestInfoFrom(ctx).lang
	if lang == "" {
		lang = nakamawashi.Japanese
	}
	hub := s.Live
	if hub == nil {
		hub = live.NewHub() // nothing will be published: refreshes only
	}
	sub := hub.Subscribe(0)
	defer sub.Close()

	// The first read checks access before the stream starts, so that a
	// refusal is an ordinary error answer.
	lastID := hub.LastID()
	b, err := s.loadBoard(ctx, companyID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	rc := gohttp.NewResponseController(w)
	// The server's read timeout would end the stream: the request has
	// been read, and the connection's end shows as ctx.Done.
	rc.SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(gohttp.StatusOK)

	sent := map[int64]string{}
	var sentSummary string
	write := func(event, id string, v any) bool {
		data, err := json.Marshal(v)
		if err != nil {
			s.logger().Error("board events", "err", err)
			return false
		}
		rc.SetWriteDeadline(time.Now().Add(boardHeartbeat))
		if _, err := fmt.Fprintf(w, "event: %s\nid: %s\ndata: %s\n\n", event, id, data); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	// send writes the rows of b that differ from what was sent (all of
	// them for a snapshot).
	send := func(b *boardData, id string, snapshot bool) bool {
		var u boardUpdate
		for _, row := range b.Rows {
			html, err := s.fragment(lang, "board", "board_row", row)
			if err != nil {
				s.logger().Error("board row", "err", err)
				return false
			}
			if snapshot || sent[row.ID] != html {
				u.Rows = append(u.Rows, boardFragment{row.ID, html})
				sent[row.ID] = html
			}
		}
		summary, err := s.fragment(lang, "board", "board_summary", b)
		if err != nil {
			s.logger().Error("board summary", "err", err)
			return false
		}
		if snapshot || summary != sentSummary {
			u.Summary, sentSummary = summary, summary
		}
		if u.Rows == nil && u.Summary == "" {
			return true
		}
		if u.Rows == nil {
			u.Rows = []boardFragment{}
		}
		event := "rows"
		if snapshot {
			event = "snapshot"
		}
		return write(event, id, u)
	}

	rc.SetWriteDeadline(time.Now().Add(boardHeartbeat))
	fmt.Fprintf(w, "retry: %d\n\n", boardRetry.Milliseconds())
	// A browser that reconnects shows the board as of its last event:
	// what changed since, if the hub still knows, is all it needs.
	if last := r.Header.Get("Last-Event-ID"); last != "" && r.URL.Query().Get("once") == "" {
		if batches, ok := hub.Since(last); ok {
			for _, row := range b.Rows {
				html, _ := s.fragment(lang, "board", "board_row", row)
				sent[row.ID] = html
			}
			sentSummary, _ = s.fragment(lang, "board", "board_summary", b)
			changed := map[int64]bool{}
			for _, bt := range batches {
				for _, c := range bt.Changes {
					changed[c.MachineID] = true
				}
			}
			for id := range changed {
				delete(sent, id)
			}
			if len(changed) > 0 {
				sentSummary = ""
			}
			if !send(b, lastID, false) {
				return
			}
		} else if !send(b, lastID, true) {
			return
		}
	} else if !send(b, lastID, true) {
		return
	}
	if r.URL.Query().Get("once") != "" {
		return
	}
	rc.Flush()

	heartbeat := time.NewTicker(boardHeartbeat)
	defer heartbeat.Stop()
	refresh := time.NewTicker(boardRefresh)
	defer refresh.Stop()
	var coalesce <-chan time.Time
	reread := func(snapshot bool) bool {
		id := hub.LastID()
		b, err := s.loadBoard(ctx, companyID)
		if err != nil {
			if ctx.Err() == nil {
				s.logger().Error("board events: read", "err", err)
			}
			return ctx.Err() == nil && nakamawashi.ErrorCode(err) == nakamawashi.EINTERNAL
		}
		return send(b, id, snapshot)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.closing:
			return
		case bt := <-sub.C():
			if coalesce == nil && s.relevant(companyID, sent, bt) {
				coalesce = time.After(boardCoalesce)
			}
		case <-coalesce:
			coalesce = nil
			if !reread(sub.Lost()) {
				return
			}
		case <-refresh.C:
			if !reread(sub.Lost()) {
				return
			}
		case <-heartbeat.C:
			if sub.Lost() {
				if !reread(true) {
					return
				}
				continue
			}
			rc.SetWriteDeadline(time.Now().Add(boardHeartbeat))
			if _, err := io.WriteString(w, ": ping\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}

// relevant reports whether a batch concerns a board: any change for the
// network's (a machine may have appeared), a change of one of its machines
// for a shop's.
func (s *Server) relevant(companyID int64, shown map[int64]string, bt live.Batch) bool {
	if companyID == 0 {
		return true
	}
	for _, c := range bt.Changes {
		if _, ok := shown[c.MachineID]; ok {
			return true
		}
	}
	return false
}
