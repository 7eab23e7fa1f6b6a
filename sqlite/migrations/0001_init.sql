-- The first schema: companies, users, memberships, sessions, API tokens,
-- login failures and the append-only, hash-chained audit log. Times are TEXT
-- in nakamawashi.TimeFormat: fixed width and UTC, so they compare and sort.

CREATE TABLE companies (
	id                  INTEGER PRIMARY KEY,
	kind                TEXT NOT NULL,
	name                TEXT NOT NULL,
	name_kana           TEXT NOT NULL,
	corporate_number    TEXT NOT NULL DEFAULT '',
	registration_number TEXT NOT NULL DEFAULT '',
	postal_code         TEXT NOT NULL DEFAULT '',
	prefecture          TEXT NOT NULL DEFAULT '',
	city                TEXT NOT NULL DEFAULT '',
	street              TEXT NOT NULL DEFAULT '',
	building            TEXT NOT NULL DEFAULT '',
	phone               TEXT NOT NULL DEFAULT '',
	fax                 TEXT NOT NULL DEFAULT '',
	email               TEXT NOT NULL DEFAULT '',
	region              TEXT NOT NULL DEFAULT '',
	description         TEXT NOT NULL DEFAULT '',
	created_at          TEXT NOT NULL,
	updated_at          TEXT NOT NULL
);
CREATE UNIQUE INDEX companies_corporate_number ON companies (corporate_number) WHERE corporate_number <> '';
CREATE INDEX companies_name_kana ON companies (name_kana);
CREATE INDEX companies_region ON companies (region);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	language      TEXT NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0,
	password_hash TEXT NOT NULL,
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL
);

CREATE TABLE memberships (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	company_id INTEGER NOT NULL REFERENCES companies (id),
	role       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (user_id, company_id)
);
CREATE INDEX memberships_company ON memberships (company_id);

CREATE TABLE sessions (
	id           INTEGER PRIMARY KEY,
	token_hash   TEXT NOT NULL UNIQUE,
	user_id      INTEGER NOT NULL REFERENCES users (id),
	company_id   INTEGER NOT NULL REFERENCES companies (id),
	role         TEXT NOT NULL,
	csrf_token   TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	last_seen_at TEXT NOT NULL,
	expires_at   TEXT NOT NULL,
	remote_addr  TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	token_hash   TEXT NOT NULL UNIQUE,
	name         TEXT NOT NULL,
	user_id      INTEGER NOT NULL REFERENCES users (id),
	company_id   INTEGER NOT NULL REFERENCES companies (id),
	role         TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	expires_at   TEXT NOT NULL,
	last_used_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_failures (
	id  INTEGER PRIMARY KEY,
	key TEXT NOT NULL,
	at  TEXT NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);
CREATE INDEX login_failures_at ON login_failures (at);

CREATE TABLE audit_events (
	id            INTEGER PRIMARY KEY,
	at            TEXT NOT NULL,
	actor_user_id INTEGER NOT NULL DEFAULT 0,
	actor_name    TEXT NOT NULL,
	company_id    INTEGER NOT NULL DEFAULT 0,
	action        TEXT NOT NULL,
	entity_type   TEXT NOT NULL,
	entity_id     INTEGER NOT NULL DEFAULT 0,
	detail        TEXT NOT NULL DEFAULT '',
	prev_hash     TEXT NOT NULL,
	hash          TEXT NOT NULL
);
CREATE INDEX audit_events_company ON audit_events (company_id, id);
CREATE INDEX audit_events_entity ON audit_events (entity_type, entity_id);

-- The audit log is append-only: the database itself refuses changes.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit_events is append-only');
END;
