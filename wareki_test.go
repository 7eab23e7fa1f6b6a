package nakamawashi_test

import (
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

func TestFormatWareki(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, nakamawashi.JST) }
	for _, tt := range []struct {
		t       time.Time
		wareki  string
		seireki string
	}{
		{day(2026, 11, 21), "令和8年11月21日", "2026年11月21日"},
		{day(2020, 1, 1), "令和2年1月1日", "2020年1月1日"},
		{day(2019, 12, 31), "令和元年12月31日", "2019年12月31日"},
		{day(2019, 5, 1), "令和元年5月1日", "2019年5月1日"},
		{day(2019, 4, 30), "平成31年4月30日", "2019年4月30日"},
		{day(1989, 1, 8), "平成元年1月8日", "1989年1月8日"},
		{day(1989, 1, 7), "昭和64年1月7日", "1989年1月7日"},
		{day(1927, 1, 1), "昭和2年1月1日", "1927年1月1日"},
		{day(1926, 12, 25), "昭和元年12月25日", "1926年12月25日"},
		{day(1926, 12, 24), "大正15年12月24日", "1926年12月24日"},
		{day(1912, 7, 30), "大正元年7月30日", "1912年7月30日"},
		{day(1912, 7, 29), "明治45年7月29日", "1912年7月29日"},
		{day(1873, 1, 1), "明治6年1月1日", "1873年1月1日"},
		{day(1872, 12, 31), "1872年12月31日", "1872年12月31日"}, // lunisolar before: 西暦 only
		// The day is the calendar day in Japan: 15:00 UTC on 30 April 2019 is
		// midnight of 1 May in Tokyo, the first day of 令和.
		{time.Date(2019, 4, 30, 15, 0, 0, 0, time.UTC), "令和元年5月1日", "2019年5月1日"},
		{time.Date(2019, 4, 30, 14, 59, 59, 0, time.UTC), "平成31年4月30日", "2019年4月30日"},
	} {
		if got := nakamawashi.FormatWareki(tt.t); got != tt.wareki {
			t.Errorf("FormatWareki(%v) = %q, want %q", tt.t, got, tt.wareki)
		}
		if got := nakamawashi.FormatSeireki(tt.t); got != tt.seireki {
			t.Errorf("FormatSeireki(%v) = %q, want %q", tt.t, got, tt.seireki)
		}
		if got := nakamawashi.FormatDate(tt.t, nakamawashi.DateWareki); got != tt.wareki {
			t.Errorf("FormatDate(wareki) = %q", got)
		}
		if got := nakamawashi.FormatDate(tt.t, ""); got != tt.seireki {
			t.Errorf("FormatDate(default) = %q", got)
		}
	}
}
