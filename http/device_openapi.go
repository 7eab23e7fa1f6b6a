package http

import (
	"reflect"

	"github.com/nakamawashi/nakamawashi"
)

// addIoTAPI adds the devices, what shops share and the machine boards to
// the OpenAPI document.
func addIoTAPI(doc obj) {
	paths, schemas := doc["paths"].(obj), doc["components"].(obj)["schemas"].(obj)
	gen := &schemaGen{schemas: schemas}
	for name, v := range map[string]any{
		"Device": apiDevice{}, "DeviceCreate": deviceRequest{}, "DeviceCredentials": deviceCredentials{},
		"TelemetrySharing": sharingBody{}, "MTConnectSource": nakamawashi.MTConnectSource{}, "MTConnectSourceSet": mtconnectSource{}, "Board": boardData{}, "MachineDay": dayChart{},
	} {
		gen.define(name, reflect.TypeOf(v))
	}
	schemas["TelemetrySharing"].(obj)["properties"].(obj)["sharing"] = obj{"type": "string", "enum": nakamawashi.TelemetrySharings,
		"description": "none, status (the default) or utilization"}
	schemas["DeviceCreate"].(obj)["properties"].(obj)["kind"] = obj{"type": "string", "enum": nakamawashi.DeviceKinds}

	id := pathParam("id", "Company id")
	did := pathParam("did", "Device id")
	mid := pathParam("mid", "Machine id")
	act := []string{"400", "401", "403", "404", "409", "413", "415"}
	read := []string{"401", "403", "404"}
	paths["/api/v1/companies/{id}/devices"] = obj{
		"get": op("List a company's devices (without secrets), with whether each is online", "listDevices", []obj{id}, nil, "200",
			okJSON("Devices", listOf("Device")), read...),
		"post": op("Register a device on a machine of the company; the answer holds its secret, shown this once, and its MQTT settings", "createDevice",
			[]obj{id}, jsonBody(ref("DeviceCreate")), "201", okJSON("The device's credentials", ref("DeviceCredentials")), act...),
	}
	paths["/api/v1/companies/{id}/devices/{did}/rotate-secret"] = obj{"post": op("Issue a device a new secret; the old one stops working", "rotateDeviceSecret",
		[]obj{id, did}, nil, "200", okJSON("The device's new credentials", ref("DeviceCredentials")), act...)}
	paths["/api/v1/companies/{id}/devices/{did}/enable"] = obj{"post": op("Enable a disabled device with a new secret", "enableDevice",
		[]obj{id, did}, nil, "200", okJSON("The device's new credentials", ref("DeviceCredentials")), act...)}
	paths["/api/v1/companies/{id}/devices/{did}/disable"] = obj{"post": op("Disable a device: it can no longer log in", "disableDevice",
		[]obj{id, did}, nil, "200", okJSON("The device", ref("Device")), act...)}
	paths["/api/v1/companies/{id}/devices/{did}"] = obj{"delete": op("Delete a device; its machine keeps the states it reported", "deleteDevice",
		[]obj{id, did}, nil, "204", obj{"description": "Deleted"}, act...)}
	paths["/api/v1/companies/{id}/devices/{did}/mtconnect"] = obj{
		"get": op("Where the server reads a device of kind mtconnect: an MTConnect agent (URL, device name) or an SHDR adapter (host:port); empty addresses when it has none",
			"getMTConnectSource", []obj{id, did}, nil, "200", okJSON("The source", ref("MTConnectSource")), read...),
		"put": op("Set where the server reads a device of kind mtconnect: agent_url (with agent_device when the agent serves several devices) or adapter_addr, not both; the host must be on the administrator's allow-list (serve --mtconnect-allow), else 400 naming it; all empty removes the source",
			"setMTConnectSource", []obj{id, did}, jsonBody(ref("MTConnectSourceSet")), "200", okJSON("The source", ref("MTConnectSource")), act...),
	}
	paths["/api/v1/companies/{id}/telemetry-sharing"] = obj{
		"get": op("What a company shows other companies of its machines", "getTelemetrySharing", []obj{id}, nil, "200",
			okJSON("The level", ref("TelemetrySharing")), read...),
		"put": op("Choose what the company shows other companies of its machines", "setTelemetrySharing", []obj{id},
			jsonBody(ref("TelemetrySharing")), "200", okJSON("The level", ref("TelemetrySharing")), act...),
	}
	paths["/api/v1/companies/{id}/board"] = obj{"get": op("A shop's machines: current state, since when and today's utilization, as far as the shop shares them with the caller",
		"getCompanyBoard", []obj{id}, nil, "200", okJSON("The board", ref("Board")), read...)}
	paths["/api/v1/board"] = obj{"get": op("The network's machines as far as each shop shares them, with counts by state, process and region",
		"getNetworkBoard", nil, nil, "200", okJSON("The board", ref("Board")), "401", "403")}
	paths["/api/v1/machines/{mid}/day"] = obj{"get": op("A machine's day: state intervals, planned hours, time in each state, utilization and (for the shop, the office and coordinators) the traveler scans at its company",
		"getMachineDay", []obj{mid, queryParam("date", "The day (2006-01-02, Japan); today by default", obj{"type": "string", "format": "date"})}, nil, "200",
		okJSON("The day", ref("MachineDay")), append(read, "400")...)}
}
