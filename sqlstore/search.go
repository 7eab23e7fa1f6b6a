package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/nakamawashi/nakamawashi"
)

// The directory search runs on an n-gram index that both engines keep in
// plain tables: search_docs holds each company's searchable text, folded by
// nakamawashi.NormalizeSearch, whole and field by field; search_grams holds
// every distinct unigram and bigram of every word of it, with the fields it
// occurs in as a bit mask. A query word of one or two characters is one
// index lookup (so that 旋盤 and 研磨 work, which trigram indexes cannot),
// and the mask tells where it matched without reading the document; a
// longer word needs bigrams that cover it, and LIKE confirms it in the
// fields that have them all. Every write to a company's profile, machines,
// posts or the company itself rewrites its document and changed grams in
// the same transaction (searchindex.go).

// Bounds of a query: words, and bigrams looked up for one long word.
const (
	maxSearchWords = 8
	maxCoverGrams  = 4
)

// coverBigrams returns distinct bigrams of w that cover every character of
// it (every other one and the last), at most maxCoverGrams of them spread
// over the word. A company with all of them may have w; LIKE decides.
func coverBigrams(w string) []any {
	rs := []rune(w)
	var out []any
	add := func(i int) {
		if g := string(rs[i : i+2]); !slices.Contains(out, any(g)) {
			out = append(out, g)
		}
	}
	for i := 0; i+1 < len(rs); i += 2 {
		add(i)
	}
	if len(rs)%2 == 1 {
		add(len(rs) - 2)
	}
	if len(out) > maxCoverGrams {
		spread := make([]any, maxCoverGrams)
		for k := range spread {
			spread[k] = out[k*(len(out)-1)/(maxCoverGrams-1)]
		}
		out = spread
	}
	return out
}

