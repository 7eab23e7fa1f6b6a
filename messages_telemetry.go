package nakamawashi

// Messages of machine telemetry (package telemetry and the telemetry
// command): the machine states and the words of a replay report.
func init() {
	addMessages(map[string]Text{
		"telemetry.state.off":     {"停止（電源断）", "Off"},
		"telemetry.state.idle":    {"待機", "Idle"},
		"telemetry.state.setup":   {"段取り", "Setup"},
		"telemetry.state.running": {"稼働", "Running"},
		"telemetry.state.alarm":   {"異常（アラーム）", "Alarm"},
		"telemetry.device":        {"機械", "Machine"},
		"telemetry.state":         {"状態", "State"},
		"telemetry.intervals":     {"状態の区間", "State intervals"},
		"telemetry.bad_lines":     {"読めなかった行：%d行", "Lines that could not be read: %d"},
		"telemetry.no_data":       {"記録から状態を読み取れませんでした。SHDR形式（時刻|キー|値…）の記録か確認してください。", "No machine state could be read from the recording. Check that it is SHDR (timestamp|key|value…)."},
	})
}
