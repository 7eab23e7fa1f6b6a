package document

import (
	"image"
	"image/color"
	"strings"
	"time"

	"github.com/signintech/gopdf"
	"rsc.io/qr"

	"github.com/nakamawashi/nakamawashi"
)

// Traveler is a 現品票: the slip that travels with the parts from shop to
// shop, naming the lot, the part, the quantity and the routing, with a QR
// code that the shops scan at each start, finish and hand-off.
type Traveler struct {
	Lot        string // ロット番号
	PartName   string // 品名
	PartNumber string // 図番
	Material   string // 材質
	Quantity   nakamawashi.Quantity
	Unit       string
	Customer   string    // 発注者, optional: partners need not see it
	DueDate    time.Time // 納期, optional
	Steps      []TravelerStep
	URL        string // encoded in the QR code
	Notes      string
}

// TravelerStep is one step of the routing and the company that does it.
type TravelerStep struct {
	Process string    // 工程, e.g. 旋盤加工
	Company string    // the partner doing the step
	Due     time.Time // planned finish, optional
}

// Limits of a traveler.
const (
	maxTravelerSteps = 30
	maxURL           = 512
)

// Validate reports every problem of the traveler as one EINVALID error.
func (t *Traveler) Validate() error {
	p := nakamawashi.Problems{}
	t.validate(p)
	return p.Err()
}

func (t *Traveler) validate(p nakamawashi.Problems) {
	if strings.TrimSpace(t.Lot) == "" {
		p.Add("lot", "err.required")
	}
	if strings.TrimSpace(t.PartName) == "" {
		p.Add("part_name", "err.required")
	}
	if t.Quantity <= 0 || t.Quantity > nakamawashi.MaxQuantity {
		p.Add("quantity", "err.tax.quantity")
	}
	if len(t.Steps) == 0 || len(t.Steps) > maxTravelerSteps {
		p.Add("steps", "err.doc.steps", maxTravelerSteps)
	}
	for i, s := range t.Steps {
		if strings.TrimSpace(s.Process) == "" {
			p.Add("steps."+itoa(i)+".process", "err.required")
		}
	}
	if u := t.URL; len(u) > maxURL || !(strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) {
		p.Add("url", "err.doc.url", maxURL)
	}
}

// Render validates the traveler and the options and returns the PDF. A5
// paper (Options.Paper) suits a slip that rides in a parts box.
func (t *Traveler) Render(opt Options) ([]byte, error) {
	p := nakamawashi.Problems{}
	t.validate(p)
	opt.validate(p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	code, err := qr.Encode(t.URL, qr.M)
	if err != nil {
		return nil, nakamawashi.Internal("document.Traveler", err)
	}
	r, err := newRenderer(opt)
	if err != nil {
		return nil, nakamawashi.Internal("document.Traveler", err)
	}
	width := r.right - r.left
	qrSize := 32.0
	if opt.Paper == A5 {
		qrSize = 28
	}
	r.keep(r.pdf.ImageFrom(qrImage(code), r.right-qrSize, r.y, &gopdf.Rect{W: qrSize, H: qrSize}))
	top := r.y
	r.font(sizeTitle, true)
	r.text(r.left, r.y, width-qrSize, r.l("doc.title.traveler"), alignLeft)
	r.y += r.lineHeight() + 2
	r.font(sizeBody, false)
	r.text(r.left, r.y, width-qrSize, r.l("doc.lot"), alignLeft)
	r.y += r.lineHeight()
	r.font(sizeTotal+4, true)
	r.y += r.para(r.left, r.y, width-qrSize-3, t.Lot) + 2
	r.y = max(r.y, top+qrSize) + 3
	qty := quantity(t.Quantity)
	if t.Unit != "" {
		qty += " " + t.Unit
	}
	r.fields([]field{
		{"doc.part", t.PartName},
		{"doc.drawing", t.PartNumber},
		{"doc.material", t.Material},
		{"doc.quantity", qty},
		{"doc.delivery_date", r.date(t.DueDate)},
		{"doc.customer", t.Customer},
	})
	r.steps(t.Steps)
	r.font(sizeSmall, false)
	r.y += r.para(r.left, r.y, width, r.l("doc.scan")) + 3
	r.notes("doc.notes", t.Notes)
	return r.bytes()
}

// steps draws the routing with a box per step for the done stamp.
func (r *renderer) steps(steps []TravelerStep) {
	width := r.right - r.left
	cols := []column{{"doc.col.step", 10, alignCenter}, {"doc.col.process", 0, alignLeft},
		{"doc.col.company", 0, alignLeft}, {"doc.col.due", 24, alignCenter}, {"doc.col.done", 16, alignCenter}}
	flex := (width - 10 - 24 - 16) / 2
	cols[1].w, cols[2].w = flex, flex
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
	for i, s := range steps {
		r.font(sizeBody, false)
		due := ""
		if !s.Due.IsZero() {
			due = r.date(s.Due)
			if r.opt.Language != nakamawashi.English {
				due = monthDay(s.Due)
			}
		}
		values := []string{itoa(i + 1), s.Process, s.Company, due, ""}
		h := max(r.paraHeight(flex-3, s.Process), r.paraHeight(flex-3, s.Company)) + 2
		h = max(h, 12) // room for a stamp
		r.ensure(h)
		x := r.left
		for j, c := range cols {
			r.box(x, r.y, c.w, h)
			if j == 1 || j == 2 {
				r.para(x+1.5, r.y+1, c.w-3, values[j])
			} else {
				r.text(x+1.5, r.y+1, c.w-3, values[j], c.align)
			}
			x += c.w
		}
		r.y += h
	}
	r.onNewPage = nil
	r.y += 3
}

// qrImage draws a QR code four pixels a module with the four-module quiet
// zone the standard asks for. (qr.Code's own Image ignores its Scale.)
func qrImage(c *qr.Code) image.Image {
	const scale, quiet = 4, 4
	n := (c.Size + 2*quiet) * scale
	img := image.NewGray(image.Rect(0, 0, n, n))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; x++ {
			if !c.Black(x, y) {
				continue
			}
			for dy := 0; dy < scale; dy++ {
				for dx := 0; dx < scale; dx++ {
					img.SetGray((x+quiet)*scale+dx, (y+quiet)*scale+dy, color.Gray{})
				}
			}
		}
	}
	return img
}
