package nakamawashi

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// CompanyKind is a company's part in the network.
type CompanyKind string

// The parts a company can play in the network.
const (
	KindMember   CompanyKind = "member"     // 会員企業: a job shop of the network
	KindPartner  CompanyKind = "partner"    // 地方企業: a regional partner, often volume-capable
	KindCustomer CompanyKind = "customer"   // 発注者: sends needs, receives quotes and parts
	KindOffice   CompanyKind = "office"     // 事務局: the network office
	KindGov      CompanyKind = "government" // 自治体: a city's industry office
)

// CompanyKinds lists the kinds in display order.
var CompanyKinds = []CompanyKind{KindMember, KindPartner, KindCustomer, KindOffice, KindGov}

// Valid reports whether k is a known kind.
func (k CompanyKind) Valid() bool {
	for _, v := range CompanyKinds {
		if v == k {
			return true
		}
	}
	return false
}

// Supplier reports whether companies of this kind do work for the network.
func (k CompanyKind) Supplier() bool { return k == KindMember || k == KindPartner }

// Company is a party in the network: a job shop, a regional factory, a
// customer or the network office.
type Company struct {
	ID                 int64       `json:"id"`
	Kind               CompanyKind `json:"kind"`
	Name               string      `json:"name"`                          // 商号, e.g. 株式会社山田製作所
	NameKana           string      `json:"name_kana"`                     // フリガナ in katakana
	CorporateNumber    string      `json:"corporate_number,omitempty"`    // 法人番号, 13 digits; empty for a sole proprietor
	RegistrationNumber string      `json:"registration_number,omitempty"` // 適格請求書発行事業者登録番号, T + 13 digits
	PostalCode         string      `json:"postal_code"`                   // 7 digits
	Prefecture         string      `json:"prefecture"`                    // one of the 47
	City               string      `json:"city"`                          // 市区町村, e.g. 大田区
	Street             string      `json:"street"`                        // 町名・番地
	Building           string      `json:"building,omitempty"`
	Phone              string      `json:"phone"`
	Fax                string      `json:"fax,omitempty"`
	Email              string      `json:"email,omitempty"`
	Region             string      `json:"region"`                // e.g. 大田区, 日立市; the city when empty
	Description        string      `json:"description,omitempty"` // 会社紹介, what the company does; may span lines
	CreatedAt          time.Time   `json:"created_at"`
	UpdatedAt          time.Time   `json:"updated_at"`
}

// Address renders the postal address on one line.
func (c *Company) Address() string {
	s := c.Prefecture + c.City + c.Street
	if c.Building != "" {
		s += " " + c.Building
	}
	return s
}

// Normalize brings typed input to its stored form: widths folded, numbers
// without separators, kana in katakana, region defaulting to the city.
func (c *Company) Normalize() {
	c.Name = NormalizeName(c.Name)
	c.NameKana, _ = NormalizeKana(c.NameKana)
	if c.CorporateNumber != "" {
		c.CorporateNumber, _ = NormalizeCorporateNumber(c.CorporateNumber)
	}
	if c.RegistrationNumber != "" {
		c.RegistrationNumber, _ = NormalizeRegistrationNumber(c.RegistrationNumber)
	}
	c.PostalCode, _ = NormalizePostalCode(c.PostalCode)
	c.Prefecture = strings.TrimSpace(c.Prefecture)
	c.City = strings.TrimSpace(c.City)
	c.Street = NormalizeName(c.Street)
	c.Building = NormalizeName(c.Building)
	c.Phone, _ = NormalizePhone(c.Phone)
	if c.Fax != "" {
		c.Fax, _ = NormalizePhone(c.Fax)
	}
	c.Email = strings.ToLower(NormalizeWidth(c.Email))
	c.Region = strings.TrimSpace(c.Region)
	c.Description = strings.TrimSpace(strings.ReplaceAll(c.Description, "\r\n", "\n"))
	if c.Region == "" {
		c.Region = c.City
	}
}

// NormalizeName trims a name and folds full-width ASCII letters and digits to
// half width while keeping full-width kana and kanji as they are.
func NormalizeName(s string) string {
	s = strings.TrimSpace(s)
	return strings.Map(func(r rune) rune {
		if r >= '！' && r <= '～' {
			return r - '！' + '!'
		} else if r == '　' {
			return ' '
		}
		return r
	}, s)
}

