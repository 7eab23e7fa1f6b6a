// Package document renders the business documents of a 仲間まわし job as
// PDF: 見積書 (Quote), 注文書 (PurchaseOrder), 注文請書 (OrderAcknowledgement),
// 納品書 (DeliveryNote), 適格請求書 (Invoice) and 現品票 (Traveler).
//
// It is pure: data in, bytes out. The fonts (BIZ UDGothic, SIL Open Font
// License 1.1) are embedded, so rendering reads no files. Money comes from
// nakamawashi.TaxSummary, dates from nakamawashi.FormatDate, names follow the
// 御中/様 rule of Party.
//
// Issued records (nakamawashi.IssuedDocument) are rendered again from the
// data they were issued with (RenderIssued) and exported as CSV for Excel
// (UTF-8 with BOM or Shift_JIS) and as a ZIP of their PDFs.
//
// It imports only the root package, gopdf, a QR encoder and x/text's
// Japanese encodings; it must never import net/http, a database driver or a
// store.
package document
