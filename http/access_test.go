package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/nakamawashi/nakamawashi"
	nkmhttp "github.com/nakamawashi/nakamawashi/http"
)

// The access matrix walks the router's own route table and tries every
// route as every role (and anonymously) against the records of another
// company, B, through every kind of credential the route accepts. What is
// allowed is derived from the policy (Actor.Can and friends), so the test
// follows the policy when it changes; a route without an entry in
// accessRules fails the test.

// Distinctive data of company B. newEnv names B ベータ製作所 with the
// description 秘密のベータ情報; the matrix renames it and gives it people,
// tokens and an audit trail.
const (
	bName        = "秘密精機株式会社"
	bKana        = "ヒミツセイキ"
	bPhone       = "0299-88-7766"
	bMail        = "info@himitsu-seiki.example.jp"
	bDescription = "秘密のベータ情報"
	bUserMarker  = "secret-b" // in the email of every person of B the matrix makes
	bUserEmail   = "secret-b@example.jp"
	bUserName    = "秘密 花子"
	bOwnerEmail  = "owner-b@example.jp"
	bOwnerName   = "ベータ 社長"
	bAuditOnly   = "監査にだけ残る旧紹介文" // an old description: only in B's audit trail
	bTokenName   = "b-owner-secret-token"
	bStaffToken  = "b-staff-secret-token"
	bTakeover    = "乗っ取り精機株式会社" // the name the update routes try to give B
	bUserRenamed = "乗っ取り 花子"
)

// leakClass groups B's strings by who may see them.
type leakClass int

const (
	leakProfile leakClass = iota // B's profile: whoever may read company B
	leakPeople                   // B's users: whoever may read B's members, or all users
	leakAudit                    // only in B's audit trail (and B's own token lists)
	leakSecret                   // credentials of B's people: nobody
	leakTrade                    // B's prices in the order flow: B and the office that buys from it
)

var leakClasses = []leakClass{leakProfile, leakPeople, leakAudit, leakSecret, leakTrade}

func (c leakClass) String() string {
	return [...]string{"profile", "people", "audit", "secret", "trade"}[c]
}

// visible reports whether a may see B's strings of class c; a is nil for
// an anonymous caller.
func (m *matrix) visible(a *nakamawashi.Actor, c leakClass) bool {
	switch c {
	case leakProfile:
		return a.Can(nakamawashi.PermCompanyRead, m.b.ID)
	case leakPeople:
		return a.Can(nakamawashi.PermMembersRead, m.b.ID) || a.CanNetwork(nakamawashi.PermUsersAll)
	case leakAudit:
		return a.Can(nakamawashi.PermAuditRead, m.b.ID)
	case leakTrade:
		return a.Can(nakamawashi.PermShopWork, m.b.ID) || a.CanNetwork(nakamawashi.PermCoordinate)
	}
	return false
}

// principal is one caller of the matrix.
type principal struct {
	name    string // column of the matrix
	key     string // fixture user in env.users; "" for anonymous
	actor   *nakamawashi.Actor
	session string // cookie value
	csrf    string // the session's CSRF token
	bearer  string // API token
}

// matrix is the fixture: a network with companies A and B, a customer, the
// office and a city, and one principal per role.
type matrix struct {
	t      *testing.T
	e      *env
	sys    context.Context
	b      *nakamawashi.Company
	city   *nakamawashi.Company
	client *http.Client
	mux    *http.ServeMux // the route table's patterns, to check a path hits its route

	secretB      *nakamawashi.User
	ownerBMember int64  // owner B's membership in B
	ownerBToken  int64  // id of owner B's API token
	ownerBSess   string // owner B's session token
	bSecrets     []string
	leaks        map[leakClass][]string

	seq        int
	lastEmail  string  // the email of the last person a body asked for
	lastMember int64   // the last membership made to be removed
	state      records // the records after the last call; zero when unknown

	bMachine, bPhoto int64        // B's machine and the photo of B's post
	flow             *flowFixture // the order flow of C with B (access_flow_test.go)
}

// accessRule is how the matrix tries one route and what it expects.
type accessRule struct {
	// public: the route serves anonymous callers (AuthNone, AuthOptional);
	// it must answer without a server error and leak nothing.
	public bool
	// perm is the permission allow decides by; it must be the route's Perm
	// when the route declares one.
	perm nakamawashi.Permission
	// allow says whether the actor may use the route on B's records.
	allow func(m *matrix, a *nakamawashi.Actor) bool
	// params fill the path parameters of the pattern; tail is appended to
	// a subtree pattern; query is added to the URL.
	params map[string]func(m *matrix) string
	tail   string
	query  func(m *matrix) string
	// form (UI) or json (API) is the body of a state-changing request:
	// valid, so that a 400 cannot hide a missing permission check.
	form func(m *matrix, p *principal) url.Values
	json func(m *matrix, p *principal) string
	// multipart is the body of an upload route: fields, and files as
	// "file:<name>" (the field "file") or "file:<field>/<name>" →
	// content; upload makes one for each call, when the fields depend on
	// the records the path names.
	multipart map[string]string
	upload    func(m *matrix, p *principal) map[string]string
	// mutates: when allowed, the route changes B's records (or creates
	// records), so the snapshot may differ afterwards.
	mutates bool
	// after checks the effect of an allowed call and restores B.
	after func(m *matrix, p *principal)
	// ends: the route ends the caller's session(s). It runs on a fresh
	// session, and the principal logs in again afterwards.
	ends bool
	// show must appear when allowed (the path did reach B's records);
	// hide must never appear, even when allowed.
	show []string
	hide []string
}

