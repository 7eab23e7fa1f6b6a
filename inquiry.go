package nakamawashi

import (
	"context"
	"slices"
	"strings"
	"time"
)

// The order flow, first half: a customer's inquiry (引合い) with its parts
// and drawings, the routing (工程表) of each part, the step requests
// (見積依頼) to shops and their answers (手挙げ), and the quote (見積書).
// The second half (order.go) runs from the customer's acceptance to the
// invoice. Every entity moves through the state machine in flow.go.

// Limits of the order flow's records.
const (
	MaxPartsPerInquiry  = 50
	MaxStepsPerPart     = 30
	MaxDrawingBytes     = 50 << 20 // one drawing file
	MaxDrawingsPerPart  = 20
	MaxRequestsPerStep  = 30 // shops one step request may go to
	MaxQuoteValidDays   = 180
	DefaultQuoteDays    = 30 // a quote holds this long unless the coordinator says otherwise
	DefaultRequestHours = 72 // a step request's deadline unless the coordinator says otherwise
)

// Inquiry is a customer's need (引合い): one or more parts, with drawings,
// a wished delivery date and place. It is handled by the network office
// (OfficeID), which quotes, takes the order and buys the steps from the
// shops.
type Inquiry struct {
	ID            int64         `json:"id"`
	Number        string        `json:"number"` // 引合番号, e.g. R2026-00012
	CustomerID    int64         `json:"customer_id"`
	CustomerName  string        `json:"customer_name,omitempty"`
	OfficeID      int64         `json:"office_id"` // the company that coordinates and trades
	Title         string        `json:"title"`     // 件名
	DesiredDate   Date          `json:"desired_date"`
	DeliveryPlace string        `json:"delivery_place"` // 納入場所
	Notes         string        `json:"notes,omitempty"`
	Status        InquiryStatus `json:"status"`
	CreatedBy     int64         `json:"created_by"`
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
	Parts         []*Part       `json:"parts,omitempty"`
}

// Part is one part of an inquiry: what to make, how many, to what
// requirements, and how (its routing).
type Part struct {
	ID            int64      `json:"id"`
	InquiryID     int64      `json:"inquiry_id"`
	DrawingNumber string     `json:"drawing_number"` // 図番
	Name          string     `json:"name"`           // 品名
	Material      string     `json:"material"`       // a material code of the vocabulary, or free text
	Quantity      int        `json:"quantity"`       // 数量, pieces
	Size          Envelope   `json:"size,omitzero"`  // bounding size in mm
	ToleranceUM   float64    `json:"tolerance_um,omitempty"`
	RoughnessRa   float64    `json:"roughness_ra,omitempty"`
	Surface       string     `json:"surface,omitempty"` // 表面処理, e.g. 無電解ニッケルめっき
	Notes         string     `json:"notes,omitempty"`
	Steps         []*Step    `json:"steps,omitempty"`
	Drawings      []*Drawing `json:"drawings,omitempty"`
}

// Step is one step of a part's routing: a process, its requirements, and,
// once chosen, the shop that does it.
type Step struct {
	ID             int64    `json:"id"`
	PartID         int64    `json:"part_id"`
	Seq            int      `json:"seq"`     // 1, 2, … in the order of the routing
	Process        string   `json:"process"` // a process code of the vocabulary
	Requirements   string   `json:"requirements,omitempty"`
	Certifications []string `json:"certifications,omitempty"`
	SetupHours     float64  `json:"setup_hours,omitempty"`
	CycleMinutes   float64  `json:"cycle_minutes,omitempty"`
	// CompanyID is the shop chosen for the step (0: not chosen yet);
	// RequestID the request whose answer was chosen.
	CompanyID   int64  `json:"company_id,omitempty"`
	CompanyName string `json:"company_name,omitempty"`
	RequestID   int64  `json:"request_id,omitempty"`
}

// StepInput is a step as the coordinator writes a routing.
type StepInput struct {
	Process        string   `json:"process"`
	Requirements   string   `json:"requirements,omitempty"`
	Certifications []string `json:"certifications,omitempty"`
	SetupHours     float64  `json:"setup_hours,omitempty"`
	CycleMinutes   float64  `json:"cycle_minutes,omitempty"`
}

