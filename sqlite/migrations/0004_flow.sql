-- The order flow: inquiries with parts and drawings, routings, step
-- requests and answers, quotes in versions, orders, work orders, lots and
-- their events, deliveries, invoices, the issued business documents and
-- notifications. Business records are never silently overwritten: quotes
-- are versioned, issued documents are append-only (a correction is a new
-- version; only the superseded flag of the old one may change, by
-- trigger), events are only ever added.

-- Document numbers per kind and year: R2026-00001, Q…, O…, W…, L…, D…, I….
CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
);

CREATE TABLE inquiries (
	id             INTEGER PRIMARY KEY,
	number         TEXT NOT NULL UNIQUE,
	customer_id    INTEGER NOT NULL REFERENCES companies (id),
	office_id      INTEGER NOT NULL REFERENCES companies (id),
	title          TEXT NOT NULL,
	desired_date   TEXT,
	delivery_place TEXT NOT NULL DEFAULT '',
	notes          TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL,
	created_by     INTEGER NOT NULL DEFAULT 0,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL
);
CREATE INDEX inquiries_customer ON inquiries (customer_id, id);
CREATE INDEX inquiries_status ON inquiries (status, id);
CREATE INDEX inquiries_created ON inquiries (created_at);

CREATE TABLE parts (
	id             INTEGER PRIMARY KEY,
	inquiry_id     INTEGER NOT NULL REFERENCES inquiries (id),
	position       INTEGER NOT NULL,
	drawing_number TEXT NOT NULL DEFAULT '',
	name           TEXT NOT NULL,
	material       TEXT NOT NULL DEFAULT '',
	quantity       INTEGER NOT NULL,
	size_x         REAL NOT NULL DEFAULT 0,
	size_y         REAL NOT NULL DEFAULT 0,
	size_z         REAL NOT NULL DEFAULT 0,
	tolerance_um   REAL NOT NULL DEFAULT 0,
	roughness_ra   REAL NOT NULL DEFAULT 0,
	surface        TEXT NOT NULL DEFAULT '',
	notes          TEXT NOT NULL DEFAULT '',
	UNIQUE (inquiry_id, position)
);

