package demo_test

import (
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/demo"
)

// TestCompanies checks the tables without a store: every company validates
// unchanged, numbers are valid and unique, and the network has its parts.
func TestCompanies(t *testing.T) {
	companies := demo.Companies()
	kinds := map[nakamawashi.CompanyKind]int{}
	names := map[string]bool{}
	corps := map[string]string{}
	regs := map[string]string{}
	phones := map[string]string{}
	withoutCorp, withoutReg := 0, 0
	for _, c := range companies {
		kinds[c.Kind]++
		if names[c.Name] {
			t.Errorf("duplicate name %s", c.Name)
		}
		names[c.Name] = true

		v := c
		if err := v.Validate(); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
		if v != c {
			t.Errorf("%s: Validate changed the record:\ngot  %+v\nwant %+v", c.Name, v, c)
		}

		if len(c.PostalCode) != 7 || strings.Trim(c.PostalCode, "0123456789") != "" {
			t.Errorf("%s: postal code %q is not 7 digits", c.Name, c.PostalCode)
		}
		if c.CorporateNumber == "" {
			withoutCorp++
		} else {
			if !nakamawashi.CorporateNumberValid(c.CorporateNumber) {
				t.Errorf("%s: corporate number %s is not valid", c.Name, c.CorporateNumber)
			}
			if other, ok := corps[c.CorporateNumber]; ok {
				t.Errorf("%s: corporate number %s also used by %s", c.Name, c.CorporateNumber, other)
			}
			corps[c.CorporateNumber] = c.Name
		}
		if c.RegistrationNumber == "" {
			withoutReg++
		} else {
			if n, ok := nakamawashi.NormalizeRegistrationNumber(c.RegistrationNumber); !ok || n != c.RegistrationNumber {
				t.Errorf("%s: registration number %s is not valid", c.Name, c.RegistrationNumber)
			}
			if other, ok := regs[c.RegistrationNumber]; ok {
				t.Errorf("%s: registration number %s also used by %s", c.Name, c.RegistrationNumber, other)
			}
			regs[c.RegistrationNumber] = c.Name
		}
		for _, p := range []string{c.Phone, c.Fax} {
			if p == "" {
				continue
			}
			if other, ok := phones[p]; ok && other != c.Name {
				t.Errorf("%s: number %s also used by %s", c.Name, p, other)
			}
			phones[p] = c.Name
		}
		if c.Description == "" {
			t.Errorf("%s: no description", c.Name)
		}
		switch c.Kind {
		case nakamawashi.KindMember, nakamawashi.KindOffice:
			if c.Prefecture != "東京都" || c.City != "大田区" || c.Region != "大田区" {
				t.Errorf("%s: at %s%s (region %s), want 東京都大田区", c.Name, c.Prefecture, c.City, c.Region)
			}
			if !strings.HasPrefix(c.Phone, "03-") {
				t.Errorf("%s: phone %s is not a Tokyo number", c.Name, c.Phone)
			}
		case nakamawashi.KindPartner:
			if c.Region != "日立市" && c.Region != "岡谷市" {
				t.Errorf("%s: region %s, want 日立市 or 岡谷市", c.Name, c.Region)
			}
		}
	}

	for kind, want := range map[nakamawashi.CompanyKind][2]int{
		nakamawashi.KindMember:   {38, 46},
		nakamawashi.KindPartner:  {9, 11},
		nakamawashi.KindOffice:   {1, 1},
		nakamawashi.KindCustomer: {3, 3},
		nakamawashi.KindGov:      {1, 1},
	} {
		if got := kinds[kind]; got < want[0] || got > want[1] {
			t.Errorf("%s: got %d companies, want %d to %d", kind, got, want[0], want[1])
		}
	}
	if withoutCorp < 1 || withoutCorp > 3 {
		t.Errorf("got %d companies without 法人番号, want a few sole proprietors", withoutCorp)
	}
	if withoutReg < 3 || withoutReg > len(companies)/5 {
		t.Errorf("got %d companies without registration number, want a few", withoutReg)
	}

	hitachi := 0
	for _, c := range companies {
		if c.Kind == nakamawashi.KindPartner && c.Region == "日立市" {
			hitachi++
			if !demo.Network().IsRegional(&c) {
				t.Errorf("%s: not regional", c.Name)
			}
		}
	}
	if hitachi < 7 {
		t.Errorf("got %d partners in 日立市, want at least 7", hitachi)
	}
}

// TestCompaniesFresh checks that callers cannot change the tables through
// what Companies returns.
func TestCompaniesFresh(t *testing.T) {
	a := demo.Companies()
	a[0].Name = "changed"
	if b := demo.Companies(); b[0].Name == "changed" {
		t.Error("Companies returned shared records")
	}
}

// TestLogins checks the accounts: one per role at least, reserved domain,
// known companies, a Japanese note each.
func TestLogins(t *testing.T) {
	names := map[string]nakamawashi.CompanyKind{}
	for _, c := range demo.Companies() {
		names[c.Name] = c.Kind
	}
	logins := demo.Logins(demo.Options{})
	roles := map[nakamawashi.Role]bool{}
	emails := map[string]bool{}
	for _, l := range logins {
		roles[l.Role] = true
		if emails[l.Email] {
			t.Errorf("duplicate email %s", l.Email)
		}
		emails[l.Email] = true
		if !strings.HasSuffix(l.Email, "@example.jp") {
			t.Errorf("%s: not under example.jp", l.Email)
		}
		if l.Password != demo.DefaultPassword {
			t.Errorf("%s: password %q, want the default", l.Email, l.Password)
		}
		if _, ok := names[l.CompanyName]; !ok {
			t.Errorf("%s: no company %s", l.Email, l.CompanyName)
		}
		if l.Note == "" || l.Name == "" {
			t.Errorf("%s: name or note missing", l.Email)
		}
		u := nakamawashi.User{Email: l.Email, Name: l.Name}
		if err := u.Validate(); err != nil {
			t.Errorf("%s: %v", l.Email, err)
		}
	}
	for _, r := range nakamawashi.Roles {
		if !roles[r] {
			t.Errorf("no login with role %s", r)
		}
	}
	if err := nakamawashi.ValidatePassword(demo.DefaultPassword); err != nil {
		t.Errorf("default password: %v", err)
	}
	if got := demo.Logins(demo.Options{Password: "another-password"}); got[0].Password != "another-password" {
		t.Errorf("got password %q, want the one in Options", got[0].Password)
	}
}
