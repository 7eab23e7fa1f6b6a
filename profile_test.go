package nakamawashi_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

func TestVocabulary(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range nakamawashi.Processes() {
		if seen[p.Code] || p.JA == "" || p.EN == "" || p.Reading == "" || (p.Kind != nakamawashi.MachineProcess && p.Kind != nakamawashi.PoolProcess) {
			t.Errorf("process %+v: duplicate or incomplete", p)
		}
		seen[p.Code] = true
		for _, c := range p.Covers {
			if _, ok := nakamawashi.ProcessByCode(c); !ok {
				t.Errorf("process %s covers unknown %s", p.Code, c)
			}
		}
	}
	for _, m := range nakamawashi.Materials() {
		if seen[m.Code] || m.JA == "" || m.EN == "" {
			t.Errorf("material %+v: duplicate or incomplete", m)
		}
		seen[m.Code] = true
	}
	if !nakamawashi.ProcessSatisfies("mc.5axis", "mc.3axis") || nakamawashi.ProcessSatisfies("mc.3axis", "mc.5axis") {
		t.Error("5-axis should cover 3-axis, not the other way round")
	}
}

func TestProfileValidate(t *testing.T) {
	lat, lon := 35.56, 139.72
	p := &nakamawashi.Profile{
		Processes: []string{"turning.nc", " turning.nc", "mc.5axis"}, Materials: []string{"SUS304"},
		LotSizes: []nakamawashi.LotSize{nakamawashi.LotSmall, nakamawashi.LotPrototype}, CapacityHours: 80,
		Latitude: &lat, Longitude: &lon,
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(p.Processes) != 2 || p.LotSizes[0] != nakamawashi.LotPrototype {
		t.Errorf("normalized = %v %v", p.Processes, p.LotSizes)
	}
	bad := &nakamawashi.Profile{Processes: []string{"turning.magic"}, Materials: []string{"Unobtainium"}, CapacityHours: -1, Latitude: &lat}
	var e *nakamawashi.Error
	if err := bad.Validate(); !asError(err, &e) || e.Fields["processes"].Key != "err.profile.process" ||
		e.Fields["materials"].Key != "err.profile.material" || e.Fields["capacity_hours"].Key != "err.range" ||
		e.Fields["latitude"].Key != "err.profile.location_pair" {
		t.Errorf("fields = %v", e.Fields)
	}
}

func TestEnvelopeFits(t *testing.T) {
	box := func(x, y, z float64) nakamawashi.Envelope {
		return nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: x, Y: y, Z: z}
	}
	round := func(d, l float64) nakamawashi.Envelope {
		return nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: d, L: l}
	}
	for _, tt := range []struct {
		name      string
		env, part nakamawashi.Envelope
		want      bool
	}{
		{"box in box", box(500, 400, 300), box(100, 100, 100), true},
		{"turned box fits", box(500, 400, 300), box(300, 450, 100), true},
		{"box too long", box(500, 400, 300), box(600, 100, 100), false},
		{"round in round", round(200, 300), round(150, 250), true},
		{"round too long", round(200, 300), round(150, 350), false},
		{"round in box", box(500, 400, 300), round(250, 450), true},
		{"box in round, diagonal", round(100, 300), box(200, 60, 60), true},
		{"box in round, too wide", round(100, 300), box(200, 80, 80), false},
		{"no part size", round(10, 10), nakamawashi.Envelope{}, true},
	} {
		if got := tt.env.Fits(tt.part); got != tt.want {
			t.Errorf("%s: Fits = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestMachineValidate(t *testing.T) {
	m := &nakamawashi.Machine{Process: "turning.nc", Maker: "ＯＫＵＭＡ", Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 300, L: 500}, ToleranceUM: 5}
	if err := m.Validate(); err != nil || m.Count != 1 || m.Maker != "OKUMA" {
		t.Fatalf("Validate = %v, %+v", err, m)
	}
	for name, m := range map[string]*nakamawashi.Machine{
		"pool process": {Process: "plating.zinc", Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: 1, Y: 1, Z: 1}},
		"no envelope":  {Process: "turning.nc"},
		"NaN":          {Process: "turning.nc", Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: math.NaN(), L: 1}},
		"tolerance":    {Process: "turning.nc", Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 1, L: 1}, ToleranceUM: -1},
	} {
		if nakamawashi.ErrorCode(m.Validate()) != nakamawashi.EINVALID {
			t.Errorf("%s: want invalid", name)
		}
	}
}

func TestPhotoInspect(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	var buf bytes.Buffer
	png.Encode(&buf, img)
	ph := &nakamawashi.Photo{Data: buf.Bytes()}
	if err := ph.Inspect(); err != nil || ph.ContentType != "image/png" || ph.Width != 40 || ph.Height != 30 || len(ph.SHA256) != 64 {
		t.Fatalf("Inspect = %v, %+v", err, ph)
	}
	// A PNG header that claims 60000×60000 pixels is refused before decoding.
	bomb := append([]byte{}, buf.Bytes()...)
	copy(bomb[16:24], []byte{0, 0, 0xea, 0x60, 0, 0, 0xea, 0x60})
	if err := (&nakamawashi.Photo{Data: bomb}).Inspect(); nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
		t.Errorf("pixel bomb: %v", err)
	}
	for name, data := range map[string][]byte{
		"empty": nil, "html": []byte("<html><script>alert(1)</script>"), "truncated png": buf.Bytes()[:20],
		"pdf": []byte("%PDF-1.7 ..."),
	} {
		if err := (&nakamawashi.Photo{Data: data}).Inspect(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestLocate(t *testing.T) {
	ota, precise, ok := nakamawashi.Locate("東京都", "大田区")
	if !ok || !precise {
		t.Fatal("大田区 not located")
	}
	hitachi, _, _ := nakamawashi.Locate("茨城県", "日立市")
	if d := nakamawashi.DistanceKM(ota, hitachi); d < 130 || d > 155 {
		t.Errorf("大田区–日立市 = %.0f km; want about 143 (straight line)", d)
	}
	if _, precise, ok := nakamawashi.Locate("神奈川県", "川崎市中原区"); !ok || !precise {
		t.Error("a ward of a designated city should find its city")
	}
	if _, precise, ok := nakamawashi.Locate("高知県", "四万十市"); !ok || precise {
		t.Error("an unknown city should fall back to its prefecture")
	}
	if _, _, ok := nakamawashi.Locate("東京", "大田区"); ok {
		t.Error("an unknown prefecture should not be located")
	}
}

func TestNormalizeSearch(t *testing.T) {
	for in, want := range map[string]string{
		"ｾﾝﾊﾞﾝ":      "センバン",
		"せんばん":       "センバン",
		"ＳＵＳ３０４":     "sus304",
		"  NC　 旋盤  ": "nc 旋盤",
	} {
		if got := nakamawashi.NormalizeSearch(in); got != want {
			t.Errorf("NormalizeSearch(%q) = %q; want %q", in, got, want)
		}
	}
}
