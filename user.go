package nakamawashi

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Language is a user's language for the UI, documents and messages.
type Language string

// The languages of the catalog. Japanese comes first and is the default.
const (
	Japanese Language = "ja"
	English  Language = "en"
)

// Languages lists the supported languages, default first.
var Languages = []Language{Japanese, English}

// ParseLanguage returns the language for a tag such as "en", "en-US" or
// "ja-JP", and Japanese for anything else.
func ParseLanguage(s string) Language {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "en" || strings.HasPrefix(s, "en-") || strings.HasPrefix(s, "en_") {
		return English
	}
	return Japanese
}

// User is a person who logs in. A user acts for a company through a Membership.
type User struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Language  Language  `json:"language"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate normalizes u and checks its fields.
func (u *User) Validate() error {
	u.Email = strings.ToLower(NormalizeWidth(u.Email))
	u.Name = NormalizeName(u.Name)
	if u.Language == "" {
		u.Language = Japanese
	}
	p := Problems{}
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email || len(u.Email) > 254 {
		p.Add("email", "err.email")
	}
	if u.Name == "" {
		p.Add("name", "err.required")
	} else if _, ok := validText(u.Name, 100); !ok {
		p.Add("name", "err.text_max", 100)
	}
	if u.Language != Japanese && u.Language != English {
		p.Add("language", "err.language")
	}
	return p.Err()
}

// Password limits. The upper bound keeps hashing cheap to refuse.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 200
)

// ValidatePassword checks a new password's length; it returns an EINVALID
// error on the field "password".
func ValidatePassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	p := Problems{}
	if !utf8.ValidString(pw) || n < MinPasswordLength {
		p.Add("password", "err.password_short", MinPasswordLength)
	} else if n > MaxPasswordLength {
		p.Add("password", "err.text_max", MaxPasswordLength)
	}
	return p.Err()
}

// UserFilter selects users.
type UserFilter struct {
	ID        *int64
	Email     string
	CompanyID *int64 // users with a membership in this company
	Offset    int
	Limit     int
}

// UserUpdate holds the fields of a user to change.
type UserUpdate struct {
	Name     *string   `json:"name"`
	Language *Language `json:"language"`
	Disabled *bool     `json:"disabled"`
}

// NewUser is what it takes to create a user and, optionally, a first
// membership in a company.
type NewUser struct {
	User      User
	Password  string
	CompanyID int64 // 0: no membership yet
	Role      Role
}

// UserService manages users. A user sees and edits itself; owners see the
// users of their company; admins see all.
type UserService interface {
	FindUserByID(ctx context.Context, id int64) (*User, error)
	FindUsers(ctx context.Context, filter UserFilter) ([]*User, int, error)
	CreateUser(ctx context.Context, nu *NewUser) (*User, error)
	UpdateUser(ctx context.Context, id int64, upd UserUpdate) (*User, error)
	ChangePassword(ctx context.Context, id int64, current, next string) error
}
