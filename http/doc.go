// Package http serves the nakamawashi platform over HTTP: the JSON API under
// /api/v1, the server-rendered UI (html/template with htmx, both embedded),
// health and metrics endpoints.
//
// The package works only through the nakamawashi.Store interface and the
// domain types of the root package. It must never import a database driver
// or a store package (sqlite, postgres, sqlstore): cmd wires a store in. Every
// error leaves through one mapper (error.go), every JSON body enters through
// one decoder (json.go) and every route is listed in one table (routes.go).
package http
