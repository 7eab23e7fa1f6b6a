package http_test

import (
	"net/url"

	"github.com/nakamawashi/nakamawashi"
)

// The order flow's pages in the access matrix, on the fixtures of
// access_flow_test.go: pages that read look at the seeded flow (C's
// inquiry, invoiced, with B's request, work order and lot); buttons act
// on a fresh flow at the stage they need. Who may press what follows the
// policy and the records, as for the API: a shop reaches only what is
// addressed to it (anything else is not found), a customer only its own
// records, and no page shows a customer B's name or prices (the matrix's
// leak classes).

// staged is a fresh flow made for one call: first fills the first path
// parameter (making the flow), then the others and the body.
type staged struct {
	st stage
	f  *flowFixture
}

func (s *staged) first(pick func(*flowFixture) string) func(*matrix) string {
	return func(m *matrix) string { s.f = m.newFlow(s.st); m.forget(); return pick(s.f) }
}

func (s *staged) then(pick func(*flowFixture) string) func(*matrix) string {
	return func(*matrix) string { return pick(s.f) }
}

// flowUIAccessRules are the matrix's rules for the order flow's pages.
func flowUIAccessRules() map[string]accessRule {
	type params = map[string]func(*matrix) string
	ofC := func(perm nakamawashi.Permission) (nakamawashi.Permission, func(*matrix, *nakamawashi.Actor) bool) {
		return perm, func(m *matrix, a *nakamawashi.Actor) bool { return a.Can(perm, m.e.c.ID) }
	}
	shopOrOffice := func(m *matrix, a *nakamawashi.Actor) bool {
		return a.Can(nakamawashi.PermShopWork, m.b.ID) || a.CanNetwork(nakamawashi.PermCoordinate)
	}
	ownShopOrOffice := func(m *matrix, a *nakamawashi.Actor) bool {
		return a.Can(nakamawashi.PermShopWork, a.CompanyID) || a.CanNetwork(nakamawashi.PermCoordinate)
	}
	lotReader := func(m *matrix, a *nakamawashi.Actor) bool {
		return a.Can(nakamawashi.PermShopWork, m.b.ID) || a.Can(nakamawashi.PermInquiryRead, m.e.c.ID)
	}
	form := func(kv ...string) func(*matrix, *principal) url.Values {
		return func(*matrix, *principal) url.Values {
			v := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}
	}
	// done: an allowed button ends in a redirect with its notice, not in
	// the page again with a refusal.
	done := []string{"Location: /", "ok="}
	// button: a POST on a fresh flow at st, its id from pick.
	button := func(st stage, pick func(*flowFixture) string, f func(*matrix, *principal) url.Values) func(*accessRule) {
		return func(r *accessRule) {
			r.params, r.mutates, r.form = params{"id": fresh(st, pick)}, true, f
			r.show = done
		}
	}
	// part: a POST on a part of a fresh inquiry at st; body may read the
	// flow.
	part := func(st stage, body func(m *matrix, f *flowFixture) url.Values) func(*accessRule) {
		s := &staged{st: st}
		return func(r *accessRule) {
			r.params = params{"id": s.first((*flowFixture).inquiryID), "pid": s.then((*flowFixture).partID)}
			r.mutates, r.show = true, done
			if body != nil {
				r.form = func(m *matrix, _ *principal) url.Values { return body(m, s.f) }
			}
		}
	}
	seededInquiry := params{"id": seeded((*flowFixture).inquiryID)}
	day := func(n int) string { return nakamawashi.DateOf(timeIn(n)).String() }

	uploads := &staged{st: stageSubmitted}
	deliveries := &staged{st: stageCompleted}
	acceptances := &staged{st: stageDelivered}

	return map[string]accessRule{
		"inquiry.list": rule(scoped(nakamawashi.PermInquiryRead)),
		"inquiry.new":  rule(scoped(nakamawashi.PermInquirySubmit)),
		"inquiry.create": rule(ofC(nakamawashi.PermInquirySubmit)).with(func(r *accessRule) {
			r.mutates, r.show = true, done
			r.form = func(m *matrix, _ *principal) url.Values {
				return url.Values{"customer_id": {itoa(m.e.c.ID)}, "title": {"新規試作"}, "desired_date": {day(30)},
					"delivery_place": {"本社"}, "parts.0.name": {"ブラケット"}, "parts.0.quantity": {"3"}}
			}
		}),
		"inquiry.show": rule(ofC(nakamawashi.PermInquiryRead)).with(func(r *accessRule) {
			r.params, r.show = seededInquiry, []string{"秘密の試作シャフト"}
		}),
		"inquiry.cancel": rule(ofC(nakamawashi.PermInquirySubmit)).with(button(stageQuoted, (*flowFixture).inquiryID, form("reason", "予算都合"))),
		"drawing.upload": rule(ofC(nakamawashi.PermInquirySubmit)).with(func(r *accessRule) {
			r.params = params{"id": uploads.first((*flowFixture).inquiryID), "pid": uploads.then((*flowFixture).partID)}
			r.mutates, r.show = true, done
			r.upload = func(*matrix, *principal) map[string]string {
				return map[string]string{"file:drawing_" + uploads.f.partID() + "/G-002.pdf": flowPDF, "note": "改訂"}
			}
		}),
		"routing.save": rule(network(nakamawashi.PermCoordinate)).with(part(stageSubmitted, func(*matrix, *flowFixture) url.Values {
			return url.Values{"process_1": {"grinding.cylindrical"}}
		})),
		"part.chains": rule(network(nakamawashi.PermCoordinate)).with(func(r *accessRule) {
			r.params = params{"id": seeded((*flowFixture).inquiryID), "pid": seeded((*flowFixture).partID)}
			r.show = []string{bName}
		}),
		"requests.send": rule(network(nakamawashi.PermCoordinate)).with(part(stageRouted, func(m *matrix, f *flowFixture) url.Values {
			return url.Values{"step_" + f.stepID(): {bID(m)}, "message": {"ご検討ください"}}
		})),
		"quote.draft":  rule(network(nakamawashi.PermCoordinate)).with(button(stageChosen, (*flowFixture).inquiryID, form("valid_days", "30"))),
		"quote.send":   rule(network(nakamawashi.PermCoordinate)).with(button(stageDrafted, (*flowFixture).quoteID, nil)),
		"quote.accept": rule(ofC(nakamawashi.PermInquirySubmit)).with(button(stageQuoted, (*flowFixture).quoteID, form("note", "発注します"))),
		"quote.reject": rule(ofC(nakamawashi.PermInquirySubmit)).with(button(stageQuoted, (*flowFixture).quoteID, form("note", "予算超過"))),

		"request.list": rule(nakamawashi.PermShopWork, ownShopOrOffice),
		"request.show": rule(nakamawashi.PermShopWork, shopOrOffice).with(func(r *accessRule) {
			r.params, r.show = params{"id": seeded((*flowFixture).requestID)}, []string{"G-001"}
		}),
		"request.answer": rule(onB(nakamawashi.PermShopWork)).with(button(stageAsked, (*flowFixture).requestID,
			form("price_yen", "50000", "lead_days", "2", "earliest_start", day(2)))),
		"request.choose":   rule(network(nakamawashi.PermCoordinate)).with(button(stageAnswered, (*flowFixture).requestID, nil)),
		"request.withdraw": rule(network(nakamawashi.PermCoordinate)).with(button(stageAsked, (*flowFixture).requestID, nil)),
		"workorder.list": rule(nakamawashi.PermShopWork, func(m *matrix, a *nakamawashi.Actor) bool {
			// A customer's people hold shop.work for their own company,
			// which is no shop.
			return a.CanNetwork(nakamawashi.PermCoordinate) || a.CanNetwork(nakamawashi.PermShopWork) ||
				a.Can(nakamawashi.PermShopWork, a.CompanyID) && a.CompanyKind.Supplier()
		}),
		"workorder.accept": rule(onB(nakamawashi.PermShopWork)).with(button(stageOrdered, (*flowFixture).workOrderID, nil)),

		"order.list": rule(scoped(nakamawashi.PermInquiryRead)),
		"order.show": rule(ofC(nakamawashi.PermInquiryRead)).with(func(r *accessRule) {
			r.params, r.show = params{"id": seeded((*flowFixture).orderID)}, []string{"G-001"}
		}),
		"delivery.create": rule(network(nakamawashi.PermCoordinate)).with(func(r *accessRule) {
			r.params, r.mutates = params{"id": deliveries.first((*flowFixture).orderID)}, true
			r.show = done
			r.form = func(*matrix, *principal) url.Values { return url.Values{"lot_ids": {itoa(deliveries.f.lotID)}} }
		}),
		"delivery.accept": rule(ofC(nakamawashi.PermInquirySubmit)).with(func(r *accessRule) {
			r.params, r.mutates = params{"id": acceptances.first((*flowFixture).deliveryID)}, true
			r.show = done
			r.form = func(*matrix, *principal) url.Values {
				lot := itoa(acceptances.f.lotID)
				return url.Values{"accepted_" + lot: {"5"}, "rejected_" + lot: {"0"}, "note": {"全数合格"}}
			}
		}),
		"invoice.list": rule(scoped(nakamawashi.PermInquiryRead)),
		"invoice.create": rule(network(nakamawashi.PermCoordinate)).with(func(r *accessRule) {
			r.mutates, r.show = true, done
			r.form = func(m *matrix, _ *principal) url.Values {
				f := m.newFlow(stageInspected)
				m.forget()
				return url.Values{"order_id": {f.orderID()}}
			}
		}),
		"invoice.payment": rule(network(nakamawashi.PermCoordinate)).with(button(stageInvoiced, (*flowFixture).invoiceID,
			form("date", nakamawashi.DateOf(timeIn(0)).String(), "note", "振込"))),
		// As the API: the office's payables, or a company owner's own.
		"payable.list": rule(scoped(nakamawashi.PermRecordsRead)),
		"record.list":  rule(scoped(nakamawashi.PermRecordsRead)),
		"record.correct": rule(network(nakamawashi.PermCoordinate)).with(button(stageOrdered, (*flowFixture).poID,
			form("reason", "納期の訂正", "notes", "納期を訂正しました"))),

		"traveler": rule(nakamawashi.PermShopWork, lotReader).with(func(r *accessRule) {
			r.params, r.show = params{"code": seeded((*flowFixture).lotCode)}, []string{"G-001"}
		}),
		"traveler.scan": rule(onB(nakamawashi.PermShopWork)).with(func(r *accessRule) {
			r.params, r.mutates = params{"code": fresh(stageAccepted, (*flowFixture).lotCode)}, true
			r.show = done
			r.form = form("action", "start")
		}),
		// The PDF of B's 注文書, found through its work order.
		"pdf": rule("", shopOrOffice).with(func(r *accessRule) {
			r.params = params{"kind": func(*matrix) string { return "work_order" }, "id": seeded((*flowFixture).workOrderID)}
		}),
		"notification.list":  rule("", always),
		"notification.read":  rule("", always).with(func(r *accessRule) { r.form, r.show = form("id", "999999"), done }),
		"notification.badge": rule("", always),
		"flow.waiting":       rule("", always),
	}
}