// queryWords splits a query into its distinct normalized words.
func queryWords(text string) []string {
	var out []string
	for _, w := range strings.Fields(nakamawashi.NormalizeSearch(text)) {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// processCodesSatisfying returns the codes of the processes whose shops can
// take a step asking for any of want.
func processCodesSatisfying(want ...string) []any {
	var out []any
	for _, p := range nakamawashi.Processes() {
		for _, w := range want {
			if nakamawashi.ProcessSatisfies(p.Code, w) {
				out = append(out, p.Code)
				break
			}
		}
	}
	return out
}

// Search finds the companies the caller may read that contain every word
// of q.Text and pass its filters. Hits whose name or フリガナ match come
// first, then those matching in more fields, then by フリガナ.
func (s *Store) Search(ctx context.Context, q nakamawashi.SearchQuery) (*nakamawashi.SearchResult, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	own, all, err := nakamawashi.Scope(ctx, nakamawashi.PermCompanyRead)
	if err != nil {
		return nil, err
	}
	var c conds
	if !all {
		c.add("c.id = ?", own)
	}
	// Each word is found in the index and contributes the mask of the
	// fields it is in: a short word straight from its gram, a long one by
	// LIKE on the fields of the candidates that have bigrams covering it.
	// Every gram is a join, so the words are bounded.
	words := queryWords(q.Text)
	if len(words) > maxSearchWords {
		return nil, &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg("err.invalid_fields"),
			Fields: map[string]nakamawashi.Message{"text": nakamawashi.Msg("err.search.words", maxSearchWords)}}
	}
	var joins, masks []string
	var joinArgs, maskArgs []any
	needDoc := false
	for i, w := range words {
		if utf8.RuneCountInString(w) <= 2 {
			g := fmt.Sprintf("g%d", i)
			joins = append(joins, ` JOIN search_grams `+g+` ON `+g+`.company_id = c.id AND `+g+`.gram = ?`)
			joinArgs = append(joinArgs, w)
			masks = append(masks, g+`.fields`)
			continue
		}
		// A long word: the companies that have a covering set of its
		// bigrams, joined gram by gram as for short words, with the fields
		// that have them all; LIKE then checks only those fields, which
		// both confirms the word and gives its mask.
		needDoc = true
		var fm []string
		for j, b := range coverBigrams(w) {
			a := fmt.Sprintf("w%d_%d", i, j)
			joins = append(joins, ` JOIN search_grams `+a+` ON `+a+`.company_id = c.id AND `+a+`.gram = ?`)
			joinArgs = append(joinArgs, b)
			fm = append(fm, a+".fields")
		}
		g := "(" + strings.Join(fm, " & ") + ")"
		var bits []string
		var args []any
		for j, f := range searchFields {
			bits = append(bits, fmt.Sprintf(`CASE WHEN ((%s >> %d) & 1) = 1 AND d.%s LIKE ? ESCAPE '\' THEN %d ELSE 0 END`, g, j, f, 1<<j))
			args = append(args, likePattern(w))
		}
		expr := "(" + strings.Join(bits, " + ") + ")"
		masks, maskArgs = append(masks, expr), append(maskArgs, args...)
		c.add(expr+" <> 0", args...)
	}
	var procs []any
	if q.Process != "" {
		procs = processCodesSatisfying(q.Process)
		c.add("c.id IN (SELECT company_id FROM company_processes WHERE code IN ("+placeholders(len(procs))+"))", procs...)
	}
	for _, f := range []struct{ table, code string }{
		{"company_materials", q.Material}, {"company_certifications", q.Certification}, {"company_lot_sizes", string(q.LotSize)},
	} {
		if f.code != "" {
			c.add("c.id IN (SELECT company_id FROM "+f.table+" WHERE code = ?)", f.code)
		}
	}
	if q.Region != "" {
		c.add("c.region = ?", strings.TrimSpace(q.Region))
	}
	if q.Kind != "" {
		c.add("c.kind = ?", string(q.Kind))
	}
	if q.Part != nil || q.ToleranceUM > 0 {
		// One machine must do it all: fit the part, hold the tolerance and,
		// when a process is asked for, be of a process that satisfies it.
		var m conds
		m.add("m.company_id = c.id")
		if q.Part != nil {
			b := q.Part.Box()
			m.add("m.box_a >= ? AND m.box_b >= ? AND m.box_c >= ?", b[0], b[1], b[2])
		}
		if q.ToleranceUM > 0 {
			m.add("m.tolerance_um > 0 AND m.tolerance_um <= ?", q.ToleranceUM)
		}
		if len(procs) > 0 {
			m.add("m.process IN ("+placeholders(len(procs))+")", procs...)
		}
		c.add("EXISTS (SELECT 1 FROM machines m"+m.where()+")", m.args...)
	}

	mask := "0"
	if len(masks) > 0 {
		mask = strings.Join(masks, " | ")
	}
	from := ` FROM companies c`
	if needDoc {
		from += ` JOIN search_docs d ON d.company_id = c.id`
	}
	inner := `SELECT c.id, c.name_kana, ` + mask + ` AS mask` + from + strings.Join(joins, "") + c.where()
	innerArgs := append(append(maskArgs, joinArgs...), c.args...)
	// The rank: a word in the name or フリガナ (bits 0 and 1) first, then
	// the number of fields the words are in, then フリガナ.
	var bits []string
	for j := range searchFields {
		bits = append(bits, fmt.Sprintf("((mask >> %d) & 1)", j))
	}
	order := `CASE WHEN (mask & 3) <> 0 THEN 0 ELSE 1 END, ` + strings.Join(bits, " + ") + ` DESC, name_kana, id`

	limit, offset := page(q.Offset, q.Limit)
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("Search"), err)
	}
	defer tx.Rollback()
	res := &nakamawashi.SearchResult{Hits: []*nakamawashi.SearchHit{}}
	// The page's ids come with the total, so that the conditions are
	// evaluated once; only a page past the end needs a count of its own.
	// MATERIALIZED (both engines have it) keeps the planner from carrying
	// the documents' fields through the window and sort to compute the
	// mask late.
	pageSQL := `WITH hits AS MATERIALIZED (` + inner + `) SELECT id, mask, COUNT(*) OVER () FROM hits ORDER BY ` + order + ` LIMIT ? OFFSET ?`
	rows, err := tx.query(ctx, pageSQL, append(innerArgs, limit, offset)...)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("Search"), err)
	}
	defer rows.Close()
	var ids []int64
	matched := map[int64]int{}
	for rows.Next() {
		var id int64
		var m int
		if err := rows.Scan(&id, &m, &res.Total); err != nil {
			return nil, nakamawashi.Internal(s.op("Search"), err)
		}
		ids, matched[id] = append(ids, id), m
	}
	if err := rows.Err(); err != nil {
		return nil, nakamawashi.Internal(s.op("Search"), err)
	}
	rows.Close()
	if len(ids) == 0 {
		if offset > 0 {
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM (`+inner+`) hits`, innerArgs...).Scan(&res.Total); err != nil {
				return nil, nakamawashi.Internal(s.op("Search"), err)
			}
		}
		return res, nil
	}

	// Then the page's companies and profiles.
	sel := idsIn(ids)
	rows, err = tx.query(ctx, `SELECT `+companyColumns+` FROM companies WHERE id IN (`+placeholders(len(ids))+`)`, sel.args...)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("Search"), err)
	}
	defer rows.Close()
	hits := make(map[int64]*nakamawashi.SearchHit, len(ids))
	for rows.Next() {
		co, err := scanCompany(rows)
		if err != nil {
			return nil, nakamawashi.Internal(s.op("Search"), err)
		}
		hit := &nakamawashi.SearchHit{Company: co, Matched: []string{}}
		for j, f := range searchFields {
			if matched[co.ID]&(1<<j) != 0 {
				hit.Matched = append(hit.Matched, f)
			}
		}
		hits[co.ID] = hit
	}
	if err := rows.Err(); err != nil {
		return nil, nakamawashi.Internal(s.op("Search"), err)
	}
	rows.Close()
	profiles, err := tx.loadProfiles(ctx, ids, sel)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("Search"), err)
	}
	for _, id := range ids {
		if h, ok := hits[id]; ok {
			h.Profile = profiles[id]
			res.Hits = append(res.Hits, h)
		}
	}
	return res, nil
}
