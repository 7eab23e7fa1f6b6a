package nakamawashi

// Messages of the IoT connections: MTConnect agents and adapters.
func init() {
	addMessages(map[string]Text{
		"err.mtconnect.url":         {"MTConnectエージェントのURLは http:// か https:// で始まり、ユーザー名やパスワードを含まない形で入力してください。", "The MTConnect agent URL must start with http:// or https:// and must not contain a user name or password."},
		"err.mtconnect.host":        {"ホスト %s は接続を許可されたMTConnect機器の一覧にありません。管理者に追加を依頼してください。", "The host %s is not on the list of MTConnect hosts allowed by the administrator."},
		"err.mtconnect.redirect":    {"MTConnectエージェントが別のホスト（%s）へ転送しようとしたため、接続を中止しました。", "The MTConnect agent redirected to another host (%s); the request was stopped."},
		"err.mtconnect.address":     {"アダプターのアドレスは「ホスト名:ポート番号」の形式で入力してください（既定のポートは7878）。", "Enter the adapter address as host:port (the default port is 7878)."},
		"err.mtconnect.document":    {"MTConnectの応答を読み取れませんでした。", "The MTConnect response could not be read."},
		"err.mtconnect.too_large":   {"MTConnectの応答が大きすぎます（%d バイトまで）。", "The MTConnect response is too large (at most %d bytes)."},
		"err.mtconnect.agent":       {"MTConnectエージェントがエラーを返しました（%s）。", "The MTConnect agent returned an error (%s)."},
		"err.mtconnect.unavailable": {"MTConnect機器に接続できません。機器の電源とネットワークを確認してください。", "The MTConnect device cannot be reached. Check its power and network."},
		"err.mtconnect.shdr":        {"アダプターから読み取れない行を受信しました。", "The adapter sent a line that could not be read."},
	})
}
