package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

// DefaultPassword is the password of every demo user unless Options says
// otherwise. It is printed at start-up, so it protects nothing: a demo
// server must never hold real data.
const DefaultPassword = "nakama-demo-2026"

// Options tune seeding.
type Options struct {
	// Password is the demo users' password; DefaultPassword when empty.
	Password string
}

func (o Options) password() string {
	if o.Password == "" {
		return DefaultPassword
	}
	return o.Password
}

// Login is one demo account, for the server to print at start.
type Login struct {
	Email       string
	Password    string
	Name        string
	CompanyName string
	Role        nakamawashi.Role
	Note        string // what to try with it, in Japanese
}

// Network returns the settings of the demo network: Ota ward is home, so the
// partners in 日立市 and 岡谷市 are regional.
func Network() nakamawashi.Network {
	return nakamawashi.Network{Name: "大田区IoT仲間まわしネットワーク", HomeRegion: "大田区"}
}

// Seed fills an empty store with the demo network — companies, users,
// suppliers' profiles and machines, PR posts — and returns the demo logins. If the store already holds a company it adds nothing and returns
// the logins with seeded false, so that a server started with --demo can
// print them every time.
//
// Seeding is not one transaction: should it fail half-way, the store keeps
// what was written and a later Seed sees a non-empty store. Start again
// from an empty database in that case.
func Seed(ctx context.Context, s nakamawashi.Store, opt Options) (logins []Login, seeded bool, err error) {
	ctx = nakamawashi.NewContextWithActor(ctx, nakamawashi.SystemActor)
	logins = Logins(opt)

	if _, n, err := s.FindCompanies(ctx, nakamawashi.CompanyFilter{Limit: 1}); err != nil {
		return nil, false, fmt.Errorf("demo: count companies: %w", err)
	} else if n > 0 {
		return logins, false, nil
	}

	ids := make(map[string]int64)
	companies := make(map[string]*nakamawashi.Company)
	for _, c := range Companies() {
		if err := s.CreateCompany(ctx, &c); err != nil {
			return nil, false, fmt.Errorf("demo: create company %s: %w", c.Name, err)
		}
		ids[c.Name] = c.ID
		companies[c.Name] = &c
	}

	actors := make(map[string]*nakamawashi.Actor) // by email
	for _, u := range users {
		id, ok := ids[u.company]
		if !ok {
			return nil, false, fmt.Errorf("demo: user %s: no company %s", u.email, u.company)
		}
		nu := &nakamawashi.NewUser{
			User:      nakamawashi.User{Email: u.email, Name: u.name, Language: nakamawashi.Japanese},
			Password:  opt.password(),
			CompanyID: id,
			Role:      u.role,
		}
		created, err := s.CreateUser(ctx, nu)
		if err != nil {
			return nil, false, fmt.Errorf("demo: create user %s: %w", u.email, err)
		}
		c := companies[u.company]
		actors[u.email] = &nakamawashi.Actor{UserID: created.ID, UserName: created.Name, Email: created.Email,
			Language: nakamawashi.Japanese, CompanyID: c.ID, CompanyName: c.Name, CompanyKind: c.Kind, Role: u.role}
		for _, m := range u.also {
			mid, ok := ids[m.company]
			if !ok {
				return nil, false, fmt.Errorf("demo: user %s: no company %s", u.email, m.company)
			}
			ms := &nakamawashi.Membership{UserID: created.ID, CompanyID: mid, Role: m.role}
			if err := s.CreateMembership(ctx, ms); err != nil {
				return nil, false, fmt.Errorf("demo: membership of %s in %s: %w", u.email, m.company, err)
			}
		}
	}
	if err := seedDirectory(ctx, s, ids, actors); err != nil {
		return nil, false, err
	}
	return logins, true, nil
}

