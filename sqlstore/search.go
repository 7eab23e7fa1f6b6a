package sqlstore

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/nakamawashi/nakamawashi"
)

// The directory search runs on an n-gram index that both engines keep in
// plain tables: search_docs holds each company's searchable text (and each
// field's, for ranking), folded by nakamawashi.NormalizeSearch;
// search_grams holds every distinct unigram and bigram of every word of
// it. A query word of one or two characters is one index lookup (so that
// 旋盤 and 研磨 work, which trigram indexes cannot); a longer word needs all
// its bigrams, and the candidates are confirmed with LIKE. Every write to a
// company's profile, machines, posts or the company itself rewrites its
// document and grams in the same transaction.

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

// grams returns the distinct unigrams and bigrams of the words of text,
// which is already normalized.
func grams(text string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(g string) {
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	for _, w := range strings.Fields(text) {
		rs := []rune(w)
		for i := range rs {
			add(string(rs[i]))
			if i > 0 {
				add(string(rs[i-1 : i+1]))
			}
		}
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
	c, err := tx.findCompanyByID(ctx, companyID)
	if err != nil {
		return err
	}
	sel := idsIn([]int64{companyID})
	p, err := tx.findProfile(ctx, companyID)
	if err != nil {
		return err
	}
	machines, err := tx.loadMachines(ctx, sel)
	if err != nil {
		return err
	}
	rows, err := tx.query(ctx, `SELECT title, body FROM posts WHERE company_id = ? ORDER BY id`, companyID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var posts []*nakamawashi.Post
	for rows.Next() {
		var po nakamawashi.Post
		if err := rows.Scan(&po.Title, &po.Body); err != nil {
			return err
		}
		posts = append(posts, &po)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	if _, err := tx.exec(ctx, `DELETE FROM search_grams WHERE company_id = ?`, companyID); err != nil {
		return err
	}
	docs := map[int64]searchDoc{companyID: buildDoc(c, p, machines, posts)}
	return tx.writeDocs(ctx, []int64{companyID}, docs, true)
}

// writeDocs stores the documents of ids and inserts their grams, sorted so
// that the index grows in order. Old grams are the caller's to delete;
// replace says that a document may exist already.
func (tx *Tx) writeDocs(ctx context.Context, ids []int64, docs map[int64]searchDoc, replace bool) error {
	var rows []any
	postings := map[string][]int64{}
	for _, id := range ids {
		d := docs[id]
		text := d.text()
		rows = append(rows, id, text)
		for _, f := range d {
			rows = append(rows, f)
		}
		for _, g := range grams(text) {
			postings[g] = append(postings[g], id)
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
	vals := make([]any, 0, 2*len(postings))
	for _, g := range keys {
		for _, id := range postings[g] {
			vals = append(vals, g, id)
		}
	}
	return tx.insertMany(ctx, `INSERT INTO search_grams (gram, company_id) VALUES `, 2, vals, "")
}

// indexMissing builds the search documents of companies that have none,
// such as those stored before the directory existed.
func (s *Store) indexMissing(ctx context.Context) error {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT id FROM companies WHERE id NOT IN (SELECT company_id FROM search_docs) ORDER BY id`)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	for _, id := range ids {
		if err := tx.reindex(ctx, id); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
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

// prefixed qualifies each column of a column list with alias.
func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

var searchCompanyColumns = prefixed("c", companyColumns)

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
	words := queryWords(q.Text)
	for _, w := range words {
		if utf8.RuneCountInString(w) <= 2 {
			c.add("c.id IN (SELECT company_id FROM search_grams WHERE gram = ?)", w)
			continue
		}
		var bigrams []any
		rs := []rune(w)
		for i := 1; i < len(rs); i++ {
			if g := string(rs[i-1 : i+1]); !slices.Contains(bigrams, any(g)) {
				bigrams = append(bigrams, g)
			}
		}
		c.add("c.id IN (SELECT company_id FROM search_grams WHERE gram IN ("+placeholders(len(bigrams))+") GROUP BY company_id HAVING COUNT(*) = ?)",
			append(bigrams, len(bigrams))...)
		c.add(`d.text LIKE ? ESCAPE '\'`, likePattern(w))
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

	// The rank: 1 if a word is in the name or フリガナ, and the number of
	// fields any word is in.
	var rankArgs []any
	fieldHit := func(f string) string {
		var ors []string
		for _, w := range words {
			ors = append(ors, "d."+f+` LIKE ? ESCAPE '\'`)
			rankArgs = append(rankArgs, likePattern(w))
		}
		return "(" + strings.Join(ors, " OR ") + ")"
	}
	order := "c.name_kana, c.id"
	rank := ""
	if len(words) > 0 {
		rank = ", CASE WHEN " + fieldHit("name") + " OR " + fieldHit("kana") + " THEN 1 ELSE 0 END AS name_hit"
		var sum []string
		for _, f := range searchFields {
			sum = append(sum, "CASE WHEN "+fieldHit(f)+" THEN 1 ELSE 0 END")
		}
		rank += ", " + strings.Join(sum, " + ") + " AS field_hits"
		order = "name_hit DESC, field_hits DESC, " + order
	}

	limit, offset := page(q.Offset, q.Limit)
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("Search"), err)
	}
	defer tx.Rollback()
	from := ` FROM companies c JOIN search_docs d ON d.company_id = c.id`
	res := &nakamawashi.SearchResult{Hits: []*nakamawashi.SearchHit{}}
	if err := tx.queryRow(ctx, `SELECT COUNT(*)`+from+c.where(), c.args...).Scan(&res.Total); err != nil {
		return nil, nakamawashi.Internal(s.op("Search"), err)
	}
	if res.Total == 0 || offset >= res.Total {
		return res, nil
	}
	args := append(append(rankArgs, c.args...), limit, offset)
	rows, err := tx.query(ctx, `SELECT `+searchCompanyColumns+`, d.`+strings.Join(searchFields, ", d.")+rank+
		from+c.where()+` ORDER BY `+order+` LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("Search"), err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var d searchDoc
		var nameHit, fieldHits int
		co, err := scanCompany(scanFunc(func(dest ...any) error {
			for i := range d {
				dest = append(dest, &d[i])
			}
			if len(words) > 0 {
				dest = append(dest, &nameHit, &fieldHits)
			}
			return rows.Scan(dest...)
		}))
		if err != nil {
			return nil, nakamawashi.Internal(s.op("Search"), err)
		}
		hit := &nakamawashi.SearchHit{Company: co, Matched: []string{}}
		for i, f := range d {
			for _, w := range words {
				if strings.Contains(f, w) {
					hit.Matched = append(hit.Matched, searchFields[i])
					break
				}
			}
		}
		res.Hits = append(res.Hits, hit)
		ids = append(ids, co.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, nakamawashi.Internal(s.op("Search"), err)
	}
	rows.Close()
	profiles, err := tx.loadProfiles(ctx, ids, idsIn(ids))
	if err != nil {
		return nil, nakamawashi.Internal(s.op("Search"), err)
	}
	for _, h := range res.Hits {
		h.Profile = profiles[h.Company.ID]
	}
	return res, nil
}

// scanFunc turns a function into a scanner.
type scanFunc func(dest ...any) error

// Scan implements scanner.
func (f scanFunc) Scan(dest ...any) error { return f(dest...) }
