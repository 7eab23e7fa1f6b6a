package mtconnect

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// DefaultAdapterPort is the TCP port adapters listen on.
const DefaultAdapterPort = "7878"

// AdapterOptions configures an Adapter. AllowedHosts is required, as for
// an Agent.
type AdapterOptions struct {
	AllowedHosts []string
	// IsCondition tells condition keys from others (Devices.IsCondition);
	// nil means ParseSHDRLine's guess.
	IsCondition func(device, key string) bool
	// DialTimeout bounds a connection attempt; 0 means 5 s.
	DialTimeout time.Duration
	// LegacyTimeout is the silence allowed from an adapter that never
	// answered * PING (it has no heartbeat); 0 means 10 min. Once the
	// adapter answered * PONG <ms>, the silence allowed is 2 × ms.
	LegacyTimeout time.Duration
	// MinBackoff and MaxBackoff bound the wait before reconnecting; it
	// doubles after each failed session and starts over after one that
	// delivered data. 0 means 1 s and 1 min.
	MinBackoff, MaxBackoff time.Duration
	// OnError is told why a session ended and of lines that could not be
	// read; may be nil.
	OnError func(error)
	// OnConnect is told of each new connection; may be nil.
	OnConnect func(addr string)
}

// Adapter is a client of one SHDR adapter: it connects over TCP, sends
// * PING and takes the interval of the * PONG <ms> answer as heartbeat,
// pinging every interval and reconnecting after 2 × interval of silence;
// it skips assets (multiline blocks included), blank lines and comments,
// and delivers the data lines, parsed by telemetry.ParseSHDRLineModel.
type Adapter struct {
	addr string
	opt  AdapterOptions
}

// NewAdapter returns a client of the adapter at addr, "host" or
// "host:port" (the port defaults to 7878). The host must be in
// opt.AllowedHosts; a refusal is an *nakamawashi.Error.
func NewAdapter(addr string, opt AdapterOptions) (*Adapter, error) {
	const op = "mtconnect.NewAdapter"
	allowed, herr := parseHostList(opt.AllowedHosts)
	if herr != nil {
		return nil, &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg(msgHost, herr.host), Op: op, Err: herr}
	}
	addr = strings.TrimSpace(addr)
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		host, port = strings.Trim(addr, "[]"), DefaultAdapterPort
	}
	if p, err := strconv.ParseUint(port, 10, 16); err != nil || p == 0 || host == "" || strings.ContainsAny(host, "/@?#: ") && net.ParseIP(host) == nil {
		return nil, &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg(msgAddress), Op: op, Err: fmt.Errorf("address %q is not host:port", addr)}
	}
	if !allowed.allows(host, port) {
		return nil, &nakamawashi.Error{Code: nakamawashi.EFORBIDDEN, Message: nakamawashi.Msg(msgHost, host), Op: op,
			Err: fmt.Errorf("host %q is not in AllowedHosts", host)}
	}
	if opt.DialTimeout <= 0 {
		opt.DialTimeout = 5 * time.Second
	}
	if opt.LegacyTimeout <= 0 {
		opt.LegacyTimeout = 10 * time.Minute
	}
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = time.Second
	}
	if opt.MaxBackoff < opt.MinBackoff {
		opt.MaxBackoff = max(time.Minute, opt.MinBackoff)
	}
	return &Adapter{addr: net.JoinHostPort(host, port), opt: opt}, nil
}

// Addr returns the adapter's host:port.
func (a *Adapter) Addr() string { return a.addr }

