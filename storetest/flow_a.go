package storetest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/sqlstore"
)

// FlowWorld is a network for the order flow's tests: the network office
// with an admin and a coordinator, two customers, three shops of
// different companies, and a fourth shop that nothing is addressed to,
// each with an owner logged in.
type FlowWorld struct {
	Store nakamawashi.Store
	Sys   context.Context // the system actor

	Office, Customer, OtherCustomer, Outsider *nakamawashi.Company
	Shops                                     [3]*nakamawashi.Company

	Admin, Coordinator, CustomerOwner, OtherCustomerOwner, OutsiderOwner context.Context
	ShopOwners                                                           [3]context.Context

	inquiries int
}

// NewFlowWorld creates the companies and people of a FlowWorld in s, a
// fresh store (it uses fixed e-mail addresses: once per store).
func NewFlowWorld(t testing.TB, s nakamawashi.Store) *FlowWorld {
	t.Helper()
	sys := nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor)
	w := &FlowWorld{Store: s, Sys: sys}
	company := func(kind nakamawashi.CompanyKind, name string) *nakamawashi.Company {
		t.Helper()
		c := sampleCompany(kind, name)
		c.RegistrationNumber = ""
		if err := s.CreateCompany(sys, c); err != nil {
			t.Fatalf("CreateCompany(%s): %v", name, err)
		}
		return c
	}
	person := func(email string, companyID int64, role nakamawashi.Role) context.Context {
		t.Helper()
		if _, err := s.CreateUser(sys, &nakamawashi.NewUser{
			User:     nakamawashi.User{Email: email, Name: "担当 " + email, Language: nakamawashi.Japanese},
			Password: Password, CompanyID: companyID, Role: role,
		}); err != nil {
			t.Fatalf("CreateUser(%s): %v", email, err)
		}
		_, a, err := s.Login(context.Background(), nakamawashi.Credentials{Email: email, Password: Password, RemoteAddr: "192.0.2.7"})
		if err != nil {
			t.Fatalf("Login(%s): %v", email, err)
		}
		return nakamawashi.NewContextWithActor(context.Background(), a)
	}
	w.Office = company(nakamawashi.KindOffice, "大田区仲間まわし事務局")
	w.Customer = company(nakamawashi.KindCustomer, "株式会社羽田ロボティクス")
	w.OtherCustomer = company(nakamawashi.KindCustomer, "株式会社蒲田メディカル")
	names := [3]string{"株式会社旋盤工房", "有限会社フライス精機", "株式会社めっき技研"}
	for i := range w.Shops {
		w.Shops[i] = company(nakamawashi.KindMember, names[i])
	}
	w.Outsider = company(nakamawashi.KindPartner, "株式会社日立外注工業")
	w.Admin = person("flow-admin@example.jp", w.Office.ID, nakamawashi.RoleAdmin)
	w.Coordinator = person("flow-coordinator@example.jp", w.Office.ID, nakamawashi.RoleCoordinator)
	w.CustomerOwner = person("flow-customer@example.jp", w.Customer.ID, nakamawashi.RoleOwner)
	w.OtherCustomerOwner = person("flow-other@example.jp", w.OtherCustomer.ID, nakamawashi.RoleOwner)
	w.OutsiderOwner = person("flow-outsider@example.jp", w.Outsider.ID, nakamawashi.RoleOwner)
	for i := range w.ShopOwners {
		w.ShopOwners[i] = person("flow-shop"+itoa(i)+"@example.jp", w.Shops[i].ID, nakamawashi.RoleOwner)
	}
	return w
}

func itoa(n int) string { return strconv.Itoa(n) }

// Today returns the store's day in Japan (its clock, which tests may set).
func (w *FlowWorld) Today() nakamawashi.Date { return nakamawashi.DateOf(w.Now()) }

// Now returns the store's time.
func (w *FlowWorld) Now() time.Time {
	if st, ok := w.Store.(*sqlstore.Store); ok && st.Now != nil {
		return st.Now()
	}
	return time.Now()
}

// FlowProcesses are the processes of the three steps of a QuotedInquiry's
// part, done by Shops[0], Shops[1] and Shops[2].
var FlowProcesses = [3]string{"turning.nc", "mc.3axis", "plating.electroless_ni"}

// Quoted is an inquiry of the FlowWorld's customer quoted and sent: one
// part (10 pieces) with three steps, each requested from and answered by
// its shop and chosen; step 1 was also asked of Shops[1], whose answer
// was not chosen (Losing).
type Quoted struct {
	*FlowWorld
	Inquiry  *nakamawashi.Inquiry // as the customer created it
	Part     *nakamawashi.Part
	Steps    []*nakamawashi.Step     // in routing order
	Requests [3]*nakamawashi.Request // Requests[i]: Shops[i]'s chosen answer for Steps[i]
	Losing   *nakamawashi.Request    // Shops[1]'s answer for Steps[0], not chosen
	Quote    *nakamawashi.Quote      // sent
}

// QuotedInquiry builds a sent quote in a new FlowWorld on s.
func QuotedInquiry(t testing.TB, s nakamawashi.Store) *Quoted {
	t.Helper()
	return NewFlowWorld(t, s).QuotedInquiry(t)
}

