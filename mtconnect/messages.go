package mtconnect

import "github.com/nakamawashi/nakamawashi"

// Message keys of the package's errors. The root package's catalog is
// unexported, so the texts below wait to be moved into it (a
// messages_iot.go beside messages_domain.go); until then an error renders
// its key, and its cause (Err) says what happened in English for the logs.
const (
	msgURL        = "err.mtconnect.url"         // the agent URL is malformed, has credentials or a wrong scheme
	msgHost       = "err.mtconnect.host"        // the host is not on the administrator's list
	msgRedirect   = "err.mtconnect.redirect"    // the agent redirected to another host
	msgAddress    = "err.mtconnect.address"     // the adapter address is malformed
	msgDocument   = "err.mtconnect.document"    // the document is not MTConnect XML we can read
	msgTooLarge   = "err.mtconnect.too_large"   // the document or line is over its limit
	msgAgent      = "err.mtconnect.agent"       // the agent answered with an MTConnectError document
	msgConnection = "err.mtconnect.unavailable" // the agent or adapter cannot be reached
	msgSHDR       = "err.mtconnect.shdr"        // an SHDR line cannot be read
)

// messages holds the catalog entries for the keys above, Japanese first.
// They belong in the root catalog; the package's tests check that every key
// used here has its texts.
var messages = map[string]nakamawashi.Text{
	msgURL:        {JA: "MTConnectエージェントのURLは http:// か https:// で始まり、ユーザー名やパスワードを含まない形で入力してください。", EN: "The MTConnect agent URL must start with http:// or https:// and must not contain a user name or password."},
	msgHost:       {JA: "ホスト %s は接続を許可されたMTConnect機器の一覧にありません。管理者に追加を依頼してください。", EN: "The host %s is not on the list of MTConnect hosts allowed by the administrator."},
	msgRedirect:   {JA: "MTConnectエージェントが別のホスト（%s）へ転送しようとしたため、接続を中止しました。", EN: "The MTConnect agent redirected to another host (%s); the request was stopped."},
	msgAddress:    {JA: "アダプターのアドレスは「ホスト名:ポート番号」の形式で入力してください（既定のポートは7878）。", EN: "Enter the adapter address as host:port (the default port is 7878)."},
	msgDocument:   {JA: "MTConnectの応答を読み取れませんでした。", EN: "The MTConnect response could not be read."},
	msgTooLarge:   {JA: "MTConnectの応答が大きすぎます（%d バイトまで）。", EN: "The MTConnect response is too large (at most %d bytes)."},
	msgAgent:      {JA: "MTConnectエージェントがエラーを返しました（%s）。", EN: "The MTConnect agent returned an error (%s)."},
	msgConnection: {JA: "MTConnect機器に接続できません。機器の電源とネットワークを確認してください。", EN: "The MTConnect device cannot be reached. Check its power and network."},
	msgSHDR:       {JA: "アダプターから読み取れない行を受信しました。", EN: "The adapter sent a line that could not be read."},
}
