package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/sqlstore"
)

// shop creates a company with a profile and machines as the system.
func (e *env) shop(kind nakamawashi.CompanyKind, name, kana, city, description string, p nakamawashi.Profile, ms ...*nakamawashi.Machine) *nakamawashi.Company {
	e.t.Helper()
	c := sampleCompany(kind, name)
	c.NameKana, c.Description = kana, description
	if city == "日立市" {
		c.Prefecture, c.City, c.PostalCode, c.Street, c.Phone = "茨城県", "日立市", "3170073", "幸町1-1-1", "0294-22-0101"
	}
	if err := e.s.CreateCompany(e.sys, c); err != nil {
		e.t.Fatalf("CreateCompany(%s): %v", name, err)
	}
	p.CompanyID = c.ID
	if err := e.s.UpdateProfile(e.sys, &p); err != nil {
		e.t.Fatalf("UpdateProfile(%s): %v", name, err)
	}
	for _, m := range ms {
		m.CompanyID = c.ID
		if err := e.s.CreateMachine(e.sys, m); err != nil {
			e.t.Fatalf("CreateMachine(%s): %v", name, err)
		}
	}
	return c
}

func box(x, y, z float64) nakamawashi.Envelope {
	return nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: x, Y: y, Z: z}
}

func testSearch(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s, sys := e.s, e.sys

	turner := e.shop(nakamawashi.KindMember, "株式会社エヌシー製作所", "エヌシーセイサクショ", "大田区", "丸物の量産部品を加工しています。",
		nakamawashi.Profile{Processes: []string{"turning.nc"}, Materials: []string{"SUS304", "S45C"}, LotSizes: []nakamawashi.LotSize{nakamawashi.LotSmall}},
		lathe(0))
	polisher := e.shop(nakamawashi.KindPartner, "有限会社ミガキ", "ミガキ", "日立市", "鏡面仕上げが得意です。",
		nakamawashi.Profile{Processes: []string{"polishing"}, LotSizes: []nakamawashi.LotSize{nakamawashi.LotVolume}})
	fiveAxis := e.shop(nakamawashi.KindMember, "株式会社五軸精機", "ゴジクセイキ", "大田区", "複雑形状の一品ものを加工します。",
		nakamawashi.Profile{Processes: []string{"mc.5axis"}, Certifications: []string{"ISO9001"}, LotSizes: []nakamawashi.LotSize{nakamawashi.LotPrototype}},
		&nakamawashi.Machine{Process: "mc.5axis", Maker: "DMG MORI", Model: "DMU 65", Envelope: box(735, 650, 560), Axes: 5, ToleranceUM: 3})
	threeAxis := e.shop(nakamawashi.KindMember, "株式会社三軸加工", "サンジクカコウ", "大田区", "精機メーカー向けのプレートを研削前まで加工します。",
		nakamawashi.Profile{Processes: []string{"mc.3axis"}},
		&nakamawashi.Machine{Process: "mc.3axis", Maker: "ブラザー工業", Model: "SPEEDIO S300X2", Envelope: box(300, 440, 305), ToleranceUM: 20})
	cust := e.company(nakamawashi.KindCustomer, "株式会社発注電機")
	e.user("coord@example.jp", cust.ID, nakamawashi.RoleCoordinator)
	e.user("buyer@example.jp", cust.ID, nakamawashi.RoleOwner)
	e.user("shop@example.jp", turner.ID, nakamawashi.RoleOwner)
	coord, _ := e.login("coord@example.jp")
	buyer, _ := e.login("buyer@example.jp")
	owner, _ := e.login("shop@example.jp")

	find := func(t *testing.T, ctx context.Context, q nakamawashi.SearchQuery) *nakamawashi.SearchResult {
		t.Helper()
		res, err := s.Search(ctx, q)
		if err != nil {
			t.Fatalf("Search(%+v): %v", q, err)
		}
		if res.Total < len(res.Hits) {
			t.Fatalf("total %d < hits %d", res.Total, len(res.Hits))
		}
		for _, h := range res.Hits {
			if h.Profile == nil || h.Profile.CompanyID != h.Company.ID || h.Matched == nil {
				t.Fatalf("hit %+v: no profile or matched fields", h)
			}
		}
		return res
	}
	names := func(res *nakamawashi.SearchResult) []string {
		out := []string{}
		for _, h := range res.Hits {
			out = append(out, h.Company.Name)
		}
		return out
	}
	want := func(t *testing.T, q nakamawashi.SearchQuery, cs ...*nakamawashi.Company) *nakamawashi.SearchResult {
		t.Helper()
		res := find(t, coord, q)
		exp := []string{}
		for _, c := range cs {
			exp = append(exp, c.Name)
		}
		got := names(res)
		slices.Sort(got)
		slices.Sort(exp)
		if !slices.Equal(got, exp) || res.Total != len(exp) {
			t.Fatalf("Search(%+v): got %v (total %d), want %v", q, got, res.Total, exp)
		}
		return res
	}
	matched := func(t *testing.T, res *nakamawashi.SearchResult, c *nakamawashi.Company, fields ...string) {
		t.Helper()
		for _, h := range res.Hits {
			if h.Company.ID == c.ID {
				if !slices.Equal(h.Matched, fields) {
					t.Fatalf("%s matched: got %v, want %v", c.Name, h.Matched, fields)
				}
				return
			}
		}
		t.Fatalf("%s is not among the hits", c.Name)
	}

	t.Run("ShortWords", func(t *testing.T) {
		res := want(t, nakamawashi.SearchQuery{Text: "旋盤"}, turner)
		matched(t, res, turner, "process")
		res = want(t, nakamawashi.SearchQuery{Text: "研磨"}, polisher)
		matched(t, res, polisher, "process")
		res = want(t, nakamawashi.SearchQuery{Text: "研削"}, threeAxis)
		matched(t, res, threeAxis, "description")
		want(t, nakamawashi.SearchQuery{Text: "盤"}, turner)
	})

	t.Run("Normalization", func(t *testing.T) {
		for _, text := range []string{"ｾﾝﾊﾞﾝ", "せんばん", "センバン", "ＳＵＳ３０４", "sus304", "SUS304", "ＮＣ旋盤"} {
			want(t, nakamawashi.SearchQuery{Text: text}, turner)
		}
		res := want(t, nakamawashi.SearchQuery{Text: "ＤＭＵ"}, fiveAxis)
		matched(t, res, fiveAxis, "machine")
		res = want(t, nakamawashi.SearchQuery{Text: "みがき"}, polisher)
		matched(t, res, polisher, "name", "kana")
		want(t, nakamawashi.SearchQuery{Text: "ステンレス"}, turner)
		want(t, nakamawashi.SearchQuery{Text: "えぬしーせいさくしょ"}, turner) // more bigrams than are looked up
		want(t, nakamawashi.SearchQuery{Text: "えぬしーせいさくじょ"})
		want(t, nakamawashi.SearchQuery{Text: "鏡面仕上げ"}, polisher)
	})

	t.Run("NoMatch", func(t *testing.T) {
		want(t, nakamawashi.SearchQuery{Text: "溶接"})
		want(t, nakamawashi.SearchQuery{Text: "ワイヤーカット"})
		want(t, nakamawashi.SearchQuery{Text: "旋盤 研磨"}) // words are ANDed
		want(t, nakamawashi.SearchQuery{Text: "100%"})
		want(t, nakamawashi.SearchQuery{Text: "研磨", Region: "大田区"})
	})

	t.Run("SeveralWords", func(t *testing.T) {
		res := want(t, nakamawashi.SearchQuery{Text: "せんばん 量産"}, turner)
		matched(t, res, turner, "description", "process")
	})

	t.Run("Ranking", func(t *testing.T) {
		// 精機 is in the name of one and the description of the other.
		res := want(t, nakamawashi.SearchQuery{Text: "精機"}, fiveAxis, threeAxis)
		if res.Hits[0].Company.ID != fiveAxis.ID {
			t.Fatalf("order: got %v, want the name match first", names(res))
		}
		matched(t, res, fiveAxis, "name")
	})

	t.Run("Filters", func(t *testing.T) {
		// A 5-axis shop takes 3-axis work; not the other way round.
		want(t, nakamawashi.SearchQuery{Process: "mc.3axis"}, fiveAxis, threeAxis)
		want(t, nakamawashi.SearchQuery{Process: "mc.5axis"}, fiveAxis)
		want(t, nakamawashi.SearchQuery{Process: "milling.manual"}, fiveAxis, threeAxis)
		// Part fit: a plate turned any way; a round part by its bounding box.
		want(t, nakamawashi.SearchQuery{Part: &nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: 100, Y: 600, Z: 500}}, fiveAxis)
		want(t, nakamawashi.SearchQuery{Part: &nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: 290, Y: 300, Z: 10}}, turner, fiveAxis, threeAxis)
		want(t, nakamawashi.SearchQuery{Part: &nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 300, L: 450}}, turner, fiveAxis)
		want(t, nakamawashi.SearchQuery{Process: "turning.nc", Part: &nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 300, L: 450}}, turner)
		want(t, nakamawashi.SearchQuery{Process: "mc.3axis", Part: &nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: 700, Y: 10, Z: 10}}, fiveAxis)
		want(t, nakamawashi.SearchQuery{ToleranceUM: 5}, turner, fiveAxis)
		want(t, nakamawashi.SearchQuery{ToleranceUM: 2})
		want(t, nakamawashi.SearchQuery{Region: "日立市"}, polisher)
		want(t, nakamawashi.SearchQuery{Kind: nakamawashi.KindPartner}, polisher)
		want(t, nakamawashi.SearchQuery{Kind: nakamawashi.KindCustomer}, cust)
		want(t, nakamawashi.SearchQuery{LotSize: nakamawashi.LotVolume}, polisher)
		want(t, nakamawashi.SearchQuery{Material: "SUS304"}, turner)
		want(t, nakamawashi.SearchQuery{Certification: "ISO9001"}, fiveAxis)
		want(t, nakamawashi.SearchQuery{Text: "加工", Region: "大田区", Kind: nakamawashi.KindMember}, turner, fiveAxis, threeAxis)
		_, err := s.Search(coord, nakamawashi.SearchQuery{Process: "juggling"})
		wantField(t, err, "process", "err.profile.process")
		_, err = s.Search(coord, nakamawashi.SearchQuery{Text: "a b c d e f g h i"})
		wantCode(t, err, nakamawashi.EINVALID)
		wantField(t, err, "text", "err.search.words")
	})

	t.Run("Paging", func(t *testing.T) {
		all := find(t, coord, nakamawashi.SearchQuery{Kind: nakamawashi.KindMember})
		if all.Total != 3 || len(all.Hits) != 3 {
			t.Fatalf("members: got %v, total %d", names(all), all.Total)
		}
		var got []string
		for off := 0; off < 4; off += 2 {
			res := find(t, coord, nakamawashi.SearchQuery{Kind: nakamawashi.KindMember, Offset: off, Limit: 2})
			if res.Total != 3 {
				t.Fatalf("page at %d: total %d, want 3", off, res.Total)
			}
			got = append(got, names(res)...)
		}
		if !slices.Equal(got, names(all)) {
			t.Fatalf("pages: got %v, want %v", got, names(all))
		}
		past := find(t, coord, nakamawashi.SearchQuery{Kind: nakamawashi.KindMember, Offset: 10})
		if past.Total != 3 || len(past.Hits) != 0 {
			t.Fatalf("past the end: got %d hits, total %d", len(past.Hits), past.Total)
		}
	})

	t.Run("Scope", func(t *testing.T) {
		// A customer finds only its own company.
		if res := find(t, buyer, nakamawashi.SearchQuery{Text: "旋盤"}); res.Total != 0 {
			t.Fatalf("customer: got %v", names(res))
		}
		if res := find(t, buyer, nakamawashi.SearchQuery{}); res.Total != 1 || res.Hits[0].Company.ID != cust.ID {
			t.Fatalf("customer: got %v", names(res))
		}
		if res := find(t, owner, nakamawashi.SearchQuery{Text: "研磨"}); res.Total != 1 {
			t.Fatalf("a member reads the directory: got %v", names(res))
		}
		_, err := s.Search(context.Background(), nakamawashi.SearchQuery{})
		wantCode(t, err, nakamawashi.EUNAUTHORIZED)
	})

	t.Run("Reindex", func(t *testing.T) {
		p, _ := s.FindProfile(sys, threeAxis.ID)
		p.Materials = []string{"C3604"}
		if err := s.UpdateProfile(owner, p); err == nil {
			t.Fatal("another company's owner edited the profile")
		}
		if err := s.UpdateProfile(sys, p); err != nil {
			t.Fatal(err)
		}
		res := want(t, nakamawashi.SearchQuery{Text: "しんちゅう"}, threeAxis)
		matched(t, res, threeAxis, "material")

		m := &nakamawashi.Machine{CompanyID: threeAxis.ID, Process: "edm.wire", Maker: "ソディック", Model: "AQ400L", Envelope: box(400, 300, 250), ToleranceUM: 2}
		if err := s.CreateMachine(sys, m); err != nil {
			t.Fatal(err)
		}
		want(t, nakamawashi.SearchQuery{Text: "ソディック"}, threeAxis)
		want(t, nakamawashi.SearchQuery{Text: "ワイヤーカット"}, threeAxis) // the machine's process counts
		want(t, nakamawashi.SearchQuery{ToleranceUM: 2}, threeAxis)
		m.Maker = "三菱電機"
		if err := s.UpdateMachine(sys, m); err != nil {
			t.Fatal(err)
		}
		want(t, nakamawashi.SearchQuery{Text: "ソディック"})
		want(t, nakamawashi.SearchQuery{Text: "三菱"}, threeAxis)
		if err := s.DeleteMachine(sys, m.ID); err != nil {
			t.Fatal(err)
		}
		want(t, nakamawashi.SearchQuery{Text: "三菱"})
		want(t, nakamawashi.SearchQuery{Text: "ワイヤーカット"})

		post := &nakamawashi.Post{CompanyID: turner.ID, Title: "工場見学会のお知らせ", Body: "チタンの試作も始めました。"}
		if err := s.CreatePost(owner, post); err != nil {
			t.Fatal(err)
		}
		res = want(t, nakamawashi.SearchQuery{Text: "チタン"}, turner)
		matched(t, res, turner, "post")
		if err := s.DeletePost(owner, post.ID); err != nil {
			t.Fatal(err)
		}
		want(t, nakamawashi.SearchQuery{Text: "チタン"})

		if _, err := s.UpdateCompany(sys, threeAxis.ID, nakamawashi.CompanyUpdate{Name: ptr("株式会社ミライ工業"), NameKana: ptr("ミライコウギョウ")}); err != nil {
			t.Fatal(err)
		}
		threeAxis.Name = "株式会社ミライ工業"
		res = want(t, nakamawashi.SearchQuery{Text: "ミライ"}, threeAxis)
		matched(t, res, threeAxis, "name", "kana")
		want(t, nakamawashi.SearchQuery{Text: "三軸"})

		if n := e.count(`SELECT COUNT(*) FROM search_docs`); n != 5 {
			t.Fatalf("documents: got %d, want 5", n)
		}
	})

	t.Run("Rebuild", func(t *testing.T) {
		// What the writes left in the index is what a rebuild makes.
		before := e.searchIndex()
		if n, err := e.reindexer().ReindexDirectory(sys); err != nil || n != 5 {
			t.Fatalf("ReindexDirectory: %d, %v", n, err)
		}
		if after := e.searchIndex(); after != before {
			t.Fatalf("index after the writes differs from a rebuild:\n%s\n---\n%s", before, after)
		}
		// A damaged index is repaired.
		if err := e.h.Exec(t, s, `DELETE FROM search_grams WHERE company_id = ?`, turner.ID); err != nil {
			t.Fatal(err)
		}
		want(t, nakamawashi.SearchQuery{Text: "旋盤"})
		if _, err := e.reindexer().ReindexDirectory(sys); err != nil {
			t.Fatal(err)
		}
		want(t, nakamawashi.SearchQuery{Text: "旋盤"}, turner)
		_, err := e.reindexer().ReindexDirectory(owner)
		wantCode(t, err, nakamawashi.EFORBIDDEN)
	})
}

