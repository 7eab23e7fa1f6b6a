package document

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// The fonts, BIZ UDGothic by Morisawa under the SIL Open Font License 1.1
// (fonts/OFL.txt), copied from the Debian package fonts-morisawa-bizud-gothic.
// They are TrueType outlines, which gopdf embeds as subsets.
var (
	//go:embed fonts/BIZUDGothic-Regular.ttf
	fontRegular []byte
	//go:embed fonts/BIZUDGothic-Bold.ttf
	fontBold []byte
)

// Paper is a paper size.
type Paper string

// The paper sizes documents are printed on. A4 is the default.
const (
	A4 Paper = "A4"
	A5 Paper = "A5"
)

// Options are the reader's and issuer's choices that apply to every
// document.
type Options struct {
	Dates    nakamawashi.DateStyle // 西暦 (default) or 和暦
	Language nakamawashi.Language  // of the labels; Japanese by default
	Paper    Paper                 // A4 by default
	// Seal is the issuer's company seal (角印) as a PNG, printed over the
	// end of the issuer's name; nil for none.
	Seal []byte
	// Color keeps the seal's colours and shades table headings. By
	// default a document is black and white, so that it survives a FAX.
	Color bool
	// Correction marks a corrected version of an issued document
	// (電子帳簿保存法): 訂正版（第N版） and the reason are printed under
	// the title. Nil, or a version of 1, for an original.
	Correction *Correction
}

// Correction is what a corrected document says about itself.
type Correction struct {
	Version int    // 2, 3, …
	Reason  string // 訂正理由
}

// Limits of a seal image and a correction's reason.
const (
	maxCorrectionReason = 1000
	maxSealBytes        = 512 << 10
	maxSealPixels       = 1024
)

func (o Options) validate(p nakamawashi.Problems) {
	if !o.Dates.Valid() {
		p.Add("options.dates", "err.doc.date_style")
	}
	if o.Paper != "" && o.Paper != A4 && o.Paper != A5 {
		p.Add("options.paper", "err.doc.paper")
	}
	if c := o.Correction; c != nil && len([]rune(c.Reason)) > maxCorrectionReason {
		p.Add("options.correction.reason", "err.text_max", maxCorrectionReason)
	}
	if o.Seal != nil {
		if _, err := decodeSeal(o.Seal, true); err != nil {
			p.Add("options.seal", "err.doc.seal", maxSealBytes>>10, maxSealPixels)
		}
	}
}

// decodeSeal reads a PNG seal and flattens it onto white paper, in grey
// unless color is kept. Transparency is flattened because a stamp on paper
// has none, and gopdf's soft masks cost a second image per page.
func decodeSeal(data []byte, color bool) (image.Image, error) {
	if len(data) > maxSealBytes {
		return nil, fmt.Errorf("seal: %d bytes", len(data))
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if cfg.Width > maxSealPixels || cfg.Height > maxSealPixels || cfg.Width == 0 || cfg.Height == 0 {
		return nil, fmt.Errorf("seal: %d×%d pixels", cfg.Width, cfg.Height)
	}
	src, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	b := src.Bounds()
	rgba := image.NewRGBA(b)
	draw.Draw(rgba, b, image.White, image.Point{}, draw.Src)
	draw.Draw(rgba, b, src, b.Min, draw.Over)
	if color {
		return rgba, nil
	}
	gray := image.NewGray(b)
	draw.Draw(gray, b, rgba, b.Min, draw.Src)
	return gray, nil
}

// Party is a company or a person named on a document.
type Party struct {
	Name       string // 商号 or a person's name
	Person     bool   // a natural person: addressed 様, not 御中
	Department string // 部署, optional
	Contact    string // 担当者, optional; a named contact is addressed 様
	PostalCode string // 7 digits, any width, with or without 〒 and hyphen
	Address    string // 都道府県 to building, on one line
	Phone      string
	Fax        string
	// RegistrationNumber is the 適格請求書発行事業者登録番号 (T + 13 digits),
	// required on the issuer of an invoice.
	RegistrationNumber string
}

// PartyFromCompany fills a Party from a company of the network.
func PartyFromCompany(c *nakamawashi.Company) Party {
	return Party{
		Name:               c.Name,
		PostalCode:         c.PostalCode,
		Address:            c.Address(),
		Phone:              c.Phone,
		Fax:                c.Fax,
		RegistrationNumber: c.RegistrationNumber,
	}
}

// Honorifics. 御中 goes to an organisation, 様 to a person; a document never
// writes both, so a named contact at a company takes only 様.
const (
	honorificCompany = "御中"
	honorificPerson  = "様"
)

// Addressee returns the name line of a recipient with its one honorific:
// 株式会社山田製作所 御中, 株式会社山田製作所 製造部 山田太郎 様 or 山田太郎 様.
// An honorific typed into the name is not doubled.
func (p Party) Addressee() string {
	parts := []string{trimHonorific(p.Name)}
	if p.Department != "" {
		parts = append(parts, trimHonorific(p.Department))
	}
	h := honorificCompany
	if p.Contact != "" {
		parts = append(parts, trimHonorific(p.Contact))
		h = honorificPerson
	} else if p.Person {
		h = honorificPerson
	}
	return strings.Join(parts, " ") + " " + h
}

func trimHonorific(s string) string {
	s = strings.TrimSpace(s)
	for _, h := range []string{honorificCompany, honorificPerson, "殿", "さま", "各位"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, h))
	}
	return s
}

