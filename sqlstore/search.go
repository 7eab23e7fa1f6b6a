package sqlstore

import (
	"context"
	"database/sql"
	"errors"
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
// longer word needs all its bigrams, and the candidates are confirmed with
// LIKE. Every write to a company's profile, machines, posts or the company
// itself rewrites its document and changed grams in the same transaction.

// searchFields names the fields of a search document, in the order of the
// columns of search_docs after text. They are also what SearchHit.Matched
// reports.
var searchFields = []string{"name", "kana", "description", "region", "process", "material", "certification", "machine", "post"}

// searchDoc is a company's document: one normalized text per field.
type searchDoc [9]string

// text is the whole document. Fields are joined by a space, which no query
// word contains, so that no word matches across two fields.
func (d *searchDoc) text() string {
	var parts []string
	for _, f := range d {
		if f != "" {
			parts = append(parts, f)
		}
	}
	return strings.Join(parts, " ")
}

// buildDoc gathers what a company is found by: its names, description and
// place, every process it lists or has a machine for (Japanese, English and
// reading), its materials (code, name, reading), certifications, machines'
// makers and models, and its posts.
func buildDoc(c *nakamawashi.Company, p *nakamawashi.Profile, machines []*nakamawashi.Machine, posts []*nakamawashi.Post) searchDoc {
	var d searchDoc
	var b [9][]string
	b[0] = []string{c.Name}
	b[1] = []string{c.NameKana}
	b[2] = []string{c.Description}
	b[3] = []string{c.Region}
	if c.City != c.Region {
		b[3] = append(b[3], c.City)
	}
	procs := slices.Clone(p.Processes)
	for _, m := range machines {
		if !slices.Contains(procs, m.Process) {
			procs = append(procs, m.Process)
		}
	}
	for _, code := range procs {
		if pr, ok := nakamawashi.ProcessByCode(code); ok {
			b[4] = append(b[4], pr.JA, pr.EN, pr.Reading)
		}
	}
	for _, code := range p.Materials {
		if m, ok := nakamawashi.MaterialByCode(code); ok {
			b[5] = append(b[5], m.Code, m.JA, m.Reading)
		}
	}
	for _, code := range p.Certifications {
		if ce, ok := nakamawashi.CertificationByCode(code); ok {
			b[6] = append(b[6], ce.Code, ce.JA)
		}
	}
	for _, m := range machines {
		b[7] = append(b[7], m.Maker, m.Model)
	}
	for _, po := range posts {
		b[8] = append(b[8], po.Title, po.Body)
	}
	for i := range b {
		d[i] = nakamawashi.NormalizeSearch(strings.Join(b[i], " "))
	}
	return d
}

// grams returns the distinct unigrams and bigrams of the words of the
// document, each with the bit mask of the fields it occurs in (bit i for
// searchFields[i]).
func (d *searchDoc) grams() map[string]int {
	out := map[string]int{}
	for i, f := range d {
		for _, w := range strings.Fields(f) {
			rs := []rune(w)
			for j := range rs {
				out[string(rs[j])] |= 1 << i
				if j > 0 {
					out[string(rs[j-1:j+1])] |= 1 << i
				}
			}
		}
	}
	return out
}

// coverBigrams returns distinct bigrams of w that cover every character of
// it: every other one and the last. A company with all of them may have w;
// LIKE decides.
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

// reindex rewrites the search document and grams of a company from what
// is stored, in the caller's transaction.
func (tx *Tx) reindex(ctx context.Context, companyID int64) error {
	_, err := tx.reindexChanged(ctx, companyID)
	return err
}

// reindexChanged is reindex, reporting whether the document changed.
func (tx *Tx) reindexChanged(ctx context.Context, companyID int64) (bool, error) {
	c, err := tx.findCompanyByID(ctx, companyID)
	if err != nil {
		return false, err
	}
	sel := idsIn([]int64{companyID})
	p, err := tx.findProfile(ctx, companyID)
	if err != nil {
		return false, err
	}
	machines, err := tx.loadMachines(ctx, sel)
	if err != nil {
		return false, err
	}
	rows, err := tx.query(ctx, `SELECT title, body FROM posts WHERE company_id = ? ORDER BY id`, companyID)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var posts []*nakamawashi.Post
	for rows.Next() {
		var po nakamawashi.Post
		if err := rows.Scan(&po.Title, &po.Body); err != nil {
			return false, err
		}
		posts = append(posts, &po)
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	rows.Close()
	// Only the grams that changed (or whose fields did) are deleted and
	// inserted: most writes change a few words of a long text.
	var old searchDoc
	dest := make([]any, len(old))
	for i := range old {
		dest[i] = &old[i]
	}
	err = tx.queryRow(ctx, `SELECT `+strings.Join(searchFields, ", ")+` FROM search_docs WHERE company_id = ?`, companyID).Scan(dest...)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	doc := buildDoc(c, p, machines, posts)
	if doc == old {
		return false, nil
	}
	was, now := old.grams(), doc.grams()
	var gone []any
	for g, mask := range was {
		if now[g] != mask {
			gone = append(gone, g)
		}
	}
	for g, mask := range now {
		if was[g] == mask {
			delete(now, g)
		}
	}
	for len(gone) > 0 {
		k := min(len(gone), maxParams-1)
		if _, err := tx.exec(ctx, `DELETE FROM search_grams WHERE company_id = ? AND gram IN (`+placeholders(k)+`)`,
			append([]any{companyID}, gone[:k]...)...); err != nil {
			return false, err
		}
		gone = gone[k:]
	}
	return true, tx.writeDocs(ctx, []int64{companyID}, map[int64]searchDoc{companyID: doc}, now)
}

// writeDocs stores the documents of ids and inserts their grams, sorted so
// that the index grows in order. With changed set, it replaces a stored
// document and inserts only the grams in changed (the others are stored).
func (tx *Tx) writeDocs(ctx context.Context, ids []int64, docs map[int64]searchDoc, changed map[string]int) error {
	replace := changed != nil
	type posting struct {
		id   int64
		mask int
	}
	var rows []any
	postings := map[string][]posting{}
	for _, id := range ids {
		d := docs[id]
		rows = append(rows, id, d.text())
		for _, f := range d {
			rows = append(rows, f)
		}
		if replace {
			for g, mask := range changed {
				postings[g] = append(postings[g], posting{id, mask})
			}
			continue
		}
		for g, mask := range d.grams() {
			postings[g] = append(postings[g], posting{id, mask})
		}
	}
	suffix := ""
	if replace {
		suffix = ` ON CONFLICT (company_id) DO UPDATE SET text = excluded.text`
		for _, f := range searchFields {
			suffix += `, ` + f + ` = excluded.` + f
		}
	}
	if err := tx.insertMany(ctx, `INSERT INTO search_docs (company_id, text, `+strings.Join(searchFields, ", ")+`) VALUES `,
		2+len(searchFields), rows, suffix); err != nil {
		return err
	}
	keys := make([]string, 0, len(postings))
	for g := range postings {
		keys = append(keys, g)
	}
	slices.Sort(keys)
	vals := make([]any, 0, 3*len(postings))
	for _, g := range keys {
		for _, p := range postings[g] {
			vals = append(vals, g, p.id, p.mask)
		}
	}
	return tx.insertMany(ctx, `INSERT INTO search_grams (gram, company_id, fields) VALUES `, 3, vals, "")
}

// indexMissing builds the search documents of companies that have none,
// such as those stored before the directory existed.
func (s *Store) indexMissing(ctx context.Context) error {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.reindexWhere(ctx, `id NOT IN (SELECT company_id FROM search_docs)`); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// reindexWhere reindexes the companies that cond selects and returns how
// many documents changed.
func (tx *Tx) reindexWhere(ctx context.Context, cond string) (int, error) {
	rows, err := tx.query(ctx, `SELECT id FROM companies WHERE `+cond+` ORDER BY id`)
	if err != nil {
		return 0, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		changed, err := tx.reindexChanged(ctx, id)
		if err != nil {
			return 0, err
		}
		if changed {
			n++
		}
	}
	return n, nil
}

// ReindexDirectory rebuilds the search index from what is stored, as after
// a new vocabulary version renames a process or adds a reading, and
// returns the number of companies indexed. Only the system and network
// admins may.
func (s *Store) ReindexDirectory(ctx context.Context) (int, error) {
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCompanyCreate, 0); err != nil {
		return 0, err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return 0, nakamawashi.Internal(s.op("ReindexDirectory"), err)
	}
	defer tx.Rollback()
	n, err := tx.rebuildIndex(ctx)
	if err != nil {
		return 0, nakamawashi.Internal(s.op("ReindexDirectory"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, nakamawashi.Internal(s.op("ReindexDirectory"), err)
	}
	return n, nil
}

// rebuildIndex replaces the whole index, reading each table once.
func (tx *Tx) rebuildIndex(ctx context.Context) (int, error) {
	rows, err := tx.query(ctx, `SELECT `+companyColumns+` FROM companies ORDER BY id`)
	if err != nil {
		return 0, err
	}
	var companies []*nakamawashi.Company
	var ids []int64
	for rows.Next() {
		c, err := scanCompany(rows)
		if err != nil {
			rows.Close()
			return 0, err
		}
		companies, ids = append(companies, c), append(ids, c.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	all := idSet{expr: "1 = 1"}
	profiles, err := tx.loadProfiles(ctx, ids, all)
	if err != nil {
		return 0, err
	}
	machines, err := tx.loadMachines(ctx, all)
	if err != nil {
		return 0, err
	}
	byCompany := map[int64][]*nakamawashi.Machine{}
	for _, m := range machines {
		byCompany[m.CompanyID] = append(byCompany[m.CompanyID], m)
	}
	rows, err = tx.query(ctx, `SELECT company_id, title, body FROM posts ORDER BY id`)
	if err != nil {
		return 0, err
	}
	posts := map[int64][]*nakamawashi.Post{}
	for rows.Next() {
		var p nakamawashi.Post
		if err := rows.Scan(&p.CompanyID, &p.Title, &p.Body); err != nil {
			rows.Close()
			return 0, err
		}
		posts[p.CompanyID] = append(posts[p.CompanyID], &p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	docs := make(map[int64]searchDoc, len(companies))
	for _, c := range companies {
		docs[c.ID] = buildDoc(c, profiles[c.ID], byCompany[c.ID], posts[c.ID])
	}
	for _, q := range []string{`DELETE FROM search_grams`, `DELETE FROM search_docs`} {
		if _, err := tx.exec(ctx, q); err != nil {
			return 0, err
		}
	}
	return len(ids), tx.writeDocs(ctx, ids, docs, nil)
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
	// LIKE on the fields of the candidates that have all its bigrams.
	words := queryWords(q.Text)
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
	page := `WITH hits AS MATERIALIZED (` + inner + `) SELECT id, mask, COUNT(*) OVER () FROM hits ORDER BY ` + order + ` LIMIT ? OFFSET ?`
	rows, err := tx.query(ctx, page,
		append(innerArgs, limit, offset)...)
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