// Validate checks the inquiry's own fields and its parts (not ids, status
// or times, which the store sets).
func (q *Inquiry) Validate() error {
	p := Problems{}
	q.Title = NormalizeName(q.Title)
	q.DeliveryPlace = strings.TrimSpace(q.DeliveryPlace)
	if q.Title == "" {
		p.Add("title", "err.required")
	} else if _, ok := validText(q.Title, 200); !ok {
		p.Add("title", "err.text_max", 200)
	}
	if q.CustomerID <= 0 {
		p.Add("customer_id", "err.required")
	}
	if _, ok := validText(q.DeliveryPlace, 200); !ok {
		p.Add("delivery_place", "err.text_max", 200)
	}
	if !validLines(q.Notes, 4000) {
		p.Add("notes", "err.text_max", 4000)
	}
	if len(q.Parts) == 0 {
		p.Add("parts", "err.flow.parts_required")
	} else if len(q.Parts) > MaxPartsPerInquiry {
		p.Add("parts", "err.flow.parts_max", MaxPartsPerInquiry)
	}
	for i, pt := range q.Parts {
		pt.validate(p, "parts."+itoa(i)+".")
	}
	return p.Err()
}

func (pt *Part) validate(p Problems, prefix string) {
	pt.DrawingNumber = NormalizeName(pt.DrawingNumber)
	pt.Name = NormalizeName(pt.Name)
	pt.Material = NormalizeName(pt.Material)
	pt.Surface = NormalizeName(pt.Surface)
	if pt.Name == "" {
		p.Add(prefix+"name", "err.required")
	} else if _, ok := validText(pt.Name, 200); !ok {
		p.Add(prefix+"name", "err.text_max", 200)
	}
	for f, v := range map[string]string{"drawing_number": pt.DrawingNumber, "material": pt.Material, "surface": pt.Surface} {
		if _, ok := validText(v, 100); !ok {
			p.Add(prefix+f, "err.text_max", 100)
		}
	}
	if pt.Quantity < 1 || pt.Quantity > 10_000_000 {
		p.Add(prefix+"quantity", "err.range", 1, 10_000_000)
	}
	if pt.ToleranceUM < 0 || pt.ToleranceUM > 10_000 {
		p.Add(prefix+"tolerance_um", "err.range", 0, 10_000)
	}
	if pt.RoughnessRa < 0 || pt.RoughnessRa > 100 {
		p.Add(prefix+"roughness_ra", "err.range", 0, 100)
	}
	if pt.Size.X < 0 || pt.Size.Y < 0 || pt.Size.Z < 0 || pt.Size.X > 100_000 || pt.Size.Y > 100_000 || pt.Size.Z > 100_000 {
		p.Add(prefix+"size", "err.range", 0, 100_000)
	}
	if !validLines(pt.Notes, 2000) {
		p.Add(prefix+"notes", "err.text_max", 2000)
	}
}

// ValidateRouting normalizes and checks the steps of a routing.
func ValidateRouting(steps []StepInput) error {
	p := Problems{}
	if len(steps) == 0 {
		p.Add("steps", "err.flow.steps_required")
	} else if len(steps) > MaxStepsPerPart {
		p.Add("steps", "err.flow.steps_max", MaxStepsPerPart)
	}
	for i := range steps {
		s := &steps[i]
		prefix := "steps." + itoa(i) + "."
		s.Process = strings.TrimSpace(s.Process)
		if _, ok := ProcessByCode(s.Process); !ok {
			p.Add(prefix+"process", "err.flow.process")
		}
		if !validLines(s.Requirements, 1000) {
			p.Add(prefix+"requirements", "err.text_max", 1000)
		}
		for _, c := range s.Certifications {
			if _, ok := CertificationByCode(c); !ok {
				p.Add(prefix+"certifications", "err.flow.certification")
			}
		}
		if s.SetupHours < 0 || s.SetupHours > 1000 {
			p.Add(prefix+"setup_hours", "err.range", 0, 1000)
		}
		if s.CycleMinutes < 0 || s.CycleMinutes > 10_000 {
			p.Add(prefix+"cycle_minutes", "err.range", 0, 10_000)
		}
	}
	return p.Err()
}

// RoutingTemplate is a reusable routing (工程表の雛形), e.g.
// 旋盤→フライス→焼入れ→研削→めっき→検査.
type RoutingTemplate struct {
	ID    int64       `json:"id"`
	Name  string      `json:"name"`
	Steps []StepInput `json:"steps"`
}

// Validate checks the template.
func (t *RoutingTemplate) Validate() error {
	t.Name = NormalizeName(t.Name)
	if err := ValidateRouting(t.Steps); err != nil {
		return err
	}
	if t.Name == "" {
		return &Error{Code: EINVALID, Message: Msg("err.invalid_fields"), Fields: map[string]Message{"name": Msg("err.required")}}
	}
	return nil
}

