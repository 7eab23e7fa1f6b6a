package nakamawashi_test

import (
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

// TestTelemetryView: the shop, the office and coordinators see everything;
// the people of the network what the shop shares; customers nothing.
func TestTelemetryView(t *testing.T) {
	shop := int64(1)
	for _, tt := range []struct {
		name string
		a    *nakamawashi.Actor
		want map[nakamawashi.TelemetrySharing]nakamawashi.TelemetrySharing
	}{
		{"staff of the shop", &nakamawashi.Actor{CompanyID: 1, Role: nakamawashi.RoleStaff, CompanyKind: nakamawashi.KindMember}, nil},
		{"coordinator", &nakamawashi.Actor{CompanyID: 9, Role: nakamawashi.RoleCoordinator, CompanyKind: nakamawashi.KindOffice}, nil},
		{"admin", &nakamawashi.Actor{CompanyID: 9, Role: nakamawashi.RoleAdmin, CompanyKind: nakamawashi.KindOffice}, nil},
		{"owner of another shop", &nakamawashi.Actor{CompanyID: 2, Role: nakamawashi.RoleOwner, CompanyKind: nakamawashi.KindMember}, map[nakamawashi.TelemetrySharing]nakamawashi.TelemetrySharing{
			nakamawashi.ShareNothing: nakamawashi.ShareNothing, nakamawashi.ShareStatus: nakamawashi.ShareStatus, nakamawashi.ShareUtilization: nakamawashi.ShareUtilization}},
		{"local government", &nakamawashi.Actor{CompanyID: 8, Role: nakamawashi.RoleLocalGov, CompanyKind: nakamawashi.KindGov}, map[nakamawashi.TelemetrySharing]nakamawashi.TelemetrySharing{
			nakamawashi.ShareNothing: nakamawashi.ShareNothing, nakamawashi.ShareStatus: nakamawashi.ShareStatus, nakamawashi.ShareUtilization: nakamawashi.ShareUtilization}},
		{"customer", &nakamawashi.Actor{CompanyID: 3, Role: nakamawashi.RoleOwner, CompanyKind: nakamawashi.KindCustomer}, map[nakamawashi.TelemetrySharing]nakamawashi.TelemetrySharing{
			nakamawashi.ShareNothing: nakamawashi.ShareNothing, nakamawashi.ShareStatus: nakamawashi.ShareNothing, nakamawashi.ShareUtilization: nakamawashi.ShareNothing}},
	} {
		for _, sharing := range nakamawashi.TelemetrySharings {
			want := nakamawashi.ShareUtilization
			if tt.want != nil {
				want = tt.want[sharing]
			}
			if got := tt.a.TelemetryView(shop, sharing); got != want {
				t.Errorf("%s, shop shares %s: got %s, want %s", tt.name, sharing, got, want)
			}
		}
	}
	if !nakamawashi.ShareUtilization.Includes(nakamawashi.ShareStatus) || nakamawashi.ShareNothing.Includes(nakamawashi.ShareStatus) || nakamawashi.TelemetrySharing("x").Valid() {
		t.Fatal("Includes or Valid")
	}
}
