package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

const companyColumns = `id, kind, name, name_kana, corporate_number, registration_number, postal_code, prefecture,
	city, street, building, phone, fax, email, region, description, created_at, updated_at`

func scanCompany(sc scanner) (*nakamawashi.Company, error) {
	var c nakamawashi.Company
	err := sc.Scan(&c.ID, &c.Kind, &c.Name, &c.NameKana, &c.CorporateNumber, &c.RegistrationNumber, &c.PostalCode, &c.Prefecture,
		&c.City, &c.Street, &c.Building, &c.Phone, &c.Fax, &c.Email, &c.Region, &c.Description,
		timeScan{&c.CreatedAt}, timeScan{&c.UpdatedAt})
	return &c, err
}

// FindCompanyByID returns a company the caller may read. A company the
// caller may not read is not found, so that its existence is not revealed.
func (s *Store) FindCompanyByID(ctx context.Context, id int64) (*nakamawashi.Company, error) {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	} else if !a.Can(nakamawashi.PermCompanyRead, id) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.company.not_found")
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindCompanyByID"), err)
	}
	defer tx.Rollback()
	c, err := tx.findCompanyByID(ctx, id)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindCompanyByID"), err)
	}
	return c, nil
}

func (tx *Tx) findCompanyByID(ctx context.Context, id int64) (*nakamawashi.Company, error) {
	c, err := scanCompany(tx.queryRow(ctx, `SELECT `+companyColumns+` FROM companies WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.company.not_found")
	} else if err != nil {
		return nil, err
	}
	return c, nil
}

// FindCompanies lists the companies the caller may read that match filter,
// ordered by フリガナ, and the number of matches without paging.
func (s *Store) FindCompanies(ctx context.Context, filter nakamawashi.CompanyFilter) ([]*nakamawashi.Company, int, error) {
	own, all, err := nakamawashi.Scope(ctx, nakamawashi.PermCompanyRead)
	if err != nil {
		return nil, 0, err
	}
	q := listQuery{op: "FindCompanies", columns: companyColumns, from: "FROM companies", order: "name_kana, id",
		offset: filter.Offset, limit: filter.Limit}
	if !all {
		q.c.add("id = ?", own)
	}
	if filter.ID != nil {
		q.c.add("id = ?", *filter.ID)
	}
	if filter.Kind != "" {
		q.c.add("kind = ?", string(filter.Kind))
	}
	if filter.Region != "" {
		q.c.add("region = ?", strings.TrimSpace(filter.Region))
	}
	if text := nakamawashi.NormalizeWidth(filter.Query); text != "" {
		q.c.add(`(LOWER(name) LIKE ? ESCAPE '\' OR LOWER(name_kana) LIKE ? ESCAPE '\')`,
			likePattern(text), likePattern(nakamawashi.HiraganaToKatakana(text)))
	}
	return findPage(ctx, s, q, scanCompany)
}

// CreateCompany validates c, stores it and fills its ID and times.
func (s *Store) CreateCompany(ctx context.Context, c *nakamawashi.Company) error {
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCompanyCreate, 0); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("CreateCompany"), err)
	}
	defer tx.Rollback()
	id, err := tx.insertCompany(ctx, c)
	if err != nil {
		return nakamawashi.Internal(s.op("CreateCompany"), err)
	}
	if err := tx.reindex(ctx, id); err != nil {
		return nakamawashi.Internal(s.op("CreateCompany"), err)
	}
	tx.audit(ctx, id, "company.create", "company", id, map[string]string{"kind": string(c.Kind), "name": c.Name})
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("CreateCompany"), err)
	}
	c.ID = id
	return nil
}

