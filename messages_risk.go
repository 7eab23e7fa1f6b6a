package nakamawashi

// Messages of the machines that run work orders and of orders at risk.
func init() {
	addMessages(map[string]Text{
		"err.risk.machine_start_only": {"機械は着手のときにだけ選べます。", "A machine can be chosen only when starting."},
		"err.risk.machine_not_found":  {"選んだ機械が見つかりません。%sの機械から選んでください。", "The chosen machine was not found. Choose one of %s's machines."},
		"err.risk.machine_choose":     {"機械は一覧から選んでください。", "Choose a machine from the list."},
		"ui.risk.badge":               {"設備異常", "machine alarm"},
		"ui.risk.machine":             {"設備", "Machine"},
		"ui.risk.machine_none":        {"選ばない", "Not chosen"},
		"ui.risk.machine_hint":        {"この工程を行う機械（任意）。機械が異常を示すと、受注に「設備異常」と表示されます。", "The machine doing this step (optional). When it shows an alarm, the order is marked at risk."},
		"ui.risk.on_machine":          {"%sで加工", "on %s"},
		"ui.risk.detail":              {"%sの%sが異常停止中（%sから）", "%[2]s of %[1]s in alarm since %[3]s"},
		"ui.risk.waiting":             {"設備異常で遅れそうな受注", "Orders at risk from a machine alarm"},
		"ui.risk.customer":            {"加工設備の異常により、納期に影響が出るおそれがあります。", "A machine alarm may delay this order."},
	})
}