func onB(perm nakamawashi.Permission) (nakamawashi.Permission, func(*matrix, *nakamawashi.Actor) bool) {
	return perm, func(m *matrix, a *nakamawashi.Actor) bool { return a.Can(perm, m.b.ID) }
}

// scoped: list routes that show what the actor may see, for those who may
// see at least their own company's records.
func scoped(perm nakamawashi.Permission) (nakamawashi.Permission, func(*matrix, *nakamawashi.Actor) bool) {
	return perm, func(m *matrix, a *nakamawashi.Actor) bool {
		return a.CanNetwork(perm) || a.Can(perm, a.CompanyID)
	}
}

func network(perm nakamawashi.Permission) (nakamawashi.Permission, func(*matrix, *nakamawashi.Actor) bool) {
	return perm, func(m *matrix, a *nakamawashi.Actor) bool { return a.CanNetwork(perm) }
}

// always: routes about the caller's own data.
func always(*matrix, *nakamawashi.Actor) bool { return true }

// never: routes about someone else's own data (B's tokens, B's memberships
// as the caller's session).
func never(*matrix, *nakamawashi.Actor) bool { return false }

func rule(perm nakamawashi.Permission, allow func(*matrix, *nakamawashi.Actor) bool) accessRule {
	return accessRule{perm: perm, allow: allow}
}

func (r accessRule) with(f func(*accessRule)) accessRule { f(&r); return r }

func bID(m *matrix) string { return itoa(m.b.ID) }

