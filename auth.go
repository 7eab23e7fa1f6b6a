package nakamawashi

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are the argon2id cost settings. The defaults follow the
// OWASP recommendation (19 MiB, 2 passes, 1 lane).
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultPasswordParams is used for new hashes.
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1}

// HashPassword returns an argon2id hash of pw in the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash), with a fresh random salt.
func HashPassword(pw string, p PasswordParams) string {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// VerifyPassword reports whether pw matches an encoded argon2id hash, in
// constant time. A malformed hash never matches.
func VerifyPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false
	}
	var p PasswordParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	if p.Memory == 0 || p.Memory > 1<<20 || p.Time == 0 || p.Time > 16 || p.Threads == 0 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when a login names an unknown user, so that
// the answer takes as long as for a known one.
var dummyHash = HashPassword("nakamawashi-timing-equalizer", DefaultPasswordParams)

// VerifyDummyPassword spends the time of one verification and returns false.
func VerifyDummyPassword(pw string) bool {
	VerifyPassword(dummyHash, pw)
	return false
}

// NewToken returns a random secret with the given prefix (e.g. "nkm_" for API
// tokens): 32 random bytes in URL-safe base64.
func NewToken(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the SHA-256 of a high-entropy secret (session id, API
// token) in hex: what the stores keep instead of the secret itself.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Session lifetimes and login limits.
const (
	SessionIdleTimeout = 12 * time.Hour       // ended after this long without a request
	SessionMaxAge      = 7 * 24 * time.Hour   // ended this long after login, however active
	LoginWindow        = 15 * time.Minute     // failures counted over this window
	LoginMaxPerAccount = 5                    // failures per account in the window before lockout
	LoginMaxPerAddress = 20                   // failures per remote address in the window
	APITokenPrefix     = "nkm_"               // so that leaked tokens are recognizable
	APITokenMaxAge     = 366 * 24 * time.Hour // the longest an API token may live
)

// Session is a logged-in browser. Token is the secret cookie value; it is
// returned only when the session is created and stored only as a hash.
type Session struct {
	ID         int64
	Token      string // set only on creation
	UserID     int64
	CompanyID  int64 // the membership the user acts through
	Role       Role
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// APIToken is a bearer credential for the JSON API, bound to one user and
// one membership. Token is shown once, at creation.
type APIToken struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Token      string     `json:"token,omitempty"`
	UserID     int64      `json:"user_id"`
	CompanyID  int64      `json:"company_id"`
	Role       Role       `json:"role"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// Credentials is a login attempt.
type Credentials struct {
	Email      string
	Password   string
	RemoteAddr string // the client address, for rate limiting
	UserAgent  string
}

// AuthService logs users in and out and resolves credentials to actors.
type AuthService interface {
	// Login checks the credentials under the rate limits and creates a new
	// session (a new id at every login). Wrong credentials, a disabled user
	// and a user without membership are all EUNAUTHORIZED with one message;
	// too many failures are ETOOMANY.
	Login(ctx context.Context, cred Credentials) (*Session, *Actor, error)
	// Authenticate returns the session and actor for a session token and
	// extends the session's idle timeout.
	Authenticate(ctx context.Context, token string) (*Session, *Actor, error)
	// Logout ends the session.
	Logout(ctx context.Context, token string) error
	// SwitchCompany makes the session act through another of the user's
	// memberships.
	SwitchCompany(ctx context.Context, token string, membershipID int64) (*Actor, error)

	// AuthenticateAPIToken returns the actor for a bearer token.
	AuthenticateAPIToken(ctx context.Context, token string) (*Actor, error)
	// CreateAPIToken issues a token for the caller's current membership.
	CreateAPIToken(ctx context.Context, name string, expiresAt time.Time) (*APIToken, error)
	// FindAPITokens lists the caller's tokens (without secrets).
	FindAPITokens(ctx context.Context) ([]*APIToken, error)
	// RevokeAPIToken deletes one of the caller's tokens.
	RevokeAPIToken(ctx context.Context, id int64) error
}
