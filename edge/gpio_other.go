//go:build !linux

package edge

import (
	"context"
	"errors"

	"github.com/nakamawashi/nakamawashi/telemetry"
)

// ReadGPIO reads the GPIO character device, which only Linux has.
func ReadGPIO(ctx context.Context, cfg GPIOConfig, out chan<- telemetry.LightSample) error {
	return unavailable("edge.ReadGPIO", errors.New("the GPIO character device needs Linux: use a command or a file as input"))
}
