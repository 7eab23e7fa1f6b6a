package nakamawashi

import (
	"context"
	"strings"
)

// MTConnectSource says where the server itself reads the states of a
// device of kind mtconnect: an MTConnect agent over HTTP (AgentURL, and
// AgentDevice when the agent serves several devices) or an SHDR adapter
// over TCP (AdapterAddr, host:port). Exactly one of AgentURL and
// AdapterAddr is set. Its host must be on the administrator's allow-list
// (serve --mtconnect-allow), which is checked when it is saved and again
// each time the server connects; the store checks only its form.
type MTConnectSource struct {
	DeviceID    int64  `json:"device_id"`
	CompanyID   int64  `json:"company_id"`
	MachineID   int64  `json:"machine_id"`
	AgentURL    string `json:"agent_url,omitempty"`
	AgentDevice string `json:"agent_device,omitempty"`
	AdapterAddr string `json:"adapter_addr,omitempty"`
}

// Validate trims the fields and checks their form.
func (s *MTConnectSource) Validate() error {
	pr := Problems{}
	s.AgentURL = strings.TrimSpace(s.AgentURL)
	s.AgentDevice = strings.TrimSpace(s.AgentDevice)
	s.AdapterAddr = strings.TrimSpace(s.AdapterAddr)
	if s.DeviceID <= 0 {
		pr.Add("device_id", "err.required")
	}
	switch {
	case s.AgentURL == "" && s.AdapterAddr == "":
		pr.Add("agent_url", "err.mtsource.source")
	case s.AgentURL != "" && s.AdapterAddr != "":
		pr.Add("adapter_addr", "err.mtsource.source")
	}
	for field, v := range map[string]string{"agent_url": s.AgentURL, "agent_device": s.AgentDevice, "adapter_addr": s.AdapterAddr} {
		if _, ok := validText(v, 300); !ok && v != "" {
			pr.Add(field, "err.text_max", 300)
		}
	}
	if s.AdapterAddr == "" && s.AgentDevice != "" && s.AgentURL == "" {
		pr.Add("agent_device", "err.mtsource.source")
	}
	return pr.Err()
}

// MTConnectService keeps the MTConnect sources of devices.
type MTConnectService interface {
	// SetMTConnectSource saves where the server reads the device's states;
	// the device must be of kind mtconnect and managed by the caller
	// (PermProfileEdit on its company). Empty AgentURL and AdapterAddr
	// remove the source.
	SetMTConnectSource(ctx context.Context, src *MTConnectSource) error
	// FindMTConnectSource returns the device's source, or nil.
	FindMTConnectSource(ctx context.Context, deviceID int64) (*MTConnectSource, error)
	// FindMTConnectSources lists the sources of all enabled devices, for
	// the server that runs them; the system actor only.
	FindMTConnectSources(ctx context.Context) ([]*MTConnectSource, error)
}
