package http_test

import (
	"image"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"rsc.io/qr"
)

// get fetches path with key's session, without following redirects.
func (m *matrix) get(key, path string) (*http.Response, string) {
	m.t.Helper()
	sess, _ := m.login(key)
	req, _ := http.NewRequest("GET", m.e.ts.URL+path, nil)
	req.AddCookie(&http.Cookie{Name: "nkm_session", Value: sess.Token})
	resp, err := m.client.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		m.t.Fatal(err)
	}
	return resp, string(b)
}

// TestTravelerQRCode reads the QR code of a traveler PDF back from the
// PDF's image: it is the code of the lot's traveler page under the
// server's public address, and that page is the traveler route.
func TestTravelerQRCode(t *testing.T) {
	if _, err := exec.LookPath("pdfimages"); err != nil {
		t.Skip("pdfimages (poppler-utils) is not installed")
	}
	m := newMatrix(t)
	m.e.server.BaseURL = "https://nakama.example.jp/"
	want := "https://nakama.example.jp/t/" + m.flow.lot
	for _, paper := range []string{"", "?paper=A5"} {
		resp, body := m.get("coordinator", "/api/v1/lots/"+m.flow.lot+"/traveler.pdf"+paper)
		if resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
			t.Fatalf("traveler%s: %d %.200s", paper, resp.StatusCode, body)
		}
		code := pdfQRModules(t, []byte(body))
		enc, err := qr.Encode(want, qr.M)
		if err != nil {
			t.Fatal(err)
		}
		if len(code) != enc.Size {
			t.Fatalf("traveler%s: a QR code of %d modules, %q makes %d", paper, len(code), want, enc.Size)
		}
		for y := range code {
			for x := range code[y] {
				if code[y][x] != enc.Black(x, y) {
					t.Fatalf("traveler%s: module (%d,%d) differs from the QR code of %q", paper, x, y, want)
				}
			}
		}
	}
	// The address is the page a phone opens: the traveler route.
	resp, body := m.get("coordinator", strings.TrimPrefix(want, "https://nakama.example.jp"))
	if resp.StatusCode != 200 || !strings.Contains(body, "G-001") {
		t.Fatalf("GET /t/%s: %d", m.flow.lot, resp.StatusCode)
	}
}

// pdfQRModules extracts the one image of a PDF with pdfimages and reads
// it as a QR code drawn four pixels a module inside a four-module quiet
// zone: true for a dark module.
func pdfQRModules(t *testing.T, pdf []byte) [][]bool {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "traveler.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdfimages", "-png", in, filepath.Join(dir, "img")).CombinedOutput(); err != nil {
		t.Fatalf("pdfimages: %v %s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "img-*.png"))
	if len(files) != 1 {
		t.Fatalf("%d images in the traveler, want the QR code", len(files))
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	const scale, quiet = 4, 4
	b := img.Bounds()
	if b.Dx() != b.Dy() || b.Dx()%scale != 0 {
		t.Fatalf("QR image %v", b)
	}
	n := b.Dx()/scale - 2*quiet
	dark := func(p image.Point) bool {
		r, g, bl, _ := img.At(p.X, p.Y).RGBA()
		return r+g+bl < 3*0x8000
	}
	out := make([][]bool, n)
	for y := range out {
		out[y] = make([]bool, n)
		for x := range out[y] {
			out[y][x] = dark(image.Pt(b.Min.X+(x+quiet)*scale+scale/2, b.Min.Y+(y+quiet)*scale+scale/2))
		}
	}
	return out
}

// TestFlowNotificationLinks follows every notification of the flow's
// parties: each link opens a page of the route table that its reader may
// see, and the record it names is on that page.
func TestFlowNotificationLinks(t *testing.T) {
	m := newMatrix(t)
	seen := map[string]bool{}
	for _, key := range []string{"customer", "coordinator", "ownerB"} {
		ctx := m.flowActor(key)
		ns, err := m.e.store.FindNotifications(ctx, false, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range ns {
			if n.Link == "" {
				continue
			}
			seen[n.Kind] = true
			path, frag, _ := strings.Cut(n.Link, "#")
			if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
				t.Errorf("%s's notification %s: link %q is no path of this site", key, n.Kind, n.Link)
				continue
			}
			req, _ := http.NewRequest("GET", m.e.ts.URL+path, nil)
			if _, pattern := m.mux.Handler(req); pattern == "" || strings.HasPrefix(pattern, "GET /api/") {
				t.Errorf("%s's notification %s: link %q is no page of the route table (%q)", key, n.Kind, n.Link, pattern)
				continue
			}
			resp, body := m.get(key, path)
			if resp.StatusCode != 200 {
				t.Errorf("%s's notification %s: GET %s: %d", key, n.Kind, path, resp.StatusCode)
				continue
			}
			if frag != "" && !strings.Contains(body, `id="`+frag+`"`) {
				t.Errorf("%s's notification %s: %s has no element #%s", key, n.Kind, path, frag)
			}
		}
	}
	for _, kind := range []string{"request.sent", "workorder.issued", "lot.completed", "delivery.shipped", "delivery.accepted", "invoice.issued"} {
		if !seen[kind] {
			t.Errorf("no notification %s was followed (have %v)", kind, seen)
		}
	}
}
