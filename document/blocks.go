package document

import (
	"strconv"
	"strings"
	"time"

	"github.com/signintech/gopdf"

	"github.com/nakamawashi/nakamawashi"
)

// Type sizes in points.
const (
	sizeTitle = 20
	sizeName  = 12
	sizeBody  = 9
	sizeSmall = 8
	sizeTotal = 14
)

// header draws the title and, on the right below it, the document's number
// and date.
func (r *renderer) header(titleKey, number, dateKey string, date time.Time) {
	r.font(sizeTitle, true)
	r.text(r.left, r.y, r.right-r.left, r.l(titleKey), alignCenter)
	r.y += r.lineHeight() + 2
	if c := r.opt.Correction; c != nil && c.Version > 1 {
		r.font(sizeName, true)
		r.text(r.left, r.y, r.right-r.left, r.l("doc.correction", c.Version), alignCenter)
		r.y += r.lineHeight()
		if c.Reason != "" {
			r.font(sizeBody, false)
			r.y += r.para(r.left, r.y, r.right-r.left, r.l("doc.correction_reason", c.Reason))
		}
		r.y += 1
	}
	r.font(sizeBody, false)
	if number != "" {
		r.text(r.left, r.y, r.right-r.left, r.l("doc.number")+" "+number, alignRight)
		r.y += r.lineHeight()
	}
	r.text(r.left, r.y, r.right-r.left, r.l(dateKey)+" "+r.date(date), alignRight)
	r.y += r.lineHeight() + 3
}

// parties draws the recipient on the left, with its one honorific, and the
// issuer on the right, with the seal over the end of its name and, for an
// invoice, its registration number.
func (r *renderer) parties(to, from Party, showRegistration bool, toKey, fromKey string) {
	width := r.right - r.left
	colW := width * 0.52
	ix := r.left + width*0.56
	iw := r.right - ix
	if toKey != "" || fromKey != "" {
		r.font(sizeSmall, false)
		if toKey != "" {
			r.text(r.left, r.y, colW, "【"+r.l(toKey)+"】", alignLeft)
		}
		if fromKey != "" {
			r.text(ix, r.y, iw, "【"+r.l(fromKey)+"】", alignLeft)
		}
		r.y += r.lineHeight()
	}
	top := r.y

	// The recipient.
	y := top
	r.font(sizeBody, false)
	if pc := to.postal(); pc != "" {
		r.text(r.left, y, colW, pc, alignLeft)
		y += r.lineHeight()
	}
	if to.Address != "" {
		y += r.para(r.left, y, colW, to.Address)
	}
	y += 1.5
	r.font(sizeName, false)
	y += r.para(r.left, y, colW, to.Addressee())
	r.hline(r.left, r.left+colW, y+0.5)
	leftBottom := y + 2

	// The issuer.
	y = top
	r.font(sizeName-1, true)
	nameTop := y
	y += r.para(ix, y, iw, trimHonorific(from.Name))
	r.font(sizeBody, false)
	for _, s := range []string{from.postal(), from.Address} {
		if s != "" {
			y += r.para(ix, y, iw, s)
		}
	}
	if from.Phone != "" {
		y += r.para(ix, y, iw, r.l("doc.tel")+" "+from.Phone)
	}
	if from.Fax != "" {
		y += r.para(ix, y, iw, r.l("doc.fax")+" "+from.Fax)
	}
	if from.Contact != "" {
		y += r.para(ix, y, iw, strings.TrimSpace(from.Department+" "+from.Contact))
	}
	if showRegistration {
		reg, _ := nakamawashi.NormalizeRegistrationNumber(from.RegistrationNumber)
		r.font(sizeBody, true)
		y += r.para(ix, y, iw, r.l("doc.registration")+" "+reg)
	}
	if r.opt.Seal != nil {
		img, err := decodeSeal(r.opt.Seal, r.opt.Color)
		r.keep(err)
		if err == nil {
			const size = 18
			r.keep(r.pdf.ImageFrom(img, r.right-size, nameTop-2, &gopdf.Rect{W: size, H: size}))
			y = max(y, nameTop+size-2)
		}
	}
	r.y = max(leftBottom, y) + 4
}

