package sqlstore

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"

	"github.com/nakamawashi/nakamawashi"
)

const deviceColumns = `id, company_id, machine_id, name, username, kind, disabled, created_at, last_seen_at`

func scanDevice(sc scanner, extra ...any) (*nakamawashi.Device, error) {
	var d nakamawashi.Device
	err := sc.Scan(append([]any{&d.ID, &d.CompanyID, &d.MachineID, &d.Name, &d.Username, &d.Kind, &d.Disabled,
		timeScan{&d.CreatedAt}, nullTimeScan{&d.LastSeenAt}}, extra...)...)
	return &d, err
}

func (tx *Tx) findDeviceByID(ctx context.Context, id int64) (*nakamawashi.Device, error) {
	d, err := scanDevice(tx.queryRow(ctx, `SELECT `+deviceColumns+` FROM devices WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.device.not_found")
	}
	return d, err
}

func deviceAuthFailed() error {
	return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.device.auth_failed")
}

// dummyDeviceHash is compared against when a username is unknown, so that
// the answer does the same work as for a known one.
var dummyDeviceHash = nakamawashi.HashToken("nakamawashi-device-timing-equalizer")

// FindDevices lists the devices of a company whose devices the caller
// manages.
func (s *Store) FindDevices(ctx context.Context, companyID int64) ([]*nakamawashi.Device, error) {
	if err := mayWrite(ctx, nakamawashi.PermProfileEdit, companyID, "err.company.not_found"); err != nil {
		return nil, err
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindDevices"), err)
	}
	defer tx.Rollback()
	if err := tx.companyExists(ctx, companyID); err != nil {
		return nil, nakamawashi.Internal(s.op("FindDevices"), err)
	}
	rows, err := tx.query(ctx, `SELECT `+deviceColumns+` FROM devices WHERE company_id = ? ORDER BY id`, companyID)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindDevices"), err)
	}
	defer rows.Close()
	out := []*nakamawashi.Device{}
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, nakamawashi.Internal(s.op("FindDevices"), err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, nakamawashi.Internal(s.op("FindDevices"), err)
	}
	return out, nil
}

// CreateDevice registers d on a machine of its company and returns its
// secret, which is stored only as a hash.
func (s *Store) CreateDevice(ctx context.Context, d *nakamawashi.Device) (string, error) {
	if err := mayWrite(ctx, nakamawashi.PermProfileEdit, d.CompanyID, "err.company.not_found"); err != nil {
		return "", err
	}
	if err := d.Validate(); err != nil {
		return "", err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return "", nakamawashi.Internal(s.op("CreateDevice"), err)
	}
	defer tx.Rollback()
	m, err := tx.findMachineByID(ctx, d.MachineID)
	if err != nil {
		return "", nakamawashi.Internal(s.op("CreateDevice"), err)
	} else if m.CompanyID != d.CompanyID {
		// Another company's machine is not there for this caller, even
		// if the directory shows it.
		return "", nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.machine.not_found")
	}
	secret := nakamawashi.NewDeviceSecret()
	created := *d
	created.CreatedAt, created.LastSeenAt, created.Disabled = tx.now, nil, false
	// Ten random characters make a clash unlikely enough that a second
	// try is all the retrying it needs; a third clash is a fault.
	for try := 0; ; try++ {
		created.Username = nakamawashi.NewDeviceUsername(d.CompanyID)
		created.ID, err = tx.insert(ctx, `INSERT INTO devices (company_id, machine_id, name, username, secret_hash, kind, disabled, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING`,
			created.CompanyID, created.MachineID, created.Name, created.Username, nakamawashi.HashToken(secret),
			string(created.Kind), false, tx.t(created.CreatedAt))
		if errors.Is(err, sql.ErrNoRows) && try < 2 {
			continue
		} else if err != nil {
			return "", nakamawashi.Internal(s.op("CreateDevice"), err)
		}
		break
	}
	tx.audit(ctx, created.CompanyID, "device.create", "device", created.ID, map[string]any{
		"name": created.Name, "username": created.Username, "kind": created.Kind, "machine_id": created.MachineID})
	if err := tx.Commit(ctx); err != nil {
		return "", nakamawashi.Internal(s.op("CreateDevice"), err)
	}
	*d = created
	return secret, nil
}

// loadManagedDevice reads device id in tx for a caller who must manage the
// devices of its company.
func (tx *Tx) loadManagedDevice(ctx context.Context, id int64) (*nakamawashi.Device, error) {
	d, err := tx.findDeviceByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := mayWrite(ctx, nakamawashi.PermProfileEdit, d.CompanyID, "err.device.not_found"); err != nil {
		return nil, err
	}
	return d, nil
}

// RotateDeviceSecret replaces the device's secret and returns the new one.
func (s *Store) RotateDeviceSecret(ctx context.Context, id int64) (string, error) {
	if nakamawashi.ActorFromContext(ctx) == nil {
		return "", nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return "", nakamawashi.Internal(s.op("RotateDeviceSecret"), err)
	}
	defer tx.Rollback()
	d, err := tx.loadManagedDevice(ctx, id)
	if err != nil {
		return "", nakamawashi.Internal(s.op("RotateDeviceSecret"), err)
	} else if d.Disabled {
		return "", nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.device.disabled")
	}
	secret := nakamawashi.NewDeviceSecret()
	if _, err := tx.exec(ctx, `UPDATE devices SET secret_hash = ? WHERE id = ?`, nakamawashi.HashToken(secret), id); err != nil {
		return "", nakamawashi.Internal(s.op("RotateDeviceSecret"), err)
	}
	tx.audit(ctx, d.CompanyID, "device.rotate_secret", "device", id, map[string]any{"name": d.Name, "username": d.Username})
	if err := tx.Commit(ctx); err != nil {
		return "", nakamawashi.Internal(s.op("RotateDeviceSecret"), err)
	}
	return secret, nil
}

// DisableDevice stops the device from authenticating. Its secret hash is
// overwritten, so that not even a restored flag would let it back in.
func (s *Store) DisableDevice(ctx context.Context, id int64) error {
	if nakamawashi.ActorFromContext(ctx) == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("DisableDevice"), err)
	}
	defer tx.Rollback()
	d, err := tx.loadManagedDevice(ctx, id)
	if err != nil {
		return nakamawashi.Internal(s.op("DisableDevice"), err)
	} else if d.Disabled {
		return nil
	}
	if _, err := tx.exec(ctx, `UPDATE devices SET disabled = ?, secret_hash = ? WHERE id = ?`, true, "disabled", id); err != nil {
		return nakamawashi.Internal(s.op("DisableDevice"), err)
	}
	tx.audit(ctx, d.CompanyID, "device.disable", "device", id, map[string]any{"name": d.Name, "username": d.Username})
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("DisableDevice"), err)
	}
	return nil
}

// AuthenticateDevice checks a device's credentials for the broker. Failures
// are not audited: a misconfigured device retries every few seconds, and
// the broker logs and limits them where it sees the connection.
func (s *Store) AuthenticateDevice(ctx context.Context, username, password string) (*nakamawashi.Device, error) {
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AuthenticateDevice"), err)
	}
	defer tx.Rollback()
	var hash string
	d, err := scanDevice(tx.queryRow(ctx, `SELECT `+deviceColumns+`, secret_hash FROM devices WHERE username = ?`, username), &hash)
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, nakamawashi.Internal(s.op("AuthenticateDevice"), err)
	}
	tx.Rollback()
	if !found {
		hash = dummyDeviceHash
	}
	ok := subtle.ConstantTimeCompare([]byte(nakamawashi.HashToken(password)), []byte(hash)) == 1
	if !found || !ok || d.Disabled {
		return nil, deviceAuthFailed()
	}

	now := s.now()
	if d.LastSeenAt != nil && now.Sub(*d.LastSeenAt) < nakamawashi.DeviceTouchInterval {
		return d, nil
	}
	wtx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AuthenticateDevice"), err)
	}
	defer wtx.Rollback()
	// The condition keeps two connects in the same minute to one write
	// and a device disabled meanwhile out.
	res, err := wtx.exec(ctx, `UPDATE devices SET last_seen_at = ? WHERE id = ? AND NOT disabled AND (last_seen_at IS NULL OR last_seen_at < ?)`,
		wtx.t(wtx.now), d.ID, wtx.t(wtx.now.Add(-nakamawashi.DeviceTouchInterval)))
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AuthenticateDevice"), err)
	}
	if err := wtx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("AuthenticateDevice"), err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 1 {
		t := wtx.now
		d.LastSeenAt = &t
	}
	return d, nil
}
