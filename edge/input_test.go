package edge_test

import (
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/edge"
)

func TestParseSample(t *testing.T) {
	now := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	s, ok, err := edge.ParseSample("2026-04-01T08:30:00.250+09:00 101", now)
	if err != nil || !ok || !s.Red || s.Yellow || !s.Green || !s.Time.Equal(time.Date(2026, 3, 31, 23, 30, 0, 250e6, time.UTC)) {
		t.Fatalf("got %+v %v %v", s, ok, err)
	}
	if s, ok, err := edge.ParseSample("now 010", now); err != nil || !ok || !s.Yellow || !s.Time.Equal(now) {
		t.Fatalf("now: %+v %v %v", s, ok, err)
	}
	for _, line := range []string{"", "  ", "# comment"} {
		if _, ok, err := edge.ParseSample(line, now); ok || err != nil {
			t.Errorf("%q: ok %v, err %v", line, ok, err)
		}
	}
	for _, line := range []string{"2026-04-01 010", "now 01", "now 012", "now 010 x", strings.Repeat("1", 300)} {
		if _, _, err := edge.ParseSample(line, now); err == nil {
			t.Errorf("%q accepted", line)
		}
	}
}

func FuzzParseSample(f *testing.F) {
	for _, s := range []string{"2026-04-01T08:30:00.250+09:00 101", "now 000", "# x", "", "now 01a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		s, ok, err := edge.ParseSample(line, time.Unix(0, 0))
		if err != nil && ok {
			t.Fatal("ok with an error")
		}
		if !ok && (s.Red || s.Yellow || s.Green) {
			t.Fatal("lamps without a sample")
		}
	})
}
