package nakamawashi_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// ymd is a Date in a table.
func ymd(y int, m time.Month, d int) nakamawashi.Date { return nakamawashi.MakeDate(y, m, d) }

func TestParseDate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want nakamawashi.Date
	}{
		{"2026-05-06", ymd(2026, 5, 6)},
		{" 2026-05-06 ", ymd(2026, 5, 6)},
		{"2026/05/06", ymd(2026, 5, 6)},
		{"２０２６／０５／０６", ymd(2026, 5, 6)}, // full-width, as typed with an IME
		{"２０２６－０５－０６", ymd(2026, 5, 6)},
		{"2028-02-29", ymd(2028, 2, 29)},
		{"", nakamawashi.Date{}},
	} {
		got, err := nakamawashi.ParseDate(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"2026-02-30", "2027-02-29", "2026-13-01", "2026-5-6", "26-05-06", "1899-12-31", "3000-01-01", "令和8年5月6日", "tomorrow", "2026-05-06T00:00:00Z"} {
		_, err := nakamawashi.ParseDate(in)
		if nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
			t.Errorf("ParseDate(%q) = %v, want EINVALID", in, err)
		} else if msg := nakamawashi.ErrorMessage(nakamawashi.Japanese, err); msg != "日付は2026-12-01の形式で入力してください。" {
			t.Errorf("message %q", msg)
		}
	}
}

func TestDateFormat(t *testing.T) {
	d := ymd(2026, 12, 31)
	if got := d.String(); got != "2026-12-31" {
		t.Errorf("String = %q", got)
	}
	if got := (nakamawashi.Date{}).String(); got != "" {
		t.Errorf("zero String = %q", got)
	}
	if !(nakamawashi.Date{}).IsZero() || d.IsZero() {
		t.Error("IsZero")
	}
	// Out-of-range days roll over as time.Date does.
	if got := ymd(2026, 12, 32); got != ymd(2027, 1, 1) {
		t.Errorf("MakeDate rollover = %v", got)
	}
	if got := ymd(2028, 2, 10).EndOfMonth(); got != ymd(2028, 2, 29) {
		t.Errorf("EndOfMonth = %v", got)
	}
	if got := ymd(2026, 12, 31).EndOfMonth(); got != ymd(2026, 12, 31) {
		t.Errorf("EndOfMonth of the last day = %v", got)
	}
	// The day in Japan: 15:30 UTC is already the next day there.
	if got := nakamawashi.DateOf(time.Date(2026, 5, 5, 15, 30, 0, 0, time.UTC)); got != ymd(2026, 5, 6) {
		t.Errorf("DateOf = %v, want 2026-05-06", got)
	}
	if got := nakamawashi.DateOf(time.Date(2026, 5, 5, 14, 59, 0, 0, time.UTC)); got != ymd(2026, 5, 5) {
		t.Errorf("DateOf = %v, want 2026-05-05", got)
	}
	if !nakamawashi.DateOf(time.Time{}).IsZero() {
		t.Error("DateOf(zero time) is not the zero Date")
	}
	if !ymd(2026, 1, 1).Before(ymd(2026, 1, 2)) || !ymd(2026, 1, 2).After(ymd(2026, 1, 1)) || ymd(2026, 1, 1).After(ymd(2026, 1, 1)) {
		t.Error("Before/After")
	}
	if got := nakamawashi.MaxDate(ymd(2026, 1, 1), ymd(2025, 12, 31)); got != ymd(2026, 1, 1) {
		t.Errorf("MaxDate = %v", got)
	}
	if got := nakamawashi.MaxDate(nakamawashi.Date{}, ymd(2025, 12, 31)); got != ymd(2025, 12, 31) {
		t.Errorf("MaxDate with zero = %v", got)
	}
}

func TestDateDays(t *testing.T) {
	for _, tt := range []struct {
		from, to nakamawashi.Date
		days     int
	}{
		{ymd(2026, 1, 1), ymd(2026, 2, 28), 58},
		{ymd(2026, 2, 28), ymd(2026, 1, 1), -58},
		{ymd(2028, 2, 28), ymd(2028, 3, 1), 2},
		{ymd(2026, 1, 1), ymd(2026, 1, 1), 0},
		{ymd(1900, 1, 1), ymd(2999, 12, 31), 401766}, // the whole range ParseDate accepts
	} {
		if got := tt.from.DaysUntil(tt.to); got != tt.days {
			t.Errorf("%v.DaysUntil(%v) = %d, want %d", tt.from, tt.to, got, tt.days)
		}
		if got := tt.from.AddDays(tt.days); got != tt.to {
			t.Errorf("%v.AddDays(%d) = %v, want %v", tt.from, tt.days, got, tt.to)
		}
	}
	if !(nakamawashi.Date{}).AddDays(3).IsZero() {
		t.Error("the zero Date moved")
	}
}