// insertCompany stores a validated company, created now, and returns its
// id; a taken corporate number is ECONFLICT.
func (tx *Tx) insertCompany(ctx context.Context, c *nakamawashi.Company) (int64, error) {
	c.CreatedAt, c.UpdatedAt = tx.now, tx.now
	id, err := tx.insert(ctx, `INSERT INTO companies (kind, name, name_kana, corporate_number, registration_number, postal_code, prefecture,
		city, street, building, phone, fax, email, region, description, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		string(c.Kind), c.Name, c.NameKana, c.CorporateNumber, c.RegistrationNumber, c.PostalCode, c.Prefecture,
		c.City, c.Street, c.Building, c.Phone, c.Fax, c.Email, c.Region, c.Description, tx.t(c.CreatedAt), tx.t(c.UpdatedAt))
	if tx.unique(err) {
		return 0, uniqueErr("corporate_number", "err.company.corporate_number_taken")
	}
	return id, err
}

// UpdateCompany applies upd to a company the caller may update and returns
// the result. Changing a company's kind changes what its people may see,
// so it takes the right to create companies.
func (s *Store) UpdateCompany(ctx context.Context, id int64, upd nakamawashi.CompanyUpdate) (*nakamawashi.Company, error) {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	} else if !a.Can(nakamawashi.PermCompanyRead, id) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.company.not_found")
	} else if err := nakamawashi.Authorize(ctx, nakamawashi.PermCompanyUpdate, id); err != nil {
		return nil, err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("UpdateCompany"), err)
	}
	defer tx.Rollback()
	old, err := tx.findCompanyByID(ctx, id)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("UpdateCompany"), err)
	}
	c := *old
	upd.Apply(&c)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.Kind != old.Kind {
		if err := nakamawashi.Authorize(ctx, nakamawashi.PermCompanyKind, 0); err != nil {
			return nil, err
		}
	}
	ch := companyChanges(old, &c)
	if len(ch) == 0 {
		return old, nil
	}
	c.UpdatedAt = tx.now
	_, err = tx.exec(ctx, `UPDATE companies SET kind = ?, name = ?, name_kana = ?, corporate_number = ?, registration_number = ?,
		postal_code = ?, prefecture = ?, city = ?, street = ?, building = ?, phone = ?, fax = ?, email = ?, region = ?,
		description = ?, updated_at = ? WHERE id = ?`,
		string(c.Kind), c.Name, c.NameKana, c.CorporateNumber, c.RegistrationNumber, c.PostalCode, c.Prefecture,
		c.City, c.Street, c.Building, c.Phone, c.Fax, c.Email, c.Region, c.Description, tx.t(c.UpdatedAt), id)
	if tx.unique(err) {
		return nil, uniqueErr("corporate_number", "err.company.corporate_number_taken")
	} else if err != nil {
		return nil, nakamawashi.Internal(s.op("UpdateCompany"), err)
	}
	if err := tx.reindex(ctx, id); err != nil {
		return nil, nakamawashi.Internal(s.op("UpdateCompany"), err)
	}
	tx.audit(ctx, id, "company.update", "company", id, ch.detail())
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("UpdateCompany"), err)
	}
	return &c, nil
}

func companyChanges(old, c *nakamawashi.Company) changes {
	ch := changes{}
	ch.str("kind", string(old.Kind), string(c.Kind))
	ch.str("name", old.Name, c.Name)
	ch.str("name_kana", old.NameKana, c.NameKana)
	ch.str("corporate_number", old.CorporateNumber, c.CorporateNumber)
	ch.str("registration_number", old.RegistrationNumber, c.RegistrationNumber)
	ch.str("postal_code", old.PostalCode, c.PostalCode)
	ch.str("prefecture", old.Prefecture, c.Prefecture)
	ch.str("city", old.City, c.City)
	ch.str("street", old.Street, c.Street)
	ch.str("building", old.Building, c.Building)
	ch.str("phone", old.Phone, c.Phone)
	ch.str("fax", old.Fax, c.Fax)
	ch.str("email", old.Email, c.Email)
	ch.str("region", old.Region, c.Region)
	ch.str("description", old.Description, c.Description)
	return ch
}
