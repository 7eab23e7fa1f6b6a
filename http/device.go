package http

import (
	"context"
	"net"
	gohttp "net/http"
	"strconv"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mtconnect"
)

// deviceRow is a device as the list shows it.
type deviceRow struct {
	*nakamawashi.Device
	Machine string // the machine's label
	Online  bool   // its machine's latest state came from it and is not off
	// Source is where the server reads a device of kind mtconnect; nil
	// when it has none.
	Source *nakamawashi.MTConnectSource
}

// deviceView is what the device pages and API answers show of a company's
// devices.
type deviceView struct {
	Company  *nakamawashi.Company
	Devices  []deviceRow
	Machines []*nakamawashi.Machine
	Sharing  nakamawashi.TelemetrySharing
	Issued   *deviceCredentials // a secret just issued, shown once
	// MTConnect: some device is of kind mtconnect; MTConnectAllowed: the
	// administrator allows some MTConnect hosts.
	MTConnect, MTConnectAllowed bool
}

// deviceCredentials are what a device needs to log in: shown once, when
// its secret is issued.
type deviceCredentials struct {
	Device    *nakamawashi.Device `json:"device"`
	Secret    string              `json:"secret"`
	Host      string              `json:"host"`
	Port      int                 `json:"port"`
	Username  string              `json:"username"`
	ClientID  string              `json:"client_id"`
	Publish   []string            `json:"publish"`   // topics the device may publish to
	Subscribe []string            `json:"subscribe"` // topics it may subscribe to
	Example   string              `json:"example"`   // a mosquitto_pub command line
}

// deviceTopics returns the topics a device of kind may publish and
// subscribe to on its machine (docs/IOT.md).
func deviceTopics(d *nakamawashi.Device) (pub, sub []string) {
	c, m := d.Topic()
	if d.Kind == nakamawashi.DeviceSparkplug {
		return []string{"spBv1.0/" + c + "/NBIRTH/" + m, "spBv1.0/" + c + "/NDATA/" + m, "spBv1.0/" + c + "/NDEATH/" + m,
				"spBv1.0/" + c + "/DBIRTH/" + m + "/+", "spBv1.0/" + c + "/DDATA/" + m + "/+", "spBv1.0/" + c + "/DDEATH/" + m + "/+"},
			[]string{"spBv1.0/" + c + "/NCMD/" + m, "spBv1.0/" + c + "/DCMD/" + m + "/+"}
	}
	base := "nakamawashi/v1/" + c + "/" + m + "/"
	return []string{base + "state", base + "light", base + "count", base + "status"}, []string{base + "cmd"}
}

// mqttEndpoint returns the host and port devices connect to: the server's
// MQTTAddr, with the host the browser used when it names none.
func (s *Server) mqttEndpoint(r *gohttp.Request) (string, int) {
	host, port := "", 1883
	if s.MQTTAddr != "" {
		h, p, err := net.SplitHostPort(s.MQTTAddr)
		if err == nil {
			host = h
			if n, err := strconv.Atoi(p); err == nil && n > 0 {
				port = n
			}
		}
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = r.Host
		if h, _, err := net.SplitHostPort(r.Host); err == nil {
			host = h
		}
	}
	return host, port
}

// credentials assembles what is shown once of a device's new secret.
func (s *Server) credentials(r *gohttp.Request, d *nakamawashi.Device, secret string) *deviceCredentials {
	host, port := s.mqttEndpoint(r)
	pub, sub := deviceTopics(d)
	c := &deviceCredentials{Device: d, Secret: secret, Host: host, Port: port, Username: d.Username, ClientID: d.Username,
		Publish: pub, Subscribe: sub}
	if d.Kind != nakamawashi.DeviceSparkplug {
		c.Example = "mosquitto_pub -h " + host + " -p " + strconv.Itoa(port) + " -u " + d.Username + " -P '" + secret +
			"' -i " + d.Username + " -q 1 -t " + pub[0] + ` -m '{"state":"running"}'`
	}
	return c
}

// deviceCompany authorizes the caller to manage the devices of the company
// in the path: a company whose devices the caller may not manage is not
// found, so that nobody learns of another company's devices.
func (s *Server) deviceCompany(r *gohttp.Request) (int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, err
	}
	a := nakamawashi.ActorFromContext(r.Context())
	if !a.Can(nakamawashi.PermProfileEdit, id) {
		return 0, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.company.not_found")
	}
	return id, nil
}

