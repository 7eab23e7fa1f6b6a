package nakamawashi

// Messages of the payments the office records against invoices (入金消込).
func init() {
	addMessages(map[string]Text{
		"err.payment.date_future":  {"入金日に未来の日付は指定できません。", "The payment date cannot be in the future."},
		"err.payment.date_before":  {"入金日は請求書の日付（%s）以降にしてください。", "The payment date cannot be before the invoice date (%s)."},
		"err.payment.date":         {"入金日を入力してください。", "Enter the payment date."},
		"err.payment.note_long":    {"備考が長すぎます（%d文字以内）。", "The note is too long (at most %d characters)."},
		"ui.flow.ok.paid":          {"入金を記録しました。", "The payment was recorded."},
		"ui.flow.invoice.paid_on":  {"入金済 %s", "Paid %s"},
		"ui.flow.invoice.pay_date": {"入金日", "Payment date"},
		"ui.flow.invoice.pay_note": {"備考", "Note"},
		"ui.flow.invoice.pay":      {"入金を記録", "Record payment"},
	})
}
