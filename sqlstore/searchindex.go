package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

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

// reindex rewrites the search document and grams of a company from what
// is stored, in the caller's transaction.
func (tx *Tx) reindex(ctx context.Context, companyID int64) error {
	_, err := tx.reindexChanged(ctx, companyID)
	return err
}

// reindexChanged is reindex, reporting whether the document changed.
func (tx *Tx) reindexChanged(ctx context.Context, companyID int64) (bool, error) {
	if err := tx.lockCompany(ctx, companyID); err != nil {
		return false, err
	}
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
