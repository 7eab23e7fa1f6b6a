// Package sqlite opens the platform's store on an SQLite file, the default
// for a deployment on one machine. It uses modernc.org/sqlite (pure Go, no
// cgo) and supplies the sqlstore.Dialect for it; the services themselves are
// in package sqlstore and behave exactly as on PostgreSQL.
//
// The database runs in WAL mode with synchronous=FULL, so that an
// acknowledged write survives a power cut. Writes go through one connection
// whose transactions begin IMMEDIATE; reads use a pool of their own and never
// wait for a writer. Migrations are embedded and run on Open.
//
// This package must not import net/http or another database driver.
package sqlite
