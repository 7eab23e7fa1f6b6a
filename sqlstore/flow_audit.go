package sqlstore

import (
	"context"

	"github.com/nakamawashi/nakamawashi"
)

// auditCompany returns the company whose audit log records an act of the
// actor in ctx on a record of company: that company's own log when the
// actor is one of its people, the network office (coordinators, admins)
// or the system; the office's log otherwise.
//
// A company's people read its log (who did what, by name), so it may only
// name people they may know of: their own and the office's, which deals
// with every company of the network and whose people customers and shops
// meet on quotes and orders. A customer never learns which shops, or which
// of their people, do its work; a shop never learns who the customer is.
// The office reads every log.
func auditCompany(ctx context.Context, companyID, officeID int64) int64 {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil || officeView(a) || a.CompanyID == companyID || officeID <= 0 || a.CompanyID == officeID {
		return companyID
	}
	return officeID
}
