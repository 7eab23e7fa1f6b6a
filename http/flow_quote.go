package http

import (
	"context"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/match"
)

// The draft quote: from an inquiry's routings to one price and one date for
// the customer. The API and the coordinator's pages share it.

// hoursPerDay turns the hours of matching's estimates into working days.
const hoursPerDay = 8

// partRouting is what chain matching is asked for one part: its steps with
// the part's requirements, its quantity and the customer's wished date.
func (s *Server) partRouting(ctx context.Context, q *nakamawashi.Inquiry, p *nakamawashi.Part) (*match.Routing, error) {
	if len(p.Steps) == 0 {
		return nil, fieldError("parts."+strconv.FormatInt(p.ID, 10)+".steps", "err.flow.steps_required")
	}
	rt := &match.Routing{Quantity: p.Quantity}
	material := ""
	if _, ok := nakamawashi.MaterialByCode(p.Material); ok {
		material = p.Material
	}
	size := nakamawashi.Envelope{}
	if p.Size.Shape == nakamawashi.ShapeBox || p.Size.Shape == nakamawashi.ShapeRound {
		size = p.Size
	}
	for _, st := range p.Steps {
		ms := match.Step{Process: st.Process, Certifications: st.Certifications, SetupHours: st.SetupHours, CycleMinutes: st.CycleMinutes,
			ToleranceUM: p.ToleranceUM, RoughnessRa: p.RoughnessRa}
		// The material and the size bind the shops that cut the part;
		// heat treatment, plating and inspection take what comes.
		if pr, ok := nakamawashi.ProcessByCode(st.Process); ok && pr.Kind == nakamawashi.MachineProcess {
			ms.Material, ms.Part = material, size
		}
		rt.Steps = append(rt.Steps, ms)
	}
	if !q.DesiredDate.IsZero() {
		rt.Due = q.DesiredDate.Time().Add(18*time.Hour - 9*time.Hour) // 18:00 in Japan
	}
	if ll, err := s.companyLocation(ctx, strconv.FormatInt(q.CustomerID, 10)); err == nil {
		rt.Destination = ll
	}
	return rt, nil
}

// draftInput tunes a draft quote.
type draftInput struct {
	ValidDays int    `json:"valid_days,omitempty"` // 0: nakamawashi.DefaultQuoteDays
	Notes     string `json:"notes,omitempty"`
}

// fees returns the network's fees, the defaults when none are set.
func (s *Server) fees() nakamawashi.Fees {
	if s.Fees == (nakamawashi.Fees{}) {
		return nakamawashi.DefaultFees
	}
	return s.Fees
}

// draftQuote composes a draft quote for an inquiry and stores it (a new
// version when the inquiry has one). Each step is priced by its chosen
// answer when there is one, else by the best chain's estimate for the
// shop matching suggests; transport runs between the shops' locations and
// from the last shop to the customer.
func (s *Server) draftQuote(ctx context.Context, inquiryID int64, in draftInput) (*nakamawashi.Quote, error) {
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCoordinate, 0); err != nil {
		return nil, err
	}
	q, err := s.Store.FindInquiryByID(ctx, inquiryID)
	if err != nil {
		return nil, err
	}
	if len(q.Parts) == 0 {
		return nil, fieldError("parts", "err.flow.parts_required")
	}
	// One query for the suppliers of every process of every part.
	var codes []string
	for _, p := range q.Parts {
		if len(p.Steps) == 0 {
			return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.flowapi.no_routing", p.Name)
		}
		for _, st := range p.Steps {
			for _, pr := range nakamawashi.Processes() {
				if nakamawashi.ProcessSatisfies(pr.Code, st.Process) && !slices.Contains(codes, pr.Code) {
					codes = append(codes, pr.Code)
				}
			}
		}
	}
	sups, err := s.Store.FindSuppliers(ctx, codes)
	if err != nil {
		return nil, err
	}
	cands := match.FromSuppliers(sups, s.Network)
	places := map[int64]nakamawashi.LatLon{}
	names := map[int64]string{}
	for _, c := range cands {
		places[c.Supplier.Company.ID] = c.Location
		names[c.Supplier.Company.ID] = c.Supplier.Company.Name
	}
	net := match.NewNetwork(cands, match.DefaultTransport)
	now := time.Now()
	in2 := nakamawashi.QuoteInput{Inquiry: q, Fees: s.fees(), Today: nakamawashi.DateOf(now), ValidDays: in.ValidDays}
	for _, p := range q.Parts {
		po, err := s.partOffer(ctx, net, q, p, places, names, now)
		if err != nil {
			return nil, err
		}
		in2.Parts = append(in2.Parts, *po)
	}
	quote, err := nakamawashi.AssembleQuote(in2)
	if err != nil {
		return nil, err
	}
	quote.Notes = in.Notes
	if err := s.Store.CreateQuote(ctx, quote); err != nil {
		return nil, err
	}
	return quote, nil
}