// accessRules is the table: one entry per route name.
func accessRules() map[string]accessRule {
	public := accessRule{public: true}
	companyID := map[string]func(*matrix) string{"id": bID}
	takeoverForm := func(m *matrix, p *principal) url.Values {
		return url.Values{"kind": {string(nakamawashi.KindMember)}, "name": {bTakeover}, "name_kana": {bKana},
			"postal_code": {m.b.PostalCode}, "prefecture": {m.b.Prefecture}, "city": {m.b.City}, "street": {m.b.Street},
			"phone": {bPhone}, "email": {bMail}, "region": {m.b.Region}, "description": {bDescription}}
	}
	renamed := func(m *matrix, p *principal) {
		c, err := m.e.store.FindCompanyByID(m.sys, m.b.ID)
		if err != nil || c.Name != bTakeover {
			m.t.Errorf("allowed update did not rename B: %v %v", c, err)
		}
		name := bName
		if _, err := m.e.store.UpdateCompany(m.sys, m.b.ID, nakamawashi.CompanyUpdate{Name: &name}); err != nil {
			m.t.Fatal(err)
		}
	}
	newCompany := func() (string, url.Values) {
		v := url.Values{"kind": {"member"}, "name": {"新規精工"}, "name_kana": {"シンキセイコウ"}, "postal_code": {"1440051"},
			"prefecture": {"東京都"}, "city": {"大田区"}, "street": {"東糀谷1-1"}, "phone": {"03-9999-0000"}, "region": {"大田区"}}
		obj := map[string]string{}
		for k := range v {
			obj[k] = v.Get(k)
		}
		j, _ := json.Marshal(obj)
		return string(j), v
	}
	joined := func(m *matrix, p *principal) {
		if _, n, err := m.e.store.FindUsers(m.sys, nakamawashi.UserFilter{Email: m.lastEmail, CompanyID: &m.b.ID}); err != nil || n != 1 {
			m.t.Errorf("allowed create: %s is not a member of B (%d, %v)", m.lastEmail, n, err)
		}
	}
	removed := func(m *matrix, p *principal) {
		ms, err := m.e.store.FindMemberships(m.sys, nakamawashi.MembershipFilter{CompanyID: &m.b.ID})
		if err != nil || slices.ContainsFunc(ms, func(x *nakamawashi.Membership) bool { return x.ID == m.lastMember }) {
			m.t.Errorf("allowed delete: membership %d still there (%v)", m.lastMember, err)
		}
	}
	ownTokens := []string{bTokenName, bStaffToken}

	rules := map[string]accessRule{
		"healthz":    public,
		"metrics":    public,
		"static":     public.with(func(r *accessRule) { r.tail = "style.css" }),
		"login.form": public,
		"login": public.with(func(r *accessRule) {
			r.ends = true
			r.form = func(m *matrix, p *principal) url.Values {
				if p.key == "" {
					return url.Values{"email": {"nobody@example.jp"}, "password": {"wrong-password-123"}}
				}
				return url.Values{"email": {m.e.users[p.key].Email}, "password": {password}}
			}
		}),
		"lang": public.with(func(r *accessRule) {
			r.form = func(m *matrix, p *principal) url.Values {
				lang := nakamawashi.Japanese
				if p.actor != nil {
					lang = p.actor.Language
				}
				return url.Values{"lang": {string(lang)}, "next": {"/"}}
			}
		}),
		"api.openapi": public,

		"logout": rule("", always).with(func(r *accessRule) { r.ends = true }),
		// A session acts only through its user's memberships: never B's.
		"session.company": rule("", never).with(func(r *accessRule) {
			r.ends = true
			r.form = func(m *matrix, p *principal) url.Values {
				return url.Values{"membership_id": {itoa(m.ownerBMember)}}
			}
		}),
		"dashboard":    rule("", always),
		"company.list": rule(scoped(nakamawashi.PermCompanyRead)),
		"company.new":  rule(network(nakamawashi.PermCompanyCreate)),
		"company.create": rule(network(nakamawashi.PermCompanyCreate)).with(func(r *accessRule) {
			r.mutates = true
			r.form = func(*matrix, *principal) url.Values { _, v := newCompany(); return v }
		}),
		"company.show": rule(onB(nakamawashi.PermCompanyRead)).with(func(r *accessRule) {
			r.params, r.show = companyID, []string{bName}
		}),
		"company.edit": rule(onB(nakamawashi.PermCompanyUpdate)).with(func(r *accessRule) {
			r.params, r.show = companyID, []string{bName}
		}),
		"company.update": rule(onB(nakamawashi.PermCompanyUpdate)).with(func(r *accessRule) {
			r.params, r.form, r.mutates, r.after = companyID, takeoverForm, true, renamed
		}),
		"member.list": rule(onB(nakamawashi.PermMembersRead)).with(func(r *accessRule) {
			r.params, r.show = companyID, []string{bUserEmail}
		}),
		"member.create": rule(nakamawashi.PermMembersManage, func(m *matrix, a *nakamawashi.Actor) bool {
			return a.Can(nakamawashi.PermMembersManage, m.b.ID) && a.MayGrant(nakamawashi.RoleStaff, m.b.ID)
		}).with(func(r *accessRule) {
			r.params, r.mutates, r.after = companyID, true, joined
			r.form = func(m *matrix, p *principal) url.Values {
				return url.Values{"name": {"秘密 新人"}, "email": {m.newEmail(bUserMarker + "-new")}, "password": {password},
					"language": {"ja"}, "role": {"staff"}}
			}
		}),
		"member.delete": rule(onB(nakamawashi.PermMembersManage)).with(func(r *accessRule) {
			r.params = map[string]func(*matrix) string{"id": bID, "mid": func(m *matrix) string { return itoa(m.freshBMember()) }}
			r.mutates, r.after = true, removed
		}),
		"user.list": rule(network(nakamawashi.PermUsersAll)).with(func(r *accessRule) { r.show = []string{bUserEmail} }),
		// The account is always the caller's own; B's tokens never show.
		"account": rule("", always).with(func(r *accessRule) { r.hide = ownTokens }),
		"account.update": rule("", always).with(func(r *accessRule) {
			r.form = func(m *matrix, p *principal) url.Values {
				if p.actor == nil {
					return url.Values{"name": {"名無し"}, "language": {"ja"}}
				}
				return url.Values{"name": {p.actor.UserName}, "language": {string(p.actor.Language)}}
			}
		}),
		"account.password": rule("", always).with(func(r *accessRule) {
			r.ends = true // a new password ends every session of the user
			r.form = func(m *matrix, p *principal) url.Values {
				return url.Values{"current_password": {password}, "new_password": {password}, "new_password_confirm": {password}}
			}
		}),
		"account.token.create": rule("", always).with(func(r *accessRule) {
			r.hide = ownTokens
			r.form = func(*matrix, *principal) url.Values {
				return url.Values{"token_name": {"matrix"}, "token_days": {"30"}}
			}
		}),
		// Tokens are their user's own: B's cannot be revoked by anyone else.
		"account.token.delete": rule("", never).with(func(r *accessRule) {
			r.params = map[string]func(*matrix) string{"id": func(m *matrix) string { return itoa(m.ownerBToken) }}
		}),
		"audit.list":   rule(scoped(nakamawashi.PermAuditRead)),
		"audit.verify": rule(network(nakamawashi.PermAuditRead)),

		"api.me":           rule("", always),
		"api.company.list": rule(scoped(nakamawashi.PermCompanyRead)),
		"api.company.create": rule(network(nakamawashi.PermCompanyCreate)).with(func(r *accessRule) {
			r.mutates = true
			r.json = func(*matrix, *principal) string { j, _ := newCompany(); return j }
		}),
		"api.company.get": rule(onB(nakamawashi.PermCompanyRead)).with(func(r *accessRule) {
			r.params, r.show = companyID, []string{bName}
		}),
		"api.company.update": rule(onB(nakamawashi.PermCompanyUpdate)).with(func(r *accessRule) {
			r.params, r.mutates, r.after = companyID, true, renamed
			r.json = func(*matrix, *principal) string { return `{"name":"` + bTakeover + `"}` }
		}),
		"api.member.list": rule(onB(nakamawashi.PermMembersRead)).with(func(r *accessRule) {
			r.params, r.show = companyID, []string{bUserEmail}
		}),
		"api.member.create": rule(nakamawashi.PermMembersManage, func(m *matrix, a *nakamawashi.Actor) bool {
			return a.Can(nakamawashi.PermMembersManage, m.b.ID) && a.MayGrant(nakamawashi.RoleStaff, m.b.ID)
		}).with(func(r *accessRule) {
			r.params, r.mutates, r.after = companyID, true, joined
			r.json = func(m *matrix, p *principal) string {
				return `{"user_id":` + itoa(m.freshUser()) + `,"role":"staff"}`
			}
		}),
		"api.member.delete": rule(onB(nakamawashi.PermMembersManage)).with(func(r *accessRule) {
			r.params = map[string]func(*matrix) string{"id": func(m *matrix) string { return itoa(m.freshBMember()) }}
			r.mutates, r.after = true, removed
		}),
		// Users of one company: for those who may read its members.
		"api.user.list": rule(onB(nakamawashi.PermMembersRead)).with(func(r *accessRule) {
			r.query = func(m *matrix) string { return "company_id=" + bID(m) }
			r.show = []string{bUserEmail}
		}),
		"api.user.create": rule(nakamawashi.PermUserCreate, func(m *matrix, a *nakamawashi.Actor) bool {
			return a.Can(nakamawashi.PermUserCreate, m.b.ID) && a.MayGrant(nakamawashi.RoleStaff, m.b.ID)
		}).with(func(r *accessRule) {
			r.mutates, r.after = true, joined
			r.json = func(m *matrix, p *principal) string {
				return `{"email":"` + m.newEmail(bUserMarker+"-api") + `","name":"秘密 新人","password":"` + password +
					`","company_id":` + bID(m) + `,"role":"staff"}`
			}
		}),
		// A person of B: seen by those who see all users or B's members.
		"api.user.get": rule("", func(m *matrix, a *nakamawashi.Actor) bool {
			return a.CanNetwork(nakamawashi.PermUsersAll) || a.Can(nakamawashi.PermMembersRead, m.b.ID)
		}).with(func(r *accessRule) {
			r.params = map[string]func(*matrix) string{"id": func(m *matrix) string { return itoa(m.secretB.ID) }}
			r.show = []string{bUserEmail}
		}),
		// Someone else's name: only for those who manage all users.
		"api.user.update": rule(network(nakamawashi.PermUsersAll)).with(func(r *accessRule) {
			r.params = map[string]func(*matrix) string{"id": func(m *matrix) string { return itoa(m.secretB.ID) }}
			r.json = func(*matrix, *principal) string { return `{"name":"` + bUserRenamed + `"}` }
			r.mutates = true
			r.after = func(m *matrix, p *principal) {
				u, err := m.e.store.FindUserByID(m.sys, m.secretB.ID)
				if err != nil || u.Name != bUserRenamed {
					m.t.Errorf("allowed user update did not rename: %v %v", u, err)
				}
				name := bUserName
				if _, err := m.e.store.UpdateUser(m.sys, m.secretB.ID, nakamawashi.UserUpdate{Name: &name}); err != nil {
					m.t.Fatal(err)
				}
			}
		}),
		"api.token.list": rule("", always).with(func(r *accessRule) { r.hide = ownTokens }),
		"api.token.create": rule("", always).with(func(r *accessRule) {
			r.json = func(*matrix, *principal) string { return `{"name":"matrix"}` }
		}),
		"api.token.delete": rule("", never).with(func(r *accessRule) {
			r.params = map[string]func(*matrix) string{"id": func(m *matrix) string { return itoa(m.ownerBToken) }}
		}),
		// Another company's audit trail: asked for by company_id.
		"api.audit.list": rule(onB(nakamawashi.PermAuditRead)).with(func(r *accessRule) {
			r.query = func(m *matrix) string { return "company_id=" + bID(m) + "&entity_type=company&limit=500" }
			r.show = []string{bAuditOnly}
		}),
		"api.audit.verify": rule(network(nakamawashi.PermAuditRead)),
	}
	for name, r := range directoryAccessRules() {
		rules[name] = r
	}
	for name, r := range flowAccessRules() {
		rules[name] = r
	}
	for name, r := range flowUIAccessRules() {
		rules[name] = r
	}
	for name, r := range iotAccessRules() {
		rules[name] = r
	}
	return rules
}

