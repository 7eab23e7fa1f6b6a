-- What each shop shows the network of its machine states: 'none',
-- 'status' (each machine's current state) or 'utilization' (also the
-- history and 稼働率). A shop without a row shares 'status', the default
-- (nakamawashi.DefaultTelemetrySharing). The shop itself, the network office
-- and the coordinators always see everything.
-- The traveler scans made at a company, by time, for its machines' timeline.

CREATE TABLE telemetry_sharing (
	company_id BIGINT PRIMARY KEY REFERENCES companies (id),
	level      TEXT NOT NULL CHECK (level IN ('none', 'status', 'utilization')),
	updated_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX lot_events_company_at ON lot_events (company_id, at);
