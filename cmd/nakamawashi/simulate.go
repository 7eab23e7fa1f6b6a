package main

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/demo"
	"github.com/nakamawashi/nakamawashi/simulate"
)

// demoHistoryDays is how many days of history a demo writes at its first
// start, so that the day charts have something to show.
const demoHistoryDays = 7

// startSimulator drives the demo network's machines as devices of the
// embedded broker: it registers a device for each machine (or gives the
// one of an earlier start a new secret), writes the last days' history
// through the store on the first start, and runs the devices until Close.
// speed above 1 runs the shop days that many times faster than the wall
// clock, from now.
func (m *Main) startSimulator(ctx context.Context, speed float64) error {
	if m.MQTT == nil || m.MQTT.Broker == nil {
		return nil // no broker of our own to connect the devices to
	}
	sys := nakamawashi.NewContextWithActor(ctx, nakamawashi.SystemActor)
	machines, err := demo.SimulatedMachines(sys, m.Store)
	if err != nil {
		return err
	}
	devs, err := simulate.Register(sys, m.Store, machines)
	if err != nil {
		return fmt.Errorf("demo simulator: %w", err)
	}
	var clock simulate.Clock = simulate.RealClock{}
	if speed > 1 {
		clock = simulate.NewFastClock(time.Now(), speed)
	}
	wrote, err := simulate.Backfill(sys, m.Store, devs, clock.Now(), demoHistoryDays, simulate.DefaultShift)
	if err != nil {
		return fmt.Errorf("demo simulator: %w", err)
	}
	if wrote {
		m.Logger.Info("demo machines' history written", "machines", len(devs), "days", demoHistoryDays)
	}
	r := &simulate.Runner{Addr: dialAddr(m.MQTT.Addr()), Devices: devs, Clock: clock, Logger: m.Logger}
	runCtx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { r.Run(runCtx) })
	m.stopSim = func() { cancel(); wg.Wait() }
	fmt.Fprintf(m.Stdout, "デモ: %d 台の設備が MQTT で状態を送っています / demo: %d machines publish their states over MQTT\n", len(devs), len(devs))
	return nil
}

// dialAddr names an address that listens everywhere by the loopback
// address, to connect to it.
func dialAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// stopSimUnlessServing stops the simulated devices when serve fails after
// starting them.
func (m *Main) stopSimUnlessServing() {
	if m.HTTP == nil && m.stopSim != nil {
		m.stopSim()
		m.stopSim = nil
	}
}
