// Package postgres opens the platform's store on PostgreSQL, for deployments
// that have outgrown one machine: several servers share one database. It
// uses github.com/jackc/pgx/v5 through its database/sql driver and supplies
// the sqlstore.Dialect for it; the services themselves are in package
// sqlstore and behave exactly as on SQLite.
//
// The audit chain is serialized across servers with a transaction-level
// advisory lock, and migrations with a session-level one, so that servers
// starting together do not race. Backups are taken with pg_dump.
//
// This package must not import net/http or another database driver.
package postgres
