package nakamawashi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// AuditEvent records one change. Events form a hash chain: each carries the
// hash of the one before, so that altering, inserting or deleting a stored
// event breaks the chain. Events are written in the same transaction as the
// change they record and are never updated or deleted.
type AuditEvent struct {
	ID          int64     `json:"id"` // 1, 2, 3, … without gaps
	At          time.Time `json:"at"`
	ActorUserID int64     `json:"actor_user_id,omitempty"` // 0 for the system
	ActorName   string    `json:"actor_name"`
	CompanyID   int64     `json:"company_id,omitempty"` // the company whose records changed; 0 for the network
	Action      string    `json:"action"`               // e.g. "company.update"
	EntityType  string    `json:"entity_type"`          // e.g. "company"
	EntityID    int64     `json:"entity_id,omitempty"`
	Detail      string    `json:"detail,omitempty"` // JSON object, stored byte for byte
	PrevHash    string    `json:"prev_hash"`
	Hash        string    `json:"hash"`
}

// GenesisHash is the PrevHash of the first event.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// TimeFormat is the fixed-width UTC form in which times are hashed and, in
// SQLite, stored. Times are kept to the microsecond, the precision both
// stores share.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// TruncateTime brings t to the stored precision and to UTC.
func TruncateTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// ComputeHash returns the hash of e chained to e.PrevHash.
func (e *AuditEvent) ComputeHash() string {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
		b.WriteByte('\n')
	}
	field("nakamawashi-audit-v1")
	field(strconv.FormatInt(e.ID, 10))
	field(TruncateTime(e.At).Format(TimeFormat))
	field(strconv.FormatInt(e.ActorUserID, 10))
	field(e.ActorName)
	field(strconv.FormatInt(e.CompanyID, 10))
	field(e.Action)
	field(e.EntityType)
	field(strconv.FormatInt(e.EntityID, 10))
	field(e.Detail)
	field(e.PrevHash)
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// NewAuditEvent builds an event for the actor in ctx. detail is marshalled
// to JSON; a nil detail leaves it empty. The store fills ID, PrevHash and
// Hash when it appends the event.
func NewAuditEvent(ctx context.Context, at time.Time, companyID int64, action, entityType string, entityID int64, detail any) *AuditEvent {
	e := &AuditEvent{At: TruncateTime(at), CompanyID: companyID, Action: action, EntityType: entityType, EntityID: entityID}
	if a := ActorFromContext(ctx); a != nil && !a.System {
		e.ActorUserID, e.ActorName = a.UserID, a.UserName
	} else {
		e.ActorName = "system"
	}
	if detail != nil {
		if b, err := json.Marshal(detail); err == nil {
			e.Detail = string(b)
		}
	}
	return e
}

// Chain links e after the event whose ID and hash are given (0 and
// GenesisHash for the first) and computes its hash.
func (e *AuditEvent) Chain(prevID int64, prevHash string) {
	e.ID = prevID + 1
	e.PrevHash = prevHash
	e.Hash = e.ComputeHash()
}

// ChainVerifier checks a stream of events, in ID order, for an unbroken chain.
type ChainVerifier struct {
	prevID   int64
	prevHash string
	n        int64
}

// NewChainVerifier starts a verification at the genesis.
func NewChainVerifier() *ChainVerifier { return &ChainVerifier{prevHash: GenesisHash} }

// Check verifies the next event and returns a description of the first
// break it finds, or "" if e continues the chain.
func (v *ChainVerifier) Check(e *AuditEvent) string {
	switch {
	case e.ID != v.prevID+1:
		return "missing or reordered event: expected id " + strconv.FormatInt(v.prevID+1, 10) + ", found " + strconv.FormatInt(e.ID, 10)
	case e.PrevHash != v.prevHash:
		return "prev_hash does not match the hash of the event before"
	case e.ComputeHash() != e.Hash:
		return "stored hash does not match the event's content"
	}
	v.prevID, v.prevHash = e.ID, e.Hash
	v.n++
	return ""
}

// Count returns how many events verified so far.
func (v *ChainVerifier) Count() int64 { return v.n }

// AuditVerification is the result of checking the whole chain.
type AuditVerification struct {
	OK       bool   `json:"ok"`
	Events   int64  `json:"events"`              // events verified before the first break
	BrokenAt int64  `json:"broken_at,omitempty"` // id of the first bad event
	Reason   string `json:"reason,omitempty"`
	LastHash string `json:"last_hash,omitempty"`
}

// AuditFilter selects audit events.
type AuditFilter struct {
	CompanyID  *int64
	EntityType string
	EntityID   *int64
	Since      *time.Time
	Until      *time.Time
	Offset     int
	Limit      int
}

// AuditService reads the audit log. Writes happen inside the other services.
type AuditService interface {
	FindAuditEvents(ctx context.Context, filter AuditFilter) ([]*AuditEvent, int, error)
	// VerifyAuditChain walks the whole chain; only admins and the system may.
	VerifyAuditChain(ctx context.Context) (*AuditVerification, error)
}

// DefaultPageSize and MaxPageSize bound list queries.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// PageLimit returns the effective limit for a requested one.
func PageLimit(limit int) int {
	if limit <= 0 {
		return DefaultPageSize
	} else if limit > MaxPageSize {
		return MaxPageSize
	}
	return limit
}
