package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/nakamawashi/nakamawashi"
)

// SetMTConnectSource saves or, when both addresses are empty, removes the
// MTConnect source of a device of kind mtconnect the caller manages.
func (s *Store) SetMTConnectSource(ctx context.Context, src *nakamawashi.MTConnectSource) error {
	if nakamawashi.ActorFromContext(ctx) == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	remove := src.AgentURL == "" && src.AdapterAddr == "" && src.AgentDevice == ""
	if !remove {
		if err := src.Validate(); err != nil {
			return err
		}
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("SetMTConnectSource"), err)
	}
	defer tx.Rollback()
	d, err := tx.loadManagedDevice(ctx, src.DeviceID)
	if err != nil {
		return nakamawashi.Internal(s.op("SetMTConnectSource"), err)
	}
	if d.Kind != nakamawashi.DeviceMTConnect {
		return nakamawashi.Errorf(nakamawashi.EINVALID, "err.mtsource.kind")
	}
	if remove {
		_, err = tx.exec(ctx, `DELETE FROM device_mtconnect WHERE device_id = ?`, d.ID)
	} else {
		_, err = tx.exec(ctx, `INSERT INTO device_mtconnect (device_id, agent_url, agent_device, adapter_addr) VALUES (?, ?, ?, ?)
			ON CONFLICT (device_id) DO UPDATE SET agent_url = excluded.agent_url, agent_device = excluded.agent_device, adapter_addr = excluded.adapter_addr`,
			d.ID, src.AgentURL, src.AgentDevice, src.AdapterAddr)
	}
	if err != nil {
		return nakamawashi.Internal(s.op("SetMTConnectSource"), err)
	}
	tx.audit(ctx, d.CompanyID, "device.mtconnect", "device", d.ID, map[string]any{
		"agent_url": src.AgentURL, "agent_device": src.AgentDevice, "adapter_addr": src.AdapterAddr})
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("SetMTConnectSource"), err)
	}
	src.CompanyID, src.MachineID = d.CompanyID, d.MachineID
	return nil
}

// FindMTConnectSource returns the source of a device the caller manages,
// or nil when it has none.
func (s *Store) FindMTConnectSource(ctx context.Context, deviceID int64) (*nakamawashi.MTConnectSource, error) {
	if nakamawashi.ActorFromContext(ctx) == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindMTConnectSource"), err)
	}
	defer tx.Rollback()
	d, err := tx.loadManagedDevice(ctx, deviceID)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindMTConnectSource"), err)
	}
	src := &nakamawashi.MTConnectSource{DeviceID: d.ID, CompanyID: d.CompanyID, MachineID: d.MachineID}
	err = tx.queryRow(ctx, `SELECT agent_url, agent_device, adapter_addr FROM device_mtconnect WHERE device_id = ?`, d.ID).
		Scan(&src.AgentURL, &src.AgentDevice, &src.AdapterAddr)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, nakamawashi.Internal(s.op("FindMTConnectSource"), err)
	}
	return src, nil
}

// FindMTConnectSources lists the sources of the enabled devices of kind
// mtconnect, for the system actor that runs them.
func (s *Store) FindMTConnectSources(ctx context.Context) ([]*nakamawashi.MTConnectSource, error) {
	if a := nakamawashi.ActorFromContext(ctx); a == nil || !a.System {
		return nil, nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden")
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindMTConnectSources"), err)
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT d.id, d.company_id, d.machine_id, m.agent_url, m.agent_device, m.adapter_addr
		FROM device_mtconnect m JOIN devices d ON d.id = m.device_id
		WHERE NOT d.disabled AND d.kind = ? ORDER BY d.id`, string(nakamawashi.DeviceMTConnect))
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindMTConnectSources"), err)
	}
	defer rows.Close()
	var out []*nakamawashi.MTConnectSource
	for rows.Next() {
		var src nakamawashi.MTConnectSource
		if err := rows.Scan(&src.DeviceID, &src.CompanyID, &src.MachineID, &src.AgentURL, &src.AgentDevice, &src.AdapterAddr); err != nil {
			return nil, nakamawashi.Internal(s.op("FindMTConnectSources"), err)
		}
		out = append(out, &src)
	}
	if err := rows.Err(); err != nil {
		return nil, nakamawashi.Internal(s.op("FindMTConnectSources"), err)
	}
	return out, nil
}
