package demo

import "github.com/nakamawashi/nakamawashi"

// machine is one row of a shop's machine list.
type machine struct {
	process      string // a machine process of the vocabulary
	maker, model string
	count        int
	env          nakamawashi.Envelope
	axes         int
	tol          float64 // best tolerance held, ± µm
	ra           float64 // best roughness, Ra µm; 0 where it says nothing (cutting, bending, measuring)
	note         string
}

func (m machine) machine() nakamawashi.Machine {
	return nakamawashi.Machine{
		Process: m.process, Maker: m.maker, Model: m.model, Count: m.count, Envelope: m.env,
		Axes: m.axes, ToleranceUM: m.tol, RoughnessRa: m.ra, Note: m.note,
	}
}

// round is a lathe's or a cylindrical grinder's envelope: diameter × length.
func round(d, l float64) nakamawashi.Envelope {
	return nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: d, L: l}
}

// box is a table's or a bolster's envelope: X × Y × Z. For sheet work Z is
// the thickest sheet; for a press brake, X is the bending length.
func box(x, y, z float64) nakamawashi.Envelope {
	return nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: x, Y: y, Z: z}
}

// machines are the shops' machines by company name. Models are those the
// makers sell; where a shop would just say what it is, the model says that.
var machines = map[string][]machine{
	// NC旋盤・複合旋盤
	"株式会社山本精密製作所": {
		{"turning.nc", "オークマ", "LB2000 EX II", 4, round(250, 400), 2, 5, 0.8, "バーフィーダー付き（φ51まで）"},
		{"turning.nc", "DMG森精機", "NLX 1500", 4, round(200, 350), 2, 5, 0.8, ""},
		{"turning.multi", "ヤマザキマザック", "INTEGREX i-100", 2, round(300, 500), 5, 5, 0.8, "B軸・第2主軸付き"},
	},
	"有限会社丸栄精機": {
		{"turning.swiss", "スター精密", "SR-20RIV", 3, round(20, 200), 9, 5, 0.8, "ガイドブッシュ／ノンガイドブッシュ切替"},
		{"turning.swiss", "シチズンマシナリー", "Cincom L20", 2, round(20, 200), 8, 5, 0.8, ""},
	},
	"株式会社三ツ輪製作所": {
		{"turning.multi", "オークマ", "MULTUS U3000", 1, round(300, 900), 5, 5, 0.8, ""},
		{"turning.multi", "DMG森精機", "NLX 2500SY", 2, round(300, 700), 4, 5, 0.8, "Y軸・第2主軸付き"},
	},
	"株式会社ロクゴウ精工": {
		{"turning.nc", "ヤマザキマザック", "QUICK TURN 250", 4, round(300, 500), 2, 8, 1.6, "バーフィーダー φ65"},
		{"turning.nc", "オークマ", "GENOS L250II", 2, round(250, 400), 2, 8, 1.6, ""},
	},
	"有限会社小松崎旋盤製作所": {
		{"turning.manual", "オークマ", "汎用旋盤 心間1,000mm", 4, round(460, 1000), 2, 20, 1.6, "台形・多条ねじの手仕上げ"},
		{"turning.nc", "DMG森精機", "NLX 2000", 2, round(300, 500), 2, 10, 1.6, ""},
	},
	"田島精密": {
		{"turning.manual", "オークマ", "汎用旋盤 心間550mm", 1, round(360, 550), 2, 20, 1.6, ""},
		{"turning.nc", "DMG森精機", "NLX 1500", 1, round(200, 300), 2, 10, 0.8, "樹脂用の刃物を常備"},
	},

	// フライス
	"株式会社金井フライス製作所": {
		{"mc.3axis", "牧野フライス製作所", "NCフライス盤", 3, box(600, 400, 400), 3, 10, 1.6, "ATCなし"},
		{"milling.manual", "静岡鐵工所", "汎用立フライス盤", 4, box(600, 300, 400), 3, 20, 3.2, ""},
	},
	"有限会社辰巳製作所": {
		{"milling.manual", "静岡鐵工所", "汎用立フライス盤", 2, box(500, 250, 350), 3, 20, 3.2, "ボール盤・タップ盤あり"},
	},
	"株式会社城南ミーリング": {
		{"mc.3axis", "オークマ", "MCR-A5C", 1, box(2000, 1000, 600), 3, 10, 1.6, "門形、5面加工アタッチメント付き"},
		{"milling.manual", "静岡鐵工所", "汎用立フライス盤", 2, box(800, 400, 450), 3, 20, 3.2, ""},
	},

	// マシニングセンタ
	"株式会社旭テクノマシニング": {
		{"mc.5axis", "DMG森精機", "DMU 50", 1, box(500, 450, 400), 5, 5, 0.8, "同時5軸"},
		{"mc.5axis", "牧野フライス製作所", "D500", 1, box(500, 500, 350), 5, 3, 0.4, "同時5軸、チタン・インコネル"},
		{"mc.3axis", "オークマ", "GENOS M560-V", 2, box(1050, 560, 460), 3, 5, 0.8, ""},
		{"mc.3axis", "ブラザー工業", "SPEEDIO S700X1", 2, box(700, 400, 300), 3, 8, 0.8, ""},
		{"inspection.cmm", "ミツトヨ", "CRYSTA-Apex V 776", 1, box(705, 705, 605), 3, 2, 0, "全数検査用"},
	},
	"株式会社矢口精密": {
		{"mc.horizontal", "牧野フライス製作所", "a51nx", 2, box(730, 730, 800), 4, 5, 1.6, "パレットチェンジャー、夜間無人運転"},
		{"mc.horizontal", "オークマ", "MB-4000H", 1, box(560, 610, 625), 4, 5, 1.6, "2パレット"},
	},
	"株式会社千鳥マシンワークス": {
		{"mc.5axis", "牧野フライス製作所", "D200Z", 1, box(350, 300, 250), 5, 2, 0.2, "同時5軸、鏡面仕上げ"},
		{"mc.3axis", "ファナック", "ROBODRILL α-D21MiB5", 2, box(500, 400, 330), 3, 5, 0.4, "高速主軸 24,000min⁻¹"},
	},
	"有限会社須藤製作所": {
		{"mc.3axis", "ブラザー工業", "SPEEDIO S500X1", 2, box(500, 400, 300), 3, 8, 1.6, ""},
		{"mc.3axis", "オークマ", "MB-46VA", 1, box(762, 460, 460), 3, 5, 1.6, ""},
	},
	"株式会社鵜の木エンジニアリング": {
		{"mc.5axis", "DMG森精機", "DMU 50", 1, box(500, 450, 400), 5, 10, 0.8, "樹脂専用、クーラントレス"},
		{"mc.3axis", "ブラザー工業", "SPEEDIO S700X1", 1, box(700, 400, 300), 3, 10, 0.8, ""},
	},

	// 研削
	"株式会社大森研削": {
		{"grinding.surface", "岡本工作機械製作所", "PSG-DX 1,000×500", 2, box(1000, 500, 400), 3, 2, 0.2, ""},
		{"grinding.surface", "岡本工作機械製作所", "PSG-DX 600×300", 2, box(600, 300, 350), 3, 2, 0.2, ""},
		{"grinding.surface", "三井ハイテック", "MSG-200MH", 2, box(450, 200, 300), 3, 1, 0.1, "平面度・平行度0.002mm"},
	},
	"有限会社京浜円筒研磨": {
		{"grinding.cylindrical", "岡本工作機械製作所", "NC円筒研削盤", 2, round(200, 500), 2, 1, 0.1, "真円度1μm"},
		{"grinding.internal", "岡本工作機械製作所", "NC内面研削盤", 1, round(150, 150), 2, 2, 0.2, "内径φ5〜φ100"},
	},
	"小池研削工業所": {
		{"grinding.centerless", "ミクロン精密", "センタレス研削盤", 3, round(40, 300), 2, 2, 0.2, "通し・インフィード"},
	},
	"株式会社精研工業": {
		{"grinding.jig", "三井精機工業", "J350G", 1, box(350, 250, 300), 3, 1, 0.2, "穴位置精度±0.002mm"},
		{"grinding.surface", "岡本工作機械製作所", "PSG-DX 600×300", 2, box(600, 300, 300), 3, 2, 0.2, "成形研削、プロファイル"},
	},

	// 放電加工
	"株式会社昭和島ワイヤーカット": {
		{"edm.wire", "ソディック", "AG400L", 2, box(400, 300, 250), 5, 2, 0.3, "テーパー加工"},
		{"edm.wire", "三菱電機", "MV2400R", 2, box(600, 400, 310), 5, 3, 0.4, "板厚300mmまで"},
		{"edm.wire", "ファナック", "ROBOCUT α-C400iB", 1, box(400, 300, 255), 5, 2, 0.3, "微細ワイヤーφ0.05mm"},
	},
	"有限会社中村放電加工所": {
		{"edm.sinker", "三菱電機", "EA12V", 1, box(400, 300, 250), 3, 5, 0.4, ""},
		{"edm.sinker", "ソディック", "AD30Ls", 2, box(300, 250, 250), 3, 5, 0.4, "深リブ・小さい角の電極を自社製作"},
		{"edm.hole", "ソディック", "K1C", 1, box(300, 200, 200), 3, 20, 3.2, "穴径φ0.3〜φ3"},
	},
	"株式会社エムズ放電": {
		{"edm.wire", "ソディック", "ALN400G", 1, box(400, 300, 250), 5, 2, 0.3, ""},
		{"edm.wire", "ファナック", "ROBOCUT α-C400iB", 1, box(400, 300, 255), 5, 3, 0.4, "夜間無人運転"},
		{"edm.hole", "ソディック", "K1C", 1, box(300, 200, 200), 3, 20, 3.2, ""},
	},

	// 板金
	"株式会社京浜島板金工業": {
		{"sheet.laser", "アマダ", "ENSIS-3015AJ", 1, box(3070, 1550, 25), 2, 100, 0, "ファイバーレーザー 6kW"},
		{"sheet.bending", "アマダ", "HG-1303", 3, box(3100, 1000, 400), 6, 100, 0, ""},
		{"sheet.bending", "アマダ", "HG-8025", 2, box(2500, 1000, 400), 6, 100, 0, ""},
	},
	"有限会社協栄板金": {
		{"sheet.turret", "アマダ", "EM-2510NT", 1, box(2500, 1270, 3.2), 2, 100, 0, "バーリング・タップ金型"},
		{"sheet.turret", "村田機械", "MOTORUM-2048LT", 1, box(2500, 1250, 3.2), 2, 100, 0, ""},
		{"sheet.bending", "アマダ", "HG-1003", 2, box(3000, 800, 400), 6, 100, 0, ""},
	},
	"株式会社六郷シートメタル": {
		{"sheet.laser", "アマダ", "LCG-3015AJ", 1, box(3070, 1550, 20), 2, 100, 0, "ファイバーレーザー"},
		{"sheet.bending", "アマダ", "HG-1303", 2, box(3100, 1000, 400), 6, 100, 0, ""},
	},
	"有限会社富士見製缶": {
		{"sheet.bending", "アマダ", "大型ベンダー 220t", 1, box(4000, 1500, 600), 4, 500, 0, "板厚25mmまで、10tクレーン"},
	},

	// 溶接
	"株式会社レーザーウェルド羽田": {
		{"welding.laser", "アマダウエルドテック", "ファイバーレーザー溶接機", 1, box(300, 300, 200), 3, 20, 0, "異種金属の接合"},
		{"welding.laser", "アマダウエルドテック", "YAGパルスレーザー溶接機", 1, box(200, 200, 150), 3, 20, 0, "センサー・医療器具の微細溶接"},
	},

	// めっき
	"株式会社ハードクローム大森": {
		{"grinding.cylindrical", "岡本工作機械製作所", "大型円筒研削盤", 1, round(300, 2000), 2, 5, 0.2, "めっき後の研磨仕上げ"},
	},

	// 三次元測定・検査
	"株式会社大田精測センター": {
		{"inspection.cmm", "ミツトヨ", "CRYSTA-Apex V 776", 1, box(705, 705, 605), 3, 2, 0, "恒温室20±0.5℃"},
		{"inspection.cmm", "カールツァイス", "CONTURA", 1, box(1000, 700, 600), 3, 2, 0, "CADデータとの比較測定"},
		{"inspection.surface", "ミツトヨ", "コントレーサー CV-3200", 1, box(400, 300, 300), 2, 1, 0, "輪郭形状"},
	},
	"株式会社テクノ計測多摩川": {
		{"inspection.cmm", "ミツトヨ", "QUICK VISION Apex 302", 1, box(300, 200, 200), 3, 2, 0, "画像測定、全数検査"},
		{"inspection.surface", "東京精密", "SURFCOM NEX", 1, box(300, 200, 200), 2, 1, 0, "表面粗さ"},
		{"inspection.surface", "東京精密", "RONDCOM NEX", 1, round(300, 300), 2, 0.1, 0, "真円度"},
	},

	// 登録のない小さな工場
	"有限会社小川製作所": {
		{"milling.manual", "牧野フライス製作所", "NCフライス盤", 1, box(500, 300, 350), 3, 10, 1.6, ""},
		{"turning.manual", "オークマ", "汎用旋盤 心間800mm", 1, round(400, 800), 2, 20, 1.6, ""},
	},
	"株式会社橋本ベンダー工業": {
		{"sheet.bending", "アマダ", "HG-1303", 2, box(3100, 1000, 400), 6, 100, 0, "板厚0.5〜6mm"},
		{"sheet.bending", "アマダ", "HG-8025", 1, box(2500, 1000, 400), 6, 100, 0, ""},
	},

	// 日立市
	"株式会社常陸プレス工業": {
		{"press.progressive", "コマツ産機", "順送プレス 300t", 1, box(2700, 1100, 500), 0, 50, 0, "コイル材送り、月50万個"},
		{"press.progressive", "アイダエンジニアリング", "順送プレス 200t", 2, box(2100, 900, 450), 0, 50, 0, ""},
		{"press", "アイダエンジニアリング", "トランスファープレス 300t", 1, box(3000, 1200, 550), 0, 50, 0, "深絞り・多工程"},
		{"press.deepdraw", "コマツ産機", "油圧プレス 200t", 1, box(1500, 1000, 600), 0, 100, 0, "深絞り"},
	},
	"株式会社大みか精機": {
		{"turning.nc", "オークマ", "LB3000 EX II", 18, round(300, 500), 2, 8, 1.6, "ロボット搬送・自動計測ライン"},
		{"turning.nc", "DMG森精機", "NLX 2500", 12, round(350, 700), 2, 8, 1.6, ""},
		{"mc.horizontal", "オークマ", "MB-5000H", 6, box(730, 730, 880), 4, 8, 1.6, ""},
		{"mc.horizontal", "ヤマザキマザック", "HCN-5000", 4, box(730, 800, 800), 4, 8, 1.6, ""},
		{"inspection.cmm", "東京精密", "XYZAX SVA NEX", 1, box(1000, 800, 600), 3, 3, 0, "ライン抜取り検査"},
	},
	"株式会社石名坂モールド": {
		{"molding.injection", "日精樹脂工業", "NEX 50t", 6, box(200, 150, 100), 0, 20, 0, ""},
		{"molding.injection", "日精樹脂工業", "NEX 180t", 6, box(400, 300, 200), 0, 30, 0, "インサート成形"},
		{"molding.injection", "ファナック", "ROBOSHOT α-S100iB", 5, box(300, 250, 150), 0, 20, 0, "精密成形"},
		{"molding.injection", "芝浦機械", "EC450SX", 3, box(700, 600, 300), 0, 50, 0, ""},
	},

	// 岡谷市
	"株式会社諏訪湖精密": {
		{"turning.swiss", "シチズンマシナリー", "Cincom L12", 12, round(12, 150), 7, 2, 0.4, "φ0.5〜φ12"},
		{"turning.swiss", "スター精密", "SR-10J", 8, round(10, 150), 7, 2, 0.4, ""},
	},
	"株式会社岡谷マイクロテック": {
		{"press.progressive", "山田ドビー", "高速精密プレス 60t", 4, box(900, 600, 300), 0, 10, 0, "板厚0.05mmから"},
		{"edm.wire", "ソディック", "AG360L", 3, box(360, 270, 210), 5, 2, 0.2, "金型部品"},
		{"edm.sinker", "ソディック", "AG40L", 1, box(400, 300, 250), 3, 3, 0.2, "微細放電"},
	},
	"有限会社赤羽ゲージ製作所": {
		{"grinding.cylindrical", "ジェイテクト", "精密円筒研削盤", 1, round(150, 400), 2, 0.5, 0.05, ""},
		{"grinding.surface", "岡本工作機械製作所", "PSG-DX 500×200", 1, box(500, 200, 300), 3, 0.5, 0.05, ""},
		{"lapping", "浜井産業", "両面ラップ盤", 1, box(300, 300, 50), 0, 0.3, 0.02, "サブミクロン仕上げ"},
		{"inspection.surface", "ミツトヨ", "ラウンドテスト RA-2200", 1, round(200, 300), 2, 0.1, 0, "校正用"},
	},
}
