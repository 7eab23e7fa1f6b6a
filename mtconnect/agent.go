package mtconnect

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// DefaultTimeout bounds every request to an agent.
const DefaultTimeout = 10 * time.Second

// AgentOptions configures an Agent. AllowedHosts is required: the agent's
// host must be on it.
type AgentOptions struct {
	// HTTPClient sends the requests. Nil means a client of the package's
	// own, whose dialer also refuses names that resolve to link-local,
	// unspecified or multicast addresses (cloud metadata, DNS rebinding)
	// and which ignores proxy settings. A given client is copied and its
	// CheckRedirect replaced by the package's guard.
	HTTPClient *http.Client
	// AllowedHosts lists the hosts the administrator allowed, as "name",
	// "ip", "name:port" or "[ipv6]:port". Names compare without case, IP
	// addresses by value. Nothing else is allowed: not loopback, not the
	// private ranges.
	AllowedHosts []string
	// Device limits the requests to one device of the agent (its name or
	// uuid): /Device/probe instead of /probe.
	Device string
	// Timeout bounds each request; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxBytes bounds each response body; 0 means MaxDocumentBytes.
	MaxBytes int64
}

// Agent is a client of one MTConnect agent.
type Agent struct {
	base     *url.URL
	device   string
	client   *http.Client
	allowed  hostList
	timeout  time.Duration
	maxBytes int64
}

// NewAgent returns a client of the agent at baseURL (such as
// http://192.168.1.20:5000/). It refuses a URL that is not http or https,
// that carries a user name or password, or whose host is not in
// opt.AllowedHosts; the refusal is an *nakamawashi.Error.
func NewAgent(baseURL string, opt AgentOptions) (*Agent, error) {
	const op = "mtconnect.NewAgent"
	allowed, herr := parseHostList(opt.AllowedHosts)
	if herr != nil {
		return nil, &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg(msgHost, herr.host), Op: op, Err: herr}
	}
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil {
		return nil, &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg(msgURL), Op: op, Err: err}
	}
	if err := allowed.checkURL(u); err != nil {
		err.Op = op
		return nil, err
	}
	u.RawQuery, u.Fragment = "", ""
	a := &Agent{base: u, device: opt.Device, allowed: allowed, timeout: opt.Timeout, maxBytes: opt.MaxBytes}
	if a.timeout <= 0 {
		a.timeout = DefaultTimeout
	}
	if a.maxBytes <= 0 {
		a.maxBytes = MaxDocumentBytes
	}
	if opt.HTTPClient != nil {
		c := *opt.HTTPClient
		a.client = &c
	} else {
		a.client = &http.Client{Transport: &http.Transport{
			Proxy:                  nil,
			DialContext:            guardedDial,
			TLSHandshakeTimeout:    a.timeout,
			ResponseHeaderTimeout:  a.timeout,
			MaxResponseHeaderBytes: 64 << 10,
			MaxIdleConnsPerHost:    2,
			IdleConnTimeout:        90 * time.Second,
		}}
	}
	a.client.CheckRedirect = a.checkRedirect
	return a, nil
}

// URL returns the agent's base URL.
func (a *Agent) URL() string { return a.base.String() }

// Probe asks the agent for its device model.
func (a *Agent) Probe(ctx context.Context) (*Devices, error) {
	const op = "mtconnect.Probe"
	body, status, err := a.get(ctx, op, "probe", nil)
	if err != nil {
		return nil, err
	}
	d, err := ParseDevices(bytes.NewReader(body))
	return d, withOp(op, status, err)
}

// Current asks the agent for the latest value of every data item.
func (a *Agent) Current(ctx context.Context) (*Streams, error) {
	const op = "mtconnect.Current"
	body, status, err := a.get(ctx, op, "current", nil)
	if err != nil {
		return nil, err
	}
	s, err := ParseStreams(bytes.NewReader(body))
	return s, withOp(op, status, err)
}

// Sample asks the agent for up to count observations from sequence from.
// An agent whose buffer no longer holds from answers with an error that
// wraps an *AgentError with the code OUT_OF_RANGE.
func (a *Agent) Sample(ctx context.Context, from uint64, count int) (*Streams, error) {
	const op = "mtconnect.Sample"
	q := url.Values{}
	q.Set("from", strconv.FormatUint(from, 10))
	q.Set("count", strconv.Itoa(count))
	body, status, err := a.get(ctx, op, "sample", q)
	if err != nil {
		return nil, err
	}
	s, err := ParseStreams(bytes.NewReader(body))
	return s, withOp(op, status, err)
}

// get fetches one document and returns its body and HTTP status. A
// non-200 answer that is an MTConnectError document is returned as a body
// for the caller's parser to turn into an *AgentError; any other non-200
// answer is an error here.
func (a *Agent) get(ctx context.Context, op, path string, q url.Values) ([]byte, int, error) {
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	u := a.base.JoinPath(a.device, path)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, 0, nakamawashi.Internal(op, err)
	}
	req.Header.Set("Accept", "application/xml, text/xml")
	resp, err := a.client.Do(req)
	if err != nil {
		var ne *nakamawashi.Error
		if errors.As(err, &ne) { // refused by the redirect guard
			ne.Op = op
			return nil, 0, ne
		}
		return nil, 0, unavailable(op, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, a.maxBytes+1))
	if err != nil {
		return nil, resp.StatusCode, unavailable(op, err)
	}
	if int64(len(body)) > a.maxBytes {
		return nil, resp.StatusCode, &nakamawashi.Error{Code: nakamawashi.ETOOLARGE, Message: nakamawashi.Msg(msgTooLarge, a.maxBytes),
			Op: op, Err: fmt.Errorf("response from %s over %d bytes", u.Redacted(), a.maxBytes)}
	}
	if resp.StatusCode != http.StatusOK {
		if ae, err := ParseError(bytes.NewReader(body)); err == nil {
			ae.Status = resp.StatusCode
			return nil, resp.StatusCode, agentFailure(op, ae)
		}
		return nil, resp.StatusCode, unavailable(op, fmt.Errorf("%s: http status %d", u.Redacted(), resp.StatusCode))
	}
	return body, resp.StatusCode, nil
}

