package nakamawashi

// Messages of money, tax and business documents (package document).
func init() {
	addMessages(map[string]Text{
		"tax.rounding.floor":   {"切り捨て", "round down"},
		"tax.rounding.ceil":    {"切り上げ", "round up"},
		"tax.rounding.half_up": {"四捨五入", "round half up"},

		"err.tax.rounding":   {"消費税の端数処理（切り捨て・切り上げ・四捨五入）を選んでください。", "Choose how tax fractions are rounded: down, up or half up."},
		"err.tax.lines":      {"明細を1行以上入力してください。", "Enter at least one line."},
		"err.tax.quantity":   {"数量は0より大きい数で、小数点以下は3桁までです。", "Enter a quantity above 0 with at most three decimals."},
		"err.tax.rate":       {"税率は10%（標準税率）か8%（軽減税率）を選んでください。", "Choose a tax rate of 10% (standard) or 8% (reduced)."},
		"err.tax.reduced":    {"軽減税率の明細は税率8%、それ以外は10%です。", "A reduced-rate line is taxed at 8%, any other line at 10%."},
		"err.tax.amount_max": {"金額が大きすぎます（%d円まで）。", "The amount is too large (at most %d yen)."},
		"err.tax.negative":   {"%d%%対象の合計がマイナスです。返品や値引きの精算は返還インボイスで行ってください。", "The total at %d%% is negative. Settle returns and discounts with a credit note."},
	})
}