// newMatrix builds the fixture on newEnv's network.
func newMatrix(t *testing.T) *matrix {
	e := newEnv(t)
	sys := systemContext()
	m := &matrix{t: t, e: e, sys: sys, mux: http.NewServeMux(),
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	for _, rt := range e.server.Routes() {
		m.mux.HandleFunc(rt.Method+" "+rt.Pattern, func(http.ResponseWriter, *http.Request) {})
	}
	m.city = company(nakamawashi.KindGov, "大田区役所 産業振興課", "オオタククヤクショ", "大田区")
	if err := e.store.CreateCompany(sys, m.city); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		key, email, name string
		company          int64
		role             nakamawashi.Role
	}{
		{"coordinator", "coordinator@example.jp", "調整 一郎", e.office.ID, nakamawashi.RoleCoordinator},
		{"localgov", "city@example.jp", "区役所 二郎", m.city.ID, nakamawashi.RoleLocalGov},
		{"secretB", bUserEmail, bUserName, e.b.ID, nakamawashi.RoleStaff},
	} {
		nu, err := e.store.CreateUser(sys, &nakamawashi.NewUser{User: nakamawashi.User{Email: u.email, Name: u.name},
			Password: password, CompanyID: u.company, Role: u.role})
		if err != nil {
			t.Fatal(err)
		}
		e.users[u.key] = nu
	}
	m.secretB = e.users["secretB"]

	// B's profile; its old description stays only in the audit trail.
	old := bAuditOnly
	if _, err := e.store.UpdateCompany(sys, e.b.ID, nakamawashi.CompanyUpdate{Description: &old}); err != nil {
		t.Fatal(err)
	}
	name, kana, phone, mail, desc := bName, bKana, bPhone, bMail, bDescription
	b, err := e.store.UpdateCompany(sys, e.b.ID, nakamawashi.CompanyUpdate{Name: &name, NameKana: &kana, Phone: &phone, Email: &mail, Description: &desc})
	if err != nil || b.Phone != bPhone {
		t.Fatal(b, err)
	}
	m.b = b
	m.seedDirectory()
	m.seedFlow()

	// B's people log in and hold tokens.
	sess, ownerB := m.login("ownerB")
	m.ownerBSess = sess.Token
	tok, err := e.store.CreateAPIToken(nakamawashi.NewContextWithActor(context.Background(), ownerB), bTokenName, timeIn(30))
	if err != nil {
		t.Fatal(err)
	}
	m.ownerBToken = tok.ID
	sessB, staffB := m.login("secretB")
	tokB, err := e.store.CreateAPIToken(nakamawashi.NewContextWithActor(context.Background(), staffB), bStaffToken, timeIn(30))
	if err != nil {
		t.Fatal(err)
	}
	m.bSecrets = []string{sess.Token, sess.CSRFToken, tok.Token, sessB.Token, sessB.CSRFToken, tokB.Token}
	ms, err := e.store.FindMemberships(sys, nakamawashi.MembershipFilter{UserID: &ownerB.UserID})
	if err != nil || len(ms) != 1 {
		t.Fatal(ms, err)
	}
	m.ownerBMember = ms[0].ID

	m.leaks = map[leakClass][]string{
		leakProfile: {bName, bKana, bPhone, bMail, bDescription, bMachineModel, bPostTitle},
		leakPeople:  {bUserMarker, bUserName, bOwnerEmail, bOwnerName},
		leakAudit:   {bAuditOnly, bTokenName, bStaffToken},
		leakSecret:  m.bSecrets,
		leakTrade:   flowPrices,
	}
	if events, _, err := e.store.FindAuditEvents(sys, nakamawashi.AuditFilter{CompanyID: &b.ID, Limit: 500}); err != nil {
		t.Fatal(err)
	} else if j, _ := json.Marshal(events); !strings.Contains(string(j), bAuditOnly) || !strings.Contains(string(j), bTokenName) {
		t.Fatalf("B's audit trail lacks its markers: %s", j)
	}
	return m
}

