package nakamawashi

// Messages of drawings: the kinds of file accepted (SniffDrawing) and the
// file store (package blob).
func init() {
	addMessages(map[string]Text{
		"err.drawing.empty": {"ファイルが空です。図面のファイルを選び直してください。", "The file is empty. Choose the drawing's file again."},
		"err.drawing.unsupported": {
			"この形式のファイルは受け付けていません。図面は PDF、DXF、STEP、画像（PNG・JPEG・TIFF・GIF・WebP）のいずれかでお送りください。",
			"This kind of file is not accepted. Send drawings as PDF, DXF, STEP or an image (PNG, JPEG, TIFF, GIF, WebP).",
		},
		"err.drawing.extension": {
			"ファイルの中身は%sですが、ファイル名の拡張子が合っていません。拡張子を %s にしてください。",
			"The file holds %s, but its name does not end in a matching extension. Name it with %s.",
		},
		"err.blob.too_large": {"ファイルが大きすぎます（1ファイル%sまで）。分割するか、解像度を下げてお送りください。", "The file is too large (at most %s per file). Split it or lower its resolution."},
		"err.blob.not_found": {"ファイルが見つかりません。", "The file was not found."},
		"err.blob.sha":       {"ファイルの指定が正しくありません。", "That is not a valid file reference."},

		"drawing.kind.pdf":  {"PDF", "a PDF"},
		"drawing.kind.dxf":  {"DXF（CAD図面）", "a DXF drawing"},
		"drawing.kind.step": {"STEP（3Dモデル）", "a STEP model"},
		"drawing.kind.png":  {"PNG画像", "a PNG image"},
		"drawing.kind.jpeg": {"JPEG画像", "a JPEG image"},
		"drawing.kind.tiff": {"TIFF画像", "a TIFF image"},
		"drawing.kind.gif":  {"GIF画像", "a GIF image"},
		"drawing.kind.webp": {"WebP画像", "a WebP image"},
	})
}