// seedDirectory writes the suppliers' profiles and machines and the PR
// posts. Posts of a company with a demo login are written by that user; the
// others by the system with the author's name set.
func seedDirectory(ctx context.Context, s nakamawashi.Store, ids map[string]int64, actors map[string]*nakamawashi.Actor) error {
	for _, c := range Capabilities() {
		id, ok := ids[c.Company]
		if !ok {
			return fmt.Errorf("demo: profile: no company %s", c.Company)
		}
		p := c.Profile
		p.CompanyID = id
		if err := s.UpdateProfile(ctx, &p); err != nil {
			return fmt.Errorf("demo: profile of %s: %w", c.Company, err)
		}
		for _, m := range c.Machines {
			m.CompanyID = id
			if err := s.CreateMachine(ctx, &m); err != nil {
				return fmt.Errorf("demo: machine %s %s of %s: %w", m.Maker, m.Model, c.Company, err)
			}
		}
	}
	for _, sp := range Posts() {
		id, ok := ids[sp.Company]
		if !ok {
			return fmt.Errorf("demo: post: no company %s", sp.Company)
		}
		pctx := ctx
		if sp.Author != "" {
			a, ok := actors[sp.Author]
			if !ok || a.CompanyID != id {
				return fmt.Errorf("demo: post of %s: %s is not a demo user of it", sp.Company, sp.Author)
			}
			pctx = nakamawashi.NewContextWithActor(ctx, a)
		}
		p := sp.Post
		p.CompanyID = id
		if err := s.CreatePost(pctx, &p); err != nil {
			return fmt.Errorf("demo: post %q of %s: %w", p.Title, sp.Company, err)
		}
	}
	return nil
}

// Logins returns the demo accounts with the password opt sets, without
// touching a store.
func Logins(opt Options) []Login {
	out := make([]Login, 0, len(users))
	for _, u := range users {
		out = append(out, Login{
			Email:       u.email,
			Password:    opt.password(),
			Name:        u.name,
			CompanyName: u.company,
			Role:        u.role,
			Note:        u.note,
		})
	}
	return out
}

// Companies returns the demo companies in the order Seed creates them: the
// network office, the Ota-ward members, the regional partners, the customers
// and the local government. Each call returns fresh copies without IDs.
func Companies() []nakamawashi.Company {
	var out []nakamawashi.Company
	add := func(kind nakamawashi.CompanyKind, orgs []org) {
		for _, o := range orgs {
			out = append(out, o.company(kind))
		}
	}
	add(nakamawashi.KindOffice, offices)
	add(nakamawashi.KindMember, members)
	add(nakamawashi.KindPartner, partners)
	add(nakamawashi.KindCustomer, customers)
	add(nakamawashi.KindGov, governments)
	return out
}

// org is one demo company as the tables write it.
type org struct {
	name string
	kana string // フリガナ without the legal form
	// corp is the 12-digit base of the 法人番号 (registry office, kind of
	// corporation, serial; hyphens allowed); the check digit is computed.
	// Empty for a sole proprietor.
	corp        string
	noInvoice   bool   // not registered as a 適格請求書発行事業者
	personalReg string // base of a registered sole proprietor's number
	town        string // key into places
	street      string // after the town: 丁目・番・号
	building    string
	tel, fax    string
	email       string
	desc        string
}

// place is a town with its postal code, as Japan Post lists it.
type place struct {
	postal     string
	prefecture string
	city       string
	region     string             // empty: the city
	at         nakamawashi.LatLon // the town's rough centre
}

func (o org) company(kind nakamawashi.CompanyKind) nakamawashi.Company {
	p := places[o.town]
	c := nakamawashi.Company{
		Kind:        kind,
		Name:        o.name,
		NameKana:    o.kana,
		PostalCode:  p.postal,
		Prefecture:  p.prefecture,
		City:        p.city,
		Street:      o.town + o.street,
		Building:    o.building,
		Phone:       o.tel,
		Fax:         o.fax,
		Email:       o.email,
		Region:      p.region,
		Description: strings.TrimSpace(o.desc),
	}
	if c.Region == "" {
		c.Region = p.city
	}
	if o.corp != "" {
		c.CorporateNumber = corporateNumber(o.corp)
		if !o.noInvoice {
			c.RegistrationNumber = "T" + c.CorporateNumber
		}
	} else if o.personalReg != "" {
		c.RegistrationNumber = "T" + corporateNumber(o.personalReg)
	}
	return c
}

// corporateNumber prefixes a 12-digit base with its check digit. A malformed
// base comes back as it is, so that validation reports it.
func corporateNumber(base string) string {
	base = strings.ReplaceAll(base, "-", "")
	if len(base) != 12 || strings.Trim(base, "0123456789") != "" {
		return base
	}
	return string(nakamawashi.CorporateCheckDigit(base)) + base
}

// user is one demo account as the table writes it.
type user struct {
	email   string
	name    string
	company string // the company's name in the tables
	role    nakamawashi.Role
	note    string
	also    []membership // further memberships, made with CreateMembership
}

type membership struct {
	company string
	role    nakamawashi.Role
}
