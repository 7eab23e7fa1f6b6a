package nakamawashi

import "time"

// DocumentKind is a kind of business document the network issues.
type DocumentKind string

// The document kinds.
const (
	DocQuote         DocumentKind = "quote"          // 見積書 to a customer
	DocOrderAck      DocumentKind = "order_ack"      // 注文請書 to a customer
	DocPurchaseOrder DocumentKind = "purchase_order" // 注文書 to a shop (取適法)
	DocDeliveryNote  DocumentKind = "delivery_note"  // 納品書 to a customer
	DocInvoice       DocumentKind = "invoice"        // 適格請求書 to a customer
)

// DocumentKinds lists the kinds in the order of the flow.
var DocumentKinds = []DocumentKind{DocQuote, DocOrderAck, DocPurchaseOrder, DocDeliveryNote, DocInvoice}

// Valid reports whether k is a known kind.
func (k DocumentKind) Valid() bool {
	for _, v := range DocumentKinds {
		if v == k {
			return true
		}
	}
	return false
}

// IssuedDocument is a business record (取引関係書類) as it was issued: its
// number, date, counterparty and amount for the records search, and the
// data it was printed from, kept as issued so that the PDF can be made
// again exactly. A correction never changes it: it makes a new version
// (the same number, Version + 1) with who corrected it and why, and marks
// this one superseded (電子帳簿保存法).
type IssuedDocument struct {
	ID               int64         `json:"id"`
	Kind             DocumentKind  `json:"kind"`
	Number           string        `json:"number"`
	Version          int           `json:"version"`
	Superseded       bool          `json:"superseded"`
	EntityType       Entity        `json:"entity_type"` // the record it belongs to
	EntityID         int64         `json:"entity_id"`
	IssuerID         int64         `json:"issuer_id"`
	CounterpartyID   int64         `json:"counterparty_id"`
	CounterpartyName string        `json:"counterparty_name"`
	Date             Date          `json:"date"`
	Subtotal         int64         `json:"subtotal"`
	Tax              int64         `json:"tax"`
	Total            int64         `json:"total"`
	Data             *DocumentData `json:"data,omitempty"`
	Reason           string        `json:"reason,omitempty"` // why this version was made (corrections)
	IssuedBy         int64         `json:"issued_by"`
	IssuedByName     string        `json:"issued_by_name,omitempty"`
	IssuedAt         time.Time     `json:"issued_at"`
}

// DocumentData is everything a document is printed from. Fields that a
// kind does not use stay empty.
type DocumentData struct {
	Subject   string      `json:"subject,omitempty"`
	Issuer    DocParty    `json:"issuer"`
	Recipient DocParty    `json:"recipient"`
	Items     []DocItem   `json:"items"`
	Rounding  TaxRounding `json:"rounding"`

	ValidUntil        Date   `json:"valid_until,omitzero"`     // 見積書
	DeliveryDate      Date   `json:"delivery_date,omitzero"`   // 見積書, 注文書, 注文請書
	DeliveryTerms     string `json:"delivery_terms,omitempty"` // 見積書
	DeliveryPlace     string `json:"delivery_place,omitempty"` // 注文書, 注文請書
	PaymentTerms      string `json:"payment_terms,omitempty"`  // 見積書, 注文請書
	WorkContent       string `json:"work_content,omitempty"`   // 注文書: 給付の内容
	InspectionDate    Date   `json:"inspection_date,omitzero"` // 注文書
	PaymentDate       Date   `json:"payment_date,omitzero"`    // 注文書
	PaymentMethod     string `json:"payment_method,omitempty"` // 注文書
	Supply            string `json:"supply,omitempty"`         // 注文書: none, paid, free
	SupplyDescription string `json:"supply_description,omitempty"`
	SupplyTerms       string `json:"supply_terms,omitempty"`
	OrderNumber       string `json:"order_number,omitempty"` // 注文請書, 納品書: the order it answers
	PeriodFrom        Date   `json:"period_from,omitzero"`   // 請求書
	PeriodTo          Date   `json:"period_to,omitzero"`
	DueDate           Date   `json:"due_date,omitzero"` // 請求書: お支払期限
	Bank              string `json:"bank,omitempty"`    // 請求書: お振込先
	Notes             string `json:"notes,omitempty"`
}

// DocParty is a party as printed on a document.
type DocParty struct {
	CompanyID          int64  `json:"company_id,omitempty"`
	Name               string `json:"name"`
	Person             bool   `json:"person,omitempty"`
	Department         string `json:"department,omitempty"`
	Contact            string `json:"contact,omitempty"`
	PostalCode         string `json:"postal_code,omitempty"`
	Address            string `json:"address,omitempty"`
	Phone              string `json:"phone,omitempty"`
	Fax                string `json:"fax,omitempty"`
	RegistrationNumber string `json:"registration_number,omitempty"`
}

// PartyOf returns the printed party of a company.
func PartyOf(c *Company) DocParty {
	return DocParty{CompanyID: c.ID, Name: c.Name, PostalCode: c.PostalCode, Address: c.Address(),
		Phone: c.Phone, Fax: c.Fax, RegistrationNumber: c.RegistrationNumber}
}

// DocItem is a line of a document.
type DocItem struct {
	Date        Date     `json:"date,omitzero"`
	Description string   `json:"description"`
	PartNumber  string   `json:"part_number,omitempty"`
	Quantity    Quantity `json:"quantity"` // thousandths
	Unit        string   `json:"unit,omitempty"`
	UnitPrice   int64    `json:"unit_price"`
	Rate        TaxRate  `json:"rate"`
	Reduced     bool     `json:"reduced,omitempty"`
}

// Lines returns the taxable lines of the items.
func (d *DocumentData) Lines() []Line {
	out := make([]Line, len(d.Items))
	for i, it := range d.Items {
		out[i] = Line{Description: it.Description, Quantity: it.Quantity, UnitPrice: it.UnitPrice, Rate: it.Rate, Reduced: it.Reduced}
	}
	return out
}

// DocumentFilter is the records search: kind, date range, amount range and
// counterparty, combined.
type DocumentFilter struct {
	Kind           DocumentKind `json:"kind,omitempty"`
	From, To       Date         `json:"-"`
	MinAmount      *int64       `json:"min_amount,omitempty"` // total, tax included
	MaxAmount      *int64       `json:"max_amount,omitempty"`
	CounterpartyID int64        `json:"counterparty_id,omitempty"`
	Counterparty   string       `json:"counterparty,omitempty"` // part of the name
	Number         string       `json:"number,omitempty"`
	AllVersions    bool         `json:"all_versions,omitempty"` // include superseded versions
	Offset         int          `json:"offset,omitempty"`
	Limit          int          `json:"limit,omitempty"`
}
