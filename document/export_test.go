package document_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/document"
)

var csvHeader = []string{"種別", "番号", "版", "日付", "取引先", "税抜金額", "消費税", "税込金額", "発行者", "発行日時", "訂正理由"}

func exportRecords() []*nakamawashi.IssuedDocument {
	inv := invoiceRecord()
	inv.Subtotal, inv.Tax, inv.Total = 41096, 4083, 45179
	corrected := invoiceRecord()
	corrected.Version = 2
	corrected.Subtotal, corrected.Tax, corrected.Total = 41096, 4083, 45179
	corrected.Reason = "宛名の誤記〜株式会社羽田試作−開発部 を訂正"
	corrected.CounterpartyName = "株式会社𠮷野家工業" // 𠮷 is not in Windows-31J
	po := purchaseOrderRecord()
	po.CounterpartyName = "=HYPERLINK(\"http://x\")" // a formula typed as a name
	po.Subtotal, po.Tax, po.Total = 18000, 1800, 19800
	return []*nakamawashi.IssuedDocument{inv, corrected, po}
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v\n%s", err, b)
	}
	return rows
}

func TestWriteCSVUTF8(t *testing.T) {
	var b bytes.Buffer
	if err := document.WriteCSV(&b, exportRecords(), document.UTF8BOM); err != nil {
		t.Fatal(err)
	}
	raw := b.Bytes()
	if !bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
		t.Fatalf("no BOM: %q", raw[:min(len(raw), 10)])
	}
	if !bytes.Contains(raw, []byte("\r\n")) {
		t.Error("lines do not end in CRLF")
	}
	rows := readCSV(t, raw[3:])
	if len(rows) != 4 || !slices.Equal(rows[0], csvHeader) {
		t.Fatalf("rows = %q", rows)
	}
	want := []string{"請求書", "I2026-00001", "1", "2026-12-31", "株式会社羽田試作", "41096", "4083", "45179", "事務局 太郎", "2026-11-24 10:02:03", ""}
	if !slices.Equal(rows[1], want) {
		t.Errorf("row 1 = %q\nwant    %q", rows[1], want)
	}
	if got := rows[2]; got[2] != "2" || got[4] != "株式会社𠮷野家工業" || got[10] != "宛名の誤記〜株式会社羽田試作−開発部 を訂正" {
		t.Errorf("row 2 = %q", got)
	}
	if got := rows[3]; got[0] != "注文書" || got[4] != `'=HYPERLINK("http://x")` {
		t.Errorf("row 3 = %q: a formula must not reach the spreadsheet as one", got)
	}
}

func TestWriteCSVShiftJIS(t *testing.T) {
	var b bytes.Buffer
	if err := document.WriteCSV(&b, exportRecords(), document.ShiftJIS); err != nil {
		t.Fatal(err)
	}
	raw := b.Bytes()
	if bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
		t.Error("a BOM in Shift_JIS")
	}
	if bytes.Contains(raw, []byte("請求書")) {
		t.Error("the Shift_JIS output holds UTF-8")
	}
	if !bytes.Contains(raw, []byte{0x90, 0xbf, 0x8b, 0x81, 0x8f, 0x91}) { // 請求書 in Shift_JIS
		t.Error("請求書 is not encoded as Shift_JIS")
	}
	decoded, err := japanese.ShiftJIS.NewDecoder().Bytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, decoded)
	if len(rows) != 4 || !slices.Equal(rows[0], csvHeader) {
		t.Fatalf("rows = %q", rows)
	}
	if want := []string{"請求書", "I2026-00001", "1", "2026-12-31", "株式会社羽田試作", "41096", "4083", "45179", "事務局 太郎", "2026-11-24 10:02:03", ""}; !slices.Equal(rows[1], want) {
		t.Errorf("row 1 = %q\nwant    %q", rows[1], want)
	}
	// 〜 and − become ～ and －; 𠮷 becomes 〓.
	if got := rows[2]; got[4] != "株式会社〓野家工業" || got[10] != "宛名の誤記～株式会社羽田試作－開発部 を訂正" {
		t.Errorf("row 2 = %q", got)
	}
}

func TestWriteCSVInvalid(t *testing.T) {
	if err := document.WriteCSV(io.Discard, nil, "latin1"); nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
		t.Errorf("unknown encoding: %v", err)
	}
	var b bytes.Buffer
	if err := document.WriteCSV(&b, nil, document.ShiftJIS); err != nil {
		t.Fatal(err)
	}
	if rows := readCSV(t, must(japanese.ShiftJIS.NewDecoder().Bytes(b.Bytes()))); len(rows) != 1 {
		t.Errorf("no records: %q, want the heading alone", rows)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestWriteZIP(t *testing.T) {
	docs := append(exportRecords(), quoteRecord())
	var b bytes.Buffer
	if err := document.WriteZIP(&b, docs, document.Options{}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		names = append(names, f.Name)
		files[f.Name] = f
		if f.Flags&0x800 == 0 {
			t.Errorf("%s: the UTF-8 names flag is not set", f.Name)
		}
	}
	want := []string{"請求書_I2026-00001_v1.pdf", "請求書_I2026-00001_v2.pdf", "注文書_W2026-00017_v1.pdf", "見積書_Q2026-00001_v1.pdf", "書類一覧.csv"}
	if !slices.Equal(names, want) {
		t.Fatalf("entries = %q\nwant      %q", names, want)
	}
	read := func(name string) []byte {
		rc, err := files[name].Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		data, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	contains(t, pdfText(t, read("請求書_I2026-00001_v2.pdf")),
		"請求書", "I2026-00001", "訂正版（第2版）", "登録番号 T7000012050002", "¥45,179", "株式会社羽田試作 御中")
	if pdf := read("注文書_W2026-00017_v1.pdf"); !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("not a PDF: %q", pdf[:min(len(pdf), 10)])
	}
	rows := readCSV(t, bytes.TrimPrefix(read("書類一覧.csv"), []byte("\xef\xbb\xbf")))
	if len(rows) != 5 || rows[4][1] != "Q2026-00001" {
		t.Errorf("the CSV in the ZIP: %q", rows)
	}
}

func TestWriteZIPNames(t *testing.T) {
	d := invoiceRecord()
	d.Number = "../../etc/I:2026*01"
	var b bytes.Buffer
	if err := document.WriteZIP(&b, []*nakamawashi.IssuedDocument{d, d}, document.Options{}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if strings.ContainsAny(f.Name, `/\:*`) {
			t.Errorf("entry %q could leave the folder it is unpacked into", f.Name)
		}
	}
	if got := zr.File[1].Name; got != "請求書_.._.._etc_I_2026_01_v1(2).pdf" {
		t.Errorf("the second copy is named %q", got)
	}
	bad := invoiceRecord()
	bad.Data = nil
	if err := document.WriteZIP(io.Discard, []*nakamawashi.IssuedDocument{bad}, document.Options{}); nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
		t.Errorf("a record without data: %v", err)
	}
}
