package nakamawashi

// Messages of the partner directory.
func init() {
	addMessages(map[string]Text{
		"err.search.words": {"検索語は%d語までにしてください。", "Use at most %d search words."},
	})
}
