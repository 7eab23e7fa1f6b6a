package sqlstore

import (
	"context"

	"github.com/nakamawashi/nakamawashi"
)

// Methods of the order flow not written yet; each answers EINTERNAL.

func (s *Store) FindInquiries(ctx context.Context, f nakamawashi.FlowFilter) ([]*nakamawashi.Inquiry, int, error) {
	return nil, 0, errNotYet
}

func (s *Store) CancelInquiry(ctx context.Context, id int64, reason string) error {
	return errNotYet
}

func (s *Store) AddDrawing(ctx context.Context, partID, drawingID int64, v *nakamawashi.DrawingVersion) (*nakamawashi.Drawing, error) {
	return nil, errNotYet
}

func (s *Store) OpenDrawing(ctx context.Context, drawingID int64, version int) (*nakamawashi.DrawingVersion, error) {
	return nil, errNotYet
}

func (s *Store) FindDrawingViews(ctx context.Context, drawingID int64) ([]*nakamawashi.DrawingView, error) {
	return nil, errNotYet
}

func (s *Store) FindDocuments(ctx context.Context, f nakamawashi.DocumentFilter) ([]*nakamawashi.IssuedDocument, int, error) {
	return nil, 0, errNotYet
}

func (s *Store) FindDocumentByID(ctx context.Context, id int64) (*nakamawashi.IssuedDocument, error) {
	return nil, errNotYet
}

func (s *Store) CorrectDocument(ctx context.Context, id int64, data *nakamawashi.DocumentData, reason string) (*nakamawashi.IssuedDocument, error) {
	return nil, errNotYet
}

func (s *Store) FindNotifications(ctx context.Context, unreadOnly bool, limit int) ([]*nakamawashi.Notification, error) {
	return nil, errNotYet
}

func (s *Store) MarkNotificationsRead(ctx context.Context, ids []int64) error {
	return errNotYet
}

func (s *Store) PendingEmails(ctx context.Context, limit int) ([]*nakamawashi.PendingEmail, error) {
	return nil, errNotYet
}

func (s *Store) MarkEmailed(ctx context.Context, ids []int64) error {
	return errNotYet
}

var errNotYet = nakamawashi.Errorf(nakamawashi.EINTERNAL, "err.internal")
