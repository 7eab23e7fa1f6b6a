-- The partner directory: profiles (one per company) with the codes they
-- list in join tables indexed for the search filters, machines with the
-- sorted edges of their envelope (box_a >= box_b >= box_c) so that "does a
-- part fit" is three comparisons, PR posts with their photos (kept in the
-- database, so that a backup and every server have them), and the search
-- index: one normalized document per company and its n-grams.

CREATE TABLE company_profiles (
	company_id     INTEGER PRIMARY KEY REFERENCES companies (id),
	capacity_hours INTEGER NOT NULL DEFAULT 0,
	hourly_rate    INTEGER NOT NULL DEFAULT 0,
	employees      INTEGER NOT NULL DEFAULT 0,
	latitude       REAL,
	longitude      REAL,
	updated_at     TEXT NOT NULL
);

-- pos keeps the order in which the company listed its codes.
CREATE TABLE company_processes (
	company_id INTEGER NOT NULL REFERENCES companies (id),
	code       TEXT NOT NULL,
	pos        INTEGER NOT NULL,
	PRIMARY KEY (company_id, code)
) WITHOUT ROWID;
CREATE INDEX company_processes_code ON company_processes (code, company_id);

CREATE TABLE company_materials (
	company_id INTEGER NOT NULL REFERENCES companies (id),
	code       TEXT NOT NULL,
	pos        INTEGER NOT NULL,
	PRIMARY KEY (company_id, code)
) WITHOUT ROWID;
CREATE INDEX company_materials_code ON company_materials (code, company_id);

CREATE TABLE company_certifications (
	company_id INTEGER NOT NULL REFERENCES companies (id),
	code       TEXT NOT NULL,
	pos        INTEGER NOT NULL,
	PRIMARY KEY (company_id, code)
) WITHOUT ROWID;
CREATE INDEX company_certifications_code ON company_certifications (code, company_id);

CREATE TABLE company_lot_sizes (
	company_id INTEGER NOT NULL REFERENCES companies (id),
	code       TEXT NOT NULL,
	pos        INTEGER NOT NULL,
	PRIMARY KEY (company_id, code)
) WITHOUT ROWID;
CREATE INDEX company_lot_sizes_code ON company_lot_sizes (code, company_id);

CREATE TABLE machines (
	id           INTEGER PRIMARY KEY,
	company_id   INTEGER NOT NULL REFERENCES companies (id),
	process      TEXT NOT NULL,
	maker        TEXT NOT NULL DEFAULT '',
	model        TEXT NOT NULL DEFAULT '',
	count        INTEGER NOT NULL DEFAULT 1,
	shape        TEXT NOT NULL,
	x            REAL NOT NULL DEFAULT 0,
	y            REAL NOT NULL DEFAULT 0,
	z            REAL NOT NULL DEFAULT 0,
	d            REAL NOT NULL DEFAULT 0,
	l            REAL NOT NULL DEFAULT 0,
	box_a        REAL NOT NULL DEFAULT 0,
	box_b        REAL NOT NULL DEFAULT 0,
	box_c        REAL NOT NULL DEFAULT 0,
	axes         INTEGER NOT NULL DEFAULT 0,
	tolerance_um REAL NOT NULL DEFAULT 0,
	roughness_ra REAL NOT NULL DEFAULT 0,
	note         TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
);
CREATE INDEX machines_company ON machines (company_id);
CREATE INDEX machines_process ON machines (process);

CREATE TABLE posts (
	id          INTEGER PRIMARY KEY,
	company_id  INTEGER NOT NULL REFERENCES companies (id),
	author_id   INTEGER NOT NULL DEFAULT 0, -- 0 for the system
	author_name TEXT NOT NULL,
	title       TEXT NOT NULL,
	body        TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL
);
CREATE INDEX posts_company ON posts (company_id, id);

CREATE TABLE photos (
	id           INTEGER PRIMARY KEY,
	post_id      INTEGER NOT NULL REFERENCES posts (id),
	sha256       TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	width        INTEGER NOT NULL,
	height       INTEGER NOT NULL,
	data         BLOB NOT NULL
);
CREATE INDEX photos_post ON photos (post_id);

-- search_docs holds, per company, the NormalizeSearch form of everything
-- searchable (text) and of each field on its own, for ranking and for
-- telling where the words matched.
CREATE TABLE search_docs (
	company_id    INTEGER PRIMARY KEY REFERENCES companies (id),
	text          TEXT NOT NULL,
	name          TEXT NOT NULL,
	kana          TEXT NOT NULL,
	description   TEXT NOT NULL,
	region        TEXT NOT NULL,
	process       TEXT NOT NULL,
	material      TEXT NOT NULL,
	certification TEXT NOT NULL,
	machine       TEXT NOT NULL,
	post          TEXT NOT NULL
);

-- search_grams is the n-gram index: every distinct unigram and bigram of
-- each word of a company's text, with the fields it occurs in (bit i for
-- the i-th field column of search_docs, name first), so that ranking and
-- telling where a word matched need not read the documents. It has no
-- index on company_id: a company's grams are found again from its stored
-- document, which keeps bulk loads fast and the index half the size.
CREATE TABLE search_grams (
	gram       TEXT NOT NULL,
	company_id INTEGER NOT NULL,
	fields     INTEGER NOT NULL,
	PRIMARY KEY (gram, company_id)
) WITHOUT ROWID;
