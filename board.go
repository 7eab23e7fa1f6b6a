package nakamawashi

import (
	"context"
	"slices"
	"time"
)

// TelemetrySharing is what a shop shows the rest of the network of its
// machines: nothing, each machine's current state, or also its history
// and utilization (稼働率). The shop itself, the network office and the
// coordinators always see everything (PermTelemetryRead).
type TelemetrySharing string

// The levels of sharing, from least to most.
const (
	ShareNothing     TelemetrySharing = "none"
	ShareStatus      TelemetrySharing = "status"
	ShareUtilization TelemetrySharing = "utilization"
)

// TelemetrySharings lists the levels, least first.
var TelemetrySharings = []TelemetrySharing{ShareNothing, ShareStatus, ShareUtilization}

// DefaultTelemetrySharing is the level of a shop that has not chosen:
// status only. Whether a machine runs now is what partners need to plan a
// chain and says little a shop would keep to itself; utilization tells
// how busy the shop has been, which bears on prices, so a shop opts in.
const DefaultTelemetrySharing = ShareStatus

// Valid reports whether s is a known level.
func (s TelemetrySharing) Valid() bool { return slices.Contains(TelemetrySharings, s) }

// Includes reports whether s shows at least what o shows.
func (s TelemetrySharing) Includes(o TelemetrySharing) bool {
	return slices.Index(TelemetrySharings, s) >= slices.Index(TelemetrySharings, o)
}

// TelemetryView returns what a sees of the machines of companyID, which
// shares sharing: everything (ShareUtilization) with PermTelemetryRead,
// the shop's choice with PermTelemetryShared, nothing otherwise.
func (a *Actor) TelemetryView(companyID int64, sharing TelemetrySharing) TelemetrySharing {
	switch {
	case a.Can(PermTelemetryRead, companyID):
		return ShareUtilization
	case a.Can(PermTelemetryShared, companyID) && sharing.Valid():
		return sharing
	}
	return ShareNothing
}

// BoardFilter selects the machines of a board: one company's, one
// machine, or with neither every machine of the network the caller may
// see. With From and To set, the intervals overlapping [From, To) come
// along where the caller may see them.
type BoardFilter struct {
	CompanyID int64
	MachineID int64
	From, To  time.Time
}

// BoardMachine is a machine as a board shows it: what it is, whose, and
// as much of its states as the caller may see.
type BoardMachine struct {
	Machine     Machine          `json:"machine"`
	CompanyName string           `json:"company_name"`
	Prefecture  string           `json:"prefecture"`
	Region      string           `json:"region"`
	View        TelemetrySharing `json:"view"` // what the caller sees: status or utilization
	// Current is the machine's latest interval, nil before its first.
	Current *StateInterval `json:"current,omitempty"`
	// Intervals overlap the filter's range, in time order; only with
	// View utilization.
	Intervals []StateInterval `json:"intervals,omitempty"`
}

// BoardService feeds the machine boards: each shop's, the network's, and
// the day chart of one machine.
type BoardService interface {
	// FindBoard returns the machines f selects whose states the caller
	// may see (Actor.TelemetryView), by company and then machine. A
	// company the caller cannot see at all is ENOTFOUND; one that shares
	// nothing with the caller gives an empty board.
	FindBoard(ctx context.Context, f BoardFilter) ([]*BoardMachine, error)
	// TelemetrySharing returns what the company shows the network; any
	// caller who may read the company may ask.
	TelemetrySharing(ctx context.Context, companyID int64) (TelemetrySharing, error)
	// SetTelemetrySharing changes it (PermProfileEdit), audited.
	SetTelemetrySharing(ctx context.Context, companyID int64, s TelemetrySharing) error

	// EnableDevice lets a disabled device authenticate again, with a new
	// secret (a disabled device's secret is gone), returned here: the one
	// time it is shown. An enabled device is ECONFLICT.
	EnableDevice(ctx context.Context, id int64) (secret string, err error)
	// DeleteDevice removes a device; the intervals it reported stay, as
	// its machine's, without it. Audited.
	DeleteDevice(ctx context.Context, id int64) error

	// FindCompanyLotEvents returns the traveler scans made at companyID in
	// [from, to), oldest first, for callers with PermTelemetryRead on it.
	FindCompanyLotEvents(ctx context.Context, companyID int64, from, to time.Time) ([]CompanyLotEvent, error)
}

// CompanyLotEvent is a traveler scan with the lot's number, for a shop's
// timeline.
type CompanyLotEvent struct {
	LotEvent
	LotNumber string `json:"lot_number"`
}

// MaxLotEventRange bounds one FindCompanyLotEvents.
const MaxLotEventRange = 31 * 24 * time.Hour