// companyDevice returns the device in the path, a device of the company in
// the path, or ENOTFOUND.
func (s *Server) companyDevice(r *gohttp.Request) (int64, *nakamawashi.Device, error) {
	id, err := s.deviceCompany(r)
	if err != nil {
		return 0, nil, err
	}
	did, err := pathID(r, "did")
	if err != nil {
		return 0, nil, err
	}
	ds, err := s.Store.FindDevices(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	for _, d := range ds {
		if d.ID == did {
			return id, d, nil
		}
	}
	return 0, nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.device.not_found")
}

// loadDevices reads the company's devices with their machines and online
// state, and what the company shares.
func (s *Server) loadDevices(ctx context.Context, companyID int64) (*deviceView, error) {
	c, err := s.Store.FindCompanyByID(ctx, companyID)
	if err != nil {
		return nil, err
	}
	ds, err := s.Store.FindDevices(ctx, companyID)
	if err != nil {
		return nil, err
	}
	ms, err := s.Store.FindMachines(ctx, companyID)
	if err != nil {
		return nil, err
	}
	board, err := s.Store.FindBoard(ctx, nakamawashi.BoardFilter{CompanyID: companyID})
	if err != nil {
		return nil, err
	}
	sharing, err := s.Store.TelemetrySharing(ctx, companyID)
	if err != nil {
		return nil, err
	}
	current := map[int64]*nakamawashi.StateInterval{}
	for _, bm := range board {
		current[bm.Machine.ID] = bm.Current
	}
	labels := map[int64]string{}
	for _, m := range ms {
		labels[m.ID] = machineLabel(m)
	}
	v := &deviceView{Company: c, Machines: ms, Sharing: sharing, Devices: []deviceRow{}, MTConnectAllowed: len(s.MTConnectAllow) > 0}
	for _, d := range ds {
		cur := current[d.MachineID]
		row := deviceRow{Device: d, Machine: labels[d.MachineID],
			Online: !d.Disabled && cur != nil && cur.DeviceID == d.ID && cur.State != "off"}
		if d.Kind == nakamawashi.DeviceMTConnect {
			v.MTConnect = true
			if row.Source, err = s.Store.FindMTConnectSource(ctx, d.ID); err != nil {
				return nil, err
			}
		}
		v.Devices = append(v.Devices, row)
	}
	return v, nil
}

// machineLabel names a machine in lists: its id, maker and model (or
// its process).
func machineLabel(m *nakamawashi.Machine) string {
	return nakamawashi.MachineLabel(m.ID, m.Process, m.Maker, m.Model)
}

// handleDeviceList shows the company's devices, the form to register one
// and what the company shares.
func (s *Server) handleDeviceList(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := s.deviceCompany(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.renderDevices(w, r, gohttp.StatusOK, id, nil, nil, nil)
}

func (s *Server) renderDevices(w gohttp.ResponseWriter, r *gohttp.Request, status int, companyID int64, issued *deviceCredentials, form map[string]string, ferr error) {
	v, err := s.loadDevices(r.Context(), companyID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	v.Issued = issued
	p := s.newPage(w, r, "ui.device.title")
	p.Data = v
	if form == nil {
		form = map[string]string{}
	}
	p.Form = form
	if ok := r.URL.Query().Get("ok"); ok != "" && issued == nil && ferr == nil {
		p.Notice = "ui.device.ok." + map[string]string{"disabled": "disabled", "deleted": "deleted", "sharing": "sharing", "mtconnect": "mtconnect"}[ok]
		if p.Notice == "ui.device.ok." {
			p.Notice = ""
		}
	}
	s.renderForm(w, r, status, "devices", p, ferr)
}

// handleDeviceCreate registers a device and shows its secret once.
func (s *Server) handleDeviceCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := s.deviceCompany(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.parseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	form := map[string]string{"name": r.PostFormValue("name"), "kind": r.PostFormValue("kind"), "machine_id": r.PostFormValue("machine_id")}
	d := &nakamawashi.Device{CompanyID: id, Name: form["name"], Kind: nakamawashi.DeviceKind(form["kind"])}
	if form["machine_id"] != "" {
		d.MachineID, _ = parseID(form["machine_id"])
	}
	secret, err := s.createDevice(r.Context(), d)
	if err != nil {
		s.renderDevices(w, r, 0, id, nil, form, err)
		return
	}
	s.renderDevices(w, r, gohttp.StatusCreated, id, s.credentials(r, d, secret), nil, nil)
}

// handleDeviceSecret rotates (enable false) or re-enables a device and
// shows the new secret once.
func (s *Server) handleDeviceSecret(enable bool) gohttp.HandlerFunc {
	return func(w gohttp.ResponseWriter, r *gohttp.Request) {
		id, d, err := s.companyDevice(r)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		secret, err := s.newDeviceSecret(r.Context(), d, enable)
		if err != nil {
			s.renderDevices(w, r, 0, id, nil, nil, err)
			return
		}
		s.renderDevices(w, r, gohttp.StatusOK, id, s.credentials(r, d, secret), nil, nil)
	}
}

// createDevice registers d and returns its secret; a machine the store
// does not find is the form's machine_id.
func (s *Server) createDevice(ctx context.Context, d *nakamawashi.Device) (string, error) {
	secret, err := s.Store.CreateDevice(ctx, d)
	if nakamawashi.ErrorCode(err) == nakamawashi.ENOTFOUND {
		pr := nakamawashi.Problems{}
		pr.Add("machine_id", "err.device.machine")
		err = pr.Err()
	}
	return secret, err
}

// newDeviceSecret issues d a new secret: re-enabling it (enable) or
// rotating the one it has.
func (s *Server) newDeviceSecret(ctx context.Context, d *nakamawashi.Device, enable bool) (string, error) {
	if enable {
		d.Disabled = false
		return s.Store.EnableDevice(ctx, d.ID)
	}
	return s.Store.RotateDeviceSecret(ctx, d.ID)
}

// handleDeviceAction disables or deletes a device (act), then shows the
// list with the notice ok.
func (s *Server) handleDeviceAction(act func(nakamawashi.Store, context.Context, int64) error, ok string) gohttp.HandlerFunc {
	return func(w gohttp.ResponseWriter, r *gohttp.Request) {
		id, d, err := s.companyDevice(r)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		if err := act(s.Store, r.Context(), d.ID); err != nil {
			s.Error(w, r, err)
			return
		}
		gohttp.Redirect(w, r, "/companies/"+itoa(id)+"/devices?ok="+ok, gohttp.StatusSeeOther)
	}
}

// mtconnectSource is a device's MTConnect source in the API and the form.
type mtconnectSource struct {
	AgentURL    string `json:"agent_url"`
	AgentDevice string `json:"agent_device"`
	AdapterAddr string `json:"adapter_addr"`
}

// setMTConnectSource checks the device's new source against the
// allow-list and saves it; empty fields remove it, with no check.
func (s *Server) setMTConnectSource(ctx context.Context, d *nakamawashi.Device, req mtconnectSource) (*nakamawashi.MTConnectSource, error) {
	src := &nakamawashi.MTConnectSource{DeviceID: d.ID, AgentURL: req.AgentURL, AgentDevice: req.AgentDevice, AdapterAddr: req.AdapterAddr}
	remove := strings.TrimSpace(src.AgentURL+src.AgentDevice+src.AdapterAddr) == ""
	if d.Kind != nakamawashi.DeviceMTConnect {
		return nil, nakamawashi.Errorf(nakamawashi.EINVALID, "err.mtsource.kind")
	}
	if remove {
		src.AgentURL, src.AgentDevice, src.AdapterAddr = "", "", ""
	} else {
		if err := src.Validate(); err != nil {
			return nil, err
		}
		if err := mtconnect.CheckSource(s.MTConnectAllow, src); err != nil {
			return nil, err
		}
	}
	if err := s.Store.SetMTConnectSource(ctx, src); err != nil {
		return nil, err
	}
	if remove {
		return nil, nil
	}
	return src, nil
}

// handleMTConnectSet saves (or, empty, removes) where the server reads a
// device of kind mtconnect.
func (s *Server) handleMTConnectSet(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, d, err := s.companyDevice(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.parseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	req := mtconnectSource{AgentURL: r.PostFormValue("agent_url"), AgentDevice: r.PostFormValue("agent_device"), AdapterAddr: r.PostFormValue("adapter_addr")}
	if _, err := s.setMTConnectSource(r.Context(), d, req); err != nil {
		form := map[string]string{"mt_device": itoa(d.ID), "agent_url": req.AgentURL, "agent_device": req.AgentDevice, "adapter_addr": req.AdapterAddr}
		s.renderDevices(w, r, 0, id, nil, form, err)
		return
	}
	gohttp.Redirect(w, r, "/companies/"+itoa(id)+"/devices?ok=mtconnect", gohttp.StatusSeeOther)
}

// mtconnectField is a field of the MTConnect source form with its label.
type mtconnectField struct{ Field, Label string }

// mtconnectFields lists the fields of the MTConnect source form.
func mtconnectFields() []mtconnectField {
	return []mtconnectField{{"agent_url", "ui.mtsource.agent_url"}, {"agent_device", "ui.mtsource.agent_device"}, {"adapter_addr", "ui.mtsource.adapter_addr"}}
}

// mtconnectValue returns a field of a saved source, for the form.
func mtconnectValue(src *nakamawashi.MTConnectSource, field string) string {
	switch field {
	case "agent_url":
		return src.AgentURL
	case "agent_device":
		return src.AgentDevice
	case "adapter_addr":
		return src.AdapterAddr
	}
	return ""
}

// apiMTConnectBody is a device's MTConnect source in API answers; the
// addresses are empty when it has none.
func apiMTConnectBody(d *nakamawashi.Device, src *nakamawashi.MTConnectSource) *nakamawashi.MTConnectSource {
	if src == nil {
		return &nakamawashi.MTConnectSource{DeviceID: d.ID, CompanyID: d.CompanyID, MachineID: d.MachineID}
	}
	return src
}

func (s *Server) apiMTConnectGet(w gohttp.ResponseWriter, r *gohttp.Request) {
	_, d, err := s.companyDevice(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	src, err := s.Store.FindMTConnectSource(r.Context(), d.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, apiMTConnectBody(d, src))
}

func (s *Server) apiMTConnectSet(w gohttp.ResponseWriter, r *gohttp.Request) {
	_, d, err := s.companyDevice(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var req mtconnectSource
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	src, err := s.setMTConnectSource(r.Context(), d, req)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, apiMTConnectBody(d, src))
}

// handleSharingUpdate changes what the company shares of its machines.
func (s *Server) handleSharingUpdate(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := s.deviceCompany(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.parseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.SetTelemetrySharing(r.Context(), id, nakamawashi.TelemetrySharing(r.PostFormValue("sharing"))); err != nil {
		s.renderDevices(w, r, 0, id, nil, nil, err)
		return
	}
	gohttp.Redirect(w, r, "/companies/"+itoa(id)+"/devices?ok=sharing", gohttp.StatusSeeOther)
}

// apiDevice is a device in API answers.
type apiDevice struct {
	*nakamawashi.Device
	Online bool `json:"online"`
}

func (s *Server) apiDeviceList(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := s.deviceCompany(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	v, err := s.loadDevices(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]apiDevice, len(v.Devices))
	for i, d := range v.Devices {
		out[i] = apiDevice{d.Device, d.Online}
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(out, len(out), 0, len(out)))
}

// deviceRequest is what a client sends to register a device.
type deviceRequest struct {
	Name      string                 `json:"name"`
	Kind      nakamawashi.DeviceKind `json:"kind"`
	MachineID int64                  `json:"machine_id"`
}

func (s *Server) apiDeviceCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := s.deviceCompany(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var req deviceRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	d := &nakamawashi.Device{CompanyID: id, Name: req.Name, Kind: req.Kind, MachineID: req.MachineID}
	secret, err := s.createDevice(r.Context(), d)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/companies/"+itoa(id)+"/devices/"+itoa(d.ID))
	s.writeJSON(w, r, gohttp.StatusCreated, s.credentials(r, d, secret))
}

func (s *Server) apiDeviceSecret(enable bool) gohttp.HandlerFunc {
	return func(w gohttp.ResponseWriter, r *gohttp.Request) {
		_, d, err := s.companyDevice(r)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		secret, err := s.newDeviceSecret(r.Context(), d, enable)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		s.writeJSON(w, r, gohttp.StatusOK, s.credentials(r, d, secret))
	}
}

func (s *Server) apiDeviceDisable(w gohttp.ResponseWriter, r *gohttp.Request) {
	_, d, err := s.companyDevice(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.DisableDevice(r.Context(), d.ID); err != nil {
		s.Error(w, r, err)
		return
	}
	d.Disabled = true
	s.writeJSON(w, r, gohttp.StatusOK, d)
}

func (s *Server) apiDeviceDelete(w gohttp.ResponseWriter, r *gohttp.Request) {
	_, d, err := s.companyDevice(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.DeleteDevice(r.Context(), d.ID); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(gohttp.StatusNoContent)
}

// sharingBody is a company's sharing choice in the API.
type sharingBody struct {
	Sharing nakamawashi.TelemetrySharing `json:"sharing"`
}

func (s *Server) apiSharingGet(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	v, err := s.Store.TelemetrySharing(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, sharingBody{v})
}

func (s *Server) apiSharingSet(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := s.deviceCompany(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var req sharingBody
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.SetTelemetrySharing(r.Context(), id, req.Sharing); err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, req)
}

// lastSeen formats a device's last authentication for the list.
func lastSeen(t *time.Time) string {
	if t == nil {
		return ""
	}
	return formatTime(*t, "2006-01-02 15:04")
}
