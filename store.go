package nakamawashi

import "context"

// Store is everything a database behind the platform provides: the services
// and the operations on the database itself. The sqlite and postgres
// packages implement it with the same behaviour; storetest checks that.
type Store interface {
	CompanyService
	UserService
	MembershipService
	AuthService
	AuditService
	DirectoryService
	DeviceService
	MTConnectService
	BoardService
	FlowService

	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Backup writes an online, consistent copy of the database to path,
	// which a server can open as its database. Stores that cannot (PostgreSQL
	// is backed up with its own tools) return EUNSUPPORTED with the way to do it.
	Backup(ctx context.Context, path string) error
	// Close releases the database.
	Close() error
}
