package mtconnect

import (
	"errors"

	"github.com/nakamawashi/nakamawashi"
)

// CheckSource checks a device's source against the administrator's
// allow-list without connecting, as the server does before saving it: an
// empty list, a malformed address or a host not on the list is EINVALID
// with the message (naming the host) on the field at fault, agent_url or
// adapter_addr. The source's form is Validate's, not checked here.
func CheckSource(allow []string, s *nakamawashi.MTConnectSource) error {
	field := "agent_url"
	if s.AgentURL == "" && s.AdapterAddr != "" {
		field = "adapter_addr"
	}
	if len(allow) == 0 {
		m := nakamawashi.Msg("err.mtsource.not_allowed")
		return &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: m, Fields: map[string]nakamawashi.Message{field: m}}
	}
	var err error
	if field == "agent_url" {
		_, err = NewAgent(s.AgentURL, AgentOptions{AllowedHosts: allow})
	} else {
		_, err = NewAdapter(s.AdapterAddr, AdapterOptions{AllowedHosts: allow})
	}
	var ne *nakamawashi.Error
	if errors.As(err, &ne) {
		return &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: ne.Message, Fields: map[string]nakamawashi.Message{field: ne.Message}, Op: ne.Op, Err: ne.Err}
	}
	return err
}