// withOp names the request in a parser's error and records the HTTP status
// on an agent's error document.
func withOp(op string, status int, err error) error {
	var ne *nakamawashi.Error
	if err == nil || !errors.As(err, &ne) {
		return err
	}
	ne.Op = op
	var ae *AgentError
	if errors.As(err, &ae) {
		ae.Status = status
	}
	return err
}

func unavailable(op string, err error) error {
	return &nakamawashi.Error{Code: nakamawashi.EUNAVAILABLE, Message: nakamawashi.Msg(msgConnection), Op: op, Err: err}
}

// checkRedirect follows a redirect only to the agent's own host and port,
// and at most five times.
func (a *Agent) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return &nakamawashi.Error{Code: nakamawashi.EFORBIDDEN, Message: nakamawashi.Msg(msgRedirect, req.URL.Host), Err: errors.New("too many redirects")}
	}
	if err := a.allowed.checkURL(req.URL); err != nil {
		return &nakamawashi.Error{Code: nakamawashi.EFORBIDDEN, Message: nakamawashi.Msg(msgRedirect, req.URL.Redacted()), Err: err}
	}
	if !sameHost(req.URL, a.base) {
		return &nakamawashi.Error{Code: nakamawashi.EFORBIDDEN, Message: nakamawashi.Msg(msgRedirect, req.URL.Host),
			Err: fmt.Errorf("redirect from %s to another host %s", a.base.Host, req.URL.Host)}
	}
	return nil
}

func sameHost(u, v *url.URL) bool {
	return sameName(u.Hostname(), v.Hostname()) && portOf(u) == portOf(v)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// hostList is the administrator's list of hosts.
type hostList []allowedHost

type allowedHost struct {
	host string
	port string // "" for any port
}

type hostError struct {
	host   string
	reason string
}

func (e *hostError) Error() string { return fmt.Sprintf("host %q: %s", e.host, e.reason) }

func parseHostList(hosts []string) (hostList, *hostError) {
	var l hostList
	for _, h := range hosts {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if host, port, err := net.SplitHostPort(h); err == nil {
			if _, err := strconv.ParseUint(port, 10, 16); err != nil || host == "" {
				return nil, &hostError{h, "not a host or host:port"}
			}
			l = append(l, allowedHost{host: host, port: port})
			continue
		}
		h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
		if strings.ContainsAny(h, "/@?# ") {
			return nil, &hostError{h, "not a host or host:port"}
		}
		l = append(l, allowedHost{host: h})
	}
	return l, nil
}

// allows reports whether host and port are on the list.
func (l hostList) allows(host, port string) bool {
	for _, a := range l {
		if sameName(a.host, host) && (a.port == "" || a.port == port) {
			return true
		}
	}
	return false
}

// checkURL refuses what an agent URL must not be.
func (l hostList) checkURL(u *url.URL) *nakamawashi.Error {
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg(msgURL), Err: fmt.Errorf("scheme %q is not http or https", u.Scheme)}
	case u.User != nil:
		return &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg(msgURL), Err: errors.New("the URL carries credentials")}
	case u.Opaque != "" || u.Hostname() == "":
		return &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg(msgURL), Err: errors.New("the URL has no host")}
	case !l.allows(u.Hostname(), portOf(u)):
		return &nakamawashi.Error{Code: nakamawashi.EFORBIDDEN, Message: nakamawashi.Msg(msgHost, u.Hostname()),
			Err: fmt.Errorf("host %q is not in AllowedHosts", u.Host)}
	}
	return nil
}

// sameName compares host names without case and a trailing dot, and IP
// addresses by value (::ffff:10.0.0.1 is 10.0.0.1).
func sameName(a, b string) bool {
	a = strings.TrimSuffix(strings.Trim(a, "[]"), ".")
	b = strings.TrimSuffix(strings.Trim(b, "[]"), ".")
	ia, ib := net.ParseIP(a), net.ParseIP(b)
	if ia != nil || ib != nil {
		return ia != nil && ib != nil && ia.Equal(ib)
	}
	return a != "" && strings.EqualFold(a, b)
}

// guardedDial connects to an allowed host. A name is resolved here and
// must not lead to a link-local (169.254.169.254, the cloud metadata
// service), unspecified or multicast address: a name the administrator
// allowed could be pointed there later. An IP literal was allowed as such
// and is dialled as it is.
func guardedDial(ctx context.Context, network, addr string) (net.Conn, error) {
	return dialGuarded(ctx, &net.Dialer{Timeout: DefaultTimeout, KeepAlive: 30 * time.Second}, network, addr)
}

func dialGuarded(ctx context.Context, d *net.Dialer, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if net.ParseIP(host) != nil {
		return d.DialContext(ctx, network, addr)
	}
	ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, err
	}
	var firstErr error
	for _, ip := range ips {
		if forbiddenIP(ip.IP) {
			if firstErr == nil {
				firstErr = fmt.Errorf("%s resolves to %s, which is never dialled", host, ip.IP)
			}
			continue
		}
		c, err := d.DialContext(ctx, network, net.JoinHostPort(ip.IP.String(), port))
		if err == nil {
			return c, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = fmt.Errorf("%s has no address", host)
	}
	return nil, firstErr
}

func forbiddenIP(ip net.IP) bool {
	return ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast()
}
