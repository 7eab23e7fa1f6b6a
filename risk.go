package nakamawashi

import (
	"strconv"
	"time"
)

// At risk: a work order is at risk while it is in progress and the machine
// its shop runs it on is in alarm (the machine's open state interval is
// an alarm); an order is at risk while any of its work orders is, and a
// lot while the work order of its current step is. It is computed when
// read, from the work orders and the state intervals the ingest writes,
// so it is always current and costs the ingest nothing.

// RiskMachineAlarm is the reason of a risk: the machine is in alarm.
const RiskMachineAlarm = "machine_alarm"

// Risk is one reason an order is at risk, as the network office sees it:
// which work order, which shop, which machine, since when.
type Risk struct {
	Reason      string    `json:"reason"` // RiskMachineAlarm
	WorkOrderID int64     `json:"work_order_id"`
	Number      string    `json:"number"` // the work order's 注文番号
	Seq         int       `json:"seq"`
	Process     string    `json:"process"`
	CompanyID   int64     `json:"company_id"` // the shop
	CompanyName string    `json:"company_name"`
	MachineID   int64     `json:"machine_id"`
	MachineName string    `json:"machine_name"`
	Since       time.Time `json:"since"` // the alarm's start
}

// MachineLabel names a machine in the order flow's lists: "#12 オークマ
// MB-46VAE", or the process when neither maker nor model is known.
func MachineLabel(id int64, process, maker, model string) string {
	l := maker
	if model != "" {
		if l != "" {
			l += " "
		}
		l += model
	}
	if l == "" {
		if p, ok := ProcessByCode(process); ok {
			l = p.JA
		} else {
			l = MachineTopicCode(id)
		}
	}
	return "#" + strconv.FormatInt(id, 10) + " " + l
}
