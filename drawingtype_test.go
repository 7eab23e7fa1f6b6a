package nakamawashi_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

var drawingSamples = []struct {
	name, file, head, want string
}{
	{"pdf", "HS-1024_revB.pdf", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf"},
	{"pdf upper-case extension", "SCAN0001.PDF", "%PDF-1.4\n", "application/pdf"},
	{"pdf from a Windows path", `C:\fakepath\図面 シャフト.pdf`, "%PDF-2.0\n", "application/pdf"},
	{"dxf", "bracket.dxf", "  0\r\nSECTION\r\n  2\r\nHEADER\r\n", "image/vnd.dxf"},
	{"dxf no spaces, LF", "bracket.DXF", "0\nSECTION\n2\nHEADER\n", "image/vnd.dxf"},
	{"dxf with a comment", "bracket.dxf", "999\r\nmade by some CAD\r\n  0\r\nSECTION\r\n", "image/vnd.dxf"},
	{"dxf with a BOM", "bracket.dxf", "\xef\xbb\xbf  0\nSECTION\n", "image/vnd.dxf"},
	{"binary dxf", "bracket.dxf", "AutoCAD Binary DXF\r\n\x1a\x00\x00\x00SECTION", "image/vnd.dxf"},
	{"step", "housing.step", "ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('')", "model/step"},
	{"stp", "housing.stp", "ISO-10303-21;\r\n", "model/step"},
	{"png", "photo.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"},
	{"jpeg", "photo.jpg", "\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"},
	{"jpeg long extension", "photo.jpeg", "\xff\xd8\xff\xe1\x00\x10Exif", "image/jpeg"},
	{"tiff little-endian", "scan.tif", "II*\x00\x08\x00\x00\x00", "image/tiff"},
	{"tiff big-endian", "scan.tiff", "MM\x00*\x00\x00\x00\x08", "image/tiff"},
	{"gif", "sketch.gif", "GIF89a\x01\x00\x01\x00", "image/gif"},
	{"webp", "photo.webp", "RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"},
}

func TestSniffDrawing(t *testing.T) {
	for _, c := range drawingSamples {
		got, err := nakamawashi.SniffDrawing(c.file, []byte(c.head))
		if err != nil || got != c.want {
			t.Errorf("%s: SniffDrawing(%q) = %q, %v; want %q", c.name, c.file, got, err, c.want)
		}
		if !slices.Contains(nakamawashi.DrawingContentTypes(), got) {
			t.Errorf("%s: %q is not among DrawingContentTypes", c.name, got)
		}
	}
}

func TestSniffDrawingRefused(t *testing.T) {
	for _, c := range []struct{ name, file, head string }{
		{"windows program", "drawing.pdf", "MZ\x90\x00\x03\x00\x00\x00"},
		{"elf program", "drawing.dxf", "\x7fELF\x02\x01\x01"},
		{"shell script", "drawing.step", "#!/bin/sh\nrm -rf /\n"},
		{"html", "drawing.pdf", "<!DOCTYPE html><html><script>alert(1)</script>"},
		{"html with spaces", "drawing.html", "  <html>"},
		{"svg", "drawing.svg", "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\">"},
		{"zip", "drawing.zip", "PK\x03\x04\x14\x00"},
		{"office document (zip)", "drawing.xlsx", "PK\x03\x04\x14\x00\x06\x00"},
		{"PDF marker later on", "drawing.pdf", "junk%PDF-1.7"},
		{"text", "notes.txt", "図面は後で送ります"},
		{"dxf without SECTION", "a.dxf", "  0\nEOF\n"},
		{"dxf group code not 0", "a.dxf", "  2\nSECTION\n"},
		{"riff but not webp", "a.webp", "RIFF\x24\x00\x00\x00WAVEfmt "},
	} {
		_, err := nakamawashi.SniffDrawing(c.file, []byte(c.head))
		if code := nakamawashi.ErrorCode(err); code != nakamawashi.EUNSUPPORTED {
			t.Errorf("%s: %v, want EUNSUPPORTED", c.name, err)
			continue
		}
		ja := nakamawashi.ErrorMessage(nakamawashi.Japanese, err)
		en := nakamawashi.ErrorMessage(nakamawashi.English, err)
		for _, kind := range []string{"PDF", "DXF", "STEP", "PNG", "JPEG", "TIFF", "GIF", "WebP"} {
			if !strings.Contains(ja, kind) || !strings.Contains(en, kind) {
				t.Errorf("%s: the messages do not name %s: %q / %q", c.name, kind, ja, en)
			}
		}
	}
	if _, err := nakamawashi.SniffDrawing("empty.pdf", nil); nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
		t.Errorf("empty: %v, want EINVALID", err)
	}
}

func TestSniffDrawingExtension(t *testing.T) {
	for _, c := range []struct{ file, head, ext string }{
		{"drawing.png", "%PDF-1.7", ".pdf"},
		{"drawing", "%PDF-1.7", ".pdf"},
		{".pdf", "%PDF-1.7", ".pdf"},
		{"drawing.pdf.exe", "%PDF-1.7", ".pdf"},
		{"model.dxf", "ISO-10303-21;", ".step"},
		{"photo.png", "\xff\xd8\xff\xe0", ".jpg"},
		{"drawing.pdf", "  0\nSECTION\n", ".dxf"},
	} {
		_, err := nakamawashi.SniffDrawing(c.file, []byte(c.head))
		if code := nakamawashi.ErrorCode(err); code != nakamawashi.EINVALID {
			t.Errorf("%q with %q: %v, want EINVALID", c.file, c.head, err)
			continue
		}
		if msg := nakamawashi.ErrorMessage(nakamawashi.Japanese, err); !strings.Contains(msg, c.ext) || !strings.Contains(msg, "拡張子") {
			t.Errorf("%q: the message does not say which extension to use: %q", c.file, msg)
		}
		if msg := nakamawashi.ErrorMessage(nakamawashi.English, err); !strings.Contains(msg, c.ext) {
			t.Errorf("%q: English: %q", c.file, msg)
		}
	}
}

// FuzzSniffDrawing checks that any name and bytes give either an accepted
// content type whose extension the name carries, or EUNSUPPORTED/EINVALID,
// and that only the first SniffLen bytes count.
func FuzzSniffDrawing(f *testing.F) {
	for _, c := range drawingSamples {
		f.Add(c.file, []byte(c.head))
	}
	f.Add("a.pdf", []byte("MZ\x90\x00"))
	f.Add("a.dxf", []byte("999\n\n999\n\n0\n"))
	f.Add("", []byte{})
	f.Fuzz(func(t *testing.T, name string, head []byte) {
		got, err := nakamawashi.SniffDrawing(name, head)
		if err != nil {
			if code := nakamawashi.ErrorCode(err); code != nakamawashi.EUNSUPPORTED && code != nakamawashi.EINVALID {
				t.Fatalf("code %s: %v", code, err)
			}
			if got != "" {
				t.Fatalf("a content type %q with an error", got)
			}
		} else if !slices.Contains(nakamawashi.DrawingContentTypes(), got) {
			t.Fatalf("unknown content type %q", got)
		}
		longer := append(bytes.Clone(head), bytes.Repeat([]byte{0xff}, 100)...)
		if len(head) >= nakamawashi.SniffLen {
			if got2, err2 := nakamawashi.SniffDrawing(name, longer); got2 != got || nakamawashi.ErrorCode(err2) != nakamawashi.ErrorCode(err) {
				t.Fatalf("bytes past SniffLen changed the answer: %q %v → %q %v", got, err, got2, err2)
			}
		}
	})
}