func TestDateJSON(t *testing.T) {
	type rec struct {
		Due      nakamawashi.Date `json:"due"`
		Optional nakamawashi.Date `json:"optional,omitzero"`
	}
	b, err := json.Marshal(rec{Due: ymd(2026, 5, 6)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"due":"2026-05-06"}`; got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
	b, _ = json.Marshal(rec{})
	if got, want := string(b), `{"due":""}`; got != want {
		t.Errorf("Marshal zero = %s, want %s", got, want)
	}
	var r rec
	if err := json.Unmarshal([]byte(`{"due":"2026-12-31","optional":""}`), &r); err != nil || r.Due != ymd(2026, 12, 31) || !r.Optional.IsZero() {
		t.Errorf("Unmarshal = %+v, %v", r, err)
	}
	if err := json.Unmarshal([]byte(`{"due":"２０２６/１/２"}`), &r); err == nil {
		t.Error("a date without two-digit month and day was accepted")
	}
	for _, in := range []string{`{"due":"2026-02-30"}`, `{"due":"soon"}`} {
		err := json.Unmarshal([]byte(in), &r)
		if nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
			t.Errorf("Unmarshal(%s) = %v, want EINVALID", in, err)
		}
	}
	if err := json.Unmarshal([]byte(`{"due":20260101}`), &r); err == nil {
		t.Error("a number was accepted as a date")
	}
}

func TestAddWorkdays(t *testing.T) {
	for _, tt := range []struct {
		name string
		from nakamawashi.Date
		n    int
		want nakamawashi.Date
	}{
		{"a plain week", ymd(2026, 4, 13), 4, ymd(2026, 4, 17)},
		{"over a weekend", ymd(2026, 4, 17), 1, ymd(2026, 4, 20)},
		{"0 on a working day", ymd(2026, 4, 28), 0, ymd(2026, 4, 28)},
		{"0 on a Saturday", ymd(2026, 4, 25), 0, ymd(2026, 4, 27)},
		// Golden Week 2026: 4/29 (Wed) 昭和の日, 5/3 (Sun) 憲法記念日, 5/4
		// みどりの日, 5/5 こどもの日, 5/6 振替休日 for 5/3.
		{"over 昭和の日", ymd(2026, 4, 28), 1, ymd(2026, 4, 30)},
		{"into Golden Week", ymd(2026, 4, 30), 1, ymd(2026, 5, 1)},
		{"over Golden Week", ymd(2026, 5, 1), 1, ymd(2026, 5, 7)},
		{"0 on 振替休日", ymd(2026, 5, 6), 0, ymd(2026, 5, 7)},
		{"across the whole holiday", ymd(2026, 4, 27), 4, ymd(2026, 5, 7)},
		{"Golden Week 2027", ymd(2027, 4, 30), 1, ymd(2027, 5, 6)},
		// 年末年始: only 元日 is a national holiday; 12/29–31 and 1/2–3
		// are working days on the default calendar (shops' own days off
		// are the schedule package's business).
		{"year end is working", ymd(2026, 12, 28), 3, ymd(2026, 12, 31)},
		{"over 元日 and a weekend", ymd(2026, 12, 31), 1, ymd(2027, 1, 4)},
		{"over 成人の日", ymd(2027, 1, 8), 1, ymd(2027, 1, 12)},
		{"2025/26: 1/2 is a working day", ymd(2025, 12, 31), 1, ymd(2026, 1, 2)},
	} {
		if got := tt.from.AddWorkdays(tt.n); got != tt.want {
			t.Errorf("%s: %v.AddWorkdays(%d) = %v (%s), want %v (%s)", tt.name, tt.from, tt.n, got, got.Time().Weekday(), tt.want, tt.want.Time().Weekday())
		}
	}
	for _, d := range []nakamawashi.Date{ymd(2026, 4, 29), ymd(2026, 5, 4), ymd(2026, 5, 5), ymd(2026, 5, 6), ymd(2027, 1, 1), ymd(2026, 5, 2), ymd(2026, 5, 3)} {
		if d.Workday() {
			t.Errorf("%v is a working day", d)
		}
	}
	for _, d := range []nakamawashi.Date{ymd(2026, 5, 1), ymd(2026, 12, 29), ymd(2026, 12, 31), ymd(2026, 1, 2)} {
		if !d.Workday() {
			t.Errorf("%v is not a working day", d)
		}
	}
	if !(nakamawashi.Date{}).AddWorkdays(3).IsZero() {
		t.Error("the zero Date moved")
	}
}