// login opens a session for a fixture user through the store.
func (m *matrix) login(key string) (*nakamawashi.Session, *nakamawashi.Actor) {
	m.t.Helper()
	sess, a, err := m.e.store.Login(context.Background(), nakamawashi.Credentials{Email: m.e.users[key].Email, Password: password, RemoteAddr: "192.0.2.1"})
	if err != nil {
		m.t.Fatalf("login %s: %v", key, err)
	}
	return sess, a
}

// principals returns anonymous and one logged-in caller per role, each with
// a session and an API token.
func (m *matrix) principals() []*principal {
	ps := []*principal{{name: "anonymous"}}
	for _, p := range []struct{ name, key string }{
		{"owner(A)", "ownerA"}, {"staff(A)", "staffA"}, {"customer", "customer"},
		{"coordinator", "coordinator"}, {"local_gov", "localgov"}, {"admin", "admin"},
	} {
		pr := &principal{name: p.name, key: p.key}
		m.relogin(pr)
		tok, err := m.e.store.CreateAPIToken(nakamawashi.NewContextWithActor(context.Background(), pr.actor), "matrix-"+p.key, timeIn(30))
		if err != nil {
			m.t.Fatal(err)
		}
		pr.bearer = tok.Token
		ps = append(ps, pr)
	}
	return ps
}

func (m *matrix) relogin(p *principal) {
	sess, a := m.login(p.key)
	p.session, p.csrf, p.actor = sess.Token, sess.CSRFToken, a
}

