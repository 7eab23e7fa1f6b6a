// Package mail sends the order flow's notifications by email, when an SMTP
// server is configured. Notifications live in the database first (the
// in-app list is the record); this package only carries them further, at
// least once: a notification is marked emailed after the server accepted
// it, so a crash between the two sends it again rather than never.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// Config says how to reach the SMTP server.
type Config struct {
	Addr     string // host:port, e.g. smtp.example.jp:587
	From     string // the sender address, e.g. nakamawashi@example.jp
	Username string // for PLAIN auth; empty for none
	Password string
	BaseURL  string // prefixed to the notifications' links, e.g. https://nakamawashi.example.jp
}

// Validate checks the configuration.
func (c Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("smtp address %q: want host:port, e.g. smtp.example.jp:587", c.Addr)
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("smtp sender %q: want an email address", c.From)
	}
	return nil
}

// Store is what the sender needs of the store.
type Store interface {
	PendingEmails(ctx context.Context, limit int) ([]*nakamawashi.PendingEmail, error)
	MarkEmailed(ctx context.Context, ids []int64) error
}

// Sender mails pending notifications.
type Sender struct {
	Config Config
	Store  Store
	Logger *slog.Logger
	// Interval is how often the queue is read; 0 means 30 seconds.
	Interval time.Duration
	// Batch is how many notifications one round takes; 0 means 50.
	Batch int
	// dial connects to the server; tests keep the default.
	dial func(ctx context.Context, addr string) (net.Conn, error)
}

// Run sends until ctx ends. The actor in ctx must be the system.
func (s *Sender) Run(ctx context.Context) {
	interval := s.Interval
	if interval <= 0 {
		interval = 30 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.SendPending(ctx); err != nil && ctx.Err() == nil {
			s.logger().Warn("mail notifications", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SendPending sends one batch and returns how many notifications were sent.
func (s *Sender) SendPending(ctx context.Context) (int, error) {
	batch := s.Batch
	if batch <= 0 {
		batch = 50
	}
	pending, err := s.Store.PendingEmails(ctx, batch)
	if err != nil {
		return 0, err
	}
	var sent []int64
	var errs []error
	for _, p := range pending {
		if len(p.To) > 0 {
			if err := s.send(ctx, p); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		// A notification with nobody to mail counts as done.
		sent = append(sent, p.Notification.ID)
	}
	if len(sent) > 0 {
		if err := s.Store.MarkEmailed(ctx, sent); err != nil {
			errs = append(errs, err)
		}
	}
	return len(sent), errors.Join(errs...)
}

// Message renders the email of a notification: the subject and a plain
// text body in the reader's language.
func (s *Sender) Message(p *nakamawashi.PendingEmail) (subject, body string) {
	n := p.Notification
	text := n.Text
	if text == "" {
		text = n.Message.In(p.Language)
	}
	subject = nakamawashi.Localize(p.Language, "mail.subject", text)
	link := strings.TrimRight(s.Config.BaseURL, "/") + n.Link
	body = text + "\r\n\r\n" + link + "\r\n\r\n" + nakamawashi.Localize(p.Language, "mail.footer") + "\r\n"
	return subject, body
}

func (s *Sender) send(ctx context.Context, p *nakamawashi.PendingEmail) error {
	subject, body := s.Message(p)
	var msg strings.Builder
	fmt.Fprintf(&msg, "From: %s\r\n", s.Config.From)
	fmt.Fprintf(&msg, "To: %s\r\n", strings.Join(p.To, ", "))
	fmt.Fprintf(&msg, "Subject: %s\r\n", mime.BEncoding.Encode("UTF-8", subject))
	fmt.Fprintf(&msg, "Date: %s\r\n", time.Now().Format(time.RFC1123Z))
	msg.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	msg.WriteString(body)

	dial := s.dial
	if dial == nil {
		var d net.Dialer
		dial = func(ctx context.Context, addr string) (net.Conn, error) { return d.DialContext(ctx, "tcp", addr) }
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := dial(ctx, s.Config.Addr)
	if err != nil {
		return fmt.Errorf("smtp dial %s: %w", s.Config.Addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	host, _, _ := net.SplitHostPort(s.Config.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp: %w", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host}); err != nil {
			return fmt.Errorf("smtp starttls: %w", err)
		}
	}
	if s.Config.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Config.Username, s.Config.Password, host)); err != nil {
			return fmt.Errorf("smtp auth: %w", err)
		}
	}
	if err := c.Mail(s.Config.From); err != nil {
		return fmt.Errorf("smtp MAIL FROM: %w", err)
	}
	for _, to := range p.To {
		if err := c.Rcpt(to); err != nil {
			return fmt.Errorf("smtp RCPT TO %s: %w", to, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if _, err := w.Write([]byte(msg.String())); err != nil {
		return fmt.Errorf("smtp write: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp end of data: %w", err)
	}
	return c.Quit()
}

func (s *Sender) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}
