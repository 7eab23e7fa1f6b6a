package nakamawashi

import (
	"context"
	"crypto/rand"
	"slices"
	"strconv"
	"time"
)

// DeviceKind is what a device on the shop floor is and how it reports.
type DeviceKind string

// The kinds of device.
const (
	DeviceStackLight DeviceKind = "stacklight" // a stack-light sensor (積層信号灯)
	DeviceClamp      DeviceKind = "clamp"      // a current clamp on the machine's supply
	DeviceMTConnect  DeviceKind = "mtconnect"  // a gateway reading the controller over MTConnect
	DeviceSparkplug  DeviceKind = "sparkplug"  // an edge node speaking Sparkplug B
	DevicePhone      DeviceKind = "phone"      // an operator's phone, states entered by hand
)

// DeviceKinds lists the kinds in display order.
var DeviceKinds = []DeviceKind{DeviceStackLight, DeviceClamp, DeviceMTConnect, DeviceSparkplug, DevicePhone}

// Valid reports whether k is a known kind.
func (k DeviceKind) Valid() bool { return slices.Contains(DeviceKinds, k) }

// DeviceSecretPrefix starts every device secret, so that a leaked one is
// recognizable.
const DeviceSecretPrefix = "nkd_"

// DeviceTouchInterval is how stale a device's LastSeenAt may get before an
// authentication writes it again: devices reconnect often, and a write per
// connect would be a write per connect.
const DeviceTouchInterval = time.Minute

// Device is a sensor or gateway that publishes the states of one machine of
// its company over MQTT. It logs in to the broker with Username and a
// generated secret, which is shown once, when it is issued, and stored only
// as a hash.
//
// The secret is 32 random bytes (NewToken), so it is kept as its SHA-256
// (HashToken) rather than as an argon2id hash: a slow hash protects
// passwords people choose, while a guess at 256 random bits is hopeless
// however fast the hash, and devices authenticate at every reconnect,
// which must stay cheap for the broker.
type Device struct {
	ID         int64      `json:"id"`
	CompanyID  int64      `json:"company_id"`
	MachineID  int64      `json:"machine_id"` // a machine of the company
	Name       string     `json:"name"`       // e.g. 2号機 信号灯
	Username   string     `json:"username"`   // generated: d-c{company id}-{random}
	Kind       DeviceKind `json:"kind"`
	CreatedAt  time.Time  `json:"created_at"`
	LastSeenAt *time.Time `json:"last_seen_at,omitempty"` // the last authentication, to the minute
	Disabled   bool       `json:"disabled"`
}

// Validate normalizes d and checks the fields a caller sets.
func (d *Device) Validate() error {
	pr := Problems{}
	d.Name = NormalizeName(d.Name)
	if d.CompanyID <= 0 {
		pr.Add("company_id", "err.required")
	}
	if d.MachineID <= 0 {
		pr.Add("machine_id", "err.required")
	}
	if d.Name == "" {
		pr.Add("name", "err.required")
	} else if _, ok := validText(d.Name, 100); !ok {
		pr.Add("name", "err.text_max", 100)
	}
	if !d.Kind.Valid() {
		pr.Add("kind", "err.device.kind")
	}
	return pr.Err()
}

// CompanyTopicCode and MachineTopicCode are the codes that name a company
// and a machine in MQTT topics: "c" and "m" followed by the id. They are
// derived, never stored, so that they cannot drift from the records; the
// ids are not secret inside the network (the directory shows machines).
func CompanyTopicCode(companyID int64) string { return "c" + strconv.FormatInt(companyID, 10) }

// MachineTopicCode: see CompanyTopicCode.
func MachineTopicCode(machineID int64) string { return "m" + strconv.FormatInt(machineID, 10) }

// Topic returns the codes of the device's company and machine as they
// appear in its MQTT topics.
func (d *Device) Topic() (company, machine string) {
	return CompanyTopicCode(d.CompanyID), MachineTopicCode(d.MachineID)
}

// NewDeviceUsername returns a fresh username for a device of companyID:
// "d-c12-" and ten random lower-case letters and digits. It says which
// company the device belongs to, for the broker's logs, and is not a
// secret.
func NewDeviceUsername(companyID int64) string {
	const alphabet = "abcdefghijkmnpqrstuvwxyz23456789" // 32 symbols, no 0/o, 1/l
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i := range b {
		b[i] = alphabet[b[i]%32]
	}
	return "d-" + CompanyTopicCode(companyID) + "-" + string(b)
}

