package nakamawashi

import (
	"context"
	"time"
)

// FlowService is the order flow: from a customer's inquiry to the invoice.
// Every method authorizes the actor in ctx from the policy and from the
// records themselves (a shop sees only what is addressed to it; a customer
// only its own, and never the partners or their prices), moves entities
// only through Transition, and writes the change, its audit events, its
// documents and its notifications in one transaction.
type FlowService interface {
	// CreateInquiry records a customer's inquiry with its parts (the
	// customer, or a coordinator on its behalf). It sets ID, Number,
	// OfficeID, Status and the parts' ids.
	CreateInquiry(ctx context.Context, q *Inquiry) error
	// FindInquiryByID returns the inquiry with its parts, steps and
	// drawings. For the customer the steps carry no shop.
	FindInquiryByID(ctx context.Context, id int64) (*Inquiry, error)
	// FindInquiries lists inquiries, newest first.
	FindInquiries(ctx context.Context, f FlowFilter) ([]*Inquiry, int, error)
	// CancelInquiry withdraws an inquiry that has no order; open requests
	// are withdrawn with it.
	CancelInquiry(ctx context.Context, id int64, reason string) error

	// AddDrawing records an uploaded file (already in the BlobStore) as a
	// new drawing of a part (drawingID 0) or as the next version of
	// drawingID.
	AddDrawing(ctx context.Context, partID, drawingID int64, v *DrawingVersion) (*Drawing, error)
	// OpenDrawing authorizes a view of a drawing version (0: the latest)
	// and records it durably before returning what to serve. A shop may
	// view it only while a request or work order for the part is open.
	OpenDrawing(ctx context.Context, drawingID int64, version int) (*DrawingVersion, error)
	// FindDrawingViews lists who viewed a drawing and when (the office and
	// the customer that owns it).
	FindDrawingViews(ctx context.Context, drawingID int64) ([]*DrawingView, error)

	// SetRouting replaces the steps of a part; refused once requests for
	// the part were sent. The inquiry moves to routing.
	SetRouting(ctx context.Context, partID int64, steps []StepInput) ([]*Step, error)
	FindRoutingTemplates(ctx context.Context) ([]*RoutingTemplate, error)
	CreateRoutingTemplate(ctx context.Context, t *RoutingTemplate) error

	// SendRequests sends a step request to each shop (suppliers only).
	SendRequests(ctx context.Context, in *SendRequests) ([]*Request, error)
	FindRequests(ctx context.Context, f RequestFilter) ([]*Request, int, error)
	FindRequestByID(ctx context.Context, id int64) (*Request, error)
	// AnswerRequest records the shop's answer or refusal before the deadline.
	AnswerRequest(ctx context.Context, id int64, a *Answer) (*Request, error)
	WithdrawRequest(ctx context.Context, id int64) error
	// ChooseAnswer makes an answered request's shop the step's shop.
	ChooseAnswer(ctx context.Context, requestID int64) error
	// ExpireRequests closes every open request past its deadline and
	// returns how many (a job; also done lazily on reads).
	ExpireRequests(ctx context.Context) (int, error)

	// CreateQuote stores a draft quote (a new version when the inquiry has
	// one): totals are computed here from the lines.
	CreateQuote(ctx context.Context, q *Quote) error
	FindQuotes(ctx context.Context, inquiryID int64) ([]*Quote, error)
	FindQuoteByID(ctx context.Context, id int64) (*Quote, error)
	// SendQuote sends a draft to the customer and issues its 見積書; an
	// earlier sent version is superseded.
	SendQuote(ctx context.Context, id int64) (*Quote, error)
	// AcceptQuote is the customer's order: the order and its 注文請書, one
	// work order and 注文書 per step, one lot per part, the chosen requests
	// awarded and the others lost. Every step needs a chosen answer.
	AcceptQuote(ctx context.Context, id int64, note string) (*Order, error)
	RejectQuote(ctx context.Context, id int64, note string) error

	FindOrders(ctx context.Context, f FlowFilter) ([]*Order, int, error)
	// FindOrderByID returns the order with its lots (and, for the office,
	// its work orders).
	FindOrderByID(ctx context.Context, id int64) (*Order, error)
	CancelOrder(ctx context.Context, id int64, reason string) error
	FindWorkOrders(ctx context.Context, f WorkOrderFilter) ([]*WorkOrder, int, error)
	FindWorkOrderByID(ctx context.Context, id int64) (*WorkOrder, error)
	// AcceptWorkOrder is the shop's 請け.
	AcceptWorkOrder(ctx context.Context, id int64) (*WorkOrder, error)

	// FindLotByCode returns the lot a traveler's QR code names, with its
	// steps and events, for the people who handle or follow it.
	FindLotByCode(ctx context.Context, code string) (*Lot, error)
	// ScanLot applies a button press on the traveler page.
	ScanLot(ctx context.Context, code string, s *LotScan) (*Lot, error)

	// CreateDelivery ships completed lots of an order to the customer and
	// issues the 納品書.
	CreateDelivery(ctx context.Context, orderID int64, lotIDs []int64, date Date, notes string) (*Delivery, error)
	FindDeliveries(ctx context.Context, orderID int64) ([]*Delivery, error)
	FindDeliveryByID(ctx context.Context, id int64) (*Delivery, error)
	// AcceptDelivery records the customer's 検収.
	AcceptDelivery(ctx context.Context, id int64, a *Acceptance) (*Delivery, error)

	// CreateInvoice issues a qualified invoice for orders or for a period.
	CreateInvoice(ctx context.Context, in *CreateInvoice) (*Invoice, error)
	FindInvoices(ctx context.Context, f FlowFilter) ([]*Invoice, int, error)
	FindInvoiceByID(ctx context.Context, id int64) (*Invoice, error)
	// RecordPayment records that the customer paid an issued invoice on
	// date (入金消込): the office only; the date is neither in the future
	// nor before the invoice's.
	RecordPayment(ctx context.Context, invoiceID int64, date Date, note string) (*Invoice, error)
	// FindPayables lists what the office owes the shops.
	FindPayables(ctx context.Context, f PayableFilter) ([]*Payable, error)
	// PaymentTermsOf returns a customer's closing and payment days.
	PaymentTermsOf(ctx context.Context, companyID int64) (PaymentTerms, error)
	SetPaymentTerms(ctx context.Context, companyID int64, t PaymentTerms) error

	// FindDocuments is the records search.
	FindDocuments(ctx context.Context, f DocumentFilter) ([]*IssuedDocument, int, error)
	FindDocumentByID(ctx context.Context, id int64) (*IssuedDocument, error)
	// CorrectDocument issues a corrected version with the reason.
	CorrectDocument(ctx context.Context, id int64, data *DocumentData, reason string) (*IssuedDocument, error)

	// FindNotifications returns the actor's company's notifications, newest first.
	FindNotifications(ctx context.Context, unreadOnly bool, limit int) ([]*Notification, error)
	MarkNotificationsRead(ctx context.Context, ids []int64) error
	// PendingEmails returns notifications not yet emailed with the
	// addresses of the company's people (system only); MarkEmailed marks them sent.
	PendingEmails(ctx context.Context, limit int) ([]*PendingEmail, error)
	MarkEmailed(ctx context.Context, ids []int64) error
}

// WorkOrderFilter selects work orders.
type WorkOrderFilter struct {
	OrderID   int64
	CompanyID int64 // the shop; a shop sees only its own
	Status    []WorkOrderStatus
	Offset    int
	Limit     int
}

// PendingEmail is a notification to mail.
type PendingEmail struct {
	Notification *Notification
	To           []string
	Language     Language
}

// FlowSettings are the office's settings the store applies.
type FlowSettings struct {
	Rounding       TaxRounding  // the office's tax rounding; default floor
	PaymentMethod  string       // printed on 注文書; default DefaultPaymentMethod
	InspectionDays int          // 検査完了日 = delivery + this many days; default 3
	Bank           string       // printed on invoices
	ShopTerms      PaymentTerms // how the office pays its shops (≤ 60 days anyway)
}

// RequestOpenAt reports whether r accepts answers at now.
func (r *Request) RequestOpenAt(now time.Time) bool { return r.Status.Open() && now.Before(r.Deadline) }
