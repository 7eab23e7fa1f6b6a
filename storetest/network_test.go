package storetest_test

import (
	"testing"

	"github.com/nakamawashi/nakamawashi/storetest"
)

func TestGenerateDirectory(t *testing.T) {
	a, b := storetest.GenerateDirectory(2000, 1), storetest.GenerateDirectory(2000, 1)
	machines := 0
	for i, s := range a {
		if err := s.Company.Validate(); err != nil {
			t.Fatalf("%d: %+v: %v", i, s.Company, err)
		}
		if err := s.Profile.Validate(); err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		for _, m := range s.Machines {
			if err := m.Validate(); err != nil {
				t.Fatalf("%d: %+v: %v", i, m, err)
			}
		}
		machines += len(s.Machines)
		if s.Company.Description != b[i].Company.Description || s.Company.Phone != b[i].Company.Phone {
			t.Fatalf("%d: not deterministic", i)
		}
	}
	if machines < 7000 || machines > 9000 {
		t.Errorf("machines: got %d for 2000 companies, want about 8000", machines)
	}
	t.Logf("%s %s %s %s\n%s", a[0].Company.Name, a[0].Company.NameKana, a[0].Company.Phone, a[0].Company.Street, a[0].Company.Description)
}
