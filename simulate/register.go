package simulate

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// DeviceStore is what Register and Backfill need of the store.
type DeviceStore interface {
	FindDevices(ctx context.Context, companyID int64) ([]*nakamawashi.Device, error)
	CreateDevice(ctx context.Context, d *nakamawashi.Device) (secret string, err error)
	RotateDeviceSecret(ctx context.Context, id int64) (secret string, err error)
	AppendStateIntervals(ctx context.Context, ivs []nakamawashi.StateInterval) error
	FindStateIntervals(ctx context.Context, machineID int64, from, to time.Time) ([]nakamawashi.StateInterval, error)
}

// deviceSuffix ends the names of the simulator's devices, by which a later
// start finds them again.
const deviceSuffix = " (デモ)"

// Register gives every machine a simulated device with a fresh secret:
// every third machine a stack-light sensor, the others an MTConnect
// gateway that reports states. A machine that has its simulated device
// from an earlier start keeps it, with a new secret (secrets are stored
// hashed, so the old one is not known). ctx must carry an actor allowed to
// manage the machines' devices (the system, in a demo).
func Register(ctx context.Context, s DeviceStore, machines []*nakamawashi.Machine) ([]Device, error) {
	known := map[int64]map[int64]*nakamawashi.Device{} // company → machine → device
	var out []Device
	for i, m := range machines {
		byMachine, ok := known[m.CompanyID]
		if !ok {
			ds, err := s.FindDevices(ctx, m.CompanyID)
			if err != nil {
				return nil, fmt.Errorf("simulate: devices of company %d: %w", m.CompanyID, err)
			}
			byMachine = map[int64]*nakamawashi.Device{}
			for _, d := range ds {
				if !d.Disabled && strings.HasSuffix(d.Name, deviceSuffix) {
					byMachine[d.MachineID] = d
				}
			}
			known[m.CompanyID] = byMachine
		}
		var secret string
		var err error
		d := byMachine[m.ID]
		if d != nil {
			secret, err = s.RotateDeviceSecret(ctx, d.ID)
		} else {
			d = &nakamawashi.Device{CompanyID: m.CompanyID, MachineID: m.ID, Kind: nakamawashi.DeviceMTConnect, Name: "MTConnect ゲートウェイ" + deviceSuffix}
			if i%3 == 0 {
				d.Kind, d.Name = nakamawashi.DeviceStackLight, "信号灯センサー"+deviceSuffix
			}
			secret, err = s.CreateDevice(ctx, d)
		}
		if err != nil {
			return nil, fmt.Errorf("simulate: device of machine %d: %w", m.ID, err)
		}
		company, machine := d.Topic()
		out = append(out, Device{MachineID: m.ID, DeviceID: d.ID, Kind: d.Kind, Company: company, Machine: machine, Username: d.Username, Secret: secret})
	}
	return out, nil
}

// Backfill writes the devices' machines' history of the days before now
// through the store, unless the first machine has intervals there already
// (a later start). It reports whether it wrote.
func Backfill(ctx context.Context, s DeviceStore, devs []Device, now time.Time, days int, sh Shift) (bool, error) {
	if len(devs) == 0 {
		return false, nil
	}
	if sh == (Shift{}) {
		sh = DefaultShift
	}
	from := now.AddDate(0, 0, -days)
	have, err := s.FindStateIntervals(ctx, devs[0].MachineID, from, now)
	if err != nil {
		return false, fmt.Errorf("simulate: intervals of machine %d: %w", devs[0].MachineID, err)
	}
	if len(have) > 0 {
		return false, nil
	}
	var batch []nakamawashi.StateInterval
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.AppendStateIntervals(ctx, batch)
		batch = batch[:0]
		return err
	}
	for _, d := range devs {
		for _, iv := range reported(d.Kind, History(d.MachineID, d.DeviceID, from, now, sh)) {
			if len(batch) == nakamawashi.MaxStateIntervalBatch {
				if err := flush(); err != nil {
					return false, fmt.Errorf("simulate: backfill: %w", err)
				}
			}
			batch = append(batch, iv)
		}
	}
	if err := flush(); err != nil {
		return false, fmt.Errorf("simulate: backfill: %w", err)
	}
	return true, nil
}

// reported returns the intervals as the device reports them: a stack light
// cannot tell idle from off (all lamps are dark), so its idle is off.
func reported(kind nakamawashi.DeviceKind, ivs []nakamawashi.StateInterval) []nakamawashi.StateInterval {
	if kind != nakamawashi.DeviceStackLight {
		return ivs
	}
	out := ivs[:0]
	for _, iv := range ivs {
		if iv.State == telemetry.Idle.String() {
			iv.State = telemetry.Off.String()
		}
		if n := len(out); n > 0 && out[n-1].State == iv.State {
			out[n-1].End = iv.End
			continue
		}
		out = append(out, iv)
	}
	return out
}