// newEmail returns a fresh address with the given prefix.
func (m *matrix) newEmail(prefix string) string {
	m.seq++
	m.lastEmail = fmt.Sprintf("%s-%d@example.jp", prefix, m.seq)
	return m.lastEmail
}

// freshBMember adds a new staff member to B, to be removed.
func (m *matrix) freshBMember() int64 {
	u, err := m.e.store.CreateUser(m.sys, &nakamawashi.NewUser{User: nakamawashi.User{Email: m.newEmail(bUserMarker + "-del"), Name: "秘密 臨時"},
		Password: password, CompanyID: m.b.ID, Role: nakamawashi.RoleStaff})
	if err != nil {
		m.t.Fatal(err)
	}
	ms, err := m.e.store.FindMemberships(m.sys, nakamawashi.MembershipFilter{UserID: &u.ID})
	if err != nil || len(ms) != 1 {
		m.t.Fatal(ms, err)
	}
	m.lastMember = ms[0].ID
	m.forget()
	return m.lastMember
}

// freshUser makes a user without a company, to be added to B.
func (m *matrix) freshUser() int64 {
	u, err := m.e.store.CreateUser(m.sys, &nakamawashi.NewUser{User: nakamawashi.User{Email: m.newEmail("free"), Name: "フリー 職人"}, Password: password})
	if err != nil {
		m.t.Fatal(err)
	}
	m.forget()
	return u.ID
}

// records is what the matrix knows of the database between calls: B's
// records as the system reads them through the store, and the length of
// the audit log. Every write of the store appends to the log, so a refused
// call must leave its length as it was.
type records struct {
	b      string // B's profile, memberships with their people, owner B's tokens and session
	events int
}

// snapshot reads the records, or returns them from the last call that
// left them unchanged.
func (m *matrix) snapshot() records {
	m.t.Helper()
	if m.state.b != "" {
		return m.state
	}
	st, sys := m.e.store, m.sys
	var b strings.Builder
	c, err := st.FindCompanyByID(sys, m.b.ID)
	if err != nil {
		m.t.Fatal(err)
	}
	fmt.Fprintf(&b, "company %+v\n", *c)
	ms, err := st.FindMemberships(sys, nakamawashi.MembershipFilter{CompanyID: &m.b.ID})
	if err != nil {
		m.t.Fatal(err)
	}
	for _, x := range ms {
		fmt.Fprintf(&b, "membership %d: user %d %s <%s> %s\n", x.ID, x.UserID, x.UserName, x.UserEmail, x.Role)
	}
	ownerB := &nakamawashi.Actor{UserID: m.e.users["ownerB"].ID, CompanyID: m.b.ID}
	tokens, err := st.FindAPITokens(nakamawashi.NewContextWithActor(context.Background(), ownerB))
	if err != nil {
		m.t.Fatal(err)
	}
	for _, tk := range tokens {
		fmt.Fprintf(&b, "owner B's token %d %s\n", tk.ID, tk.Name)
	}
	_, _, err = st.Authenticate(context.Background(), m.ownerBSess)
	fmt.Fprintf(&b, "owner B's session: %v\n", err)
	_, n, err := st.FindAuditEvents(sys, nakamawashi.AuditFilter{Limit: 1})
	if err != nil {
		m.t.Fatal(err)
	}
	m.state = records{b: b.String(), events: n}
	return m.state
}

// forget drops the cached records after a write.
func (m *matrix) forget() { m.state = records{} }

var paramRE = regexp.MustCompile(`\{([a-z]+)\}`)

