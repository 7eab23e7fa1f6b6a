package http

import (
	gohttp "net/http"
	"net/url"

	"github.com/nakamawashi/nakamawashi"
)

// The order flow's parsers of paths, queries and forms, for the fuzz
// tests.

// LotCode reads a traveler code as the API's lot routes do.
func LotCode(code string) (string, error) {
	r := &gohttp.Request{URL: &url.URL{}}
	r.SetPathValue("code", code)
	return lotCode(r)
}

// TravelerCodeOK is the traveler page's check of a code.
func TravelerCodeOK(code string) bool { return travelerCodeOK(code) }

// QueryAmounts reads min_amount and max_amount from a raw query.
func QueryAmounts(rawQuery string) (lo, hi *int64, err error) {
	return queryAmounts(&gohttp.Request{URL: &url.URL{RawQuery: rawQuery}})
}

// FlowFilter and DocumentFilter read the flow's list and records queries.
func FlowFilter(rawQuery string) (nakamawashi.FlowFilter, error) {
	return flowFilter(&gohttp.Request{URL: &url.URL{RawQuery: rawQuery}})
}

func DocumentFilter(rawQuery string) (nakamawashi.DocumentFilter, error) {
	return documentFilter(&gohttp.Request{URL: &url.URL{RawQuery: rawQuery}})
}

// Attachment is the Content-Disposition of a drawing download.
func Attachment(name string) string { return attachment(name) }

// BaseName is a file name without the directories a client sent.
func BaseName(name string) string { return baseName(name) }

// FormNumbers reads a typed date, a yen amount and a list of ids as the
// flow's forms do; err holds the problems.
func FormNumbers(date, yen string, idList []string) (nakamawashi.Date, int64, []int64, error) {
	n := newNumbers()
	d, v := n.date("date", date), n.int64("yen", yen)
	list, err := ids(idList)
	if err != nil {
		return d, v, nil, err
	}
	return d, v, list, n.pr.Err()
}

// InquiryForm reads the new inquiry form as the page does, for actor a.
func InquiryForm(v url.Values, a *nakamawashi.Actor) (*nakamawashi.Inquiry, []int, error) {
	return inquiryFormFrom(v).inquiry(a)
}

// InquiryPartRows is how many part rows the new inquiry form has.
const InquiryPartRows = inquiryPartRows
