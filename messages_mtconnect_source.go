package nakamawashi

// Messages of the MTConnect sources of devices (where serve reads their
// states).
func init() {
	addMessages(map[string]Text{
		"err.mtsource.source":      {"MTConnectエージェントのURLかアダプターのアドレス（ホスト名:ポート番号）のどちらか一方を入力してください。", "Enter either the MTConnect agent URL or the adapter address (host:port), not both."},
		"err.mtsource.kind":        {"MTConnectの接続先を設定できるのは、種類が「MTConnect」の機器だけです。", "Only a device of kind MTConnect can have an MTConnect source."},
		"err.mtsource.not_allowed": {"管理者がMTConnectの接続先を許可していません（--mtconnect-allow が空です）。", "The administrator allows no MTConnect sources (--mtconnect-allow is empty)."},
	})
}
