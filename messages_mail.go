package nakamawashi

// Messages of notification emails.
func init() {
	addMessages(map[string]Text{
		"mail.subject": {"【仲間まわし】%s", "[nakamawashi] %s"},
		"mail.footer":  {"このメールは仲間まわしネットワークのお知らせです。お知らせの一覧は画面右上の「お知らせ」から見られます。", "This is a notification from the nakamawashi network. All notifications are under \"Notifications\" at the top right."},
	})
}
