package nakamawashi

// Messages of the order flow's second half in the store: orders, work
// orders, lots, deliveries, invoices and payables, and the notifications
// they send.
func init() {
	addMessages(map[string]Text{
		"err.order.quote_not_found":      {"見積が見つかりません。", "The quote was not found."},
		"err.order.quote_expired":        {"この見積の有効期限（%s）が過ぎたため、期限切れにしました。新しい見積を依頼してください。", "This quote was valid until %s and has now expired. Ask for a new quote."},
		"err.order.part_unrouted":        {"部品「%s」に工程がありません。工程表を作ってから受注してください。", "Part \"%s\" has no routing. Make its routing before taking the order."},
		"err.order.step_unchosen":        {"部品「%s」の工程%d（%s）の加工先が決まっていません。回答を選んでから受注してください。", "Step %[2]d (%[3]s) of part \"%[1]s\" has no chosen shop. Choose an answer before taking the order."},
		"err.order.quote_line":           {"見積に部品「%s」の明細がありません。", "The quote has no line for part \"%s\"."},
		"err.order.not_found":            {"受注が見つかりません。", "The order was not found."},
		"err.order.work_order_not_found": {"注文が見つかりません。", "The work order was not found."},
		"err.order.lot_not_found":        {"ロットが見つかりません。現品票のQRコードを読み直してください。", "The lot was not found. Scan the traveler's QR code again."},
		"err.order.lot_wrong_shop":       {"このロットは今、%sの工程にあります。その工場の方が操作してください。", "This lot is now at %s's step. Someone of that shop must do this."},
		"err.order.lot_other_shop":       {"このロットは今、ほかの工場の工程にあります。その工場の方が操作してください。", "This lot is now at another shop's step. Someone of that shop must do this."},
		"err.order.lot_not_completed":    {"ロット%sは全工程が完了していないため、納品できません。", "Lot %s has not finished every step, so it cannot be delivered."},
		"err.order.lot_no_good":          {"ロット%sには良品がないため、納品できません。", "Lot %s has no good pieces to deliver."},
		"err.order.lot_not_in_order":     {"この受注のロットではありません。", "The lot does not belong to this order."},
		"err.order.no_lots":              {"納品できるロットがありません。", "There are no lots ready to deliver."},
		"err.order.delivery_not_found":   {"納品が見つかりません。", "The delivery was not found."},
		"err.order.acceptance_line":      {"納品の明細ごとに、合格数と不合格数を1回ずつ入力してください。", "Enter accepted and rejected counts once for each line of the delivery."},
		"err.order.acceptance_sum":       {"合格数と不合格数の合計を、納品数%dにしてください。", "Accepted and rejected pieces must add up to the %d delivered."},
		"err.order.invoice_not_found":    {"請求書が見つかりません。", "The invoice was not found."},
		"err.order.invoice_customer":     {"ほかの発注者の受注は同じ請求書にできません。", "Orders of another customer cannot go on this invoice."},
		"err.order.nothing_to_invoice":   {"請求できる検収済の納品がありません。", "There are no accepted, uninvoiced deliveries to invoice."},
		"err.order.office_registration":  {"事務局（%s）に適格請求書発行事業者の登録番号がないため、適格請求書を発行できません。会社情報に登録番号を入力してください。", "The office (%s) has no invoice registration number, so no qualified invoice can be issued. Enter the number in the company's details."},
		"err.order.terms_day":            {"締め日・支払日は1〜28日、または0（月末）です。", "Closing and payment days are 1–28, or 0 for the end of the month."},
		"err.order.terms_months":         {"支払月は0（当月）〜3か月後です。", "Payment is 0 (the same month) to 3 months later."},
		"err.order.office_mixed":         {"事務局の異なる受注は同じ請求書にできません。", "Orders of different offices cannot go on one invoice."},

		"notify.order.confirmed":     {"ご注文 %s を承りました。注文請書をご確認ください。", "Your order %s is confirmed. See the order acknowledgement."},
		"notify.order.cancelled":     {"受注 %s は取り消されました。", "Order %s was cancelled."},
		"notify.workorder.issued":    {"注文書 %s が届きました。内容を確認して請けてください。", "Work order %s has arrived. Check it and accept it."},
		"notify.workorder.accepted":  {"注文 %s が請けられました。", "Work order %s was accepted."},
		"notify.workorder.cancelled": {"注文 %s は取り消されました。", "Work order %s was cancelled."},
		"notify.lot.handoff":         {"ロット %s が引き渡されました。受け取りを確認してください。", "Lot %s was handed off to you. Confirm its receipt."},
		"notify.lot.completed":       {"ロット %s の全工程が完了しました。納品できます。", "Lot %s has finished every step and is ready to deliver."},
		"notify.delivery.shipped":    {"納品書 %s の品物をお届けしました。検収をお願いします。", "The goods of delivery note %s were delivered. Please inspect them."},
		"notify.delivery.accepted":   {"納品 %s が検収されました。", "Delivery %s was accepted."},
		"notify.invoice.issued":      {"請求書 %s を発行しました。", "Invoice %s was issued."},
	})
}
