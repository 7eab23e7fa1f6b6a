package document

import (
	"archive/zip"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"

	"github.com/nakamawashi/nakamawashi"
)

// Encoding is the character encoding of a CSV export.
type Encoding string

// The encodings Excel opens without asking: UTF-8 with a byte order mark,
// and Shift_JIS (Windows-31J) for older versions and other tools.
const (
	UTF8BOM  Encoding = "utf-8"
	ShiftJIS Encoding = "shift_jis"
)

// Valid reports whether e is a known encoding.
func (e Encoding) Valid() bool { return e == UTF8BOM || e == ShiftJIS }

// csvColumns are the export's columns, in Japanese as the records are.
var csvColumns = []string{"doc.csv.kind", "doc.csv.number", "doc.csv.version", "doc.csv.date", "doc.csv.counterparty",
	"doc.csv.subtotal", "doc.csv.tax", "doc.csv.total", "doc.csv.issued_by", "doc.csv.issued_at", "doc.csv.reason"}

// WriteCSV writes the records as CSV for Excel (電子帳簿保存法 export): one
// row per document version, with its kind, number, version, date,
// counterparty, amounts, who issued it and when, and why a correction was
// made. In Shift_JIS, 〜 and − become the ～ and － Windows-31J holds, and
// any character it cannot hold becomes 〓 rather than failing the export.
func WriteCSV(w io.Writer, docs []*nakamawashi.IssuedDocument, enc Encoding) error {
	if !enc.Valid() {
		return nakamawashi.Errorf(nakamawashi.EINVALID, "err.doc.encoding")
	}
	out := w
	var sjis *transform.Writer
	if enc == ShiftJIS {
		sjis = transform.NewWriter(w, japanese.ShiftJIS.NewEncoder())
		out = sjis
	} else if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nakamawashi.Internal("document.WriteCSV", err)
	}
	cw := csv.NewWriter(out)
	cw.UseCRLF = true
	field := func(s string) string {
		if enc == ShiftJIS {
			return toWindows31J(s)
		}
		return s
	}
	row := make([]string, len(csvColumns))
	for i, key := range csvColumns {
		row[i] = field(nakamawashi.Localize(nakamawashi.Japanese, key))
	}
	if err := cw.Write(row); err != nil {
		return nakamawashi.Internal("document.WriteCSV", err)
	}
	for _, d := range docs {
		if d == nil {
			continue
		}
		issuedAt := ""
		if !d.IssuedAt.IsZero() {
			issuedAt = d.IssuedAt.In(nakamawashi.JST).Format("2006-01-02 15:04:05")
		}
		row = []string{
			kindLabel(d.Kind),
			text(d.Number),
			strconv.Itoa(d.Version),
			d.Date.String(),
			text(d.CounterpartyName),
			strconv.FormatInt(d.Subtotal, 10),
			strconv.FormatInt(d.Tax, 10),
			strconv.FormatInt(d.Total, 10),
			text(d.IssuedByName),
			issuedAt,
			text(d.Reason),
		}
		for i := range row {
			row[i] = field(row[i])
		}
		if err := cw.Write(row); err != nil {
			return nakamawashi.Internal("document.WriteCSV", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nakamawashi.Internal("document.WriteCSV", err)
	}
	if sjis != nil {
		if err := sjis.Close(); err != nil {
			return nakamawashi.Internal("document.WriteCSV", err)
		}
	}
	return nil
}

// kindLabel is the Japanese name of a kind of document.
func kindLabel(k nakamawashi.DocumentKind) string {
	if !k.Valid() {
		return text(string(k))
	}
	return nakamawashi.Localize(nakamawashi.Japanese, "doc.kind."+string(k))
}

// text keeps a spreadsheet from reading a typed-in value as a formula
// (=, +, -, @ at the start), the usual CSV injection.
func text(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// windows31J maps the characters Unicode has twice, as Excel and Windows
// expect them, before encoding: WAVE DASH and MINUS SIGN have no code in
// Windows-31J, their full-width forms do.
var windows31J = strings.NewReplacer("〜", "～", "−", "－", "‖", "∥", "¢", "￠", "£", "￡", "¬", "￢")

// toWindows31J prepares s for the Shift_JIS encoder: mapped as above, and
// every character Windows-31J cannot hold replaced by 〓 (ゲタ).
func toWindows31J(s string) string {
	s = windows31J.Replace(s)
	ok := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	enc := japanese.ShiftJIS.NewEncoder()
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		if r == utf8.RuneError {
			b.WriteRune('〓')
			continue
		}
		if _, err := enc.String(string(r)); err != nil {
			b.WriteRune('〓')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// WriteZIP writes the records as a ZIP archive: one PDF per document
// version, named like 請求書_I2026-00001_v1.pdf (UTF-8 names, flagged as
// such), and 書類一覧.csv listing them (UTF-8 with BOM). The PDFs are
// rendered one at a time as they are written; a record that cannot be
// rendered stops the archive with its error.
func WriteZIP(w io.Writer, docs []*nakamawashi.IssuedDocument, opt Options) error {
	zw := zip.NewWriter(w)
	seen := map[string]int{}
	for _, d := range docs {
		if d == nil {
			continue
		}
		pdf, err := RenderIssued(d, opt)
		if err != nil {
			return err
		}
		name := zipName(d)
		if n := seen[name]; n > 0 {
			seen[name] = n + 1
			name = strings.TrimSuffix(name, ".pdf") + "(" + strconv.Itoa(n+1) + ").pdf"
		} else {
			seen[name] = 1
		}
		// PDFs are compressed already: stored, not deflated again.
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: d.IssuedAt.In(nakamawashi.JST), Flags: 0x800})
		if err != nil {
			return nakamawashi.Internal("document.WriteZIP", err)
		}
		if _, err := fw.Write(pdf); err != nil {
			return nakamawashi.Internal("document.WriteZIP", err)
		}
	}
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: "書類一覧.csv", Method: zip.Deflate, Flags: 0x800})
	if err != nil {
		return nakamawashi.Internal("document.WriteZIP", err)
	}
	if err := WriteCSV(fw, docs, UTF8BOM); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return nakamawashi.Internal("document.WriteZIP", err)
	}
	return nil
}

// zipName is the file name of a record's PDF: kind, number, version.
func zipName(d *nakamawashi.IssuedDocument) string {
	number := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, d.Number)
	if number == "" || number == "." || number == ".." {
		number = "_"
	}
	return kindLabel(d.Kind) + "_" + number + "_v" + strconv.Itoa(d.Version) + ".pdf"
}
