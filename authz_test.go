package nakamawashi_test

import (
	"context"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

func TestPolicy(t *testing.T) {
	const own, other = 1, 2
	actor := func(role nakamawashi.Role, kind nakamawashi.CompanyKind) *nakamawashi.Actor {
		return &nakamawashi.Actor{UserID: 10, CompanyID: own, Role: role, CompanyKind: kind}
	}
	owner := actor(nakamawashi.RoleOwner, nakamawashi.KindMember)
	staff := actor(nakamawashi.RoleStaff, nakamawashi.KindMember)
	customer := actor(nakamawashi.RoleOwner, nakamawashi.KindCustomer)
	coord := actor(nakamawashi.RoleCoordinator, nakamawashi.KindOffice)
	admin := actor(nakamawashi.RoleAdmin, nakamawashi.KindOffice)
	city := actor(nakamawashi.RoleLocalGov, nakamawashi.KindGov)

	for _, tt := range []struct {
		name    string
		a       *nakamawashi.Actor
		perm    nakamawashi.Permission
		company int64
		want    bool
	}{
		{"owner reads other profile", owner, nakamawashi.PermCompanyRead, other, true},
		{"owner updates own", owner, nakamawashi.PermCompanyUpdate, own, true},
		{"owner updates other", owner, nakamawashi.PermCompanyUpdate, other, false},
		{"staff updates own", staff, nakamawashi.PermCompanyUpdate, own, false},
		{"owner reads own members", owner, nakamawashi.PermMembersRead, own, true},
		{"owner reads other members", owner, nakamawashi.PermMembersRead, other, false},
		{"staff manages own members", staff, nakamawashi.PermMembersManage, own, false},
		{"customer reads other profile", customer, nakamawashi.PermCompanyRead, other, false},
		{"customer reads own profile", customer, nakamawashi.PermCompanyRead, own, true},
		{"customer reads directory", customer, nakamawashi.PermDirectoryRead, 0, false},
		{"coordinator reads other members", coord, nakamawashi.PermMembersRead, other, true},
		{"coordinator updates other", coord, nakamawashi.PermCompanyUpdate, other, false},
		{"city reads directory", city, nakamawashi.PermDirectoryRead, 0, true},
		{"city reads other members", city, nakamawashi.PermMembersRead, other, false},
		{"admin updates other", admin, nakamawashi.PermCompanyUpdate, other, true},
		{"admin all users", admin, nakamawashi.PermUsersAll, 0, true},
		{"owner audit own", owner, nakamawashi.PermAuditRead, own, true},
		{"owner audit other", owner, nakamawashi.PermAuditRead, other, false},
		{"nil actor", nil, nakamawashi.PermCompanyRead, own, false},
		{"system", nakamawashi.SystemActor, nakamawashi.PermUsersAll, 0, true},
		{"unknown permission", admin, "nothing", 0, false},
	} {
		if got := tt.a.Can(tt.perm, tt.company); got != tt.want {
			t.Errorf("%s: Can = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestAuthorizeAndScope(t *testing.T) {
	ctx := context.Background()
	if code := nakamawashi.ErrorCode(nakamawashi.Authorize(ctx, nakamawashi.PermCompanyRead, 1)); code != nakamawashi.EUNAUTHORIZED {
		t.Errorf("anonymous: %q", code)
	}
	cust := nakamawashi.NewContextWithActor(ctx, &nakamawashi.Actor{UserID: 1, CompanyID: 5, Role: nakamawashi.RoleOwner, CompanyKind: nakamawashi.KindCustomer})
	if code := nakamawashi.ErrorCode(nakamawashi.Authorize(cust, nakamawashi.PermCompanyUpdate, 6)); code != nakamawashi.EFORBIDDEN {
		t.Errorf("customer updates other: %q", code)
	}
	id, all, err := nakamawashi.Scope(cust, nakamawashi.PermCompanyRead)
	if err != nil || all || id != 5 {
		t.Errorf("customer scope = %d, %v, %v; want own company only", id, all, err)
	}
	adm := nakamawashi.NewContextWithActor(ctx, &nakamawashi.Actor{UserID: 1, CompanyID: 9, Role: nakamawashi.RoleAdmin, CompanyKind: nakamawashi.KindOffice})
	if _, all, err := nakamawashi.Scope(adm, nakamawashi.PermAuditRead); err != nil || !all {
		t.Errorf("admin audit scope = %v, %v", all, err)
	}
	staff := nakamawashi.NewContextWithActor(ctx, &nakamawashi.Actor{UserID: 1, CompanyID: 9, Role: nakamawashi.RoleStaff, CompanyKind: nakamawashi.KindMember})
	if _, _, err := nakamawashi.Scope(staff, nakamawashi.PermAuditRead); nakamawashi.ErrorCode(err) != nakamawashi.EFORBIDDEN {
		t.Errorf("staff audit scope err = %v", err)
	}
}

func TestGrantableRoles(t *testing.T) {
	owner := &nakamawashi.Actor{UserID: 1, CompanyID: 1, Role: nakamawashi.RoleOwner, CompanyKind: nakamawashi.KindMember}
	staff := &nakamawashi.Actor{UserID: 2, CompanyID: 1, Role: nakamawashi.RoleStaff, CompanyKind: nakamawashi.KindMember}
	admin := &nakamawashi.Actor{UserID: 3, CompanyID: 9, Role: nakamawashi.RoleAdmin, CompanyKind: nakamawashi.KindOffice}
	for _, tt := range []struct {
		name    string
		a       *nakamawashi.Actor
		role    nakamawashi.Role
		company int64
		want    bool
	}{
		{"owner gives staff in own", owner, nakamawashi.RoleStaff, 1, true},
		{"owner gives owner in own", owner, nakamawashi.RoleOwner, 1, true},
		{"owner gives coordinator in own", owner, nakamawashi.RoleCoordinator, 1, false},
		{"owner gives admin in own", owner, nakamawashi.RoleAdmin, 1, false},
		{"owner gives staff elsewhere", owner, nakamawashi.RoleStaff, 2, false},
		{"staff gives staff", staff, nakamawashi.RoleStaff, 1, false},
		{"admin gives coordinator anywhere", admin, nakamawashi.RoleCoordinator, 5, true},
		{"admin gives admin", admin, nakamawashi.RoleAdmin, 9, true},
	} {
		if got := tt.a.MayGrant(tt.role, tt.company); got != tt.want {
			t.Errorf("%s: MayGrant = %v; want %v", tt.name, got, tt.want)
		}
	}
	if (&nakamawashi.Actor{Role: nakamawashi.RoleOwner, CompanyID: 1}).Can(nakamawashi.PermCompanyKind, 1) {
		t.Error("an owner may change its company's kind; want only admins")
	}
}
