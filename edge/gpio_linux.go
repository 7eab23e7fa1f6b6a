//go:build linux

package edge

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/nakamawashi/nakamawashi/telemetry"
)

// The GPIO character device's v2 interface (linux/gpio.h). The structures
// are written byte by byte, little-endian as on arm, arm64 and amd64, so
// that their layout does not depend on how Go aligns 64-bit fields on
// 32-bit arm.
const (
	gpioLineRequestSize = 592 // struct gpio_v2_line_request
	gpioLineValuesSize  = 16  // struct gpio_v2_line_values
	gpioLineEventSize   = 48  // struct gpio_v2_line_event

	gpioGetLineIoctl      = 0xC0000000 | gpioLineRequestSize<<16 | 0xB4<<8 | 0x07 // _IOWR(0xB4, 0x07, …)
	gpioGetLineValuesIoct = 0xC0000000 | gpioLineValuesSize<<16 | 0xB4<<8 | 0x0E  // _IOWR(0xB4, 0x0E, …)

	gpioFlagActiveLow     = 1 << 1
	gpioFlagInput         = 1 << 2
	gpioFlagEdgeRising    = 1 << 4
	gpioFlagEdgeFalling   = 1 << 5
	gpioFlagBiasPullUp    = 1 << 8
	gpioFlagBiasPullDown  = 1 << 9
	gpioFlagClockRealtime = 1 << 11

	gpioEventRising = 1
)

// ReadGPIO sends the stack light's samples read from the GPIO chip until ctx
// is done: the lamps' values at the start, then a sample at each edge, with
// the kernel's time of the edge.
func ReadGPIO(ctx context.Context, cfg GPIOConfig, out chan<- telemetry.LightSample) error {
	const op = "edge.ReadGPIO"
	if err := cfg.Validate(); err != nil {
		return err
	}
	chip, err := os.OpenFile(cfg.Chip, os.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return unavailable(op, fmt.Errorf("GPIO chip: %w", err))
	}
	defer chip.Close()
	var req [gpioLineRequestSize]byte
	le := binary.LittleEndian
	for i, line := range cfg.Lines {
		le.PutUint32(req[4*i:], uint32(line))
	}
	copy(req[256:288], "nakamawashi-edge")
	flags := uint64(gpioFlagInput | gpioFlagEdgeRising | gpioFlagEdgeFalling | gpioFlagClockRealtime)
	if cfg.ActiveLow {
		flags |= gpioFlagActiveLow
	}
	switch cfg.Bias {
	case "pull-up":
		flags |= gpioFlagBiasPullUp
	case "pull-down":
		flags |= gpioFlagBiasPullDown
	}
	le.PutUint64(req[288:], flags) // config.flags
	le.PutUint32(req[560:], 3)     // num_lines
	le.PutUint32(req[564:], 64)    // event_buffer_size
	if err := ioctl(chip.Fd(), gpioGetLineIoctl, unsafe.Pointer(&req[0])); err != nil {
		return unavailable(op, fmt.Errorf("request lines %v of %s: %w", cfg.Lines, cfg.Chip, err))
	}
	fd := int(int32(le.Uint32(req[588:])))
	lines := os.NewFile(uintptr(fd), cfg.Chip+" lines")
	defer lines.Close()

	var vals [gpioLineValuesSize]byte
	le.PutUint64(vals[8:], 0b111) // mask: the three lines
	if err := ioctl(lines.Fd(), gpioGetLineValuesIoct, unsafe.Pointer(&vals[0])); err != nil {
		return unavailable(op, fmt.Errorf("read lines %v of %s: %w", cfg.Lines, cfg.Chip, err))
	}
	bits := le.Uint64(vals[0:])
	on := [3]bool{bits&1 != 0, bits&2 != 0, bits&4 != 0} // red, yellow, green
	send := func(t time.Time) error {
		select {
		case out <- telemetry.LightSample{Time: t, Red: on[0], Yellow: on[1], Green: on[2]}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := send(time.Now()); err != nil {
		return err
	}
	buf := make([]byte, 16*gpioLineEventSize)
	for {
		// Poll with a timeout, so that ctx is heeded.
		pfd := []unix.PollFd{{Fd: int32(lines.Fd()), Events: unix.POLLIN}}
		n, err := unix.Poll(pfd, 500)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err == unix.EINTR || n == 0 {
			continue
		}
		if err != nil {
			return unavailable(op, fmt.Errorf("poll %s: %w", cfg.Chip, err))
		}
		m, err := unix.Read(int(lines.Fd()), buf)
		if err != nil {
			if err == unix.EINTR || err == unix.EAGAIN {
				continue
			}
			return unavailable(op, fmt.Errorf("read events of %s: %w", cfg.Chip, err))
		}
		for i := 0; i+gpioLineEventSize <= m; i += gpioLineEventSize {
			ev := buf[i : i+gpioLineEventSize]
			ts := int64(le.Uint64(ev[0:]))
			id := le.Uint32(ev[8:])
			offset := le.Uint32(ev[12:])
			for j, line := range cfg.Lines {
				if uint32(line) == offset {
					on[j] = id == gpioEventRising
				}
			}
			if err := send(time.Unix(0, ts)); err != nil {
				return err
			}
		}
	}
}

func ioctl(fd uintptr, req uintptr, arg unsafe.Pointer) error {
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, fd, req, uintptr(arg))
	if errno != 0 {
		return errno
	}
	return nil
}
