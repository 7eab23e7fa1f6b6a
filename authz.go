package nakamawashi

import "context"

// Actor is the caller on whose behalf a service method runs: a user acting
// for one company in one role, or the system itself (CLI, seeding, jobs).
// It travels in the context.
type Actor struct {
	UserID      int64
	UserName    string
	Email       string
	Language    Language
	CompanyID   int64
	CompanyName string
	CompanyKind CompanyKind
	Role        Role
	System      bool
}

// SystemActor is the actor for work the operator starts (CLI commands, demo
// seeding, background jobs). It may do everything and is audited as "system".
var SystemActor = &Actor{System: true, Language: Japanese}

type actorKey struct{}

// NewContextWithActor returns a context carrying a.
func NewContextWithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFromContext returns the actor in ctx, or nil for an anonymous caller.
func ActorFromContext(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// Permission names something an actor may want to do.
type Permission string

// The permissions. Each has one rule in the policy below.
const (
	PermDirectoryRead Permission = "directory.read" // other companies' profiles
	PermCompanyRead   Permission = "company.read"   // a company's own profile
	PermCompanyCreate Permission = "company.create"
	PermCompanyUpdate Permission = "company.update"
	PermCompanyKind   Permission = "company.kind" // change a company's part in the network
	PermMembersRead   Permission = "members.read" // a company's users and memberships
	PermMembersManage Permission = "members.manage"
	PermUserCreate    Permission = "user.create"
	PermUsersAll      Permission = "users.all" // every user of the network
	PermAuditRead     Permission = "audit.read"
	PermProfileEdit   Permission = "profile.edit"   // a company's profile and machines
	PermPostWrite     Permission = "post.write"     // a company's PR posts
	PermMatch         Permission = "match"          // chain matching over the whole directory
	PermTelemetryRead Permission = "telemetry.read" // a company's machine states (state intervals)
	// What a shop chooses to show the network of its machine states
	// (TelemetrySharing), as boards show it (Actor.TelemetryView).
	PermTelemetryShared Permission = "telemetry.shared"

	// The order flow. Which records a holder sees is narrowed further by
	// the records themselves (a request addressed to the shop, an inquiry
	// of the customer), in the store.
	PermInquirySubmit Permission = "inquiry.submit" // send an inquiry for a company
	PermInquiryRead   Permission = "inquiry.read"   // a company's inquiries, quotes, orders and deliveries
	PermCoordinate    Permission = "coordinate"     // routing, requests, quotes, work orders, deliveries, invoices
	PermShopWork      Permission = "shop.work"      // answer requests, accept work orders, scan lots
	PermRecordsRead   Permission = "records.read"   // business documents (電子帳簿保存法 search)
)

// rule says who holds a permission: network-wide (for any company) or for
// their own company only.
type rule struct {
	network func(a *Actor) bool
	own     []Role
}

func roles(rs ...Role) func(*Actor) bool {
	return func(a *Actor) bool {
		for _, r := range rs {
			if a.Role == r {
				return true
			}
		}
		return false
	}
}

// directoryReader: the network office, coordinators and local governments,
// and the people of supplier companies, who find partners in the directory.
// Customers do not: partner identities stay with the coordinator.
func directoryReader(a *Actor) bool {
	switch a.Role {
	case RoleAdmin, RoleCoordinator, RoleLocalGov:
		return true
	}
	return a.CompanyKind.Supplier() || a.CompanyKind == KindOffice
}

var allRoles = []Role{RoleOwner, RoleStaff, RoleCoordinator, RoleLocalGov, RoleAdmin}

// policy is the one place where access is decided from role and company.
var policy = map[Permission]rule{
	PermDirectoryRead: {network: directoryReader},
	PermCompanyRead:   {network: directoryReader, own: allRoles},
	PermCompanyCreate: {network: roles(RoleAdmin)},
	PermCompanyUpdate: {network: roles(RoleAdmin), own: []Role{RoleOwner}},
	PermCompanyKind:   {network: roles(RoleAdmin)}, // the kind decides what a company's people see
	PermMembersRead:   {network: roles(RoleAdmin, RoleCoordinator), own: allRoles},
	PermMembersManage: {network: roles(RoleAdmin), own: []Role{RoleOwner}},
	PermUserCreate:    {network: roles(RoleAdmin), own: []Role{RoleOwner}},
	PermUsersAll:      {network: roles(RoleAdmin)},
	PermAuditRead:     {network: roles(RoleAdmin), own: []Role{RoleOwner}},
	PermProfileEdit:   {network: roles(RoleAdmin), own: []Role{RoleOwner}},
	PermPostWrite:     {network: roles(RoleAdmin), own: []Role{RoleOwner, RoleStaff}},
	PermMatch:         {network: roles(RoleAdmin, RoleCoordinator, RoleLocalGov)},
	// Machine states stay with the shop, the network office and the
	// coordinators who plan the chains; the people of the network who find
	// partners see what each shop chooses to share (TelemetrySharing).
	// Customers see neither: partner identities stay with the coordinator.
	PermTelemetryRead:   {network: roles(RoleAdmin, RoleCoordinator), own: allRoles},
	PermTelemetryShared: {network: directoryReader},
	PermInquirySubmit:   {network: roles(RoleAdmin, RoleCoordinator), own: []Role{RoleOwner, RoleStaff}},
	PermInquiryRead:     {network: roles(RoleAdmin, RoleCoordinator), own: []Role{RoleOwner, RoleStaff}},
	PermCoordinate:      {network: roles(RoleAdmin, RoleCoordinator)},
	// Shops do their own work; the network office may act for a shop
	// (a phone left at home), and every such act is audited as its own.
	PermShopWork:    {network: roles(RoleAdmin), own: []Role{RoleOwner, RoleStaff}},
	PermRecordsRead: {network: roles(RoleAdmin, RoleCoordinator), own: []Role{RoleOwner}},
}

// Can reports whether a may use perm on records of companyID (0: records
// of no particular company).
func (a *Actor) Can(perm Permission, companyID int64) bool {
	if a == nil {
		return false
	} else if a.System {
		return true
	}
	r, ok := policy[perm]
	if !ok {
		return false
	}
	if r.network != nil && r.network(a) {
		return true
	}
	if companyID != 0 && companyID == a.CompanyID {
		for _, role := range r.own {
			if a.Role == role {
				return true
			}
		}
	}
	return false
}

// CanNetwork reports whether a holds perm for every company.
func (a *Actor) CanNetwork(perm Permission) bool {
	if a == nil {
		return false
	} else if a.System {
		return true
	}
	r := policy[perm]
	return r.network != nil && r.network(a)
}

// Authorize returns nil if the actor in ctx may use perm on records of
// companyID, EUNAUTHORIZED for an anonymous caller and EFORBIDDEN otherwise.
func Authorize(ctx context.Context, perm Permission, companyID int64) error {
	a := ActorFromContext(ctx)
	if a == nil {
		return Errorf(EUNAUTHORIZED, "err.unauthorized")
	} else if !a.Can(perm, companyID) {
		return Errorf(EFORBIDDEN, "err.forbidden")
	}
	return nil
}

// Scope tells a list query which companies' records the actor in ctx may
// see under perm: all of them (all is true), or only companyID. It returns
// an error if the actor may see none.
func Scope(ctx context.Context, perm Permission) (companyID int64, all bool, err error) {
	a := ActorFromContext(ctx)
	if a == nil {
		return 0, false, Errorf(EUNAUTHORIZED, "err.unauthorized")
	} else if a.CanNetwork(perm) {
		return 0, true, nil
	} else if a.Can(perm, a.CompanyID) {
		return a.CompanyID, false, nil
	}
	return 0, false, Errorf(EFORBIDDEN, "err.forbidden")
}

// GrantableRoles returns the roles a may give to people of companyID. The
// roles that reach across the network (coordinator, local government,
// admin) are given only by whoever manages members network-wide (the
// network office); an owner gives owner and staff in its own company.
func (a *Actor) GrantableRoles(companyID int64) []Role {
	switch {
	case a.CanNetwork(PermMembersManage):
		return Roles
	case a.Can(PermMembersManage, companyID):
		return []Role{RoleOwner, RoleStaff}
	}
	return nil
}

// MayGrant reports whether a may give role to a person of companyID.
func (a *Actor) MayGrant(role Role, companyID int64) bool {
	for _, r := range a.GrantableRoles(companyID) {
		if r == role {
			return true
		}
	}
	return false
}
