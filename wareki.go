package nakamawashi

import (
	"fmt"
	"time"
)

// JST is Japan Standard Time. Japan has kept UTC+9 without daylight saving
// since 1951, so a fixed zone is exact and needs no tz database.
var JST = time.FixedZone("JST", 9*60*60)

// DateStyle chooses how documents write dates.
type DateStyle string

// The date styles of Japanese documents. 西暦 is the default.
const (
	DateSeireki DateStyle = "seireki" // 2026年11月21日
	DateWareki  DateStyle = "wareki"  // 令和8年11月21日
)

// Valid reports whether s is a known style; the empty style means 西暦.
func (s DateStyle) Valid() bool { return s == "" || s == DateSeireki || s == DateWareki }

// era is a Japanese era (元号) and the day it began.
type era struct {
	name  string
	start time.Time // the first day, in JST
}

// eras, newest first. 明治 is given from 1873-01-01, when Japan adopted the
// Gregorian calendar; earlier dates were lunisolar and are not converted.
var eras = []era{
	{"令和", time.Date(2019, 5, 1, 0, 0, 0, 0, JST)},
	{"平成", time.Date(1989, 1, 8, 0, 0, 0, 0, JST)},
	{"昭和", time.Date(1926, 12, 25, 0, 0, 0, 0, JST)},
	{"大正", time.Date(1912, 7, 30, 0, 0, 0, 0, JST)},
	{"明治", time.Date(1868, 1, 25, 0, 0, 0, 0, JST)},
}

// gregorianAdoption is the first day of the Gregorian calendar in Japan
// (明治6年1月1日).
var gregorianAdoption = time.Date(1873, 1, 1, 0, 0, 0, 0, JST)

// Wareki returns the era and the year in the era of the calendar day of t in
// Japan, and false before 1873, when Japan used a lunisolar calendar.
func Wareki(t time.Time) (name string, year int, ok bool) {
	t = t.In(JST)
	if t.Before(gregorianAdoption) {
		return "", 0, false
	}
	for _, e := range eras {
		if !t.Before(e.start) {
			return e.name, t.Year() - e.start.Year() + 1, true
		}
	}
	return "", 0, false
}

// FormatWareki writes the calendar day of t in Japan in the Japanese era
// style: 令和8年11月21日, with 元年 for the first year of an era
// (令和元年5月1日). Dates before 1873 fall back to FormatSeireki.
func FormatWareki(t time.Time) string {
	name, year, ok := Wareki(t)
	if !ok {
		return FormatSeireki(t)
	}
	t = t.In(JST)
	y := fmt.Sprint(year)
	if year == 1 {
		y = "元"
	}
	return fmt.Sprintf("%s%s年%d月%d日", name, y, int(t.Month()), t.Day())
}

// FormatSeireki writes the calendar day of t in Japan as 2026年11月21日.
func FormatSeireki(t time.Time) string {
	t = t.In(JST)
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// FormatDate writes t in the given style; the empty style is 西暦.
func FormatDate(t time.Time, style DateStyle) string {
	if style == DateWareki {
		return FormatWareki(t)
	}
	return FormatSeireki(t)
}
