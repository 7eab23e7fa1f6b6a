package mtconnect

import (
	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// MaxLineBytes bounds one SHDR line an Adapter reads. Assets sent on one
// line are the longest lines an adapter writes.
const MaxLineBytes = 1 << 20

// ParseSHDRLine reads one line of an adapter's stream with the module's
// SHDR parser (telemetry.ParseSHDRLineModel); isCondition, when not nil,
// tells condition keys from others by the device model
// (Devices.IsCondition). An unreadable line is EINVALID.
func ParseSHDRLine(s string, isCondition func(device, key string) bool) (telemetry.SHDRLine, error) {
	l, err := telemetry.ParseSHDRLineModel(s, isCondition)
	if err != nil {
		return l, &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg(msgSHDR), Op: "mtconnect.ParseSHDRLine", Err: err}
	}
	return l, nil
}
