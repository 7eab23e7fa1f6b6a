package nakamawashi

// Messages of the devices' broker and the ingest, as the command line
// shows them.
func init() {
	addMessages(map[string]Text{
		"mqtt.cli.addr_in_use": {
			"MQTTのアドレス %[1]s は使用中です（Mosquitto など別のブローカーが動いているかもしれません）。--mqtt-addr :1884 のように別のポートを指定するか（環境変数 NAKAMAWASHI_MQTT_ADDR）、そのブローカーを外部モードで使ってください：--mqtt-broker tcp://127.0.0.1:1883（docs/IOT.md を参照）。",
			"The MQTT address %[1]s is already in use (perhaps by another broker such as Mosquitto). Choose another port with --mqtt-addr, e.g. --mqtt-addr :1884 (env NAKAMAWASHI_MQTT_ADDR), or use that broker in external mode: --mqtt-broker tcp://127.0.0.1:1883 (see docs/IOT.md).",
		},
		"mqtt.cli.external_refused": {
			"MQTTブローカー %[1]s が接続を拒否しました。--mqtt-username と --mqtt-password（環境変数 NAKAMAWASHI_MQTT_USERNAME, NAKAMAWASHI_MQTT_PASSWORD）と、ブローカーのACLで共有サブスクリプションが許可されているかを確認してください。",
			"The MQTT broker %[1]s refused the connection. Check --mqtt-username and --mqtt-password (env NAKAMAWASHI_MQTT_USERNAME, NAKAMAWASHI_MQTT_PASSWORD) and that the broker's ACL allows the shared subscription.",
		},
		"mqtt.cli.external_unavailable": {
			"MQTTブローカー %[1]s に接続できません。アドレスと、ブローカーが動いているかを確認してください。",
			"Cannot connect to the MQTT broker %[1]s. Check the address and that the broker is running.",
		},
		"mqtt.cli.listening": {"機器は %[1]s に接続してください", "devices connect to %[1]s"},
		"mqtt.cli.external":  {"外部ブローカー %[1]s から受信しています", "receiving from the external broker %[1]s"},
	})
}
