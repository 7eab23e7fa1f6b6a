package nakamawashi

// Messages of the IoT pages: devices, the machine boards and day charts,
// and what a shop shares of its machines.
func init() {
	addMessages(map[string]Text{
		"err.telemetry.sharing": {"公開範囲は「公開しない」「状態のみ」「稼働率まで」から選んでください。", "Choose what to share: nothing, status only, or utilization."},
		"err.device.enabled":    {"この機器はすでに有効です。", "This device is already enabled."},
	})
}
