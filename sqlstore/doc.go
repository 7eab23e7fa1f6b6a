// Package sqlstore implements nakamawashi.Store on database/sql, once, for
// every SQL engine the platform runs on. The engines differ only through a
// small Dialect: how placeholders are written, how times are stored, how the
// audit chain is locked, how a backup is taken and how a unique-constraint
// violation is recognised. The sqlite and postgres packages each provide a
// Dialect, their own migrations and an Open function.
//
// Every service method runs in one transaction with a fixed "now", decides
// access only through the policy of the root package (Authorize, Scope,
// Actor.Can) and appends its audit events in the same transaction.
//
// This package must never import a database driver: drivers belong to the
// engine packages, so that a build with one engine does not carry the other.
package sqlstore
