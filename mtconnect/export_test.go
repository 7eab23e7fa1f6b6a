package mtconnect

// Messages exposes the package's catalog entries to its tests.
var Messages = messages
