package nakamawashi

// Messages of chain matching (package match).
func init() {
	addMessages(map[string]Text{
		"err.match.steps":         {"工程を1つ以上指定してください。", "Give at least one process step."},
		"err.match.steps_max":     {"工程は%d件までにしてください。", "Give at most %d process steps."},
		"err.match.process":       {"「%s」は工程の一覧にありません。一覧から選んでください。", "\"%s\" is not in the process list. Choose from the list."},
		"err.match.material":      {"「%s」は材質の一覧にありません。一覧から選んでください。", "\"%s\" is not in the material list. Choose from the list."},
		"err.match.certification": {"「%s」は認証の一覧にありません。一覧から選んでください。", "\"%s\" is not in the certification list. Choose from the list."},
		"err.match.quantity":      {"数量は1以上%d以下で入力してください。", "Enter a quantity from 1 to %d."},
		"err.match.part":          {"部品の大きさは角物（X×Y×Z）か丸物（直径×長さ）で、各値を0より大きく%d mm以下で入力してください。", "Give the part's size as a box (X×Y×Z) or round (diameter × length), each value above 0 and at most %d mm."},
		"err.match.number":        {"0以上%v以下の数値を入力してください。", "Enter a number from 0 to %v."},
		"err.match.date":          {"日付は%d年から%d年までの範囲で入力してください。", "Give a date from the year %d to %d."},
		"err.match.due":           {"納期は開始日時より後にしてください。", "The due date must be after the start."},
	})
}
