package mtconnect

// Message keys of the package's errors; their texts are in the root
// package's catalog (messages_iot.go).
const (
	msgURL        = "err.mtconnect.url"         // the agent URL is malformed, has credentials or a wrong scheme
	msgHost       = "err.mtconnect.host"        // the host is not on the administrator's list
	msgRedirect   = "err.mtconnect.redirect"    // the agent redirected to another host
	msgAddress    = "err.mtconnect.address"     // the adapter address is malformed
	msgDocument   = "err.mtconnect.document"    // the document is not MTConnect XML we can read
	msgTooLarge   = "err.mtconnect.too_large"   // the document or line is over its limit
	msgAgent      = "err.mtconnect.agent"       // the agent answered with an MTConnectError document
	msgConnection = "err.mtconnect.unavailable" // the agent or adapter cannot be reached
	msgSHDR       = "err.mtconnect.shdr"        // an SHDR line cannot be read
)
