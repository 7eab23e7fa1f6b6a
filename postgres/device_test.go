package postgres_test

import (
	"testing"

	"github.com/nakamawashi/nakamawashi/storetest"
)

// BenchmarkAppendStateIntervals measures the ingest's group commit: 500
// state intervals per transaction; see storetest.BenchAppendStateIntervals.
func BenchmarkAppendStateIntervals(b *testing.B) {
	storetest.BenchAppendStateIntervals(b, MustOpen(b))
}