// NewInquiry creates an inquiry of the customer with one part of 10 pieces.
func (w *FlowWorld) NewInquiry(t testing.TB) *nakamawashi.Inquiry {
	t.Helper()
	w.inquiries++
	q := &nakamawashi.Inquiry{
		CustomerID: w.Customer.ID, Title: "搬送ロボット用シャフト 試作" + itoa(w.inquiries),
		DesiredDate: w.Today().AddDays(40), DeliveryPlace: "羽田ロボティクス 本社工場", Notes: "材料は手配をお願いします。",
		Parts: []*nakamawashi.Part{{DrawingNumber: "HR-2026-0" + itoa(w.inquiries), Name: "駆動シャフト", Material: "S45C",
			Quantity: 10, Size: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 30, L: 180}, ToleranceUM: 10, Surface: "無電解ニッケルめっき"}},
	}
	if err := w.Store.CreateInquiry(w.CustomerOwner, q); err != nil {
		t.Fatalf("CreateInquiry: %v", err)
	}
	return q
}

// Route sets the three-step routing of FlowProcesses on the inquiry's part.
func (w *FlowWorld) Route(t testing.TB, q *nakamawashi.Inquiry) []*nakamawashi.Step {
	t.Helper()
	in := make([]nakamawashi.StepInput, len(FlowProcesses))
	for i, p := range FlowProcesses {
		in[i] = nakamawashi.StepInput{Process: p, Requirements: "図面指示による"}
	}
	steps, err := w.Store.SetRouting(w.Coordinator, q.Parts[0].ID, in)
	if err != nil {
		t.Fatalf("SetRouting: %v", err)
	}
	return steps
}

// Ask sends a request for step to shop i and returns it.
func (w *FlowWorld) Ask(t testing.TB, stepID int64, shop int) *nakamawashi.Request {
	t.Helper()
	rs, err := w.Store.SendRequests(w.Coordinator, &nakamawashi.SendRequests{StepID: stepID, CompanyIDs: []int64{w.Shops[shop].ID},
		Message: "ご検討ください。"})
	if err != nil || len(rs) != 1 {
		t.Fatalf("SendRequests(step %d, shop %d): %v, %d requests", stepID, shop, err, len(rs))
	}
	return rs[0]
}

// Answer answers request r as shop i.
func (w *FlowWorld) Answer(t testing.TB, r *nakamawashi.Request, shop int, price int64, lead int) *nakamawashi.Request {
	t.Helper()
	got, err := w.Store.AnswerRequest(w.ShopOwners[shop], r.ID, &nakamawashi.Answer{PriceYen: price, LeadDays: lead,
		EarliestStart: w.Today().AddDays(1), Note: "材料込み"})
	if err != nil {
		t.Fatalf("AnswerRequest(%d) by shop %d: %v", r.ID, shop, err)
	}
	return got
}

// QuotedInquiry builds a Quoted in w.
func (w *FlowWorld) QuotedInquiry(t testing.TB) *Quoted {
	t.Helper()
	q := &Quoted{FlowWorld: w, Inquiry: w.NewInquiry(t)}
	q.Part = q.Inquiry.Parts[0]
	q.Steps = w.Route(t, q.Inquiry)
	prices := [3]int64{48000, 36000, 12000}
	leads := [3]int{3, 2, 4}
	for i, st := range q.Steps {
		q.Requests[i] = w.Answer(t, w.Ask(t, st.ID, i), i, prices[i], leads[i])
	}
	q.Losing = w.Answer(t, w.Ask(t, q.Steps[0].ID, 1), 1, 52000, 5)
	for _, r := range q.Requests {
		if err := w.Store.ChooseAnswer(w.Coordinator, r.ID); err != nil {
			t.Fatalf("ChooseAnswer(%d): %v", r.ID, err)
		}
	}
	q.Quote = w.DraftQuote(t, q.Inquiry.ID, q.Part, q.Requests[:])
	sent, err := w.Store.SendQuote(w.Coordinator, q.Quote.ID)
	if err != nil {
		t.Fatalf("SendQuote: %v", err)
	}
	q.Quote = sent
	return q
}

// DraftQuote assembles a draft quote for one part from the chosen
// requests (in routing order) with the default fees, and stores it.
func (w *FlowWorld) DraftQuote(t testing.TB, inquiryID int64, part *nakamawashi.Part, chosen []*nakamawashi.Request) *nakamawashi.Quote {
	t.Helper()
	inq, err := w.Store.FindInquiryByID(w.Coordinator, inquiryID)
	if err != nil {
		t.Fatalf("FindInquiryByID: %v", err)
	}
	po := nakamawashi.PartOffer{Part: part, DeliveryYen: 2000, DeliveryDays: 1}
	for _, r := range chosen {
		po.Steps = append(po.Steps, nakamawashi.Offer{StepID: r.StepID, Seq: r.Seq, Process: r.Process, CompanyID: r.CompanyID,
			CompanyName: r.CompanyName, RequestID: r.ID, PriceYen: r.Answer.PriceYen, LeadDays: r.Answer.LeadDays,
			EarliestStart: r.Answer.EarliestStart, TransportYen: 1500, TransportDays: 1})
	}
	qt, err := nakamawashi.AssembleQuote(nakamawashi.QuoteInput{Inquiry: inq, Parts: []nakamawashi.PartOffer{po},
		Fees: nakamawashi.DefaultFees, Today: w.Today()})
	if err != nil {
		t.Fatalf("AssembleQuote: %v", err)
	}
	if err := w.Store.CreateQuote(w.Coordinator, qt); err != nil {
		t.Fatalf("CreateQuote: %v", err)
	}
	return qt
}
