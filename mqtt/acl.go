package mqtt

import (
	"context"
	"strings"

	"github.com/nakamawashi/nakamawashi/sparkplug"
)

// Authenticator checks a device's credentials. The store implements it.
type Authenticator interface {
	// AuthenticateDevice returns the identity of the device that logs in
	// with username and password. Wrong credentials and a disabled device
	// are an EUNAUTHORIZED error; any other error is a failure of the
	// store, logged as such. Both refuse the connection.
	AuthenticateDevice(ctx context.Context, username, password string) (*DeviceIdentity, error)
}

// DeviceIdentity is who a connected device is: the device and the company
// and machine whose topics it may use.
type DeviceIdentity struct {
	CompanyCode string
	MachineCode string
	DeviceID    int64
}

// MayPublish reports whether the device may publish to topic:
//
//	nakamawashi/v1/{company}/{machine}/state, light, count or status
//	spBv1.0/{company}/NBIRTH, NDATA or NDEATH/{machine}
//	spBv1.0/{company}/DBIRTH, DDATA or DDEATH/{machine}/{device}
//
// with its own company and machine codes: in Sparkplug terms the group id
// is the company code and the edge node id the machine code; the device
// id after them is free. Commands (cmd, NCMD, DCMD) and host states
// (spBv1.0/STATE/…) are the application's to publish, never a device's.
func (id DeviceIdentity) MayPublish(topic string) bool {
	if t, err := ParseTopic(topic); err == nil {
		return t.Company == id.CompanyCode && t.Machine == id.MachineCode && t.Kind.Published()
	}
	if !strings.HasPrefix(topic, sparkplug.Namespace+"/") || strings.ContainsAny(topic, "+#") {
		return false
	}
	t, err := sparkplug.ParseTopic(topic)
	if err != nil {
		return false
	}
	switch t.Type {
	case sparkplug.NBIRTH, sparkplug.NDATA, sparkplug.NDEATH,
		sparkplug.DBIRTH, sparkplug.DDATA, sparkplug.DDEATH:
		return t.GroupID == id.CompanyCode && t.EdgeNodeID == id.MachineCode
	}
	return false
}

// MaySubscribe reports whether the device may subscribe to filter. It may
// subscribe to its own commands only:
//
//	nakamawashi/v1/{company}/{machine}/cmd
//	spBv1.0/{company}/NCMD/{machine}, or with /# as the Eclipse Tahu client
//	subscribes (an NCMD topic has no level below the machine, so /# adds none)
//	spBv1.0/{company}/DCMD/{machine}/{device}, /+ or /#
//	spBv1.0/STATE/{host}, which a Sparkplug 3.0 edge node must watch
//
// No other wildcard and no shared subscription ($share/…) is allowed.
func (id DeviceIdentity) MaySubscribe(filter string) bool {
	if filter == (Topic{Company: id.CompanyCode, Machine: id.MachineCode, Kind: KindCommand}).String() {
		return ValidCode(id.CompanyCode) && ValidCode(id.MachineCode)
	}
	p := strings.Split(filter, "/")
	if p[0] != sparkplug.Namespace {
		return false
	}
	name := func(s string) bool { return s != "" && !strings.ContainsAny(s, "+#") }
	switch {
	case len(p) == 3 && p[1] == string(sparkplug.STATE):
		return name(p[2])
	case len(p) == 4 && p[2] == string(sparkplug.NCMD):
		return p[1] == id.CompanyCode && p[3] == id.MachineCode
	case len(p) == 5 && p[2] == string(sparkplug.NCMD):
		return p[1] == id.CompanyCode && p[3] == id.MachineCode && p[4] == "#"
	case len(p) == 5 && p[2] == string(sparkplug.DCMD):
		return p[1] == id.CompanyCode && p[3] == id.MachineCode && (name(p[4]) || p[4] == "+" || p[4] == "#")
	}
	return false
}