// Validate normalizes c and returns an EINVALID error naming every field
// that is wrong.
func (c *Company) Validate() error {
	c.Normalize()
	p := Problems{}
	if !c.Kind.Valid() {
		p.Add("kind", "err.company.kind")
	}
	if c.Name == "" {
		p.Add("name", "err.required")
	} else if _, ok := validText(c.Name, 100); !ok {
		p.Add("name", "err.text_max", 100)
	}
	if c.NameKana == "" {
		p.Add("name_kana", "err.required")
	} else if _, ok := NormalizeKana(c.NameKana); !ok {
		p.Add("name_kana", "err.company.kana")
	} else if _, ok := validText(c.NameKana, 200); !ok {
		p.Add("name_kana", "err.text_max", 200)
	}
	if c.CorporateNumber != "" {
		if d, ok := NormalizeCorporateNumber(c.CorporateNumber); !ok {
			if len(d) != 13 {
				p.Add("corporate_number", "err.company.corporate_number_length")
			} else {
				p.Add("corporate_number", "err.company.corporate_number_check")
			}
		}
	}
	if c.RegistrationNumber != "" {
		if _, ok := NormalizeRegistrationNumber(c.RegistrationNumber); !ok {
			p.Add("registration_number", "err.company.registration_number")
		} else if c.CorporateNumber != "" && c.RegistrationNumber[1:] != c.CorporateNumber {
			p.Add("registration_number", "err.company.registration_mismatch")
		}
	}
	if _, ok := NormalizePostalCode(c.PostalCode); !ok {
		p.Add("postal_code", "err.company.postal_code")
	}
	if !IsPrefecture(c.Prefecture) {
		p.Add("prefecture", "err.company.prefecture")
	}
	for field, v := range map[string]string{"city": c.City, "street": c.Street} {
		if v == "" {
			p.Add(field, "err.required")
		} else if _, ok := validText(v, 100); !ok {
			p.Add(field, "err.text_max", 100)
		}
	}
	if _, ok := validText(c.Building, 100); !ok {
		p.Add("building", "err.text_max", 100)
	}
	if _, ok := NormalizePhone(c.Phone); !ok {
		p.Add("phone", "err.phone")
	}
	if c.Fax != "" {
		if _, ok := NormalizePhone(c.Fax); !ok {
			p.Add("fax", "err.phone")
		}
	}
	if c.Email != "" {
		if _, err := mail.ParseAddress(c.Email); err != nil || len(c.Email) > 254 {
			p.Add("email", "err.email")
		}
	}
	if _, ok := validText(c.Region, 50); !ok || c.Region == "" {
		p.Add("region", "err.text_max", 50)
	}
	if !validLines(c.Description, 2000) {
		p.Add("description", "err.text_max", 2000)
	}
	return p.Err()
}

// CompanyFilter selects companies. Zero fields do not filter.
type CompanyFilter struct {
	ID     *int64
	Kind   CompanyKind
	Region string
	Query  string // matches name or フリガナ (kana folded)
	Offset int
	Limit  int // 0 means the default page size
}

// CompanyUpdate holds the fields to change; nil fields stay as they are.
type CompanyUpdate struct {
	Kind               *CompanyKind `json:"kind"`
	Name               *string      `json:"name"`
	NameKana           *string      `json:"name_kana"`
	CorporateNumber    *string      `json:"corporate_number"`
	RegistrationNumber *string      `json:"registration_number"`
	PostalCode         *string      `json:"postal_code"`
	Prefecture         *string      `json:"prefecture"`
	City               *string      `json:"city"`
	Street             *string      `json:"street"`
	Building           *string      `json:"building"`
	Phone              *string      `json:"phone"`
	Fax                *string      `json:"fax"`
	Email              *string      `json:"email"`
	Region             *string      `json:"region"`
	Description        *string      `json:"description"`
}

// Apply copies the set fields of u onto c.
func (u CompanyUpdate) Apply(c *Company) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	if u.Kind != nil {
		c.Kind = *u.Kind
	}
	set(&c.Name, u.Name)
	set(&c.NameKana, u.NameKana)
	set(&c.CorporateNumber, u.CorporateNumber)
	set(&c.RegistrationNumber, u.RegistrationNumber)
	set(&c.PostalCode, u.PostalCode)
	set(&c.Prefecture, u.Prefecture)
	set(&c.City, u.City)
	set(&c.Street, u.Street)
	set(&c.Building, u.Building)
	set(&c.Phone, u.Phone)
	set(&c.Fax, u.Fax)
	set(&c.Email, u.Email)
	set(&c.Region, u.Region)
	set(&c.Description, u.Description)
}

// CompanyService manages companies. Reads are scoped by the caller in ctx:
// suppliers, coordinators, local governments and admins see the directory;
// a customer sees only its own company.
type CompanyService interface {
	FindCompanyByID(ctx context.Context, id int64) (*Company, error)
	FindCompanies(ctx context.Context, filter CompanyFilter) ([]*Company, int, error)
	CreateCompany(ctx context.Context, c *Company) error
	UpdateCompany(ctx context.Context, id int64, upd CompanyUpdate) (*Company, error)
}

// Network holds the settings of the one network a deployment serves.
type Network struct {
	Name       string // e.g. 大田区IoT仲間まわしネットワーク
	HomeRegion string // e.g. 大田区; companies elsewhere are regional (地方企業)
}

// IsRegional reports whether c lies outside the network's home region.
func (n Network) IsRegional(c *Company) bool {
	return c.Region != "" && c.Region != n.HomeRegion
}
