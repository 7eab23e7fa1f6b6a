package http

import (
	gohttp "net/http"
	"net/url"

	"github.com/nakamawashi/nakamawashi"
)

// FormMachineID reads the traveler form's machine as the page does.
func FormMachineID(v string) (int64, error) {
	pr := nakamawashi.Problems{}
	id := formMachineID(pr, v)
	return id, pr.Err()
}

// QueryAtRisk reads at_risk from a query as the order lists do.
func QueryAtRisk(rawQuery string) (bool, error) {
	return queryAtRisk(&gohttp.Request{URL: &url.URL{RawQuery: rawQuery}})
}
