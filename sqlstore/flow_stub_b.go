package sqlstore

import (
	"context"

	"github.com/nakamawashi/nakamawashi"
)

// Methods of the order flow not written yet; each answers EINTERNAL.

func (s *Store) AcceptQuote(ctx context.Context, id int64, note string) (*nakamawashi.Order, error) {
	return nil, errNotYet
}

func (s *Store) FindOrders(ctx context.Context, f nakamawashi.FlowFilter) ([]*nakamawashi.Order, int, error) {
	return nil, 0, errNotYet
}

func (s *Store) FindOrderByID(ctx context.Context, id int64) (*nakamawashi.Order, error) {
	return nil, errNotYet
}

func (s *Store) CancelOrder(ctx context.Context, id int64, reason string) error {
	return errNotYet
}

func (s *Store) FindWorkOrders(ctx context.Context, f nakamawashi.WorkOrderFilter) ([]*nakamawashi.WorkOrder, int, error) {
	return nil, 0, errNotYet
}

func (s *Store) FindWorkOrderByID(ctx context.Context, id int64) (*nakamawashi.WorkOrder, error) {
	return nil, errNotYet
}

func (s *Store) AcceptWorkOrder(ctx context.Context, id int64) (*nakamawashi.WorkOrder, error) {
	return nil, errNotYet
}

func (s *Store) FindLotByCode(ctx context.Context, code string) (*nakamawashi.Lot, error) {
	return nil, errNotYet
}

func (s *Store) ScanLot(ctx context.Context, code string, scan *nakamawashi.LotScan) (*nakamawashi.Lot, error) {
	return nil, errNotYet
}

func (s *Store) CreateDelivery(ctx context.Context, orderID int64, lotIDs []int64, date nakamawashi.Date, notes string) (*nakamawashi.Delivery, error) {
	return nil, errNotYet
}

func (s *Store) FindDeliveries(ctx context.Context, orderID int64) ([]*nakamawashi.Delivery, error) {
	return nil, errNotYet
}

func (s *Store) FindDeliveryByID(ctx context.Context, id int64) (*nakamawashi.Delivery, error) {
	return nil, errNotYet
}

func (s *Store) AcceptDelivery(ctx context.Context, id int64, a *nakamawashi.Acceptance) (*nakamawashi.Delivery, error) {
	return nil, errNotYet
}

func (s *Store) CreateInvoice(ctx context.Context, in *nakamawashi.CreateInvoice) (*nakamawashi.Invoice, error) {
	return nil, errNotYet
}

func (s *Store) FindInvoices(ctx context.Context, f nakamawashi.FlowFilter) ([]*nakamawashi.Invoice, int, error) {
	return nil, 0, errNotYet
}

func (s *Store) FindInvoiceByID(ctx context.Context, id int64) (*nakamawashi.Invoice, error) {
	return nil, errNotYet
}

func (s *Store) FindPayables(ctx context.Context, f nakamawashi.PayableFilter) ([]*nakamawashi.Payable, error) {
	return nil, errNotYet
}

func (s *Store) PaymentTermsOf(ctx context.Context, companyID int64) (nakamawashi.PaymentTerms, error) {
	return nakamawashi.PaymentTerms{}, errNotYet
}

func (s *Store) SetPaymentTerms(ctx context.Context, companyID int64, t nakamawashi.PaymentTerms) error {
	return errNotYet
}
