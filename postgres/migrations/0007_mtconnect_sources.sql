-- Where the server itself reads the states of a device of kind mtconnect:
-- an MTConnect agent over HTTP (its URL and, when it serves several
-- devices, the device's name) or an SHDR adapter over TCP (host:port).
-- Exactly one of agent_url and adapter_addr is set. The host must be on
-- the administrator's allow-list, which is checked when the settings are
-- saved and again each time the server connects.

CREATE TABLE device_mtconnect (
	device_id    BIGINT PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
	agent_url    TEXT NOT NULL DEFAULT '',
	agent_device TEXT NOT NULL DEFAULT '',
	adapter_addr TEXT NOT NULL DEFAULT ''
);
