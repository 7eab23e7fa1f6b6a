package nakamawashi

// Messages of the stores.
func init() {
	addMessages(map[string]Text{
		"err.store.unavailable": {"データベースに接続できません。時間をおいて再度お試しください。", "The database is not available. Please try again later."},
		"err.token.invalid":     {"APIトークンが無効か、有効期限が切れています。", "The API token is not valid or has expired."},
		"err.backup.exists":     {"バックアップ先のファイルが既に存在します。別の名前を指定してください。", "The backup file already exists. Choose another name."},
	})
}
