package http_test

import (
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

// Every sharing level has its label, since the devices page builds the key.
func TestSharingLabels(t *testing.T) {
	for _, l := range nakamawashi.TelemetrySharings {
		if key := "ui.sharing." + string(l); !nakamawashi.HasMessage(key) {
			t.Errorf("no label %s for sharing level %q", key, l)
		}
	}
}
