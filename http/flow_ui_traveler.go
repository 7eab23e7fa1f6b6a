package http

import (
	gohttp "net/http"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

// The traveler page: what a lot's QR code opens on a phone. It shows the
// lot's current step and, as big buttons, what the person's company may
// do with it now: 着手, 完了 (with good and defective counts), 引き渡し,
// 受け取り. Opening it logged out goes through the login and comes back.

// travelerPage is the data of the traveler page.
type travelerPage struct {
	Lot       *nakamawashi.Lot
	Step      *nakamawashi.LotStep // the current step (nil when all are done)
	Next      *nakamawashi.LotStep
	Actions   []nakamawashi.LotAction
	Good      string // the finish form as typed
	Defect    string
	Customer  bool
	Completed bool
	Machines  []machineOption // the shop's machines, for the start button
	MachineID int64           // the machine as chosen
}

// travelerCodeOK reports whether a code could name a lot: short, letters,
// digits, - and _ only. Anything else is not found without a query.
func travelerCodeOK(code string) bool {
	if code == "" || len(code) > 64 {
		return false
	}
	for _, c := range code {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// lotActions returns the buttons the actor's company may press for the
// lot in its current state. The store decides in the end.
func lotActions(a *nakamawashi.Actor, l *nakamawashi.Lot, step, next *nakamawashi.LotStep) []nakamawashi.LotAction {
	holder := l.CompanyID
	if step != nil && step.CompanyID != 0 {
		holder = step.CompanyID
	}
	mine := a.Can(nakamawashi.PermShopWork, holder) && holder != 0
	switch l.Status {
	case nakamawashi.LotQueued:
		if mine {
			return []nakamawashi.LotAction{nakamawashi.LotStart}
		}
	case nakamawashi.LotRunning:
		if mine {
			return []nakamawashi.LotAction{nakamawashi.LotFinish}
		}
	case nakamawashi.LotFinished:
		if mine {
			return []nakamawashi.LotAction{nakamawashi.LotHandoff}
		}
	case nakamawashi.LotInTransit:
		// In transit the lot waits on the shop of its current step (the
		// store moves Seq on hand-off) or, if it has not, the next one.
		for _, st := range []*nakamawashi.LotStep{step, next} {
			if st != nil && st.CompanyID != 0 && a.Can(nakamawashi.PermShopWork, st.CompanyID) {
				return []nakamawashi.LotAction{nakamawashi.LotReceive}
			}
		}
	}
	return nil
}

// handleTraveler shows a lot's traveler page.
func (s *Server) handleTraveler(w gohttp.ResponseWriter, r *gohttp.Request) {
	s.showTraveler(w, r, gohttp.StatusOK, nil, nil)
}

func (s *Server) showTraveler(w gohttp.ResponseWriter, r *gohttp.Request, status int, d *travelerPage, formErr error) {
	ctx := r.Context()
	a := nakamawashi.ActorFromContext(ctx)
	code := r.PathValue("code")
	if !travelerCodeOK(code) {
		s.Error(w, r, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.not_found"))
		return
	}
	l, err := s.Store.FindLotByCode(ctx, code)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if d == nil {
		d = &travelerPage{}
	}
	d.Lot, d.Customer = l, a.CompanyKind == nakamawashi.KindCustomer
	for _, st := range l.Steps {
		switch st.Seq {
		case l.Seq:
			d.Step = st
		case l.Seq + 1:
			d.Next = st
		}
	}
	d.Completed = l.Status == nakamawashi.LotCompleted || l.Status == nakamawashi.LotDelivered
	d.Actions = lotActions(a, l, d.Step, d.Next)
	s.travelerMachines(ctx, a, d)
	if d.Good == "" {
		d.Good, d.Defect = itoa(int64(l.Good)), "0"
	}
	s.renderForm(w, r, status, "traveler", s.flowPage(w, r, "ui.flow.traveler.title", d), formErr)
}

// handleTravelerScan applies a button of the traveler page.
func (s *Server) handleTravelerScan(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	code := r.PathValue("code")
	if !travelerCodeOK(code) {
		s.Error(w, r, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.not_found"))
		return
	}
	// Only a shop's people press buttons; others who may read the lot
	// (the office, its customer) are refused before the store names the
	// shop the lot is at.
	if _, _, err := nakamawashi.Scope(ctx, nakamawashi.PermShopWork); err != nil {
		s.Error(w, r, err)
		return
	}
	v, err := s.flowForm(w, r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := &travelerPage{Good: strings.TrimSpace(v.Get("good")), Defect: strings.TrimSpace(v.Get("defect"))}
	sc := &nakamawashi.LotScan{Action: nakamawashi.LotAction(v.Get("action")), Note: v.Get("note")}
	n := newNumbers()
	if sc.Action == nakamawashi.LotFinish {
		sc.Good, sc.Defect = n.int("good", d.Good), n.int("defect", d.Defect)
	}
	sc.MachineID = formMachineID(n.pr, v.Get("machine_id"))
	d.MachineID = sc.MachineID
	err = n.pr.Err()
	if err == nil {
		_, err = s.Store.ScanLot(ctx, code, sc)
	}
	s.afterForm(w, r, "/t/"+code, "scanned", err, func(err error) { s.showTraveler(w, r, 0, d, err) })
}
