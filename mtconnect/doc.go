// Package mtconnect connects nakamawashi to machine tools that speak
// MTConnect: it decodes agent documents (MTConnectDevices from /probe,
// MTConnectStreams from /current and /sample, MTConnectError), polls an
// agent over HTTP with a sequence cursor that recovers when the agent
// restarts or its buffer moves past the cursor, reads an adapter's SHDR
// stream over TCP with PING/PONG heartbeats, and routes the data items that
// matter (Availability, Execution, EmergencyStop, ControllerMode,
// Condition) to the module's one MTConnect mapping,
// telemetry.MTConnectState; SHDR lines are read by telemetry's parser.
//
// The package talks to machines only. It must never import a database
// driver, database/sql or a store of the module: whatever keeps the states
// (telemetry, a store) consumes what this package delivers through
// callbacks. It imports the root package for its one error type and the
// pure telemetry package for the parser and the mapping.
//
// Every network address comes from an administrator's list (AllowedHosts):
// a URL or adapter address whose host is not on it is refused, loopback and
// private addresses included, and so are redirects to another host, schemes
// other than http and https, and credentials in URLs.
//
// Every decoder bounds its input (MaxDocumentBytes, MaxDepth, MaxLineBytes)
// and is fuzzed; a bad value inside a document (such as a timestamp that
// reads "TIME") is reported on that observation, not as a failure of the
// whole document.
package mtconnect