// NewDeviceSecret returns a fresh device secret.
func NewDeviceSecret() string { return NewToken(DeviceSecretPrefix) }

// Machine states as stored with intervals: the codes of telemetry.State.
// The root package cannot import telemetry (telemetry imports it), so the
// codes are repeated here; a test keeps the two lists equal.
var MachineStates = []string{"off", "idle", "setup", "running", "alarm"}

// StateInterval is a time one machine spent in one state, [Start, End),
// as a device reported it. A zero End is an open interval: the machine is
// still in that state. DeviceID is the device that reported it, or 0 for
// intervals recorded without one (an import).
type StateInterval struct {
	MachineID int64     `json:"machine_id"`
	DeviceID  int64     `json:"device_id,omitempty"`
	State     string    `json:"state"` // one of MachineStates
	Start     time.Time `json:"start"`
	End       time.Time `json:"end,omitzero"`
}

// Open reports whether the interval has not ended yet.
func (iv *StateInterval) Open() bool { return iv.End.IsZero() }

// Validate brings the times to the stored precision and checks the interval.
func (iv *StateInterval) Validate() error {
	pr := Problems{}
	if iv.MachineID <= 0 {
		pr.Add("machine_id", "err.required")
	}
	if iv.DeviceID < 0 {
		pr.Add("device_id", "err.required")
	}
	if !slices.Contains(MachineStates, iv.State) {
		pr.Add("state", "err.telemetry.state")
	}
	if iv.Start.IsZero() {
		pr.Add("start", "err.required")
	} else {
		iv.Start = TruncateTime(iv.Start)
	}
	if !iv.End.IsZero() {
		iv.End = TruncateTime(iv.End)
		if !iv.End.After(iv.Start) {
			pr.Add("end", "err.telemetry.end")
		}
	}
	return pr.Err()
}

// Limits of the telemetry store.
const (
	MaxStateIntervalBatch = 5000                 // intervals in one AppendStateIntervals
	MaxStateIntervalRange = 366 * 24 * time.Hour // the longest range one FindStateIntervals reads
)

// DeviceService keeps the devices of the shops and the machine states they
// report.
//
// Devices are managed by the company's owners and by admins
// (PermProfileEdit, as for machines). State intervals are read by the
// company's own people and by admins and coordinators (PermTelemetryRead);
// what a shop later chooses to show its partners will widen that.
type DeviceService interface {
	// FindDevices lists the devices of a company, without secrets.
	FindDevices(ctx context.Context, companyID int64) ([]*Device, error)
	// CreateDevice validates d, binds it to its machine, which must be one
	// of d.CompanyID's, generates its username and returns its secret:
	// the one time the secret is shown.
	CreateDevice(ctx context.Context, d *Device) (secret string, err error)
	// RotateDeviceSecret issues a new secret for the device; the old one
	// stops working at once. A disabled device is ECONFLICT.
	RotateDeviceSecret(ctx context.Context, id int64) (secret string, err error)
	// DisableDevice stops the device from authenticating, for good (a
	// replacement is a new device). Disabling it again does nothing.
	DisableDevice(ctx context.Context, id int64) error
	// AuthenticateDevice returns the device with these credentials. It is
	// called by the broker and needs no actor. An unknown username, a wrong
	// secret and a disabled device are all EUNAUTHORIZED with one message,
	// and the secret is compared in constant time. It sets LastSeenAt, at
	// most once per DeviceTouchInterval.
	AuthenticateDevice(ctx context.Context, username, password string) (*Device, error)

	// AppendStateIntervals stores a batch of intervals in one transaction:
	// all of them or, on any error, none. Appending an interval with a
	// start already stored for its machine changes nothing but the end of
	// an open interval, so a redelivered message is harmless; appending an
	// interval closes the machine's open interval that started before it
	// (and trims one that reaches past its start, for a late message), so
	// a machine's intervals never overlap.
	// Each interval's device, if any, must be bound to its machine, and the
	// caller must be allowed to manage devices of the machine's company:
	// the ingest runs as the system.
	AppendStateIntervals(ctx context.Context, ivs []StateInterval) error
	// FindStateIntervals returns the intervals of a machine that overlap
	// [from, to), in time order, as stored (not clipped to the range).
	FindStateIntervals(ctx context.Context, machineID int64, from, to time.Time) ([]StateInterval, error)
}
