package sparkplug_test

import (
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi/sparkplug"
)

func TestParseTopic(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want sparkplug.Topic
	}{
		{"spBv1.0/Shop A/NBIRTH/edge-1", sparkplug.Topic{GroupID: "Shop A", Type: sparkplug.NBIRTH, EdgeNodeID: "edge-1"}},
		{"spBv1.0/g/NDEATH/n", sparkplug.Topic{GroupID: "g", Type: sparkplug.NDEATH, EdgeNodeID: "n"}},
		{"spBv1.0/g/NDATA/n", sparkplug.Topic{GroupID: "g", Type: sparkplug.NDATA, EdgeNodeID: "n"}},
		{"spBv1.0/g/NCMD/n", sparkplug.Topic{GroupID: "g", Type: sparkplug.NCMD, EdgeNodeID: "n"}},
		{"spBv1.0/g/DBIRTH/n/旋盤1", sparkplug.Topic{GroupID: "g", Type: sparkplug.DBIRTH, EdgeNodeID: "n", DeviceID: "旋盤1"}},
		{"spBv1.0/g/DDEATH/n/d", sparkplug.Topic{GroupID: "g", Type: sparkplug.DDEATH, EdgeNodeID: "n", DeviceID: "d"}},
		{"spBv1.0/g/DDATA/n/d", sparkplug.Topic{GroupID: "g", Type: sparkplug.DDATA, EdgeNodeID: "n", DeviceID: "d"}},
		{"spBv1.0/g/DCMD/n/d", sparkplug.Topic{GroupID: "g", Type: sparkplug.DCMD, EdgeNodeID: "n", DeviceID: "d"}},
		{"spBv1.0/STATE/scada-1", sparkplug.Topic{Type: sparkplug.STATE, HostID: "scada-1"}},
	} {
		got, err := sparkplug.ParseTopic(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.in, got, tt.want)
		}
		if got.String() != tt.in {
			t.Errorf("%s: String() = %q", tt.in, got.String())
		}
	}
}

func TestParseTopicErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", "namespace"},
		{"spAv1.0/g/NDATA/n", "namespace"},
		{"spBv1.0/g/NDATA", "want spBv1.0/{group_id}"},
		{"spBv1.0/g/NDATA/n/d", "no device_id"},
		{"spBv1.0/g/DDATA/n", "/{device_id}"},
		{"spBv1.0/g/DDATA/n/d/x", "/{device_id}"},
		{"spBv1.0/g/NPOKE/n", "unknown message type"},
		{"spBv1.0/g/ndata/n", "unknown message type"},
		{"spBv1.0//NDATA/n", "empty group_id"},
		{"spBv1.0/g/NDATA/", "empty edge_node_id"},
		{"spBv1.0/g/DDATA/n/", "empty device_id"},
		{"spBv1.0/g+/NDATA/n", "'+'"},
		{"spBv1.0/g/NDATA/#", "'#'"},
		{"spBv1.0/STATE", "STATE/{host_id}"},
		{"spBv1.0/STATE/h/x", "STATE/{host_id}"},
	} {
		_, err := sparkplug.ParseTopic(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want an error with %q", tt.in, err, tt.want)
		}
	}
}