// reindexer is the store's index maintenance, beyond nakamawashi.Store.
type reindexer interface {
	ReindexDirectory(ctx context.Context) (int, error)
}

func (e *env) reindexer() reindexer {
	e.t.Helper()
	r, ok := e.s.(reindexer)
	if !ok {
		e.t.Fatalf("%T has no ReindexDirectory", e.s)
	}
	return r
}

// searchIndex returns the whole search index as text.
func (e *env) searchIndex() string {
	e.t.Helper()
	st := e.s.(*sqlstore.Store)
	var b strings.Builder
	for _, q := range []string{
		`SELECT company_id, text FROM search_docs ORDER BY company_id`,
		`SELECT company_id, gram, fields FROM search_grams ORDER BY company_id, gram`,
	} {
		rows, err := st.DB().QueryContext(context.Background(), q)
		if err != nil {
			e.t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				e.t.Fatal(err)
			}
			for _, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprint(&b, v, "\t")
			}
			b.WriteByte('\n')
		}
		rows.Close()
	}
	return b.String()
}

func testSuppliers(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	w := e.world()
	five := &nakamawashi.Machine{Process: "mc.5axis", Maker: "DMG MORI", Model: "DMU 65", Envelope: box(735, 650, 560), Axes: 5}
	for _, u := range []struct {
		c  *nakamawashi.Company
		p  []string
		ms []*nakamawashi.Machine
	}{{w.a, []string{"mc.5axis", "heat.quench"}, []*nakamawashi.Machine{five, lathe(0)}}, {w.b, []string{"turning.nc"}, nil}, {w.cust, []string{"mc.3axis"}, nil}} {
		if err := s.UpdateProfile(e.sys, &nakamawashi.Profile{CompanyID: u.c.ID, Processes: u.p}); err != nil {
			t.Fatal(err)
		}
		for _, m := range u.ms {
			m.CompanyID = u.c.ID
			if err := s.CreateMachine(e.sys, m); err != nil {
				t.Fatal(err)
			}
		}
	}
	partner := e.shop(nakamawashi.KindPartner, "株式会社日立精工", "ヒタチセイコウ", "日立市", "",
		nakamawashi.Profile{Processes: []string{"mc.3axis"}})
	e.user("coord@example.jp", w.office.ID, nakamawashi.RoleCoordinator)
	coord, _ := e.login("coord@example.jp")

	sups, err := s.FindSuppliers(coord, []string{"mc.3axis", "welding.tig"})
	if err != nil {
		t.Fatal(err)
	}
	// The customer lists mc.3axis but is no supplier; B does not offer it.
	if len(sups) != 2 || sups[0].Company.ID != w.a.ID || sups[1].Company.ID != partner.ID {
		t.Fatalf("suppliers: got %v", sups)
	}
	a := sups[0]
	if !slices.Equal(a.Profile.Processes, []string{"mc.5axis", "heat.quench"}) || len(a.Machines) != 2 ||
		a.Machines[0].Model != "DMU 65" || a.Machines[1].Process != "turning.nc" || a.Company.Name != w.a.Name {
		t.Fatalf("supplier A: got %+v, profile %+v, machines %v", a.Company, a.Profile, a.Machines)
	}
	if sups[1].Machines == nil || len(sups[1].Machines) != 0 {
		t.Fatalf("partner machines: got %v, want none", sups[1].Machines)
	}
	if sups, err := s.FindSuppliers(coord, []string{"turning.swiss"}); err != nil || len(sups) != 0 {
		t.Fatalf("no supplier: got %v, %v", sups, err)
	}
	if sups, err := s.FindSuppliers(w.admin, []string{"turning.nc"}); err != nil || len(sups) != 1 || sups[0].Company.ID != w.b.ID {
		t.Fatalf("admin: got %v, %v", sups, err)
	}
	_, err = s.FindSuppliers(w.ownerA, []string{"mc.3axis"})
	wantCode(t, err, nakamawashi.EFORBIDDEN)
	_, err = s.FindSuppliers(coord, []string{"juggling"})
	wantField(t, err, "processes", "err.profile.process")
}

