package nakamawashi

import (
	"context"
	"time"
)

// Role is what a user may do for a company.
type Role string

// The roles. Owner and staff act within their own company; coordinator,
// local government and admin reach across the network as the policy says.
const (
	RoleOwner       Role = "owner"            // 代表・管理者 of a company
	RoleStaff       Role = "staff"            // 社員
	RoleCoordinator Role = "coordinator"      // コーディネーター / 幹事企業
	RoleLocalGov    Role = "local_government" // 自治体
	RoleAdmin       Role = "admin"            // 事務局 (network admin)
)

// Roles lists the roles in display order.
var Roles = []Role{RoleOwner, RoleStaff, RoleCoordinator, RoleLocalGov, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if v == r {
			return true
		}
	}
	return false
}

// Membership ties a user to a company with a role.
type Membership struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	CompanyID int64     `json:"company_id"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`

	// Joined for display; not stored in the membership.
	UserName    string `json:"user_name,omitempty"`
	UserEmail   string `json:"user_email,omitempty"`
	CompanyName string `json:"company_name,omitempty"`
}

// Validate checks m.
func (m *Membership) Validate() error {
	p := Problems{}
	if m.UserID <= 0 {
		p.Add("user_id", "err.required")
	}
	if m.CompanyID <= 0 {
		p.Add("company_id", "err.required")
	}
	if !m.Role.Valid() {
		p.Add("role", "err.role")
	}
	return p.Err()
}

// MembershipFilter selects memberships; at least one of the IDs is usually set.
type MembershipFilter struct {
	UserID    *int64
	CompanyID *int64
}

// MembershipService manages who acts for which company.
type MembershipService interface {
	FindMemberships(ctx context.Context, filter MembershipFilter) ([]*Membership, error)
	CreateMembership(ctx context.Context, m *Membership) error
	DeleteMembership(ctx context.Context, id int64) error
}
