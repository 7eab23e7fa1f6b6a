package mail_test

import (
	"bufio"
	"context"
	"errors"
	"mime"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mail"
)

// smtpServer is a minimal SMTP server that records the messages it
// accepts, and refuses recipients named in refuse.
type smtpServer struct {
	ln     net.Listener
	mu     sync.Mutex
	msgs   []string
	rcpts  [][]string
	refuse string
}

func newSMTPServer(t *testing.T) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln}
	go s.serve()
	t.Cleanup(func() { ln.Close() })
	return s
}

// received returns the messages accepted so far and their recipients.
func (s *smtpServer) received() ([]string, [][]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.msgs...), append([][]string(nil), s.rcpts...)
}

func (s *smtpServer) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		go s.session(c)
	}
}

func (s *smtpServer) session(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { c.Write([]byte(line + "\r\n")) }
	say("220 test ESMTP")
	var rcpts []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 test")
		case strings.HasPrefix(cmd, "MAIL FROM"):
			rcpts = nil
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO"):
			s.mu.Lock()
			refuse := s.refuse
			s.mu.Unlock()
			if refuse != "" && strings.Contains(strings.ToLower(line), refuse) {
				say("550 no such user")
				continue
			}
			rcpts = append(rcpts, strings.TrimSpace(line[len("RCPT TO:"):]))
			say("250 ok")
		case cmd == "DATA":
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			s.mu.Lock()
			s.msgs = append(s.msgs, b.String())
			s.rcpts = append(s.rcpts, rcpts)
			s.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

type fakeStore struct {
	pending []*nakamawashi.PendingEmail
	marked  []int64
	failGet error
}

func (f *fakeStore) PendingEmails(ctx context.Context, limit int) ([]*nakamawashi.PendingEmail, error) {
	if f.failGet != nil {
		return nil, f.failGet
	}
	var out []*nakamawashi.PendingEmail
	for _, p := range f.pending {
		done := false
		for _, id := range f.marked {
			done = done || id == p.Notification.ID
		}
		if !done && len(out) < limit {
			out = append(out, p)
		}
	}
	return out, nil
}

func (f *fakeStore) MarkEmailed(ctx context.Context, ids []int64) error {
	f.marked = append(f.marked, ids...)
	return nil
}

func pending(id int64, text string, to ...string) *nakamawashi.PendingEmail {
	return &nakamawashi.PendingEmail{
		Notification: &nakamawashi.Notification{ID: id, Text: text, Link: "/requests/" + text},
		To:           to, Language: nakamawashi.Japanese,
	}
}

func TestSendPending(t *testing.T) {
	srv := newSMTPServer(t)
	srv.refuse = "gone@"
	st := &fakeStore{pending: []*nakamawashi.PendingEmail{
		pending(1, "見積依頼が届きました", "owner@example.jp", "staff@example.jp"),
		pending(2, "nobody"),
		pending(3, "refused", "gone@example.jp"),
	}}
	s := &mail.Sender{Config: mail.Config{Addr: srv.ln.Addr().String(), From: "office@example.jp", BaseURL: "https://n.example.jp/"}, Store: st}
	n, err := s.SendPending(context.Background())
	if err == nil || !strings.Contains(err.Error(), "gone@example.jp") {
		t.Errorf("err = %v, want the refused recipient named", err)
	}
	if n != 2 {
		t.Errorf("sent %d, want 2 (one mailed, one with nobody to mail)", n)
	}
	if len(st.marked) != 2 || st.marked[0] != 1 || st.marked[1] != 2 {
		t.Errorf("marked %v, want [1 2]: the refused one stays pending", st.marked)
	}
	msgs, rcpts := srv.received()
	if len(msgs) != 1 {
		t.Fatalf("server got %d messages, want 1", len(msgs))
	}
	if len(rcpts[0]) != 2 {
		t.Errorf("recipients %v, want both people", rcpts[0])
	}
	msg := msgs[0]
	var subject string
	for _, l := range strings.Split(msg, "\r\n") {
		if v, ok := strings.CutPrefix(l, "Subject: "); ok {
			subject, _ = new(mime.WordDecoder).DecodeHeader(v)
		}
	}
	if !strings.Contains(subject, "見積依頼が届きました") {
		t.Errorf("subject %q does not carry the notification", subject)
	}
	if !strings.Contains(msg, "https://n.example.jp/requests/") {
		t.Errorf("body has no link:\n%s", msg)
	}

	// A second round sends only what is still pending.
	srv.mu.Lock()
	srv.refuse = ""
	srv.mu.Unlock()
	n, err = s.SendPending(context.Background())
	if err != nil || n != 1 {
		t.Errorf("second round: %d, %v; want 1, nil", n, err)
	}
}

func TestSendPendingStoreError(t *testing.T) {
	st := &fakeStore{failGet: errors.New("down")}
	s := &mail.Sender{Config: mail.Config{Addr: "127.0.0.1:1", From: "a@example.jp"}, Store: st}
	if _, err := s.SendPending(context.Background()); err == nil {
		t.Error("no error from a failing store")
	}
}

func TestUnreachableServerKeepsPending(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	st := &fakeStore{pending: []*nakamawashi.PendingEmail{pending(1, "x", "a@example.jp")}}
	s := &mail.Sender{Config: mail.Config{Addr: addr, From: "a@example.jp"}, Store: st}
	if _, err := s.SendPending(context.Background()); err == nil {
		t.Error("no error for an unreachable server")
	}
	if len(st.marked) != 0 {
		t.Errorf("marked %v although nothing was sent", st.marked)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []mail.Config{{Addr: "smtp", From: "a@example.jp"}, {Addr: "smtp:25", From: "not an address"}} {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	if err := (mail.Config{Addr: "smtp.example.jp:587", From: "office@example.jp"}).Validate(); err != nil {
		t.Error(err)
	}
}