// intro writes the opening sentence.
func (r *renderer) intro(key string) {
	r.font(sizeBody, false)
	r.text(r.left, r.y, r.right-r.left, r.l(key), alignLeft)
	r.y += r.lineHeight() + 1
}

// amount draws the boxed grand total, tax included.
func (r *renderer) amount(key string, total int64) {
	r.font(sizeTotal, true)
	h := r.lineHeight() + 3
	w := (r.right - r.left) * 0.6
	r.shade(r.left, r.y, w*0.4, h)
	r.box(r.left+w*0.4, r.y, w*0.6, h)
	r.font(sizeBody+1, true)
	r.text(r.left, r.y+(h-r.lineHeight())/2, w*0.4, r.l(key), alignCenter)
	r.font(sizeTotal, true)
	r.text(r.left+w*0.4, r.y+1.5, w*0.6-2, yen(total)+" ", alignRight)
	r.font(sizeSmall, false)
	r.text(r.left+w, r.y+h-r.lineHeight()-0.5, 20, r.l("doc.tax_included"), alignLeft)
	r.y += h + 4
}

// field is a labelled value of a document.
type field struct{ key, value string }

// fields draws labelled values as a two-column table, skipping empty ones.
func (r *renderer) fields(fs []field) {
	const labelW = 30
	r.font(sizeBody, false)
	valueW := r.right - r.left - labelW
	for _, f := range fs {
		if f.value == "" {
			continue
		}
		h := r.paraHeight(valueW-3, f.value) + 2
		r.ensure(h)
		r.shade(r.left, r.y, labelW, h)
		r.box(r.left+labelW, r.y, valueW, h)
		r.text(r.left+1.5, r.y+1, labelW-3, r.l(f.key), alignLeft)
		r.para(r.left+labelW+1.5, r.y+1, valueW-3, f.value)
		r.y += h
	}
	r.y += 4
}

// column of the items table.
type column struct {
	key   string
	w     float64
	align int
}

// items draws the table of items, breaking pages between rows with the
// heading repeated, then the totals: 小計, 消費税, 合計 and, per tax rate,
// the base and the tax, with the ※ legend when a reduced-rate item is
// present. That breakdown is what a qualified invoice must show.
func (r *renderer) items(items []Item, s nakamawashi.Summary) {
	dated := false
	for _, it := range items {
		dated = dated || !it.Date.IsZero()
	}
	width := r.right - r.left
	cols := []column{{"doc.col.no", 8, alignCenter}}
	if dated {
		cols = append(cols, column{"doc.col.date", 14, alignCenter})
	}
	cols = append(cols, column{"doc.col.description", 0, alignLeft},
		column{"doc.col.quantity", 16, alignRight}, column{"doc.col.unit", 10, alignCenter},
		column{"doc.col.unit_price", 22, alignRight}, column{"doc.col.amount", 26, alignRight})
	fixed := 0.0
	for _, c := range cols {
		fixed += c.w
	}
	desc := 0
	for i := range cols {
		if cols[i].w == 0 {
			cols[i].w, desc = width-fixed, i
		}
	}
	heading := func() {
		r.font(sizeBody, true)
		h := r.lineHeight() + 2
		x := r.left
		for _, c := range cols {
			r.shade(x, r.y, c.w, h)
			r.text(x, r.y+1, c.w, r.l(c.key), alignCenter)
			x += c.w
		}
		r.y += h
	}
	heading()
	r.onNewPage = heading
	for i, it := range items {
		r.font(sizeBody, false)
		d := it.Description
		if it.Reduced {
			d = "※ " + d
		}
		if it.PartNumber != "" {
			d += "\n" + r.l("doc.drawing") + " " + it.PartNumber
		}
		values := []string{itoa(i + 1)}
		if dated {
			values = append(values, monthDay(it.Date))
		}
		values = append(values, d, quantity(it.Quantity), it.Unit, grouped(it.UnitPrice), grouped(s.Amounts[i]))
		h := r.paraHeight(cols[desc].w-3, d) + 2
		r.ensure(h)
		x := r.left
		for j, c := range cols {
			r.box(x, r.y, c.w, h)
			if j == desc {
				r.para(x+1.5, r.y+1, c.w-3, values[j])
			} else {
				r.text(x+1.5, r.y+1, c.w-3, values[j], c.align)
			}
			x += c.w
		}
		r.y += h
	}
	r.onNewPage = nil
	r.y += 2
	r.totals(s)
}

