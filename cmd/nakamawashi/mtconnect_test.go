package main_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	main "github.com/nakamawashi/nakamawashi/cmd/nakamawashi"
	"github.com/nakamawashi/nakamawashi/ingest"
	"github.com/nakamawashi/nakamawashi/mtconnect"
	"github.com/nakamawashi/nakamawashi/sqlite"
)

// mtconnectAgent serves /current and /sample with sequences: the machine
// idles, runs, stops and is set up by hand.
func mtconnectAgent(t *testing.T) *httptest.Server {
	type obs struct{ typ, ts, value string }
	all := []obs{{"Availability", "08:00:00", "AVAILABLE"}, {"Execution", "08:00:01", "READY"},
		{"Execution", "08:01:00", "ACTIVE"}, {"Execution", "08:02:00", "READY"}, {"ControllerMode", "08:02:30", "MANUAL"}}
	doc := func(from, to int) string { // sequences [from, to), 1-based
		var b strings.Builder
		fmt.Fprintf(&b, `<MTConnectStreams xmlns="urn:mtconnect.org:MTConnectStreams:2.0"><Header instanceId="1" version="2.0" firstSequence="1" nextSequence="%d" lastSequence="%d"/>`, to, len(all))
		b.WriteString(`<Streams><DeviceStream name="VMC" uuid="vmc1"><ComponentStream component="Path" componentId="p"><Events>`)
		for i := from; i < to; i++ {
			o := all[i-1]
			fmt.Fprintf(&b, `<%s dataItemId="d%d" sequence="%d" timestamp="2024-05-01T%sZ">%s</%s>`, o.typ, i, i, o.ts, o.value, o.typ)
		}
		b.WriteString(`</Events></ComponentStream></DeviceStream></Streams></MTConnectStreams>`)
		return b.String()
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/VMC/current":
			w.Write([]byte(doc(1, 3)))
		case "/VMC/sample":
			from, _ := strconv.Atoi(r.URL.Query().Get("from"))
			w.Write([]byte(doc(from, len(all)+1)))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// shdrAdapter answers * PING and sends two lines, once.
func shdrAdapter(t *testing.T) net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		r := bufio.NewReader(c)
		fmt.Fprint(c, "2024-05-01T09:00:00Z|avail|AVAILABLE|execution|ACTIVE\n2024-05-01T09:05:00Z|system|FAULT|E1||HIGH|Spindle overheated\n")
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if strings.TrimSpace(l) == "* PING" {
				fmt.Fprint(c, "* PONG 10000\n")
			}
		}
	}()
	return ln
}

func TestMTConnectSources(t *testing.T) {
	dir := t.TempDir()
	s, err := sqlite.Open(context.Background(), filepath.Join(dir, "nakamawashi.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	co := &nakamawashi.Company{Kind: nakamawashi.KindMember, Name: "株式会社キル製作所", NameKana: "キルセイサクショ",
		PostalCode: "144-0051", Prefecture: "東京都", City: "大田区", Street: "西蒲田7-1-1", Phone: "03-1234-5678"}
	if err := s.CreateCompany(sys, co); err != nil {
		t.Fatal(err)
	}
	device := func(src nakamawashi.MTConnectSource) *nakamawashi.MTConnectSource {
		m := &nakamawashi.Machine{CompanyID: co.ID, Process: "turning.nc", Maker: "オークマ", Model: "LB3000", Count: 1,
			Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 320, L: 500}, Axes: 2}
		if err := s.CreateMachine(sys, m); err != nil {
			t.Fatal(err)
		}
		d := &nakamawashi.Device{CompanyID: co.ID, MachineID: m.ID, Name: "MTConnect", Kind: nakamawashi.DeviceMTConnect}
		if _, err := s.CreateDevice(sys, d); err != nil {
			t.Fatal(err)
		}
		src.DeviceID = d.ID
		if err := s.SetMTConnectSource(sys, &src); err != nil {
			t.Fatal(err)
		}
		return &src
	}
	agent := mtconnectAgent(t)
	adapter := shdrAdapter(t)
	viaAgent := device(nakamawashi.MTConnectSource{AgentURL: agent.URL, AgentDevice: "VMC"})
	viaAdapter := device(nakamawashi.MTConnectSource{AdapterAddr: adapter.Addr().String()})

	// A host off the list is refused when saved, with a message naming it,
	// and never connected to.
	refused, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer refused.Close()
	accepted := make(chan struct{}, 1)
	go func() {
		if c, err := refused.Accept(); err == nil {
			c.Close()
			accepted <- struct{}{}
		}
	}()
	allow := []string{"127.0.0.1:" + portOf(agent.Listener.Addr()), "127.0.0.1:" + portOf(adapter.Addr())}
	off := &nakamawashi.MTConnectSource{AdapterAddr: refused.Addr().String()}
	err = mtconnect.CheckSource(allow, off)
	if nakamawashi.ErrorCode(err) != nakamawashi.EINVALID || !strings.Contains(nakamawashi.ErrorMessage(nakamawashi.Japanese, err), "127.0.0.1") {
		t.Errorf("a host off the list: %v, want invalid naming the host", err)
	}
	if f := nakamawashi.ErrorFields(nakamawashi.Japanese, err); !strings.Contains(f["adapter_addr"], "127.0.0.1") {
		t.Errorf("a host off the list: fields %v, want the message on adapter_addr", f)
	}
	if err := mtconnect.CheckSource(nil, viaAgent); nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
		t.Errorf("an empty allow-list: %v, want invalid", err)
	}
	if err := mtconnect.CheckSource(allow, viaAgent); err != nil {
		t.Errorf("an allowed agent: %v", err)
	}
	device(*off) // saved past the check, as if the list had changed since

	in, err := ingest.New(ingest.Config{Store: s})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	r := &main.MTConnectRunner{Store: s, Allow: allow, Submit: in.Handle, Interval: 20 * time.Millisecond, Reload: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	want := map[int64]string{
		viaAgent.MachineID:   "idle@08:00:01 running@08:01:00 idle@08:02:00 setup@08:02:30",
		viaAdapter.MachineID: "running@09:00:00 alarm@09:05:00",
	}
	deadline := time.Now().Add(10 * time.Second)
	for machine, w := range want {
		var got string
		for {
			ivs, err := s.FindStateIntervals(sys, machine, day, day.Add(24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, iv := range ivs {
				parts = append(parts, iv.State+"@"+iv.Start.UTC().Format("15:04:05"))
			}
			if got = strings.Join(parts, " "); got == w || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if got != w {
			t.Errorf("machine %d: %q, want %q", machine, got, w)
		}
	}
	select {
	case <-accepted:
		t.Error("the runner connected to a host off the allow-list")
	case <-time.After(100 * time.Millisecond):
	}
}

func portOf(a net.Addr) string {
	_, p, _ := net.SplitHostPort(a.String())
	return p
}