// Drawing is a drawing of a part (図面). Its file content is kept
// content-addressed (by SHA-256) in the BlobStore; the record keeps every
// version that was uploaded.
type Drawing struct {
	ID       int64             `json:"id"`
	PartID   int64             `json:"part_id"`
	Name     string            `json:"name"` // e.g. the file name of the first version
	Versions []*DrawingVersion `json:"versions"`
}

// Latest returns the newest version.
func (d *Drawing) Latest() *DrawingVersion {
	if len(d.Versions) == 0 {
		return nil
	}
	return d.Versions[len(d.Versions)-1]
}

// DrawingVersion is one uploaded file of a drawing.
type DrawingVersion struct {
	DrawingID   int64     `json:"drawing_id"`
	Version     int       `json:"version"` // 1, 2, …
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Note        string    `json:"note,omitempty"` // what changed (改訂内容)
	UploadedBy  int64     `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

// DrawingView is one time someone opened a drawing: kept for every view.
type DrawingView struct {
	DrawingID int64     `json:"drawing_id"`
	Version   int       `json:"version"`
	UserID    int64     `json:"user_id"`
	UserName  string    `json:"user_name"`
	CompanyID int64     `json:"company_id"`
	At        time.Time `json:"at"`
}

// BlobStore keeps file contents by their SHA-256 (drawings). Put returns
// only once the content is durable.
type BlobStore interface {
	// Put reads r to the end (at most max bytes, else ETOOLARGE) and
	// stores it; it returns the hex SHA-256 and the size.
	Put(ctx context.Context, r interface{ Read([]byte) (int, error) }, max int64) (sha string, size int64, err error)
	// Open returns the content stored under sha, or ENOTFOUND.
	Open(ctx context.Context, sha string) (ReadSeekCloser, error)
}

// ReadSeekCloser is an open blob.
type ReadSeekCloser interface {
	Read(p []byte) (int, error)
	Seek(offset int64, whence int) (int64, error)
	Close() error
}

// Request is a step request (見積依頼) to one shop, and its answer (手挙げ)
// or its refusal.
type Request struct {
	ID          int64         `json:"id"`
	StepID      int64         `json:"step_id"`
	InquiryID   int64         `json:"inquiry_id"`
	CompanyID   int64         `json:"company_id"` // the shop addressed
	CompanyName string        `json:"company_name,omitempty"`
	Status      RequestStatus `json:"status"`
	Deadline    time.Time     `json:"deadline"` // answers are accepted until then
	Message     string        `json:"message,omitempty"`
	SentBy      int64         `json:"sent_by"`
	SentAt      time.Time     `json:"sent_at"`
	Answer      *Answer       `json:"answer,omitempty"`
	// What the shop sees of the step (filled on reads).
	Process       string `json:"process,omitempty"`
	PartName      string `json:"part_name,omitempty"`
	DrawingNumber string `json:"drawing_number,omitempty"`
	Quantity      int    `json:"quantity,omitempty"`
	Material      string `json:"material,omitempty"`
	Requirements  string `json:"requirements,omitempty"`
	Seq           int    `json:"seq,omitempty"`
}

// Answer is a shop's answer to a step request: a price and lead time, or a
// refusal with a reason.
type Answer struct {
	PriceYen      int64     `json:"price_yen"` // for the whole step (all pieces), tax excluded
	LeadDays      int       `json:"lead_days"` // working days from start to finish
	EarliestStart Date      `json:"earliest_start"`
	Note          string    `json:"note,omitempty"`
	Declined      bool      `json:"declined"`
	DeclineReason string    `json:"decline_reason,omitempty"`
	AnsweredBy    int64     `json:"answered_by"`
	AnsweredAt    time.Time `json:"answered_at"`
}

// Validate checks an answer a shop gives.
func (a *Answer) Validate(today Date) error {
	p := Problems{}
	if a.Declined {
		a.DeclineReason = strings.TrimSpace(a.DeclineReason)
		if a.DeclineReason == "" {
			p.Add("decline_reason", "err.required")
		} else if !validLines(a.DeclineReason, 1000) {
			p.Add("decline_reason", "err.text_max", 1000)
		}
		return p.Err()
	}
	if a.PriceYen <= 0 || a.PriceYen > MaxAmount {
		p.Add("price_yen", "err.range", 1, int64(MaxAmount))
	}
	if a.LeadDays < 1 || a.LeadDays > 365 {
		p.Add("lead_days", "err.range", 1, 365)
	}
	if a.EarliestStart.IsZero() {
		p.Add("earliest_start", "err.required")
	} else if a.EarliestStart.Before(today) {
		p.Add("earliest_start", "err.flow.past_date")
	}
	if !validLines(a.Note, 1000) {
		p.Add("note", "err.text_max", 1000)
	}
	return p.Err()
}

// SendRequests asks shops to answer for a step.
type SendRequests struct {
	StepID     int64     `json:"step_id"`
	CompanyIDs []int64   `json:"company_ids"`
	Deadline   time.Time `json:"deadline"` // zero: DefaultRequestHours from now
	Message    string    `json:"message,omitempty"`
}

// Validate checks the request list.
func (s *SendRequests) Validate(now time.Time) error {
	p := Problems{}
	if len(s.CompanyIDs) == 0 {
		p.Add("company_ids", "err.flow.companies_required")
	} else if len(s.CompanyIDs) > MaxRequestsPerStep {
		p.Add("company_ids", "err.flow.companies_max", MaxRequestsPerStep)
	}
	slices.Sort(s.CompanyIDs)
	s.CompanyIDs = slices.Compact(s.CompanyIDs)
	if s.Deadline.IsZero() {
		s.Deadline = now.Add(DefaultRequestHours * time.Hour)
	} else if !s.Deadline.After(now) {
		p.Add("deadline", "err.flow.past_date")
	}
	if !validLines(s.Message, 2000) {
		p.Add("message", "err.text_max", 2000)
	}
	return p.Err()
}

// RequestFilter selects step requests.
type RequestFilter struct {
	InquiryID int64           // 0: any
	StepID    int64           // 0: any
	CompanyID int64           // 0: any the caller may see; a shop sees only its own
	Status    []RequestStatus // empty: any
	Offset    int
	Limit     int
}

// Quote is a quotation (見積書) to the customer, in versions: a new
// version supersedes the one before; a sent version is never changed.
type Quote struct {
	ID           int64       `json:"id"`
	InquiryID    int64       `json:"inquiry_id"`
	Number       string      `json:"number"`  // 見積番号, the same for every version
	Version      int         `json:"version"` // 1, 2, …
	Status       QuoteStatus `json:"status"`
	Subject      string      `json:"subject"`
	ValidUntil   Date        `json:"valid_until"`
	PromisedDate Date        `json:"promised_date"` // 納期 promised to the customer
	Lines        []QuoteLine `json:"lines"`
	Rounding     TaxRounding `json:"rounding"`
	Subtotal     int64       `json:"subtotal"`
	Tax          int64       `json:"tax"`
	Total        int64       `json:"total"`
	PaymentTerms string      `json:"payment_terms,omitempty"`
	Notes        string      `json:"notes,omitempty"`
	// Costing is what the network pays and earns; only the network office
	// and coordinators see it (never the customer).
	Costing      *Costing   `json:"costing,omitempty"`
	CreatedBy    int64      `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
	SentAt       *time.Time `json:"sent_at,omitempty"`
	DecidedAt    *time.Time `json:"decided_at,omitempty"`
	DecisionNote string     `json:"decision_note,omitempty"` // the customer's reason on rejection
}