// totals draws the sums under the items table.
func (r *renderer) totals(s nakamawashi.Summary) {
	r.font(sizeBody, false)
	lh := r.lineHeight() + 2
	need := lh * float64(3+len(s.Rates)+1)
	r.ensure(need)
	width := r.right - r.left
	w := min(110, width)
	x := r.right - w
	r.font(sizeBody, false)
	r.row2(x, w, lh, r.l("doc.subtotal"), yen(s.Subtotal), false)
	r.row2(x, w, lh, r.l("doc.rate_tax"), yen(s.Tax), false)
	r.row2(x, w, lh, r.l("doc.total"), yen(s.Total), true)
	r.y += 1
	// Per rate: the base and the tax, as the law asks.
	for _, t := range s.Rates {
		label := r.l("doc.rate_base", int(t.Rate))
		if t.Reduced {
			label += "※"
		}
		r.font(sizeBody, false)
		cw := w / 4
		r.shade(x, r.y, cw, lh)
		r.box(x+cw, r.y, cw, lh)
		r.shade(x+2*cw, r.y, cw, lh)
		r.box(x+3*cw, r.y, cw, lh)
		r.text(x+1, r.y+1, cw-2, label, alignLeft)
		r.text(x+cw, r.y+1, cw-1.5, yen(t.Base), alignRight)
		r.text(x+2*cw+1, r.y+1, cw-2, r.l("doc.rate_tax"), alignLeft)
		r.text(x+3*cw, r.y+1, cw-1.5, yen(t.Tax), alignRight)
		r.y += lh
	}
	if s.HasReduced() {
		r.font(sizeSmall, false)
		r.y += 1
		r.text(r.left, r.y, width, r.l("doc.reduced_legend"), alignLeft)
		r.y += r.lineHeight()
	}
	r.y += 4
}

// row2 draws a label and an amount in a block w wide at x.
func (r *renderer) row2(x, w, h float64, label, value string, bold bool) {
	r.font(sizeBody, bold)
	r.shade(x, r.y, w*0.5, h)
	r.box(x+w*0.5, r.y, w*0.5, h)
	r.text(x+1.5, r.y+1, w*0.5-3, label, alignLeft)
	r.text(x+w*0.5, r.y+1, w*0.5-2, value, alignRight)
	r.y += h
}

// notes draws a boxed free text under a label.
func (r *renderer) notes(key, text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	r.font(sizeBody, false)
	width := r.right - r.left
	h := r.paraHeight(width-3, text) + 2
	r.ensure(h + r.lineHeight())
	r.font(sizeBody, true)
	r.text(r.left, r.y, width, r.l(key), alignLeft)
	r.y += r.lineHeight()
	r.font(sizeBody, false)
	r.box(r.left, r.y, width, h)
	r.para(r.left+1.5, r.y+1, width-3, text)
	r.y += h + 4
}

func itoa(n int) string { return strconv.Itoa(n) }

// monthDay writes the day of an item as 11/21.
func monthDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(nakamawashi.JST)
	return strconv.Itoa(int(t.Month())) + "/" + strconv.Itoa(t.Day())
}
