package main

import (
	"context"
	"fmt"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/blob"
	"github.com/nakamawashi/nakamawashi/http"
	"github.com/nakamawashi/nakamawashi/mail"
	"github.com/nakamawashi/nakamawashi/sqlstore"
)

// requestExpiryInterval is how often step requests past their deadline are
// closed (reads close them too, so this only keeps lists and drawing access
// current for nobody looking).
const requestExpiryInterval = time.Minute

// startFlow gives the server and the store what the order flow needs
// (drawings' files, fees, the office's document settings) and starts its
// background jobs: closing expired step requests and, with an SMTP server,
// mailing notifications. Close stops them.
func (m *Main) startFlow(ctx context.Context, s *http.Server) error {
	if st, ok := m.Store.(*sqlstore.Store); ok {
		st.Flow = m.Config.Settings()
	}
	dir := m.Config.FilesDir(m.Config.Data)
	blobs, err := blob.Open(dir)
	if err != nil {
		return fmt.Errorf("open the drawings' directory %s (--files): %w", dir, err)
	}
	s.Blobs = blobs
	s.Fees = m.Config.Fees()
	s.BaseURL = m.Config.BaseURL

	jobs, cancel := context.WithCancel(nakamawashi.NewContextWithActor(context.WithoutCancel(ctx), nakamawashi.SystemActor))
	m.stopJobs = cancel
	go func() {
		t := time.NewTicker(requestExpiryInterval)
		defer t.Stop()
		for {
			if n, err := m.Store.ExpireRequests(jobs); err != nil && jobs.Err() == nil {
				m.Logger.Warn("expire step requests", "err", err)
			} else if n > 0 {
				m.Logger.Info("step requests expired", "count", n)
			}
			select {
			case <-jobs.Done():
				return
			case <-t.C:
			}
		}
	}()
	if cfg, ok := m.Config.Mail(); ok {
		sender := &mail.Sender{Config: cfg, Store: m.Store, Logger: m.Logger}
		go sender.Run(jobs)
		m.Logger.Info("notification emails on", "smtp", cfg.Addr)
	}
	return nil
}
