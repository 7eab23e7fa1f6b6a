package nakamawashi

// Messages of the order flow's JSON API.
func init() {
	addMessages(map[string]Text{
		"err.flowapi.amount_range":        {"金額の上限は下限以上にしてください。", "The maximum amount must not be below the minimum."},
		"err.flowapi.steps_or_template":   {"工程を入力するか、雛形を選ぶか、どちらか一方にしてください。", "Send either the steps or a template, not both."},
		"err.flowapi.template":            {"その工程表の雛形はありません。", "There is no such routing template."},
		"err.flowapi.no_routing":          {"部品「%s」の工程表がまだありません。工程を入力してから見積を作成してください。", "Part \"%s\" has no routing yet. Enter its steps before drafting the quote."},
		"err.flowapi.no_shop":             {"部品「%s」の工程%d（%s）を引き受けられる会社が見つかりません。条件を見直してください。", "No shop can take step %[2]d (%[3]s) of part \"%[1]s\". Review its requirements."},
		"err.flowapi.no_chain":            {"部品「%s」のすべての工程をつなぐ会社の組み合わせが見つかりません。", "No chain of shops can take every step of part \"%s\"."},
		"err.flowapi.no_answer":           {"部品「%s」の工程%dで選ばれた回答が辞退または未回答です。別の回答を選んでください。", "The answer chosen for step %[2]d of part \"%[1]s\" is missing or declined. Choose another answer."},
		"err.flowapi.no_blobs":            {"図面の保管場所が設定されていないため、この操作はできません。", "Drawing storage is not configured, so this cannot be done."},
		"err.flowapi.multipart":           {"図面は multipart/form-data の「file」で送ってください。", "Send the drawing as the \"file\" field of multipart/form-data."},
		"err.flowapi.drawing_too_large":   {"図面ファイルは%dMBまでです。", "A drawing file may be at most %d MB."},
		"err.flowapi.file_required":       {"図面ファイルを選んでください。", "Choose a drawing file."},
		"err.flowapi.one_file":            {"図面ファイルは1回に1つだけ送ってください。", "Send one drawing file at a time."},
		"err.flowapi.file_name":           {"ファイル名が正しくありません（255バイトまで）。", "The file name is not valid (at most 255 bytes)."},
		"err.flowapi.file_read":           {"図面ファイルを読み取れませんでした。", "The drawing file could not be read."},
		"err.flowapi.open_or_companies":   {"依頼先を選ぶか、対応できる全社に公開するか、どちらか一方にしてください。", "Either choose the companies or open the request to every capable shop, not both."},
		"err.flowapi.step_not_in_inquiry": {"その工程はこの引合いのものではありません。", "That step is not part of this inquiry."},
		"err.flowapi.lots_required":       {"納品するロットを1つ以上選んでください。", "Choose at least one lot to deliver."},
		"err.flowapi.export_format":       {"出力形式は csv または zip を指定してください。", "The format must be csv or zip."},
		"err.flowapi.export_encoding":     {"文字コードは utf8 または sjis を指定してください。", "The encoding must be utf8 or sjis."},
		"err.flowapi.export_too_many":     {"一度に出力できるのは%d件までです。条件を絞ってください。", "At most %d records can be exported at once. Narrow the search."},
	})
}