// QuoteLine is a line the customer sees: one per part.
type QuoteLine struct {
	PartID      int64   `json:"part_id"`
	Description string  `json:"description"`           // 品名
	PartNumber  string  `json:"part_number,omitempty"` // 図番
	Quantity    int     `json:"quantity"`
	Unit        string  `json:"unit"` // 個
	UnitPrice   int64   `json:"unit_price"`
	Amount      int64   `json:"amount"`
	Rate        TaxRate `json:"rate"`
}

// Costing is the inside of a quote: per step, the shop, its price and
// lead time; transport; the network's fees.
type Costing struct {
	Steps         []StepCost `json:"steps"`
	TransportYen  int64      `json:"transport_yen"`
	PartnerYen    int64      `json:"partner_yen"`    // sum of the steps' prices
	CommissionYen int64      `json:"commission_yen"` // the network's commission
	UsageFeeYen   int64      `json:"usage_fee_yen"`  // per order
	MarginYen     int64      `json:"margin_yen"`     // commission + usage fee + rounding
}

// StepCost is one step of a quote's costing.
type StepCost struct {
	PartID        int64  `json:"part_id"`
	StepID        int64  `json:"step_id"`
	Seq           int    `json:"seq"`
	Process       string `json:"process"`
	CompanyID     int64  `json:"company_id"`
	CompanyName   string `json:"company_name"`
	RequestID     int64  `json:"request_id,omitempty"` // 0: estimated from the directory, no answer yet
	PriceYen      int64  `json:"price_yen"`
	LeadDays      int    `json:"lead_days"`
	Start         Date   `json:"start"`
	Finish        Date   `json:"finish"`
	TransportYen  int64  `json:"transport_yen"` // into this step
	TransportDays int    `json:"transport_days"`
	Estimated     bool   `json:"estimated"`
}
