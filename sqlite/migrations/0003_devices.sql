-- Devices on the shop floor (stack-light sensors, clamps, gateways) that
-- publish machine states over MQTT, and the state intervals they report:
-- (machine, state, start, end), never raw samples. A device's secret is
-- kept as the SHA-256 of a 256-bit random token. A machine's intervals are
-- keyed by their start, so that a redelivered message lands on the row it
-- already wrote; end_at is NULL while the machine is still in that state.
-- Deleting a machine deletes its devices and its history with it.

CREATE TABLE devices (
	id           INTEGER PRIMARY KEY,
	company_id   INTEGER NOT NULL REFERENCES companies (id),
	machine_id   INTEGER NOT NULL REFERENCES machines (id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	username     TEXT NOT NULL UNIQUE,
	secret_hash  TEXT NOT NULL,
	kind         TEXT NOT NULL,
	disabled     INTEGER NOT NULL DEFAULT 0,
	created_at   TEXT NOT NULL,
	last_seen_at TEXT
);
CREATE INDEX devices_company ON devices (company_id, id);
CREATE INDEX devices_machine ON devices (machine_id);

CREATE TABLE state_intervals (
	machine_id INTEGER NOT NULL REFERENCES machines (id) ON DELETE CASCADE,
	device_id  INTEGER REFERENCES devices (id) ON DELETE SET NULL,
	state      TEXT NOT NULL CHECK (state IN ('off', 'idle', 'setup', 'running', 'alarm')),
	start_at   TEXT NOT NULL,
	end_at     TEXT,
	PRIMARY KEY (machine_id, start_at)
) WITHOUT ROWID;
CREATE INDEX state_intervals_end ON state_intervals (machine_id, end_at);
CREATE INDEX state_intervals_device ON state_intervals (device_id);