// Run connects, reads and reconnects until ctx is done, then returns
// ctx.Err(). handle is called in Run's goroutine, one line at a time.
func (a *Adapter) Run(ctx context.Context, handle func(telemetry.SHDRLine)) error {
	backoff := a.opt.MinBackoff
	for {
		d := &net.Dialer{Timeout: a.opt.DialTimeout, KeepAlive: 30 * time.Second}
		conn, err := dialGuarded(ctx, d, "tcp", a.addr)
		if err == nil {
			if a.opt.OnConnect != nil {
				a.opt.OnConnect(a.addr)
			}
			var delivered bool
			delivered, err = a.session(ctx, conn, handle)
			if delivered {
				backoff = a.opt.MinBackoff
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		a.report(&nakamawashi.Error{Code: nakamawashi.EUNAVAILABLE, Message: nakamawashi.Msg(msgConnection), Op: "mtconnect.Adapter.Run", Err: err})
		if err := sleep(ctx, backoff); err != nil {
			return err
		}
		backoff = min(2*backoff, a.opt.MaxBackoff)
	}
}

func (a *Adapter) report(err error) {
	if a.opt.OnError != nil {
		a.opt.OnError(err)
	}
}

// errSilent ends a session whose adapter stopped talking.
var errSilent = errors.New("adapter silent past its heartbeat")

// session reads one connection until it fails; delivered says whether a
// line reached handle.
func (a *Adapter) session(ctx context.Context, conn net.Conn, handle func(telemetry.SHDRLine)) (delivered bool, err error) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		conn.Close()
		wg.Wait()
	}()
	var heartbeat atomic.Int64 // nanoseconds; 0 until the adapter answers * PING
	pong := make(chan struct{}, 1)
	wg.Add(2)
	go func() {
		defer wg.Done()
		a.ping(ctx, conn, &heartbeat, pong)
	}()
	go func() {
		// Closing the connection ends a read in progress: Run stops as
		// soon as ctx is done, not at the next deadline.
		defer wg.Done()
		<-ctx.Done()
		conn.Close()
	}()

	r := bufio.NewReaderSize(conn, 64<<10)
	var multiline string // the marker of the block being skipped
	var skipped int
	for {
		silence := a.opt.LegacyTimeout
		if hb := time.Duration(heartbeat.Load()); hb > 0 {
			silence = 2 * hb
		}
		if err := conn.SetReadDeadline(time.Now().Add(silence)); err != nil {
			return delivered, err
		}
		line, err := readLine(r)
		if err != nil {
			if ctx.Err() != nil {
				return delivered, ctx.Err()
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return delivered, fmt.Errorf("%w (%v)", errSilent, silence)
			}
			return delivered, err
		}
		if multiline != "" {
			if skipped += len(line); skipped > MaxDocumentBytes {
				return delivered, fmt.Errorf("multiline block %s over %d bytes", multiline, MaxDocumentBytes)
			}
			if strings.TrimSpace(line) == multiline {
				multiline = ""
			}
			continue
		}
		l, err := ParseSHDRLine(line, a.opt.IsCondition)
		switch {
		case err != nil:
			a.report(err)
		case l.Kind == telemetry.SHDRCommand:
			if ms, ok := pongInterval(l.Command); ok {
				heartbeat.Store(int64(ms))
				select {
				case pong <- struct{}{}:
				default:
				}
			}
		case l.Kind == telemetry.SHDRMultiline:
			multiline, skipped = l.Terminator, 0
		case l.Kind == telemetry.SHDRData:
			handle(l)
			delivered = true
		}
	}
}

// ping sends * PING at once, then every heartbeat once the adapter has
// answered with one.
func (a *Adapter) ping(ctx context.Context, conn net.Conn, heartbeat *atomic.Int64, pong <-chan struct{}) {
	send := func() bool {
		conn.SetWriteDeadline(time.Now().Add(a.opt.DialTimeout))
		_, err := io.WriteString(conn, "* PING\n")
		return err == nil
	}
	if !send() {
		return
	}
	for {
		hb := time.Duration(heartbeat.Load())
		if hb == 0 {
			select {
			case <-ctx.Done():
				return
			case <-pong:
				continue
			}
		}
		if sleep(ctx, hb) != nil || !send() {
			return
		}
	}
}

// pongInterval reads "PONG <ms>"; the interval is kept between 10 ms and
// 10 min so that a wild answer neither floods nor stalls the connection.
func pongInterval(cmd string) (time.Duration, bool) {
	f := strings.Fields(cmd)
	if len(f) != 2 || f[0] != "PONG" {
		return 0, false
	}
	ms, err := strconv.ParseUint(f[1], 10, 32)
	if err != nil {
		return 0, false
	}
	d := time.Duration(ms) * time.Millisecond
	return min(max(d, 10*time.Millisecond), 10*time.Minute), true
}

// readLine reads one line up to MaxLineBytes, without its ending.
func readLine(r *bufio.Reader) (string, error) {
	var b []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(b)+len(chunk) > MaxLineBytes {
			return "", fmt.Errorf("line over %d bytes", MaxLineBytes)
		}
		b = append(b, chunk...)
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err != nil:
			return "", err
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
}