// partOffer prices the steps of one part.
func (s *Server) partOffer(ctx context.Context, net *match.Network, q *nakamawashi.Inquiry, p *nakamawashi.Part,
	places map[int64]nakamawashi.LatLon, names map[int64]string, now time.Time) (*nakamawashi.PartOffer, error) {
	po := &nakamawashi.PartOffer{Part: p, Steps: make([]nakamawashi.Offer, len(p.Steps))}
	var chain *match.Chain
	var rt *match.Routing
	needChain := slices.ContainsFunc(p.Steps, func(st *nakamawashi.Step) bool { return st.RequestID == 0 })
	if needChain {
		var err error
		if rt, err = s.partRouting(ctx, q, p); err != nil {
			return nil, err
		}
		res, err := net.Match(ctx, rt, match.Options{K: 1, Now: now, MaxExcluded: 1})
		if err != nil {
			return nil, err
		}
		if len(res.Chains) == 0 {
			for _, rep := range res.Steps {
				if rep.Eligible == 0 && p.Steps[rep.Step].RequestID == 0 {
					return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.flowapi.no_shop", p.Name, rep.Step+1,
						processName(languageOf(nakamawashi.ActorFromContext(ctx)), p.Steps[rep.Step].Process))
				}
			}
			return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.flowapi.no_chain", p.Name)
		}
		chain = &res.Chains[0]
	}
	for i, st := range p.Steps {
		o := nakamawashi.Offer{StepID: st.ID, Seq: st.Seq, Process: st.Process}
		if st.RequestID != 0 {
			req, err := s.Store.FindRequestByID(ctx, st.RequestID)
			if err != nil {
				return nil, err
			}
			if req.Answer == nil || req.Answer.Declined {
				return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.flowapi.no_answer", p.Name, st.Seq)
			}
			o.CompanyID, o.CompanyName, o.RequestID = req.CompanyID, req.CompanyName, req.ID
			o.PriceYen, o.LeadDays, o.EarliestStart = req.Answer.PriceYen, req.Answer.LeadDays, req.Answer.EarliestStart
		} else {
			cs := chain.Steps[i]
			o.CompanyID, o.CompanyName = cs.CompanyID, cs.CompanyName
			o.PriceYen = int64(math.Ceil(cs.Cost.PriceYen))
			o.LeadDays = max(1, int(math.Ceil((cs.Cost.ProcessingHours+cs.Cost.QueueHours)/hoursPerDay)))
		}
		if o.CompanyName == "" {
			o.CompanyName = names[o.CompanyID]
		}
		if i > 0 {
			prev := po.Steps[i-1].CompanyID
			if prev != o.CompanyID {
				lg := s.leg(places, prev, o.CompanyID)
				o.TransportYen, o.TransportDays = legCost(lg)
			}
		}
		po.Steps[i] = o
	}
	last := po.Steps[len(po.Steps)-1].CompanyID
	if ll, err := s.companyLocation(ctx, strconv.FormatInt(q.CustomerID, 10)); err == nil {
		if from, ok := places[last]; ok {
			lg := match.DefaultTransport.Leg(last, nakamawashi.DistanceKM(from, *ll))
			po.DeliveryYen, po.DeliveryDays = legCost(lg)
		}
	}
	return po, nil
}

// leg is the transport between two shops, from their locations; a shop
// without a known place costs one base leg.
func (s *Server) leg(places map[int64]nakamawashi.LatLon, from, to int64) match.Leg {
	a, okA := places[from]
	b, okB := places[to]
	km := 0.0
	if okA && okB {
		km = nakamawashi.DistanceKM(a, b)
	}
	return match.DefaultTransport.Leg(from, km)
}

// legCost is a leg's price in whole yen and its working days.
func legCost(lg match.Leg) (yen int64, days int) {
	return int64(math.Ceil(lg.Yen)), max(1, int(math.Ceil(lg.Hours/hoursPerDay)))
}
