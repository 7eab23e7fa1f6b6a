package nakamawashi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// knownHolidays are the days off published by the Cabinet Office
// (内閣府「国民の祝日について」), as month-day and name.
var knownHolidays = map[int]string{
	2019: `01-01 元日, 01-14 成人の日, 02-11 建国記念の日, 03-21 春分の日, 04-29 昭和の日, 04-30 国民の休日,
		05-01 天皇の即位の日, 05-02 国民の休日, 05-03 憲法記念日, 05-04 みどりの日, 05-05 こどもの日, 05-06 振替休日,
		07-15 海の日, 08-11 山の日, 08-12 振替休日, 09-16 敬老の日, 09-23 秋分の日, 10-14 体育の日,
		10-22 即位礼正殿の儀, 11-03 文化の日, 11-04 振替休日, 11-23 勤労感謝の日`,
	2020: `01-01 元日, 01-13 成人の日, 02-11 建国記念の日, 02-23 天皇誕生日, 02-24 振替休日, 03-20 春分の日,
		04-29 昭和の日, 05-03 憲法記念日, 05-04 みどりの日, 05-05 こどもの日, 05-06 振替休日, 07-23 海の日,
		07-24 スポーツの日, 08-10 山の日, 09-21 敬老の日, 09-22 秋分の日, 11-03 文化の日, 11-23 勤労感謝の日`,
	2021: `01-01 元日, 01-11 成人の日, 02-11 建国記念の日, 02-23 天皇誕生日, 03-20 春分の日, 04-29 昭和の日,
		05-03 憲法記念日, 05-04 みどりの日, 05-05 こどもの日, 07-22 海の日, 07-23 スポーツの日, 08-08 山の日,
		08-09 振替休日, 09-20 敬老の日, 09-23 秋分の日, 11-03 文化の日, 11-23 勤労感謝の日`,
	2022: `01-01 元日, 01-10 成人の日, 02-11 建国記念の日, 02-23 天皇誕生日, 03-21 春分の日, 04-29 昭和の日,
		05-03 憲法記念日, 05-04 みどりの日, 05-05 こどもの日, 07-18 海の日, 08-11 山の日, 09-19 敬老の日,
		09-23 秋分の日, 10-10 スポーツの日, 11-03 文化の日, 11-23 勤労感謝の日`,
	2023: `01-01 元日, 01-02 振替休日, 01-09 成人の日, 02-11 建国記念の日, 02-23 天皇誕生日, 03-21 春分の日,
		04-29 昭和の日, 05-03 憲法記念日, 05-04 みどりの日, 05-05 こどもの日, 07-17 海の日, 08-11 山の日,
		09-18 敬老の日, 09-23 秋分の日, 10-09 スポーツの日, 11-03 文化の日, 11-23 勤労感謝の日`,
	2024: `01-01 元日, 01-08 成人の日, 02-11 建国記念の日, 02-12 振替休日, 02-23 天皇誕生日, 03-20 春分の日,
		04-29 昭和の日, 05-03 憲法記念日, 05-04 みどりの日, 05-05 こどもの日, 05-06 振替休日, 07-15 海の日,
		08-11 山の日, 08-12 振替休日, 09-16 敬老の日, 09-22 秋分の日, 09-23 振替休日, 10-14 スポーツの日,
		11-03 文化の日, 11-04 振替休日, 11-23 勤労感謝の日`,
	2025: `01-01 元日, 01-13 成人の日, 02-11 建国記念の日, 02-23 天皇誕生日, 02-24 振替休日, 03-20 春分の日,
		04-29 昭和の日, 05-03 憲法記念日, 05-04 みどりの日, 05-05 こどもの日, 05-06 振替休日, 07-21 海の日,
		08-11 山の日, 09-15 敬老の日, 09-23 秋分の日, 10-13 スポーツの日, 11-03 文化の日, 11-23 勤労感謝の日,
		11-24 振替休日`,
	2026: `01-01 元日, 01-12 成人の日, 02-11 建国記念の日, 02-23 天皇誕生日, 03-20 春分の日, 04-29 昭和の日,
		05-03 憲法記念日, 05-04 みどりの日, 05-05 こどもの日, 05-06 振替休日, 07-20 海の日, 08-11 山の日,
		09-21 敬老の日, 09-22 国民の休日, 09-23 秋分の日, 10-12 スポーツの日, 11-03 文化の日, 11-23 勤労感謝の日`,
	2027: `01-01 元日, 01-11 成人の日, 02-11 建国記念の日, 02-23 天皇誕生日, 03-21 春分の日, 03-22 振替休日,
		04-29 昭和の日, 05-03 憲法記念日, 05-04 みどりの日, 05-05 こどもの日, 07-19 海の日, 08-11 山の日,
		09-20 敬老の日, 09-23 秋分の日, 10-11 スポーツの日, 11-03 文化の日, 11-23 勤労感謝の日`,
}