CREATE TABLE drawings (
	id         INTEGER PRIMARY KEY,
	part_id    INTEGER NOT NULL REFERENCES parts (id),
	name       TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX drawings_part ON drawings (part_id);

CREATE TABLE drawing_versions (
	drawing_id   INTEGER NOT NULL REFERENCES drawings (id),
	version      INTEGER NOT NULL,
	file_name    TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	sha256       TEXT NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	uploaded_by  INTEGER NOT NULL DEFAULT 0,
	uploaded_at  TEXT NOT NULL,
	PRIMARY KEY (drawing_id, version)
);

-- Every view of a drawing: who, for which company, when.
CREATE TABLE drawing_views (
	id         INTEGER PRIMARY KEY,
	drawing_id INTEGER NOT NULL REFERENCES drawings (id),
	version    INTEGER NOT NULL,
	user_id    INTEGER NOT NULL DEFAULT 0,
	user_name  TEXT NOT NULL DEFAULT '',
	company_id INTEGER NOT NULL DEFAULT 0,
	at         TEXT NOT NULL
);
CREATE INDEX drawing_views_drawing ON drawing_views (drawing_id, id);

CREATE TABLE steps (
	id             INTEGER PRIMARY KEY,
	part_id        INTEGER NOT NULL REFERENCES parts (id),
	seq            INTEGER NOT NULL,
	process        TEXT NOT NULL,
	requirements   TEXT NOT NULL DEFAULT '',
	certifications TEXT NOT NULL DEFAULT '',
	setup_hours    REAL NOT NULL DEFAULT 0,
	cycle_minutes  REAL NOT NULL DEFAULT 0,
	company_id     INTEGER REFERENCES companies (id),
	request_id     INTEGER,
	UNIQUE (part_id, seq)
);

CREATE TABLE routing_templates (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	steps      TEXT NOT NULL,
	created_at TEXT NOT NULL
);

CREATE TABLE requests (
	id             INTEGER PRIMARY KEY,
	step_id        INTEGER NOT NULL REFERENCES steps (id),
	inquiry_id     INTEGER NOT NULL REFERENCES inquiries (id),
	company_id     INTEGER NOT NULL REFERENCES companies (id),
	status         TEXT NOT NULL,
	deadline       TEXT NOT NULL,
	message        TEXT NOT NULL DEFAULT '',
	sent_by        INTEGER NOT NULL DEFAULT 0,
	sent_at        TEXT NOT NULL,
	price_yen      INTEGER,
	lead_days      INTEGER,
	earliest_start TEXT,
	answer_note    TEXT NOT NULL DEFAULT '',
	declined       INTEGER NOT NULL DEFAULT 0,
	decline_reason TEXT NOT NULL DEFAULT '',
	answered_by    INTEGER,
	answered_at    TEXT,
	UNIQUE (step_id, company_id)
);
CREATE INDEX requests_company ON requests (company_id, id);
CREATE INDEX requests_inquiry ON requests (inquiry_id);
CREATE INDEX requests_open ON requests (status, deadline);

CREATE TABLE quotes (
	id            INTEGER PRIMARY KEY,
	inquiry_id    INTEGER NOT NULL REFERENCES inquiries (id),
	number        TEXT NOT NULL,
	version       INTEGER NOT NULL,
	status        TEXT NOT NULL,
	subject       TEXT NOT NULL,
	valid_until   TEXT NOT NULL,
	promised_date TEXT NOT NULL,
	rounding      TEXT NOT NULL,
	subtotal      INTEGER NOT NULL,
	tax           INTEGER NOT NULL,
	total         INTEGER NOT NULL,
	payment_terms TEXT NOT NULL DEFAULT '',
	notes         TEXT NOT NULL DEFAULT '',
	lines         TEXT NOT NULL,
	costing       TEXT NOT NULL DEFAULT '',
	created_by    INTEGER NOT NULL DEFAULT 0,
	created_at    TEXT NOT NULL,
	sent_at       TEXT,
	decided_at    TEXT,
	decision_note TEXT NOT NULL DEFAULT '',
	UNIQUE (number, version)
);
CREATE INDEX quotes_inquiry ON quotes (inquiry_id, version);

CREATE TABLE orders (
	id             INTEGER PRIMARY KEY,
	number         TEXT NOT NULL UNIQUE,
	inquiry_id     INTEGER NOT NULL REFERENCES inquiries (id),
	quote_id       INTEGER NOT NULL UNIQUE REFERENCES quotes (id),
	customer_id    INTEGER NOT NULL REFERENCES companies (id),
	office_id      INTEGER NOT NULL REFERENCES companies (id),
	subject        TEXT NOT NULL,
	order_date     TEXT NOT NULL,
	due_date       TEXT NOT NULL,
	delivery_place TEXT NOT NULL DEFAULT '',
	subtotal       INTEGER NOT NULL,
	tax            INTEGER NOT NULL,
	total          INTEGER NOT NULL,
	status         TEXT NOT NULL,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL
);
CREATE INDEX orders_customer ON orders (customer_id, id);
CREATE INDEX orders_date ON orders (order_date);

CREATE TABLE work_orders (
	id              INTEGER PRIMARY KEY,
	number          TEXT NOT NULL UNIQUE,
	order_id        INTEGER NOT NULL REFERENCES orders (id),
	step_id         INTEGER NOT NULL UNIQUE REFERENCES steps (id),
	part_id         INTEGER NOT NULL REFERENCES parts (id),
	seq             INTEGER NOT NULL,
	process         TEXT NOT NULL,
	company_id      INTEGER NOT NULL REFERENCES companies (id),
	office_id       INTEGER NOT NULL REFERENCES companies (id),
	description     TEXT NOT NULL,
	quantity        INTEGER NOT NULL,
	amount          INTEGER NOT NULL,
	order_date      TEXT NOT NULL,
	start_date      TEXT,
	delivery_date   TEXT NOT NULL,
	delivery_place  TEXT NOT NULL DEFAULT '',
	inspection_date TEXT NOT NULL,
	payment_date    TEXT NOT NULL,
	payment_method  TEXT NOT NULL,
	supply          TEXT NOT NULL DEFAULT 'none',
	supply_terms    TEXT NOT NULL DEFAULT '',
	status          TEXT NOT NULL,
	accepted_at     TEXT,
	done_at         TEXT
);
CREATE INDEX work_orders_company ON work_orders (company_id, id);
CREATE INDEX work_orders_order ON work_orders (order_id, part_id, seq);
CREATE INDEX work_orders_payment ON work_orders (payment_date);

CREATE TABLE lots (
	id         INTEGER PRIMARY KEY,
	number     TEXT NOT NULL UNIQUE,
	code       TEXT NOT NULL UNIQUE,
	order_id   INTEGER NOT NULL REFERENCES orders (id),
	part_id    INTEGER NOT NULL REFERENCES parts (id),
	quantity   INTEGER NOT NULL,
	good       INTEGER NOT NULL,
	seq        INTEGER NOT NULL,
	status     TEXT NOT NULL,
	company_id INTEGER NOT NULL DEFAULT 0,
	due        TEXT,
	updated_at TEXT NOT NULL
);
CREATE INDEX lots_order ON lots (order_id, id);
CREATE INDEX lots_company ON lots (company_id, status);

CREATE TABLE lot_events (
	id         INTEGER PRIMARY KEY,
	lot_id     INTEGER NOT NULL REFERENCES lots (id),
	seq        INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	good       INTEGER NOT NULL DEFAULT 0,
	defect     INTEGER NOT NULL DEFAULT 0,
	note       TEXT NOT NULL DEFAULT '',
	company_id INTEGER NOT NULL DEFAULT 0,
	user_id    INTEGER NOT NULL DEFAULT 0,
	user_name  TEXT NOT NULL DEFAULT '',
	at         TEXT NOT NULL
);
CREATE INDEX lot_events_lot ON lot_events (lot_id, id);
CREATE INDEX lot_events_at ON lot_events (at);

CREATE TABLE invoices (
	id          INTEGER PRIMARY KEY,
	number      TEXT NOT NULL UNIQUE,
	customer_id INTEGER NOT NULL REFERENCES companies (id),
	office_id   INTEGER NOT NULL REFERENCES companies (id),
	date        TEXT NOT NULL,
	period_from TEXT,
	period_to   TEXT,
	due_date    TEXT NOT NULL,
	rounding    TEXT NOT NULL,
	subtotal    INTEGER NOT NULL,
	tax         INTEGER NOT NULL,
	total       INTEGER NOT NULL,
	status      TEXT NOT NULL,
	lines       TEXT NOT NULL,
	created_at  TEXT NOT NULL
);
CREATE INDEX invoices_customer ON invoices (customer_id, date);

CREATE TABLE invoice_orders (
	invoice_id INTEGER NOT NULL REFERENCES invoices (id),
	order_id   INTEGER NOT NULL REFERENCES orders (id),
	PRIMARY KEY (invoice_id, order_id)
);

CREATE TABLE deliveries (
	id          INTEGER PRIMARY KEY,
	number      TEXT NOT NULL UNIQUE,
	order_id    INTEGER NOT NULL REFERENCES orders (id),
	customer_id INTEGER NOT NULL REFERENCES companies (id),
	date        TEXT NOT NULL,
	status      TEXT NOT NULL,
	notes       TEXT NOT NULL DEFAULT '',
	accepted_at TEXT,
	accept_note TEXT NOT NULL DEFAULT '',
	invoice_id  INTEGER REFERENCES invoices (id)
);
CREATE INDEX deliveries_order ON deliveries (order_id);
CREATE INDEX deliveries_customer ON deliveries (customer_id, status, date);

CREATE TABLE delivery_lines (
	delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
	lot_id      INTEGER NOT NULL REFERENCES lots (id),
	part_id     INTEGER NOT NULL REFERENCES parts (id),
	description TEXT NOT NULL,
	part_number TEXT NOT NULL DEFAULT '',
	quantity    INTEGER NOT NULL,
	unit_price  INTEGER NOT NULL,
	accepted    INTEGER NOT NULL DEFAULT 0,
	rejected    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (delivery_id, lot_id)
);

-- Issued business documents (取引関係書類), searchable by date, amount and
-- counterparty, kept as issued.
CREATE TABLE documents (
	id                INTEGER PRIMARY KEY,
	kind              TEXT NOT NULL,
	number            TEXT NOT NULL,
	version           INTEGER NOT NULL,
	superseded        INTEGER NOT NULL DEFAULT 0,
	entity_type       TEXT NOT NULL,
	entity_id         INTEGER NOT NULL,
	issuer_id         INTEGER NOT NULL REFERENCES companies (id),
	counterparty_id   INTEGER NOT NULL REFERENCES companies (id),
	counterparty_name TEXT NOT NULL,
	date              TEXT NOT NULL,
	subtotal          INTEGER NOT NULL,
	tax               INTEGER NOT NULL,
	total             INTEGER NOT NULL,
	data              TEXT NOT NULL,
	reason            TEXT NOT NULL DEFAULT '',
	issued_by         INTEGER NOT NULL DEFAULT 0,
	issued_by_name    TEXT NOT NULL DEFAULT '',
	issued_at         TEXT NOT NULL,
	UNIQUE (kind, number, version)
);
CREATE INDEX documents_date ON documents (date, id);
CREATE INDEX documents_total ON documents (total);
CREATE INDEX documents_counterparty ON documents (counterparty_id, date);
CREATE INDEX documents_entity ON documents (entity_type, entity_id);
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN
	SELECT RAISE(ABORT, 'documents are kept as issued');
END;
CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
WHEN NOT (OLD.superseded = 0 AND NEW.superseded = 1
	AND NEW.kind = OLD.kind AND NEW.number = OLD.number AND NEW.version = OLD.version
	AND NEW.entity_type = OLD.entity_type AND NEW.entity_id = OLD.entity_id
	AND NEW.issuer_id = OLD.issuer_id AND NEW.counterparty_id = OLD.counterparty_id
	AND NEW.counterparty_name = OLD.counterparty_name AND NEW.date = OLD.date
	AND NEW.subtotal = OLD.subtotal AND NEW.tax = OLD.tax AND NEW.total = OLD.total
	AND NEW.data = OLD.data AND NEW.reason = OLD.reason AND NEW.issued_by = OLD.issued_by
	AND NEW.issued_by_name = OLD.issued_by_name AND NEW.issued_at = OLD.issued_at)
BEGIN
	SELECT RAISE(ABORT, 'documents are kept as issued: only a new version may supersede one');
END;

-- A customer's closing and payment days (締め日・支払日).
CREATE TABLE billing_terms (
	company_id   INTEGER PRIMARY KEY REFERENCES companies (id),
	close_day    INTEGER NOT NULL,
	months_later INTEGER NOT NULL,
	pay_day      INTEGER NOT NULL
);

CREATE TABLE notifications (
	id           INTEGER PRIMARY KEY,
	company_id   INTEGER NOT NULL REFERENCES companies (id),
	kind         TEXT NOT NULL,
	entity_type  TEXT NOT NULL,
	entity_id    INTEGER NOT NULL,
	message_key  TEXT NOT NULL,
	message_args TEXT NOT NULL DEFAULT '[]',
	link         TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	read_at      TEXT,
	emailed_at   TEXT
);
CREATE INDEX notifications_company ON notifications (company_id, id);
CREATE INDEX notifications_email ON notifications (emailed_at, id);
