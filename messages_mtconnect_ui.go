package nakamawashi

// Messages of the device page's MTConnect sources.
func init() {
	addMessages(map[string]Text{
		"ui.device.ok.mtconnect":    {"MTConnectの接続先を保存しました。", "The MTConnect source was saved."},
		"ui.mtsource.title":         {"MTConnect の接続先", "MTConnect sources"},
		"ui.mtsource.hint":          {"種類が「MTConnect」の機器は、サーバーがエージェント（URLと機器名）かアダプター（ホスト名:ポート番号）から状態を読み取ります。どちらか一方を入力してください。空にして保存すると接続先を外します。", "The server reads the states of a device of kind MTConnect from an agent (URL and device name) or an adapter (host:port). Enter one of them; save them empty to remove the source."},
		"ui.mtsource.none_allowed":  {"MTConnect の接続先が許可されていません（管理者が --mtconnect-allow で設定します）", "No MTConnect sources are allowed (the administrator sets them with --mtconnect-allow)"},
		"ui.mtsource.agent_url":     {"エージェントのURL", "Agent URL"},
		"ui.mtsource.agent_device":  {"エージェントの機器名（任意）", "Device name at the agent (optional)"},
		"ui.mtsource.adapter_addr":  {"アダプターのアドレス（ホスト名:ポート番号）", "Adapter address (host:port)"},
		"ui.mtsource.save":          {"接続先を保存", "Save the source"},
		"ui.mtsource.agent_example": {"http://192.168.1.20:5000", "http://192.168.1.20:5000"},
	})
}