// path fills the route's pattern from the rule.
func (m *matrix) path(rt nkmhttp.Route, r accessRule) (string, error) {
	p := strings.TrimSuffix(rt.Pattern, "{$}")
	var missing []string
	used := map[string]bool{}
	p = paramRE.ReplaceAllStringFunc(p, func(s string) string {
		name := s[1 : len(s)-1]
		fill, ok := r.params[name]
		if !ok {
			missing = append(missing, s)
			return s
		}
		used[name] = true
		return fill(m)
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("no value for %v: add params to its entry in accessRules", missing)
	}
	for name := range r.params {
		if !used[name] {
			return "", fmt.Errorf("params has %q, which the pattern does not", name)
		}
	}
	p += r.tail
	if r.query != nil {
		p += "?" + r.query(m)
	}
	return p, nil
}

// via is the credential a call uses.
type via string

const (
	viaNone   via = "none"
	viaCookie via = "cookie"
	viaBearer via = "bearer"
)

// call is one cell of the matrix.
type call struct {
	rt     nkmhttp.Route
	rule   accessRule
	p      *principal
	via    via
	status int
	body   string
	ctype  string
}

// prepare builds the request of one call, making the records its path or
// body name.
func (m *matrix) prepare(c *call) *http.Request {
	m.t.Helper()
	path, err := m.path(c.rt, c.rule)
	if err != nil {
		m.t.Fatalf("route %s: %v", c.rt.Name, err)
	}
	session, csrf := c.p.session, c.p.csrf
	if c.rule.ends && c.via == viaCookie {
		sess, _ := m.login(c.p.key)
		session, csrf = sess.Token, sess.CSRFToken
		m.forget()
	}
	var body io.Reader
	contentType := ""
	parts := c.rule.multipart
	if c.rule.upload != nil {
		parts = c.rule.upload(m, c.p)
	}
	switch {
	case parts != nil:
		if !c.rt.API {
			parts = maps.Clone(parts)
			switch {
			case c.via == viaCookie:
				parts["csrf_token"] = csrf
			case c.rule.public:
				parts["csrf_token"] = anonymousCSRF
			}
		}
		body, contentType = flowMultipart(parts)
	case c.rt.API && c.rule.json != nil:
		body, contentType = strings.NewReader(c.rule.json(m, c.p)), "application/json"
	case !c.rt.API && (c.rule.form != nil || c.rt.Method != "GET"):
		form := url.Values{}
		if c.rule.form != nil {
			form = c.rule.form(m, c.p)
		}
		switch {
		case c.via == viaCookie:
			form.Set("csrf_token", csrf)
		case c.rule.public:
			form.Set("csrf_token", anonymousCSRF)
		}
		body, contentType = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
	}
	req, _ := http.NewRequest(c.rt.Method, m.e.ts.URL+path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if _, pattern := m.mux.Handler(req); pattern != c.rt.Method+" "+c.rt.Pattern {
		m.t.Fatalf("route %s: %s %s reaches %q, not its own pattern", c.rt.Name, c.rt.Method, path, pattern)
	}
	switch c.via {
	case viaCookie:
		req.AddCookie(&http.Cookie{Name: "nkm_session", Value: session})
		if c.rt.API && c.rt.Method != "GET" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
	case viaBearer:
		req.Header.Set("Authorization", "Bearer "+c.p.bearer)
	case viaNone:
		if c.rule.public && c.rt.Method != "GET" {
			req.AddCookie(&http.Cookie{Name: "nkm_csrf", Value: anonymousCSRF})
		}
	}
	return req
}

// send sends the request of a call and records the answer.
func (m *matrix) send(c *call, req *http.Request) {
	m.t.Helper()
	resp, err := m.client.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		m.t.Fatal(err)
	}
	c.status, c.body = resp.StatusCode, string(b)
	c.ctype, _, _ = mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if resp.StatusCode == http.StatusSeeOther {
		c.body += "\nLocation: " + resp.Header.Get("Location")
	}
}

const anonymousCSRF = "anonymous-double-submit-token-0123456789"

// TestAccessMatrix tries every route of the route table as every role
// against company B's records.
func TestAccessMatrix(t *testing.T) {
	m := newMatrix(t)
	rules := accessRules()
	principals := m.principals()
	routes := m.e.server.Routes()

	type row struct {
		name  string
		cells map[string]string
	}
	var rows []row
	names := map[string]bool{}
	for _, rt := range routes {
		names[rt.Name] = true
		r, ok := rules[rt.Name]
		if !ok {
			t.Errorf("route %s (%s %s) has no entry in accessRules (http/access_test.go): add one that says how to fill its path, "+
				"what body to send and who may use it, by the policy", rt.Name, rt.Method, rt.Pattern)
			continue
		}
		if err := checkRule(rt, r); err != nil {
			t.Errorf("route %s: %v", rt.Name, err)
			continue
		}
		vias := []via{viaCookie}
		if rt.API {
			vias = append(vias, viaBearer)
		}
		if rt.Auth == nkmhttp.AuthNone {
			vias = []via{viaCookie} // credentials are not even looked at
		}
		for _, v := range vias {
			rw := row{name: rt.Name, cells: map[string]string{}}
			if rt.API && rt.Auth != nkmhttp.AuthNone {
				rw.name += " [" + string(v) + "]"
			}
			for _, p := range principals {
				c := &call{rt: rt, rule: r, p: p, via: v}
				if p.actor == nil {
					if v != vias[0] {
						rw.cells[p.name] = "·"
						continue
					}
					c.via = viaNone
				}
				rw.cells[p.name] = m.check(c)
			}
			rows = append(rows, rw)
		}
	}
	for name := range rules {
		if !names[name] {
			t.Errorf("accessRules has an entry for %s, which is no route: remove it", name)
		}
	}

	if t.Failed() || testing.Verbose() {
		var b strings.Builder
		tw := tabwriter.NewWriter(&b, 0, 0, 1, ' ', 0)
		fmt.Fprint(tw, "route")
		for _, p := range principals {
			fmt.Fprint(tw, "\t", p.name)
		}
		fmt.Fprintln(tw)
		for _, rw := range rows {
			fmt.Fprint(tw, rw.name)
			for _, p := range principals {
				fmt.Fprint(tw, "\t", rw.cells[p.name])
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
		t.Logf("access matrix, %d routes × %d callers (* allowed by the policy):\n%s", len(routes), len(principals), b.String())
	}
}

// checkRule refuses a rule that does not decide by the route's permission.
func checkRule(rt nkmhttp.Route, r accessRule) error {
	switch {
	case rt.Auth == nkmhttp.AuthRequired && r.public:
		return fmt.Errorf("the route needs a login; its rule must not be public")
	case rt.Auth != nkmhttp.AuthRequired && !r.public:
		return fmt.Errorf("the route serves anonymous callers; its rule must be public")
	case !r.public && r.allow == nil:
		return fmt.Errorf("the rule has no allow")
	case rt.Perm != "" && r.perm != rt.Perm:
		return fmt.Errorf("the route declares permission %q, but its rule decides by %q", rt.Perm, r.perm)
	}
	var want []string
	for _, sub := range paramRE.FindAllStringSubmatch(rt.Pattern, -1) {
		want = append(want, sub[1])
	}
	var have []string
	for name := range r.params {
		have = append(have, name)
	}
	slices.Sort(want)
	slices.Sort(have)
	if !slices.Equal(want, have) {
		return fmt.Errorf("the pattern %s has parameters %v, the rule fills %v: give each a value of B's in params", rt.Pattern, want, have)
	}
	return nil
}

// check makes one call and checks its outcome; it returns the cell.
func (m *matrix) check(c *call) string {
	t := m.t
	t.Helper()
	req := m.prepare(c)
	// Anonymous writes are refused before any handler runs.
	write := c.rt.Method != "GET" && (c.p.actor != nil || c.rule.public)
	var before records
	if write {
		before = m.snapshot()
	}
	m.send(c, req)
	where := fmt.Sprintf("%s %s as %s via %s", c.rt.Name, c.rt.Method, c.p.name, c.via)
	allowed := c.rule.public || c.p.actor != nil && c.rule.allow(m, c.p.actor)
	cell := fmt.Sprint(c.status)
	if allowed && !c.rule.public {
		cell += "*"
	}
	fail := func(format string, args ...any) {
		t.Errorf("%s: "+format+"\n%.600s", append(append([]any{where}, args...), c.body)...)
		cell += "!"
	}
	if c.status >= 500 {
		fail("status %d", c.status)
	}

	// Outcome.
	switch {
	case c.rule.public:
	case c.p.actor == nil:
		switch {
		case c.rt.API:
			if c.status != 401 || c.ctype != "application/json" || decodeCode(c.body) != "unauthorized" {
				fail("anonymous: status %d %s, want 401 unauthorized as JSON", c.status, c.ctype)
			}
		case c.rt.Method == "GET":
			if c.status != 303 || !strings.Contains(c.body, "Location: /login?next=") {
				fail("anonymous: status %d, want a redirect to /login", c.status)
			}
		default:
			if c.status != 401 && !(c.status == 303 && strings.Contains(c.body, "Location: /login")) {
				fail("anonymous: status %d, want 401 or a redirect to /login", c.status)
			}
		}
	case allowed:
		if c.status < 200 || c.status >= 400 {
			fail("allowed by the policy, but status %d", c.status)
		}
		for _, s := range c.rule.show {
			if !strings.Contains(c.body, s) {
				fail("allowed, but B's %q is not shown: did the path reach B?", s)
			}
		}
	default:
		if c.status != 403 && c.status != 404 {
			fail("forbidden by the policy, but status %d", c.status)
		} else if c.rt.API && (c.ctype != "application/json" || !slices.Contains([]string{"forbidden", "not_found"}, decodeCode(c.body))) {
			fail("forbidden: want a JSON error, got %s", c.ctype)
		} else if !c.rt.API && c.ctype != "text/html" {
			fail("forbidden: want an HTML page, got %s", c.ctype)
		}
	}

	// Nothing of B that the caller may not see, and nothing at all of B
	// where the route refused.
	for _, class := range leakClasses {
		if allowed && c.p.actor != nil && m.visible(c.p.actor, class) {
			continue
		}
		var found []string
		for _, s := range m.leaks[class] {
			if strings.Contains(c.body, s) {
				found = append(found, s)
			}
		}
		if len(found) > 0 {
			fail("leaks B's %s data %q", class, found)
		}
	}
	for _, s := range c.rule.hide {
		if strings.Contains(c.body, s) {
			fail("shows %q, which is B's own", s)
		}
	}

	// After a write, B's records are as they were, unless an allowed call
	// changed them; after a refused one, nothing at all was written.
	switch {
	case !write:
	case allowed && c.rule.mutates && c.p.actor != nil:
		m.forget()
		if c.rule.after != nil && c.status < 400 {
			c.rule.after(m, c.p)
		}
	default:
		m.forget()
		after := m.snapshot()
		if after.b != before.b {
			fail("B's records changed:\nbefore:\n%s\nafter:\n%s", before.b, after.b)
		}
		if !allowed && after.events != before.events {
			fail("refused, but the store wrote %d audit events", after.events-before.events)
		}
	}
	if c.rule.ends && c.via == viaCookie {
		m.relogin(c.p) // a new password ends every session of the user
		m.forget()
	}
	return cell
}

// decodeCode returns the code of an API error body.
func decodeCode(body string) string {
	var e apiError
	json.Unmarshal([]byte(body), &e)
	return e.Error.Code
}