func TestHolidays(t *testing.T) {
	for year, list := range knownHolidays {
		var want []string
		for _, f := range strings.Split(list, ",") {
			want = append(want, strings.Join(strings.Fields(f), " "))
		}
		var got []string
		for _, h := range nakamawashi.Holidays(year) {
			got = append(got, h.Date.Format("01-02")+" "+h.Name)
			if h.Date.Year() != year || h.Date.Hour() != 0 {
				t.Errorf("%d: holiday dated %v", year, h.Date)
			}
		}
		if strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Errorf("%d:\ngot  %s\nwant %s", year, strings.Join(got, ", "), strings.Join(want, ", "))
		}
	}
}

func TestIsHoliday(t *testing.T) {
	jst := time.FixedZone("JST", 9*60*60)
	tests := []struct {
		t    time.Time
		name string
		ok   bool
	}{
		{time.Date(2026, 9, 22, 0, 0, 0, 0, jst), "国民の休日", true},
		{time.Date(2026, 9, 22, 23, 59, 0, 0, jst), "国民の休日", true},
		// 2026-09-21 15:30 UTC is 2026-09-22 00:30 in Japan.
		{time.Date(2026, 9, 21, 15, 30, 0, 0, time.UTC), "国民の休日", true},
		{time.Date(2026, 9, 24, 10, 0, 0, 0, jst), "", false},
		{time.Date(2026, 5, 6, 10, 0, 0, 0, jst), "振替休日", true},
		{time.Date(2026, 8, 13, 10, 0, 0, 0, jst), "", false}, // お盆 is not a national holiday
		{time.Date(2009, 9, 22, 0, 0, 0, 0, jst), "国民の休日", true},
		{time.Date(2015, 9, 22, 0, 0, 0, 0, jst), "国民の休日", true},
		{time.Date(2032, 9, 21, 0, 0, 0, 0, jst), "国民の休日", true},
		{time.Date(2018, 12, 24, 0, 0, 0, 0, jst), "振替休日", true},
		{time.Date(2019, 12, 23, 0, 0, 0, 0, jst), "", false},
		{time.Date(2006, 5, 4, 0, 0, 0, 0, jst), "国民の休日", true},
		{time.Date(1989, 2, 24, 0, 0, 0, 0, jst), "昭和天皇の大喪の礼", true},
		{time.Date(1978, 3, 21, 0, 0, 0, 0, jst), "春分の日", true},
	}
	for _, tt := range tests {
		name, ok := nakamawashi.IsHoliday(tt.t)
		if name != tt.name || ok != tt.ok {
			t.Errorf("IsHoliday(%v) = %q, %v; want %q, %v", tt.t, name, ok, tt.name, tt.ok)
		}
	}
}

// TestEquinoxes checks the equinox days against the 国立天文台 table for a
// span of years.
func TestEquinoxes(t *testing.T) {
	spring := map[int]int{2028: 20, 2029: 20, 2030: 20, 2031: 21, 2032: 20, 2033: 20, 2034: 20, 2035: 21, 2036: 20, 2044: 20, 2092: 19}
	autumn := map[int]int{2028: 22, 2029: 23, 2030: 23, 2031: 23, 2032: 22, 2033: 23, 2034: 23, 2035: 23, 2036: 22, 2044: 22, 2092: 22}
	for y, d := range spring {
		if name, _ := nakamawashi.IsHoliday(time.Date(y, 3, d, 12, 0, 0, 0, time.UTC)); name != "春分の日" {
			t.Errorf("%d-03-%02d: got %q, want 春分の日", y, d, name)
		}
	}
	for y, d := range autumn {
		if name, _ := nakamawashi.IsHoliday(time.Date(y, 9, d, 12, 0, 0, 0, time.UTC)); name != "秋分の日" {
			t.Errorf("%d-09-%02d: got %q, want 秋分の日", y, d, name)
		}
	}
}
