package nakamawashi

// Messages of devices (the sensors and gateways that report machine
// states) and of the state intervals they send.
func init() {
	addMessages(map[string]Text{
		"err.device.kind":          {"機器の種類を一覧から選んでください。", "Choose the device's kind from the list."},
		"err.device.not_found":     {"機器が見つかりません。", "Device not found."},
		"err.device.disabled":      {"この機器は無効にされています。新しい機器として登録してください。", "This device is disabled. Register a new device instead."},
		"err.device.auth_failed":   {"機器のユーザー名またはパスワードが正しくないか、機器が無効です。", "The device's username or password is wrong, or the device is disabled."},
		"err.device.machine":       {"機器を取り付ける設備は、同じ会社の設備から選んでください。", "Choose a machine of the same company for the device."},
		"err.device.wrong_machine": {"この機器は別の設備に登録されています。", "This device is registered to another machine."},
		"err.telemetry.state":      {"設備の状態が不明です（off, idle, setup, running, alarm のいずれか）。", "Unknown machine state (one of off, idle, setup, running, alarm)."},
		"err.telemetry.end":        {"終了時刻は開始時刻より後にしてください。", "The end must come after the start."},
		"err.telemetry.batch":      {"一度に送れる状態の区間は%d件までです。", "At most %d state intervals can be sent at once."},
		"err.telemetry.range":      {"期間は開始より後、%d日以内で指定してください。", "The period must end after it starts and span at most %d days."},
		"device.kind.stacklight":   {"積層信号灯センサー", "Stack-light sensor"},
		"device.kind.clamp":        {"電流センサー（クランプ）", "Current clamp"},
		"device.kind.mtconnect":    {"MTConnect ゲートウェイ", "MTConnect gateway"},
		"device.kind.sparkplug":    {"Sparkplug B エッジノード", "Sparkplug B edge node"},
		"device.kind.phone":        {"スマートフォン（手入力）", "Phone (entered by hand)"},
		"device.secret_shown_once": {"このパスワードは今だけ表示されます。機器に設定してから閉じてください。", "This password is shown only now. Set it on the device before closing."},
	})
}