// postal returns the postal code as 〒144-0051, or "" when there is none.
func (p Party) postal() string {
	d, ok := nakamawashi.NormalizePostalCode(p.PostalCode)
	if !ok {
		return ""
	}
	return nakamawashi.FormatPostalCode(d)
}

func (p Party) validate(pr nakamawashi.Problems, field string, needRegistration bool) {
	if trimHonorific(p.Name) == "" {
		pr.Add(field+".name", "err.required")
	}
	if p.PostalCode != "" {
		if _, ok := nakamawashi.NormalizePostalCode(p.PostalCode); !ok {
			pr.Add(field+".postal_code", "err.doc.postal_code")
		}
	}
	for name, v := range map[string]string{"phone": p.Phone, "fax": p.Fax} {
		if v != "" {
			if _, ok := nakamawashi.NormalizePhone(v); !ok {
				pr.Add(field+"."+name, "err.phone")
			}
		}
	}
	if p.RegistrationNumber != "" || needRegistration {
		if _, ok := nakamawashi.NormalizeRegistrationNumber(p.RegistrationNumber); !ok {
			pr.Add(field+".registration_number", "err.doc.registration")
		}
	}
}

// Item is a line of a quote, order, delivery note or invoice: the taxable
// line and what the table shows besides.
type Item struct {
	nakamawashi.Line
	Date       time.Time // 取引日, shown when any item has one (invoices)
	PartNumber string    // 図番, printed under the description
	Unit       string    // 個, 式, kg, …
}

// summarize validates the items and totals them per tax rate, reporting
// problems under items.N.field.
func summarize(p nakamawashi.Problems, items []Item, rounding nakamawashi.TaxRounding) nakamawashi.Summary {
	lines := make([]nakamawashi.Line, len(items))
	for i, it := range items {
		lines[i] = it.Line
	}
	s, err := nakamawashi.TaxSummary(lines, rounding)
	var e *nakamawashi.Error
	if errors.As(err, &e) {
		for k, m := range e.Fields {
			if rest, ok := strings.CutPrefix(k, "lines"); ok {
				k = "items" + rest
			}
			if _, dup := p[k]; !dup {
				p[k] = m
			}
		}
	}
	return s
}

// requiredDate adds a problem for a zero date.
func requiredDate(p nakamawashi.Problems, field string, t time.Time) {
	if t.IsZero() {
		p.Add(field, "err.doc.date")
	}
}

// day returns the calendar day of t in Japan, at midnight JST.
func day(t time.Time) time.Time {
	t = t.In(nakamawashi.JST)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, nakamawashi.JST)
}