func testImportDirectory(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	w := e.world()
	importer, ok := s.(interface {
		ImportDirectory(context.Context, []*nakamawashi.Supplier) error
	})
	if !ok {
		t.Fatalf("%T has no ImportDirectory", s)
	}

	companies, events := e.count(`SELECT COUNT(*) FROM companies`), e.events()
	bad := GenerateDirectory(3, 7)
	bad[1].Company.PostalCode = "12"
	bad[2].Machines[0].Process = "painting"
	err := importer.ImportDirectory(e.sys, bad)
	wantCode(t, err, nakamawashi.EINVALID)
	wantField(t, err, "1.postal_code", "err.company.postal_code")
	wantField(t, err, "2.machines.0.process", "err.machine.process")
	wantCode(t, importer.ImportDirectory(w.ownerA, GenerateDirectory(1, 7)), nakamawashi.EFORBIDDEN)
	if n := e.count(`SELECT COUNT(*) FROM companies`); n != companies || e.events() != events {
		t.Fatalf("a refused import stored %d companies", n-companies)
	}

	sups := GenerateDirectory(40, 7)
	machines := 0
	for _, sup := range sups {
		machines += len(sup.Machines)
	}
	if err := importer.ImportDirectory(e.sys, sups); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT COUNT(*) FROM companies`); n != companies+40 {
		t.Fatalf("companies: got %d, want %d", n, companies+40)
	}
	if n := e.events(); n != events+40 || e.lastEvent().Action != "company.import" {
		t.Fatalf("events: got %d, want %d", n, events+40)
	}
	if n := e.count(`SELECT COUNT(*) FROM machines`); n != machines {
		t.Fatalf("machines: got %d, want %d", n, machines)
	}
	for i, sup := range sups {
		if sup.Company.ID == 0 || sup.Profile.CompanyID != sup.Company.ID {
			t.Fatalf("%d: ids not filled: %+v", i, sup.Company)
		}
		ms, err := s.FindMachines(w.admin, sup.Company.ID)
		if err != nil || len(ms) != len(sup.Machines) {
			t.Fatalf("%d: machines: got %d, want %d (%v)", i, len(ms), len(sup.Machines), err)
		}
		for j, m := range ms {
			if m.ID != sup.Machines[j].ID || m.Model != sup.Machines[j].Model || m.Envelope != sup.Machines[j].Envelope {
				t.Fatalf("%d: machine %d: got %+v, want %+v", i, j, m, sup.Machines[j])
			}
		}
	}
	p, err := s.FindProfile(w.admin, sups[5].Company.ID)
	if err != nil || !slices.Equal(p.Processes, sups[5].Profile.Processes) || p.Employees != sups[5].Profile.Employees {
		t.Fatalf("profile: got %+v, want %+v (%v)", p, sups[5].Profile, err)
	}
	res, err := s.Search(w.admin, nakamawashi.SearchQuery{Text: sups[5].Company.NameKana, Region: sups[5].Company.Region})
	if err != nil || !slices.ContainsFunc(res.Hits, func(h *nakamawashi.SearchHit) bool { return h.Company.ID == sups[5].Company.ID }) {
		t.Fatalf("imported company not found: %v, %v", res, err)
	}

	// The import indexes as the writes and a rebuild do.
	before := e.searchIndex()
	if _, err := e.reindexer().ReindexDirectory(e.sys); err != nil {
		t.Fatal(err)
	}
	if after := e.searchIndex(); after != before {
		t.Fatal("the imported index differs from a rebuild")
	}

	// Importing the same list again meets the corporate numbers.
	again := GenerateDirectory(2, 7)
	err = importer.ImportDirectory(e.sys, again)
	wantCode(t, err, nakamawashi.ECONFLICT)
	wantField(t, err, "0.corporate_number", "err.company.corporate_number_taken")
}
