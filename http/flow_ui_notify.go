package http

import (
	"html/template"
	gohttp "net/http"
	"strconv"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// お知らせ: the notifications of the actor's company, the unread count in
// the menu, and the dashboard's list of what waits on the user.

// notificationLimit is how many notifications the page lists.
const notificationLimit = 100

// handleNotifications lists the company's notifications, newest first.
func (s *Server) handleNotifications(w gohttp.ResponseWriter, r *gohttp.Request) {
	items, err := s.Store.FindNotifications(r.Context(), r.URL.Query().Get("unread") == "1", notificationLimit)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, gohttp.StatusOK, "flow_notifications", s.flowPage(w, r, "ui.flow.notifications.title", items))
}

// handleNotificationsRead marks notifications read: the ones named, or all
// the unread ones.
func (s *Server) handleNotificationsRead(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	v, err := s.flowForm(w, r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	list, err := ids(v["id"])
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if len(list) == 0 {
		unread, err := s.Store.FindNotifications(ctx, true, notificationLimit)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		for _, n := range unread {
			list = append(list, n.ID)
		}
	}
	if len(list) > 0 {
		if err := s.Store.MarkNotificationsRead(ctx, list); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	if next := v.Get("next"); next != "" {
		gohttp.Redirect(w, r, localPath(next), gohttp.StatusSeeOther)
		return
	}
	redirectOK(w, r, "/notifications", "read")
}

// handleNotificationBadge is the unread count next to お知らせ in the menu,
// loaded by htmx so that every page need not count.
func (s *Server) handleNotificationBadge(w gohttp.ResponseWriter, r *gohttp.Request) {
	unread, err := s.Store.FindNotifications(r.Context(), true, notificationLimit)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err != nil || len(unread) == 0 {
		// A count that cannot be had is no reason to break the menu.
		if err != nil && isInternal(err) {
			s.logger().Warn("notification badge", "err", err)
		}
		w.Write([]byte(`<span id="nav-unread" class="unread-badge" hidden></span>`))
		return
	}
	n := strconv.Itoa(len(unread))
	if len(unread) >= notificationLimit {
		n = strconv.Itoa(notificationLimit-1) + "+"
	}
	label := nakamawashi.Localize(requestInfoFrom(r.Context()).lang, "ui.flow.nav.unread", len(unread))
	w.Write([]byte(`<span id="nav-unread" class="unread-badge" title="` + template.HTMLEscapeString(label) + `">` + n + `</span>`))
}

// waiting is what waits on the user, for the dashboard.
type waiting struct {
	Notifications []*nakamawashi.Notification
	Requests      []*nakamawashi.Request   // a shop's open requests
	WorkOrders    []*nakamawashi.WorkOrder // a shop's work orders to accept
	Inquiries     []*nakamawashi.Inquiry   // a coordinator's new inquiries; a customer's quoted ones
	Orders        []*nakamawashi.Order     // a customer's delivered orders; late ones for the office
	AtRisk        []*nakamawashi.Order     // the office's orders at risk from a machine alarm
	Coordinator   bool
	Shop          bool
	Customer      bool
	Empty         bool
}

// waitingLimit is how many of each kind the dashboard lists.
const waitingLimit = 10

// handleWaiting is the dashboard's "what waits on you", loaded by htmx.
func (s *Server) handleWaiting(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	a := nakamawashi.ActorFromContext(ctx)
	d := &waiting{Coordinator: isCoordinator(a), Shop: isShop(a), Customer: isCustomer(a)}
	var err error
	if d.Notifications, err = s.Store.FindNotifications(ctx, true, waitingLimit); err != nil {
		s.Error(w, r, err)
		return
	}
	switch {
	case d.Coordinator:
		if err = s.ordersAtRisk(ctx, d); err != nil {
			break
		}
		if d.Inquiries, _, err = s.Store.FindInquiries(ctx, nakamawashi.FlowFilter{Status: string(nakamawashi.InquirySubmitted), Limit: waitingLimit}); err != nil {
			break
		}
		if d.Orders, _, err = s.Store.FindOrders(ctx, nakamawashi.FlowFilter{Late: true, Limit: waitingLimit}); err != nil {
			break
		}
	case d.Shop:
		now := time.Now()
		var reqs []*nakamawashi.Request
		if reqs, _, err = s.Store.FindRequests(ctx, nakamawashi.RequestFilter{CompanyID: a.CompanyID, Status: []nakamawashi.RequestStatus{nakamawashi.RequestSent}, Limit: waitingLimit}); err != nil {
			break
		}
		for _, rq := range reqs {
			if rq.RequestOpenAt(now) {
				d.Requests = append(d.Requests, rq)
			}
		}
		d.WorkOrders, _, err = s.Store.FindWorkOrders(ctx, nakamawashi.WorkOrderFilter{CompanyID: a.CompanyID, Status: []nakamawashi.WorkOrderStatus{nakamawashi.WorkOrderIssued}, Limit: waitingLimit})
	case d.Customer:
		if d.Inquiries, _, err = s.Store.FindInquiries(ctx, nakamawashi.FlowFilter{Status: string(nakamawashi.InquiryQuoted), Limit: waitingLimit}); err != nil {
			break
		}
		d.Orders, _, err = s.Store.FindOrders(ctx, nakamawashi.FlowFilter{Status: string(nakamawashi.OrderDelivered), Limit: waitingLimit})
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d.Empty = len(d.Notifications)+len(d.Requests)+len(d.WorkOrders)+len(d.Inquiries)+len(d.Orders)+len(d.AtRisk) == 0
	p := s.newPage(w, r, "ui.dashboard.title")
	s.renderFragment(w, r, "flow_notifications", "waiting", d, p)
}
