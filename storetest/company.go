package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

func testCompanies(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s, sys := e.s, e.sys

	t.Run("CreateValidationErrors", func(t *testing.T) {
		tests := []struct {
			name  string
			edit  func(c *nakamawashi.Company)
			field string
			key   string
		}{
			{"check digit", func(c *nakamawashi.Company) { c.CorporateNumber = "8000012050002" }, "corporate_number", "err.company.corporate_number_check"},
			{"length", func(c *nakamawashi.Company) { c.CorporateNumber = "700001205000" }, "corporate_number", "err.company.corporate_number_length"},
			{"name", func(c *nakamawashi.Company) { c.Name = "  " }, "name", "err.required"},
			{"kind", func(c *nakamawashi.Company) { c.Kind = "vendor" }, "kind", "err.company.kind"},
			{"kana", func(c *nakamawashi.Company) { c.NameKana = "山田" }, "name_kana", "err.company.kana"},
			{"prefecture", func(c *nakamawashi.Company) { c.Prefecture = "東京" }, "prefecture", "err.company.prefecture"},
			{"postal code", func(c *nakamawashi.Company) { c.PostalCode = "144-005" }, "postal_code", "err.company.postal_code"},
			{"phone", func(c *nakamawashi.Company) { c.Phone = "1234" }, "phone", "err.phone"},
			{"registration mismatch", func(c *nakamawashi.Company) {
				c.CorporateNumber, c.RegistrationNumber = "7000012050002", "T1180301018771"
			}, "registration_number", "err.company.registration_mismatch"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before, companies := e.events(), e.count(`SELECT COUNT(*) FROM companies`)
				c := sampleCompany(nakamawashi.KindMember, "株式会社検証")
				tt.edit(c)
				err := s.CreateCompany(sys, c)
				wantCode(t, err, nakamawashi.EINVALID)
				wantField(t, err, tt.field, tt.key)
				if c.ID != 0 {
					t.Fatalf("ID: got %d, want 0", c.ID)
				}
				if got := e.events(); got != before {
					t.Fatalf("audit events: got %d, want %d (a refused write leaves no event)", got, before)
				}
				if got := e.count(`SELECT COUNT(*) FROM companies`); got != companies {
					t.Fatalf("companies: got %d, want %d", got, companies)
				}
			})
		}
	})

	t.Run("CreateNormalizes", func(t *testing.T) {
		c := &nakamawashi.Company{
			Kind:               nakamawashi.KindMember,
			Name:               "　株式会社ＳＵＳ精工　",
			NameKana:           "さすせいこう",
			CorporateNumber:    "７０００-０１２-０５０００２",
			RegistrationNumber: "Ｔ７０００-０１２-０５０００２",
			PostalCode:         "〒１４４－００５１",
			Prefecture:         "東京都",
			City:               "大田区",
			Street:             "西蒲田７－１－１",
			Phone:              "０３（１２３４）５６７８",
			Email:              "Info@Example.JP",
		}
		if err := s.CreateCompany(sys, c); err != nil {
			t.Fatal(err)
		}
		if c.ID == 0 || c.CreatedAt.IsZero() || !c.CreatedAt.Equal(c.UpdatedAt) {
			t.Fatalf("created: id %d, created %v, updated %v", c.ID, c.CreatedAt, c.UpdatedAt)
		}
		got, err := s.FindCompanyByID(sys, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][2]string{
			"name":                {got.Name, "株式会社SUS精工"},
			"name_kana":           {got.NameKana, "サスセイコウ"},
			"corporate_number":    {got.CorporateNumber, "7000012050002"},
			"registration_number": {got.RegistrationNumber, "T7000012050002"},
			"postal_code":         {got.PostalCode, "1440051"},
			"street":              {got.Street, "西蒲田7-1-1"},
			"phone":               {got.Phone, "03-1234-5678"},
			"email":               {got.Email, "info@example.jp"},
			"region":              {got.Region, "大田区"},
		}
		for field, gw := range want {
			if gw[0] != gw[1] {
				t.Errorf("%s: got %q, want %q", field, gw[0], gw[1])
			}
		}
		if !got.CreatedAt.Equal(c.CreatedAt) || got.CreatedAt.Location() != c.CreatedAt.Location() {
			t.Errorf("created_at: got %v, want %v", got.CreatedAt, c.CreatedAt)
		}
		if got.CreatedAt.Nanosecond()%1000 != 0 {
			t.Errorf("created_at %v is not truncated to microseconds", got.CreatedAt)
		}
		ev := e.lastEvent()
		if ev.Action != "company.create" || ev.EntityID != c.ID || ev.CompanyID != c.ID || ev.ActorName != "system" {
			t.Errorf("event: got %+v", ev)
		}
	})

	t.Run("Unique", func(t *testing.T) {
		c1 := sampleCompany(nakamawashi.KindMember, "株式会社一番")
		c1.CorporateNumber = "1180301018771"
		if err := s.CreateCompany(sys, c1); err != nil {
			t.Fatal(err)
		}
		before := e.events()
		c2 := sampleCompany(nakamawashi.KindPartner, "株式会社二番")
		c2.CorporateNumber = "1180-3010-18771"
		err := s.CreateCompany(sys, c2)
		wantError(t, err, nakamawashi.ECONFLICT, "err.company.corporate_number_taken")
		wantField(t, err, "corporate_number", "err.company.corporate_number_taken")
		if got := e.events(); got != before {
			t.Fatalf("audit events: got %d, want %d", got, before)
		}
		// Companies without a 法人番号 (sole proprietors) do not collide.
		for _, name := range []string{"山田工業所", "田中製作所"} {
			if err := s.CreateCompany(sys, sampleCompany(nakamawashi.KindMember, name)); err != nil {
				t.Fatal(err)
			}
		}
		// Neither may an update take another company's number.
		c3 := e.company(nakamawashi.KindMember, "株式会社三番")
		_, err = s.UpdateCompany(sys, c3.ID, nakamawashi.CompanyUpdate{CorporateNumber: ptr("1180301018771")})
		wantError(t, err, nakamawashi.ECONFLICT, "err.company.corporate_number_taken")
	})

	t.Run("UpdateAudited", func(t *testing.T) {
		c := e.company(nakamawashi.KindMember, "株式会社更新前")
		e.clock.Add(90 * time.Second)
		upd, err := s.UpdateCompany(sys, c.ID, nakamawashi.CompanyUpdate{
			Name:        ptr("株式会社更新後"),
			Phone:       ptr("０３－９８７６－５４３２"),
			City:        ptr("大田区"), // unchanged: not in the detail
			Description: ptr("旋盤加工、フライス加工。\r\n小ロット対応。"),
		})
		if err != nil {
			t.Fatal(err)
		}
		if upd.Name != "株式会社更新後" || upd.Phone != "03-9876-5432" || upd.Description != "旋盤加工、フライス加工。\n小ロット対応。" {
			t.Fatalf("updated: got %+v", upd)
		}
		got, err := s.FindCompanyByID(sys, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != upd.Name || !got.UpdatedAt.After(got.CreatedAt) {
			t.Fatalf("stored: got %+v", got)
		}
		evs, n, err := s.FindAuditEvents(sys, nakamawashi.AuditFilter{EntityType: "company", EntityID: &c.ID})
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 || evs[0].Action != "company.update" || evs[1].Action != "company.create" {
			t.Fatalf("events: got %d, %+v", n, evs)
		}
		var detail map[string][2]string
		if err := json.Unmarshal([]byte(evs[0].Detail), &detail); err != nil {
			t.Fatalf("detail %q: %v", evs[0].Detail, err)
		}
		want := map[string][2]string{
			"name":        {"株式会社更新前", "株式会社更新後"},
			"phone":       {"03-1234-5678", "03-9876-5432"},
			"description": {"", "旋盤加工、フライス加工。\n小ロット対応。"},
		}
		if len(detail) != len(want) {
			t.Fatalf("detail: got %v, want %v", detail, want)
		}
		for k, v := range want {
			if detail[k] != v {
				t.Fatalf("detail[%s]: got %v, want %v", k, detail[k], v)
			}
		}

		// An update that changes nothing writes nothing.
		before := e.events()
		if _, err := s.UpdateCompany(sys, c.ID, nakamawashi.CompanyUpdate{Name: ptr("株式会社更新後")}); err != nil {
			t.Fatal(err)
		}
		if got := e.events(); got != before {
			t.Fatalf("events after a no-op update: got %d, want %d", got, before)
		}

		// An invalid update is refused whole.
		_, err = s.UpdateCompany(sys, c.ID, nakamawashi.CompanyUpdate{Name: ptr("株式会社また変更"), PostalCode: ptr("12")})
		wantField(t, err, "postal_code", "err.company.postal_code")
		if got, _ := s.FindCompanyByID(sys, c.ID); got.Name != "株式会社更新後" {
			t.Fatalf("name after a refused update: got %q", got.Name)
		}

		_, err = s.UpdateCompany(sys, 99999, nakamawashi.CompanyUpdate{Name: ptr("x")})
		wantError(t, err, nakamawashi.ENOTFOUND, "err.company.not_found")
	})

	t.Run("Find", func(t *testing.T) {
		e := newEnv(t, h)
		mk := func(kind nakamawashi.CompanyKind, name, kana, region string) *nakamawashi.Company {
			c := sampleCompany(kind, name)
			c.NameKana, c.Region = kana, region
			if err := e.s.CreateCompany(e.sys, c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		yamada := mk(nakamawashi.KindMember, "株式会社山田製作所", "ヤマダセイサクショ", "大田区")
		mk(nakamawashi.KindMember, "有限会社ABC精密", "エービーシーセイミツ", "大田区")
		hitachi := mk(nakamawashi.KindPartner, "日立精機株式会社", "ヒタチセイキ", "日立市")
		mk(nakamawashi.KindCustomer, "100%商事株式会社", "ヒャクパーセントショウジ", "品川区")

		tests := []struct {
			name   string
			filter nakamawashi.CompanyFilter
			want   int
			first  string
		}{
			{"all", nakamawashi.CompanyFilter{}, 4, "有限会社ABC精密"},
			{"kind", nakamawashi.CompanyFilter{Kind: nakamawashi.KindPartner}, 1, hitachi.Name},
			{"region", nakamawashi.CompanyFilter{Region: "大田区"}, 2, "有限会社ABC精密"},
			{"name", nakamawashi.CompanyFilter{Query: "山田"}, 1, yamada.Name},
			{"hiragana over kana", nakamawashi.CompanyFilter{Query: "やまだ"}, 1, yamada.Name},
			{"half-width kana", nakamawashi.CompanyFilter{Query: "ﾋﾀﾁ"}, 1, hitachi.Name},
			{"full-width latin", nakamawashi.CompanyFilter{Query: "ａｂｃ"}, 1, "有限会社ABC精密"},
			{"percent is literal", nakamawashi.CompanyFilter{Query: "%"}, 1, "100%商事株式会社"},
			{"underscore is literal", nakamawashi.CompanyFilter{Query: "_"}, 0, ""},
			{"id", nakamawashi.CompanyFilter{ID: &hitachi.ID}, 1, hitachi.Name},
			{"page", nakamawashi.CompanyFilter{Limit: 1, Offset: 1}, 4, hitachi.Name}, // ordered by フリガナ
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, n, err := e.s.FindCompanies(e.sys, tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				if n != tt.want {
					t.Fatalf("count: got %d, want %d", n, tt.want)
				}
				if tt.first != "" && (len(got) == 0 || got[0].Name != tt.first) {
					names := []string{}
					for _, c := range got {
						names = append(names, c.Name)
					}
					t.Fatalf("first: got %v, want %q", names, tt.first)
				}
				if tt.first == "" && len(got) != 0 {
					t.Fatalf("got %d companies, want none", len(got))
				}
			})
		}
	})
}

// testCompanyScope checks who may read and change which companies.
func testCompanyScope(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	w := e.world()

	t.Run("Anonymous", func(t *testing.T) {
		_, err := s.FindCompanyByID(context.Background(), w.a.ID)
		wantError(t, err, nakamawashi.EUNAUTHORIZED, "err.unauthorized")
		_, _, err = s.FindCompanies(context.Background(), nakamawashi.CompanyFilter{})
		wantCode(t, err, nakamawashi.EUNAUTHORIZED)
	})
	t.Run("SupplierReadsDirectory", func(t *testing.T) {
		if _, err := s.FindCompanyByID(w.staffA, w.b.ID); err != nil {
			t.Fatal(err)
		}
		_, n, err := s.FindCompanies(w.staffA, nakamawashi.CompanyFilter{})
		if err != nil || n != 4 {
			t.Fatalf("got %d, %v; want 4 companies", n, err)
		}
	})
	t.Run("CustomerSeesOwnOnly", func(t *testing.T) {
		_, err := s.FindCompanyByID(w.custOwner, w.a.ID)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.company.not_found")
		if _, err := s.FindCompanyByID(w.custOwner, w.cust.ID); err != nil {
			t.Fatal(err)
		}
		got, n, err := s.FindCompanies(w.custOwner, nakamawashi.CompanyFilter{})
		if err != nil || n != 1 || len(got) != 1 || got[0].ID != w.cust.ID {
			t.Fatalf("got %v, %d, %v; want only the customer's own company", got, n, err)
		}
		got, n, err = s.FindCompanies(w.custOwner, nakamawashi.CompanyFilter{ID: &w.a.ID})
		if err != nil || n != 0 || len(got) != 0 {
			t.Fatalf("filter by another id: got %d, %v", n, err)
		}
		_, err = s.UpdateCompany(w.custOwner, w.a.ID, nakamawashi.CompanyUpdate{Name: ptr("乗っ取り")})
		wantCode(t, err, nakamawashi.ENOTFOUND)
	})
	t.Run("Create", func(t *testing.T) {
		err := s.CreateCompany(w.ownerA, sampleCompany(nakamawashi.KindMember, "株式会社勝手"))
		wantError(t, err, nakamawashi.EFORBIDDEN, "err.forbidden")
		if err := s.CreateCompany(w.admin, sampleCompany(nakamawashi.KindMember, "株式会社正規")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("Update", func(t *testing.T) {
		got, err := s.UpdateCompany(w.ownerA, w.a.ID, nakamawashi.CompanyUpdate{Description: ptr("精密切削")})
		if err != nil || got.Description != "精密切削" {
			t.Fatalf("owner updates own company: %v, %v", got, err)
		}
		if ev := e.lastEvent(); ev.ActorName != "利用者 owner-a@example.jp" || ev.ActorUserID == 0 || ev.CompanyID != w.a.ID {
			t.Fatalf("event actor: got %+v", ev)
		}
		_, err = s.UpdateCompany(w.staffA, w.a.ID, nakamawashi.CompanyUpdate{Description: ptr("x")})
		wantCode(t, err, nakamawashi.EFORBIDDEN)
		_, err = s.UpdateCompany(w.ownerA, w.b.ID, nakamawashi.CompanyUpdate{Description: ptr("x")})
		wantCode(t, err, nakamawashi.EFORBIDDEN)
		// The kind decides what a company's people may see: only admins change it.
		_, err = s.UpdateCompany(w.custOwner, w.cust.ID, nakamawashi.CompanyUpdate{Kind: ptr(nakamawashi.KindMember)})
		wantCode(t, err, nakamawashi.EFORBIDDEN)
		if _, err := s.UpdateCompany(w.admin, w.b.ID, nakamawashi.CompanyUpdate{Kind: ptr(nakamawashi.KindPartner)}); err != nil {
			t.Fatal(err)
		}
	})
}
