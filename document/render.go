package document

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/signintech/gopdf"

	"github.com/nakamawashi/nakamawashi"
)

// Font families registered with gopdf.
const (
	famRegular = "regular"
	famBold    = "bold"
)

// ptToMM converts a font size in points to millimetres.
const ptToMM = 25.4 / 72

// renderer draws one document in millimetres from the top left. It keeps
// the current vertical position y and starts a new page when a block does
// not fit, redrawing the table heading if one is open.
type renderer struct {
	pdf                      *gopdf.GoPdf
	opt                      Options
	w, h                     float64 // the page
	left, right, top, bottom float64 // the printable area
	y                        float64
	size                     float64 // the current font size in points
	bold                     bool
	onNewPage                func() // redraws a table heading after a break
	err                      error  // the first drawing error
}

func newRenderer(opt Options) (*renderer, error) {
	page := *gopdf.PageSizeA4
	margin := 15.0
	if opt.Paper == A5 {
		page, margin = *gopdf.PageSizeA5, 10
	}
	r := &renderer{pdf: &gopdf.GoPdf{}, opt: opt}
	r.pdf.Start(gopdf.Config{PageSize: page, Unit: gopdf.UnitMM})
	r.w, r.h = page.W/gopdf.UnitsToPoints(gopdf.UnitMM, 1), page.H/gopdf.UnitsToPoints(gopdf.UnitMM, 1)
	r.left, r.right, r.top, r.bottom = margin, r.w-margin, margin, r.h-margin
	fc, err := parsedFonts()
	if err != nil {
		return nil, err
	}
	for _, fam := range []string{famRegular, famBold} {
		if err := r.pdf.AddTTFFontFromFontContainer(fam, fc); err != nil {
			return nil, err
		}
	}
	r.pdf.SetLineWidth(0.2)
	r.pdf.SetStrokeColor(0, 0, 0)
	r.pdf.SetTextColor(0, 0, 0)
	r.newPage()
	return r, nil
}

// parsedFonts parses the embedded fonts once per process: parsing them
// took most of a render's time and memory. Each document still gets its
// own subset (the container hands out copies whose glyph maps are fresh);
// what is shared, the parsed tables, is only read.
var parsedFonts = sync.OnceValues(func() (*gopdf.FontContainer, error) {
	fc := &gopdf.FontContainer{}
	if err := fc.AddTTFFontData(famRegular, fontRegular); err != nil {
		return nil, err
	}
	if err := fc.AddTTFFontData(famBold, fontBold); err != nil {
		return nil, err
	}
	return fc, nil
})

// bytes finishes the document.
func (r *renderer) bytes() ([]byte, error) {
	if r.err != nil {
		return nil, nakamawashi.Internal("document.render", r.err)
	}
	b, err := r.pdf.GetBytesPdfReturnErr()
	if err != nil {
		return nil, nakamawashi.Internal("document.render", err)
	}
	return b, nil
}

func (r *renderer) keep(err error) {
	if err != nil && r.err == nil {
		r.err = err
	}
}

func (r *renderer) newPage() {
	r.pdf.AddPage()
	r.y = r.top
	r.size = 0
	if r.onNewPage != nil {
		r.onNewPage()
	}
}

// ensure starts a new page unless h millimetres fit below y.
func (r *renderer) ensure(h float64) {
	if r.y+h > r.bottom {
		r.newPage()
	}
}

// l returns a label in the document's language.
func (r *renderer) l(key string, args ...any) string {
	lang := r.opt.Language
	if lang == "" {
		lang = nakamawashi.Japanese
	}
	return nakamawashi.Localize(lang, key, args...)
}

// date writes a date in the chosen style; English documents use ISO dates.
func (r *renderer) date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if r.opt.Language == nakamawashi.English {
		return t.In(nakamawashi.JST).Format("2006-01-02")
	}
	return nakamawashi.FormatDate(t, r.opt.Dates)
}

func (r *renderer) font(size float64, bold bool) {
	if r.size == size && r.bold == bold {
		return
	}
	fam := famRegular
	if bold {
		fam = famBold
	}
	r.keep(r.pdf.SetFont(fam, "", size))
	r.size, r.bold = size, bold
}

// measure returns the width of s in millimetres in the current font.
func (r *renderer) measure(s string) float64 {
	w, err := r.pdf.MeasureTextWidth(s)
	r.keep(err)
	return w
}

// lineHeight is the height of a line of text at the current size.
func (r *renderer) lineHeight() float64 { return r.size * ptToMM * 1.35 }

// Alignments of text in a box.
const (
	alignLeft = iota
	alignRight
	alignCenter
)

// text writes one line of s with its top at (x, y) in a box w wide.
func (r *renderer) text(x, y, w float64, s string, align int) {
	if s == "" {
		return
	}
	switch align {
	case alignRight:
		x += w - r.measure(s)
	case alignCenter:
		x += (w - r.measure(s)) / 2
	}
	r.pdf.SetXY(x, y)
	r.keep(r.pdf.Cell(nil, s))
}

// para writes s wrapped with 禁則 into width w from (x, y) and returns its
// height.
func (r *renderer) para(x, y, w float64, s string) float64 {
	lines := wrap(s, w, r.measure)
	lh := r.lineHeight()
	for i, line := range lines {
		r.text(x, y+float64(i)*lh, w, line, alignLeft)
	}
	return float64(len(lines)) * lh
}

// paraHeight is the height para would take.
func (r *renderer) paraHeight(w float64, s string) float64 {
	return float64(len(wrap(s, w, r.measure))) * r.lineHeight()
}

func (r *renderer) hline(x1, x2, y float64) { r.pdf.Line(x1, y, x2, y) }

func (r *renderer) box(x, y, w, h float64) { r.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "D") }

// shade fills a heading cell light grey in colour mode; black and white
// documents leave it white, which a FAX keeps legible.
func (r *renderer) shade(x, y, w, h float64) {
	if r.opt.Color {
		r.pdf.SetFillColor(230, 230, 230)
		r.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "FD")
		r.pdf.SetFillColor(0, 0, 0)
		return
	}
	r.box(x, y, w, h)
}

// yen writes an amount with thousands separators: ¥1,234,567.
func yen(n int64) string { return "¥" + grouped(n) }

func grouped(n int64) string { return nakamawashi.FormatNumber(n) }

// quantity writes a quantity with thousands separators: 1,000 or 2.5.
func quantity(q nakamawashi.Quantity) string {
	whole, frac, _ := strings.Cut(q.String(), ".")
	n, _ := strconv.ParseInt(whole, 10, 64)
	if frac != "" {
		return grouped(n) + "." + frac
	}
	return grouped(n)
}
