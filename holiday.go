package nakamawashi

import (
	"slices"
	"sync"
	"time"
)

// A Holiday is a day off under the 国民の祝日に関する法律: a national
// holiday (国民の祝日), a substitute holiday (振替休日) or a citizens'
// holiday (国民の休日). Date is midnight in Japan time.
type Holiday struct {
	Date time.Time
	Name string
}

// jstZone is Japan Standard Time. Japan has kept UTC+9 without daylight
// saving since 1951, so a fixed zone gives the same dates as Asia/Tokyo
// without reading the zone database.
var jstZone = time.FixedZone("Asia/Tokyo", 9*60*60)

// holidayCache holds the holidays of each year already computed, keyed by
// year; the values are maps from the day of the year to the name.
var holidayCache sync.Map

// IsHoliday reports whether the date of d in Japan time is a holiday and
// its name.
func IsHoliday(d time.Time) (name string, ok bool) {
	d = d.In(jstZone)
	days := holidayDays(d.Year())
	name, ok = days[d.YearDay()]
	return name, ok
}

// Holidays returns the holidays of a year in date order, computed by rule:
// the fixed days, the Happy Monday days, the equinox days by the standard
// approximation (exact for 1980–2099), the one-off days of 1989, 1990,
// 1993 and 2019, the Olympic moves of 2020 and 2021, 振替休日 (a holiday on
// a Sunday moves the day off to the next day that is not a holiday; before
// 2007 only to the Monday) and 国民の休日 (a day between two national
// holidays, since 1986). Years before 1949 have none.
func Holidays(year int) []Holiday {
	days := holidayDays(year)
	out := make([]Holiday, 0, len(days))
	for yd, name := range days {
		out = append(out, Holiday{Date: time.Date(year, 1, yd, 0, 0, 0, 0, jstZone), Name: name})
	}
	slices.SortFunc(out, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return out
}

func holidayDays(year int) map[int]string {
	if v, ok := holidayCache.Load(year); ok {
		return v.(map[int]string)
	}
	days := computeHolidays(year)
	holidayCache.Store(year, days)
	return days
}

// computeHolidays returns the day off of a year by day of the year.
func computeHolidays(y int) map[int]string {
	days := map[int]string{}
	if y < 1949 {
		return days
	}
	date := func(m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	add := func(m time.Month, d int, name string) { days[date(m, d).YearDay()] = name }
	// monday returns the day of the n-th Monday of month m.
	monday := func(m time.Month, n int) int {
		first := date(m, 1).Weekday()
		return 1 + (8-int(first))%7 + 7*(n-1)
	}

	add(1, 1, "元日")
	if y >= 2000 {
		add(1, monday(1, 2), "成人の日")
	} else {
		add(1, 15, "成人の日")
	}
	if y >= 1967 {
		add(2, 11, "建国記念の日")
	}
	if y >= 2020 {
		add(2, 23, "天皇誕生日")
	}
	add(3, vernalEquinox(y), "春分の日")
	switch {
	case y >= 2007:
		add(4, 29, "昭和の日")
	case y >= 1989:
		add(4, 29, "みどりの日")
	default:
		add(4, 29, "天皇誕生日")
	}
	add(5, 3, "憲法記念日")
	if y >= 2007 {
		add(5, 4, "みどりの日")
	}
	add(5, 5, "こどもの日")
	switch {
	case y == 2020:
		add(7, 23, "海の日")
	case y == 2021:
		add(7, 22, "海の日")
	case y >= 2003:
		add(7, monday(7, 3), "海の日")
	case y >= 1996:
		add(7, 20, "海の日")
	}
	switch {
	case y == 2020:
		add(8, 10, "山の日")
	case y == 2021:
		add(8, 8, "山の日")
	case y >= 2016:
		add(8, 11, "山の日")
	}
	switch {
	case y >= 2003:
		add(9, monday(9, 3), "敬老の日")
	case y >= 1966:
		add(9, 15, "敬老の日")
	}
	add(9, autumnalEquinox(y), "秋分の日")
	switch {
	case y == 2020:
		add(7, 24, "スポーツの日")
	case y == 2021:
		add(7, 23, "スポーツの日")
	case y >= 2020:
		add(10, monday(10, 2), "スポーツの日")
	case y >= 2000:
		add(10, monday(10, 2), "体育の日")
	case y >= 1966:
		add(10, 10, "体育の日")
	}
	add(11, 3, "文化の日")
	add(11, 23, "勤労感謝の日")
	if y >= 1989 && y <= 2018 {
		add(12, 23, "天皇誕生日")
	}
	switch y {
	case 1959:
		add(4, 10, "皇太子明仁親王の結婚の儀")
	case 1989:
		add(2, 24, "昭和天皇の大喪の礼")
	case 1990:
		add(11, 12, "即位礼正殿の儀")
	case 1993:
		add(6, 9, "皇太子徳仁親王の結婚の儀")
	case 2019:
		add(5, 1, "天皇の即位の日")
		add(10, 22, "即位礼正殿の儀")
	}

	// The national holidays proper, before the days off derived from them.
	national := make(map[int]bool, len(days))
	for yd := range days {
		national[yd] = true
	}
	last := date(12, 31).YearDay()
	// 振替休日, since 1973-04-12.
	for yd := range national {
		d := date(1, yd)
		if d.Weekday() != time.Sunday || d.Before(time.Date(1973, 4, 12, 0, 0, 0, 0, time.UTC)) {
			continue
		}
		next := yd + 1
		if y >= 2007 {
			for national[next] {
				next++
			}
		}
		if next <= last && !national[next] {
			days[next] = "振替休日"
		}
	}
	// 国民の休日, since 1986: a day that is not a national holiday between
	// two that are; before 2007 not on a Sunday.
	if y >= 1986 {
		for yd := 2; yd < last; yd++ {
			if national[yd] || !national[yd-1] || !national[yd+1] {
				continue
			}
			if _, taken := days[yd]; taken {
				continue
			}
			if y < 2007 && date(1, yd).Weekday() == time.Sunday {
				continue
			}
			days[yd] = "国民の休日"
		}
	}
	return days
}

// vernalEquinox returns the March day of 春分の日 by the usual
// approximation of the equinox, the one the 国立天文台 announcements agree
// with for 1980–2099 (and 1900–1979, 2100–2150 with their constants).
func vernalEquinox(y int) int {
	return equinox(y, 20.8357, 20.8431, 21.8510)
}

// autumnalEquinox returns the September day of 秋分の日.
func autumnalEquinox(y int) int {
	return equinox(y, 23.2588, 23.2488, 24.2488)
}

func equinox(y int, c1900, c1980, c2100 float64) int {
	c, base := c1980, 1980
	switch {
	case y < 1980:
		c, base = c1900, 1983
	case y >= 2100:
		c = c2100
	}
	// (y-base)/4 truncates toward zero, as in the published formula.
	return int(c+0.242194*float64(y-1980)) - (y-base)/4
}
