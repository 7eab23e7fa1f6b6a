package http

import (
	"context"
	gohttp "net/http"
	"slices"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

// Machines on the traveler page and orders at risk: the start button lets
// a shop choose which of its machines runs the step, and an alarm of that
// machine marks the order at risk (設備異常) on its page, in the lists
// and in what waits on the office.

// machineOption is a machine in the traveler's select.
type machineOption struct {
	ID    int64
	Label string
}

// travelerMachines lists the machines of the step's shop for the start
// button. They are optional: a list that cannot be had is no reason to
// break the page.
func (s *Server) travelerMachines(ctx context.Context, a *nakamawashi.Actor, d *travelerPage) {
	if !slices.Contains(d.Actions, nakamawashi.LotStart) {
		return
	}
	shop := a.CompanyID
	if d.Step != nil && d.Step.CompanyID != 0 {
		shop = d.Step.CompanyID
	}
	ms, err := s.Store.FindMachines(ctx, shop)
	if err != nil {
		if isInternal(err) {
			s.logger().Warn("traveler machines", "err", err)
		}
		return
	}
	for _, m := range ms {
		d.Machines = append(d.Machines, machineOption{ID: m.ID, Label: nakamawashi.MachineLabel(m.ID, m.Process, m.Maker, m.Model)})
	}
}

// formMachineID reads the optional machine of a start from a form: empty
// for none.
func formMachineID(pr nakamawashi.Problems, v string) int64 {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	id, err := parseID(v)
	if err != nil {
		pr.Add("machine_id", "err.risk.machine_choose")
		return 0
	}
	return id
}

// queryAtRisk reads at_risk from the query: 1 or true for the orders at
// risk only.
func queryAtRisk(r *gohttp.Request) (bool, error) { return queryBool(r, "at_risk") }

// queryBool reads a yes/no query parameter: 1 or true, 0 or false, or
// absent (false).
func queryBool(r *gohttp.Request, name string) (bool, error) {
	switch r.URL.Query().Get(name) {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	}
	return false, invalidParam(name)
}

// ordersAtRisk is what waits on the office of the orders at risk.
func (s *Server) ordersAtRisk(ctx context.Context, d *waiting) error {
	var err error
	d.AtRisk, _, err = s.Store.FindOrders(ctx, nakamawashi.FlowFilter{AtRisk: true, Limit: waitingLimit})
	return err
}

// apiOrderList lists orders as listFlow does, and only those at risk with
// at_risk=1, only the late ones with late=1.
func (s *Server) apiOrderList(w gohttp.ResponseWriter, r *gohttp.Request) {
	atRisk, err := queryAtRisk(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	late, err := queryBool(r, "late")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	listFlow(s, func(st nakamawashi.Store, ctx context.Context, f nakamawashi.FlowFilter) ([]*nakamawashi.Order, int, error) {
		f.AtRisk, f.Late = atRisk, late
		return st.FindOrders(ctx, f)
	})(w, r)
}
