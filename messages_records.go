package nakamawashi

// Messages of issued business records as documents and exports (package
// document: RenderIssued, WriteCSV, WriteZIP).
func init() {
	addMessages(map[string]Text{
		"doc.correction":        {"訂正版（第%d版）", "Corrected (version %d)"},
		"doc.correction_reason": {"訂正理由：%s", "Reason for the correction: %s"},
		"err.doc.record_data":   {"書類の内容が記録されていません。", "The document's content was not recorded."},
		"err.doc.record_kind":   {"書類の種別が正しくありません。", "The kind of document is not valid."},
		"err.doc.encoding":      {"文字コードは UTF-8（BOM付き）か Shift_JIS を選んでください。", "Choose UTF-8 (with BOM) or Shift_JIS."},

		"doc.kind.quote":          {"見積書", "Quotation"},
		"doc.kind.order_ack":      {"注文請書", "Order acknowledgement"},
		"doc.kind.purchase_order": {"注文書", "Purchase order"},
		"doc.kind.delivery_note":  {"納品書", "Delivery note"},
		"doc.kind.invoice":        {"請求書", "Invoice"},

		"doc.csv.kind":         {"種別", "Kind"},
		"doc.csv.number":       {"番号", "Number"},
		"doc.csv.version":      {"版", "Version"},
		"doc.csv.date":         {"日付", "Date"},
		"doc.csv.counterparty": {"取引先", "Counterparty"},
		"doc.csv.subtotal":     {"税抜金額", "Subtotal"},
		"doc.csv.tax":          {"消費税", "Tax"},
		"doc.csv.total":        {"税込金額", "Total"},
		"doc.csv.issued_by":    {"発行者", "Issued by"},
		"doc.csv.issued_at":    {"発行日時", "Issued at"},
		"doc.csv.reason":       {"訂正理由", "Reason for correction"},
	})
}
