package nakamawashi

// VocabularyVersion names the version of the capability vocabulary below.
// Codes are never reused or renamed; a new version only adds codes (and may
// mark old ones Retired), so profiles written under an older version stay
// valid.
const VocabularyVersion = "2026.1"

// ProcessKind says how a process is resourced.
type ProcessKind string

// A machine process runs on a machine whose envelope and accuracy matter
// (turning, milling, grinding, EDM, cutting, bending, printing, measuring);
// a pool process is a shop's capacity as a whole (heat treatment, plating,
// painting, assembly), with a lead time in days.
const (
	MachineProcess ProcessKind = "machine"
	PoolProcess    ProcessKind = "pool"
)

// Process is one entry of the controlled list of processes.
type Process struct {
	Code    string      `json:"code"`    // stable code, e.g. "turning.nc"
	Group   string      `json:"group"`   // e.g. "turning"; see ProcessGroups
	JA      string      `json:"ja"`      // NC旋盤
	EN      string      `json:"en"`      // CNC turning
	Reading string      `json:"reading"` // カタカナ reading, so that ｾﾝﾊﾞﾝ and せんばん find 旋盤
	Kind    ProcessKind `json:"kind"`
	// Covers lists other processes a shop with this one can also do: a
	// 5-axis machining centre covers 3-axis work.
	Covers  []string `json:"covers,omitempty"`
	Retired bool     `json:"retired,omitempty"`
}

// Name returns the process's name in lang.
func (p Process) Name(lang Language) string {
	if lang == English {
		return p.EN
	}
	return p.JA
}

// ProcessGroup is a heading of the process list.
type ProcessGroup struct {
	Code string `json:"code"`
	JA   string `json:"ja"`
	EN   string `json:"en"`
}

// ProcessGroups lists the groups in display order.
var ProcessGroups = []ProcessGroup{
	{"turning", "旋削", "Turning"},
	{"milling", "フライス・マシニング", "Milling and machining"},
	{"grinding", "研削・研磨", "Grinding and polishing"},
	{"edm", "放電加工", "EDM"},
	{"sheet", "板金・プレス", "Sheet metal and pressing"},
	{"welding", "溶接・接合", "Welding and joining"},
	{"heat", "熱処理", "Heat treatment"},
	{"surface", "表面処理", "Surface treatment"},
	{"forming", "成形・鋳鍛造", "Moulding, casting, forging"},
	{"additive", "3Dプリント", "Additive manufacturing"},
	{"inspection", "測定・検査", "Measuring and inspection"},
	{"assembly", "組立", "Assembly"},
}

var processes = []Process{
	{Code: "turning.nc", Group: "turning", JA: "NC旋盤", EN: "CNC turning", Reading: "エヌシーセンバン センバン", Kind: MachineProcess},
	{Code: "turning.multi", Group: "turning", JA: "複合旋盤", EN: "Multitasking turning (mill-turn)", Reading: "フクゴウセンバン センバン", Kind: MachineProcess, Covers: []string{"turning.nc", "turning.swiss"}},
	{Code: "turning.swiss", Group: "turning", JA: "主軸移動型自動旋盤", EN: "Swiss-type turning", Reading: "シュジクイドウガタジドウセンバン スイスガタ センバン", Kind: MachineProcess},
	{Code: "turning.manual", Group: "turning", JA: "汎用旋盤", EN: "Manual turning", Reading: "ハンヨウセンバン センバン", Kind: MachineProcess},
	{Code: "milling.manual", Group: "milling", JA: "フライス", EN: "Milling", Reading: "フライス フライスバン", Kind: MachineProcess},
	{Code: "mc.3axis", Group: "milling", JA: "マシニングセンタ 3軸", EN: "Machining centre, 3-axis", Reading: "マシニングセンタ サンジク", Kind: MachineProcess, Covers: []string{"milling.manual"}},
	{Code: "mc.5axis", Group: "milling", JA: "マシニングセンタ 5軸", EN: "Machining centre, 5-axis", Reading: "マシニングセンタ ゴジク", Kind: MachineProcess, Covers: []string{"mc.3axis", "milling.manual"}},
	{Code: "mc.horizontal", Group: "milling", JA: "横形マシニングセンタ", EN: "Horizontal machining centre", Reading: "ヨコガタマシニングセンタ", Kind: MachineProcess, Covers: []string{"mc.3axis", "milling.manual"}},
	{Code: "grinding.surface", Group: "grinding", JA: "平面研削", EN: "Surface grinding", Reading: "ヘイメンケンサク ケンサク", Kind: MachineProcess},
	{Code: "grinding.cylindrical", Group: "grinding", JA: "円筒研削", EN: "Cylindrical grinding", Reading: "エントウケンサク ケンサク", Kind: MachineProcess},
	{Code: "grinding.centerless", Group: "grinding", JA: "センタレス研削", EN: "Centerless grinding", Reading: "センタレスケンサク ケンサク", Kind: MachineProcess},
	{Code: "grinding.internal", Group: "grinding", JA: "内面研削", EN: "Internal grinding", Reading: "ナイメンケンサク ケンサク", Kind: MachineProcess},
	{Code: "grinding.jig", Group: "grinding", JA: "ジグ研削", EN: "Jig grinding", Reading: "ジグケンサク ケンサク", Kind: MachineProcess},
	{Code: "polishing", Group: "grinding", JA: "研磨・バフ", EN: "Polishing and buffing", Reading: "ケンマ バフ", Kind: PoolProcess},
	{Code: "lapping", Group: "grinding", JA: "ラップ", EN: "Lapping", Reading: "ラップ ケンマ", Kind: MachineProcess},
	{Code: "edm.sinker", Group: "edm", JA: "放電加工 形彫り", EN: "Sinker EDM", Reading: "ホウデンカコウ カタボリ", Kind: MachineProcess},
	{Code: "edm.wire", Group: "edm", JA: "ワイヤー放電加工", EN: "Wire EDM", Reading: "ワイヤーホウデンカコウ ワイヤーカット", Kind: MachineProcess},
	{Code: "edm.hole", Group: "edm", JA: "細穴放電加工", EN: "EDM hole drilling", Reading: "ホソアナホウデンカコウ", Kind: MachineProcess},
	{Code: "sheet.laser", Group: "sheet", JA: "レーザー切断", EN: "Laser cutting", Reading: "レーザーセツダン", Kind: MachineProcess},
	{Code: "sheet.bending", Group: "sheet", JA: "ベンダー曲げ", EN: "Press-brake bending", Reading: "ベンダーマゲ マゲ", Kind: MachineProcess},
	{Code: "sheet.turret", Group: "sheet", JA: "タレパン", EN: "Turret punching", Reading: "タレパン タレットパンチプレス", Kind: MachineProcess},
	{Code: "sheet.waterjet", Group: "sheet", JA: "ウォータージェット切断", EN: "Waterjet cutting", Reading: "ウォータージェットセツダン", Kind: MachineProcess},
	{Code: "press", Group: "sheet", JA: "プレス", EN: "Press stamping", Reading: "プレス", Kind: MachineProcess},
	{Code: "press.progressive", Group: "sheet", JA: "順送プレス", EN: "Progressive-die stamping", Reading: "ジュンソウプレス プレス", Kind: MachineProcess, Covers: []string{"press"}},
	{Code: "press.deepdraw", Group: "sheet", JA: "深絞り", EN: "Deep drawing", Reading: "フカシボリ", Kind: MachineProcess},
	{Code: "spinning", Group: "sheet", JA: "へら絞り", EN: "Metal spinning", Reading: "ヘラシボリ", Kind: MachineProcess},
	{Code: "welding.tig", Group: "welding", JA: "TIG溶接", EN: "TIG welding", Reading: "ティグヨウセツ ヨウセツ", Kind: PoolProcess},
	{Code: "welding.mig", Group: "welding", JA: "MIG/MAG溶接", EN: "MIG/MAG welding", Reading: "ミグヨウセツ マグヨウセツ ヨウセツ", Kind: PoolProcess},
	{Code: "welding.laser", Group: "welding", JA: "レーザー溶接", EN: "Laser welding", Reading: "レーザーヨウセツ ヨウセツ", Kind: MachineProcess},
	{Code: "welding.spot", Group: "welding", JA: "スポット溶接", EN: "Spot welding", Reading: "スポットヨウセツ ヨウセツ", Kind: PoolProcess},
	{Code: "brazing", Group: "welding", JA: "ろう付け", EN: "Brazing", Reading: "ロウヅケ", Kind: PoolProcess},
	{Code: "heat.quench", Group: "heat", JA: "焼入れ・焼戻し", EN: "Quenching and tempering", Reading: "ヤキイレ ヤキモドシ ネツショリ", Kind: PoolProcess},
	{Code: "heat.induction", Group: "heat", JA: "高周波焼入れ", EN: "Induction hardening", Reading: "コウシュウハヤキイレ ヤキイレ ネツショリ", Kind: PoolProcess},
	{Code: "heat.carburizing", Group: "heat", JA: "浸炭", EN: "Carburizing", Reading: "シンタン ネツショリ", Kind: PoolProcess},
	{Code: "heat.nitriding", Group: "heat", JA: "窒化", EN: "Nitriding", Reading: "チッカ ネツショリ", Kind: PoolProcess},
	{Code: "heat.vacuum", Group: "heat", JA: "真空熱処理", EN: "Vacuum heat treatment", Reading: "シンクウネツショリ ネツショリ", Kind: PoolProcess},
	{Code: "heat.annealing", Group: "heat", JA: "焼なまし", EN: "Annealing", Reading: "ヤキナマシ ネツショリ", Kind: PoolProcess},
	{Code: "plating.electroless_ni", Group: "surface", JA: "無電解ニッケルめっき", EN: "Electroless nickel plating", Reading: "ムデンカイニッケルメッキ メッキ", Kind: PoolProcess},
	{Code: "plating.zinc", Group: "surface", JA: "亜鉛めっき", EN: "Zinc plating", Reading: "アエンメッキ メッキ", Kind: PoolProcess},
	{Code: "plating.hard_chrome", Group: "surface", JA: "硬質クロムめっき", EN: "Hard chrome plating", Reading: "コウシツクロムメッキ メッキ", Kind: PoolProcess},
	{Code: "plating.nickel", Group: "surface", JA: "電解ニッケルめっき", EN: "Electrolytic nickel plating", Reading: "デンカイニッケルメッキ メッキ", Kind: PoolProcess},
	{Code: "plating.gold", Group: "surface", JA: "金めっき", EN: "Gold plating", Reading: "キンメッキ メッキ", Kind: PoolProcess},
	{Code: "anodizing", Group: "surface", JA: "アルマイト", EN: "Anodizing", Reading: "アルマイト ヨウキョクサンカ", Kind: PoolProcess},
	{Code: "anodizing.hard", Group: "surface", JA: "硬質アルマイト", EN: "Hard anodizing", Reading: "コウシツアルマイト アルマイト", Kind: PoolProcess, Covers: []string{"anodizing"}},
	{Code: "painting", Group: "surface", JA: "塗装", EN: "Painting", Reading: "トソウ", Kind: PoolProcess},
	{Code: "painting.powder", Group: "surface", JA: "粉体塗装", EN: "Powder coating", Reading: "フンタイトソウ トソウ", Kind: PoolProcess},
	{Code: "black_oxide", Group: "surface", JA: "黒染め", EN: "Black oxide", Reading: "クロゾメ", Kind: PoolProcess},
	{Code: "passivation", Group: "surface", JA: "不動態化処理", EN: "Passivation", Reading: "フドウタイカショリ", Kind: PoolProcess},
	{Code: "coating.pvd", Group: "surface", JA: "PVDコーティング", EN: "PVD coating", Reading: "ピーブイディーコーティング コーティング", Kind: PoolProcess},
	{Code: "molding.injection", Group: "forming", JA: "樹脂射出成形", EN: "Plastic injection moulding", Reading: "ジュシシャシュツセイケイ セイケイ", Kind: MachineProcess},
	{Code: "casting", Group: "forming", JA: "鋳造", EN: "Casting", Reading: "チュウゾウ イモノ", Kind: PoolProcess},
	{Code: "casting.die", Group: "forming", JA: "ダイカスト", EN: "Die casting", Reading: "ダイカスト チュウゾウ", Kind: MachineProcess},
	{Code: "forging", Group: "forming", JA: "鍛造", EN: "Forging", Reading: "タンゾウ", Kind: PoolProcess},
	{Code: "am.metal", Group: "additive", JA: "金属3Dプリント", EN: "Metal 3D printing", Reading: "キンゾクスリーディープリント スリーディープリント", Kind: MachineProcess},
	{Code: "am.resin", Group: "additive", JA: "樹脂3Dプリント", EN: "Resin 3D printing", Reading: "ジュシスリーディープリント スリーディープリント", Kind: MachineProcess},
	{Code: "inspection.cmm", Group: "inspection", JA: "三次元測定・検査", EN: "CMM measurement and inspection", Reading: "サンジゲンソクテイ ケンサ", Kind: MachineProcess},
	{Code: "inspection.surface", Group: "inspection", JA: "表面粗さ・形状測定", EN: "Surface roughness and form measurement", Reading: "ヒョウメンアラサ ケイジョウソクテイ ケンサ", Kind: MachineProcess},
	{Code: "inspection.ndt", Group: "inspection", JA: "非破壊検査", EN: "Non-destructive testing", Reading: "ヒハカイケンサ ケンサ", Kind: PoolProcess},
	{Code: "assembly", Group: "assembly", JA: "組立", EN: "Assembly", Reading: "クミタテ", Kind: PoolProcess},
	{Code: "assembly.wiring", Group: "assembly", JA: "配線・ハーネス", EN: "Wiring and harnesses", Reading: "ハイセン ハーネス", Kind: PoolProcess},
	{Code: "deburring", Group: "assembly", JA: "バリ取り・洗浄", EN: "Deburring and cleaning", Reading: "バリトリ センジョウ", Kind: PoolProcess},
}

// Material is an entry of the controlled list of materials.
type Material struct {
	Code    string `json:"code"`  // e.g. "SUS304"
	Group   string `json:"group"` // steel, stainless, aluminium, copper, titanium, nickel, plastic
	JA      string `json:"ja"`
	EN      string `json:"en"`
	Reading string `json:"reading"`
}

var materials = []Material{
	{"SS400", "steel", "SS400（一般構造用圧延鋼材）", "SS400 structural steel", "エスエス ヨンヒャク テッコウ"},
	{"S45C", "steel", "S45C（機械構造用炭素鋼）", "S45C carbon steel", "エスヨンジュウゴシー タンソコウ"},
	{"S50C", "steel", "S50C（機械構造用炭素鋼）", "S50C carbon steel", "タンソコウ"},
	{"SCM435", "steel", "SCM435（クロモリ鋼）", "SCM435 chromoly steel", "クロモリ"},
	{"SCM440", "steel", "SCM440（クロモリ鋼）", "SCM440 chromoly steel", "クロモリ"},
	{"SKD11", "steel", "SKD11（冷間ダイス鋼）", "SKD11 cold-work tool steel", "ダイスコウ"},
	{"SKD61", "steel", "SKD61（熱間ダイス鋼）", "SKD61 hot-work tool steel", "ダイスコウ"},
	{"SKS3", "steel", "SKS3（合金工具鋼）", "SKS3 alloy tool steel", "ゴウキンコウグコウ"},
	{"SUJ2", "steel", "SUJ2（軸受鋼）", "SUJ2 bearing steel", "ジクウケコウ"},
	{"SPCC", "steel", "SPCC（冷間圧延鋼板）", "SPCC cold-rolled steel sheet", "レイカンアツエンコウハン"},
	{"SECC", "steel", "SECC（電気亜鉛めっき鋼板）", "SECC electrogalvanized sheet", "ボンデコウハン"},
	{"FC250", "steel", "FC250（ねずみ鋳鉄）", "FC250 grey cast iron", "チュウテツ"},
	{"SUS303", "stainless", "SUS303（ステンレス）", "SUS303 stainless steel", "ステンレス"},
	{"SUS304", "stainless", "SUS304（ステンレス）", "SUS304 stainless steel", "ステンレス"},
	{"SUS316", "stainless", "SUS316（ステンレス）", "SUS316 stainless steel", "ステンレス"},
	{"SUS316L", "stainless", "SUS316L（ステンレス）", "SUS316L stainless steel", "ステンレス"},
	{"SUS420J2", "stainless", "SUS420J2（マルテンサイト系ステンレス）", "SUS420J2 martensitic stainless", "ステンレス"},
	{"SUS440C", "stainless", "SUS440C（マルテンサイト系ステンレス）", "SUS440C martensitic stainless", "ステンレス"},
	{"SUS630", "stainless", "SUS630（析出硬化系ステンレス）", "SUS630 (17-4PH) stainless", "ステンレス"},
	{"A1050", "aluminium", "A1050（純アルミ）", "A1050 pure aluminium", "アルミ アルミニウム"},
	{"A2017", "aluminium", "A2017（ジュラルミン）", "A2017 duralumin", "ジュラルミン アルミ"},
	{"A5052", "aluminium", "A5052（アルミ合金）", "A5052 aluminium alloy", "アルミ アルミニウム"},
	{"A6061", "aluminium", "A6061（アルミ合金）", "A6061 aluminium alloy", "アルミ アルミニウム"},
	{"A6063", "aluminium", "A6063（アルミ合金）", "A6063 aluminium alloy", "アルミ アルミニウム"},
	{"A7075", "aluminium", "A7075（超々ジュラルミン）", "A7075 aluminium alloy", "チョウチョウジュラルミン アルミ"},
	{"ADC12", "aluminium", "ADC12（アルミダイカスト）", "ADC12 die-casting aluminium", "アルミダイカスト"},
	{"C1100", "copper", "C1100（タフピッチ銅）", "C1100 copper", "ドウ タフピッチドウ"},
	{"C3604", "copper", "C3604（快削黄銅）", "C3604 free-cutting brass", "シンチュウ オウドウ"},
	{"C2801", "copper", "C2801（黄銅板）", "C2801 brass sheet", "シンチュウ"},
	{"CAC406", "copper", "CAC406（青銅鋳物）", "CAC406 bronze casting", "セイドウ ホウドウ"},
	{"Ti-6Al-4V", "titanium", "Ti-6Al-4V（64チタン）", "Ti-6Al-4V titanium alloy", "チタン ロクヨンチタン"},
	{"TP340", "titanium", "純チタン2種", "Grade 2 titanium", "チタン"},
	{"Inconel718", "nickel", "インコネル718", "Inconel 718", "インコネル ニッケルゴウキン"},
	{"POM", "plastic", "POM（ポリアセタール）", "POM (acetal)", "ジュラコン ポリアセタール ジュシ"},
	{"PEEK", "plastic", "PEEK", "PEEK", "ピーク ジュシ"},
	{"MC-Nylon", "plastic", "MCナイロン", "MC nylon", "ナイロン ジュシ"},
	{"PC", "plastic", "ポリカーボネート", "Polycarbonate", "ポリカーボネート ジュシ"},
	{"ABS", "plastic", "ABS樹脂", "ABS", "エービーエス ジュシ"},
	{"PTFE", "plastic", "PTFE（テフロン）", "PTFE", "テフロン ジュシ"},
	{"PP", "plastic", "ポリプロピレン", "Polypropylene", "ポリプロピレン ジュシ"},
	{"PA66-GF", "plastic", "ガラス入りナイロン66", "Glass-filled PA66", "ナイロン ジュシ"},
}

// MaterialGroups lists the material groups in display order.
var MaterialGroups = []ProcessGroup{
	{"steel", "鉄鋼", "Steel"},
	{"stainless", "ステンレス", "Stainless steel"},
	{"aluminium", "アルミ", "Aluminium"},
	{"copper", "銅・銅合金", "Copper and alloys"},
	{"titanium", "チタン", "Titanium"},
	{"nickel", "ニッケル合金", "Nickel alloys"},
	{"plastic", "樹脂", "Plastics"},
}

// Name returns the material's name in lang.
func (m Material) Name(lang Language) string {
	if lang == English {
		return m.EN
	}
	return m.JA
}

// Certification is an entry of the controlled list of certifications.
type Certification struct {
	Code string `json:"code"`
	JA   string `json:"ja"`
	EN   string `json:"en"`
}

var certifications = []Certification{
	{"ISO9001", "ISO 9001（品質）", "ISO 9001 (quality)"},
	{"ISO14001", "ISO 14001（環境）", "ISO 14001 (environment)"},
	{"JISQ9100", "JIS Q 9100（航空宇宙）", "JIS Q 9100 / AS9100 (aerospace)"},
	{"ISO13485", "ISO 13485（医療機器）", "ISO 13485 (medical devices)"},
	{"IATF16949", "IATF 16949（自動車）", "IATF 16949 (automotive)"},
	{"ISO45001", "ISO 45001（労働安全衛生）", "ISO 45001 (occupational safety)"},
	{"ISO27001", "ISO/IEC 27001（情報セキュリティ）", "ISO/IEC 27001 (information security)"},
	{"NADCAP", "Nadcap（特殊工程）", "Nadcap (special processes)"},
	{"ECOACTION21", "エコアクション21", "Eco-Action 21"},
	{"KES", "KES環境マネジメント", "KES environmental management"},
}

// Name returns the certification's name in lang.
func (c Certification) Name(lang Language) string {
	if lang == English {
		return c.EN
	}
	return c.JA
}

// Processes returns the process list in display order.
func Processes() []Process { return processes }

// Materials returns the material list in display order.
func Materials() []Material { return materials }

// Certifications returns the certification list in display order.
func Certifications() []Certification { return certifications }

var (
	processByCode  = map[string]Process{}
	materialByCode = map[string]Material{}
	certByCode     = map[string]Certification{}
)

func init() {
	for _, p := range processes {
		processByCode[p.Code] = p
	}
	for _, m := range materials {
		materialByCode[m.Code] = m
	}
	for _, c := range certifications {
		certByCode[c.Code] = c
	}
}

// ProcessByCode looks a process up by its code.
func ProcessByCode(code string) (Process, bool) { p, ok := processByCode[code]; return p, ok }

// MaterialByCode looks a material up by its code.
func MaterialByCode(code string) (Material, bool) { m, ok := materialByCode[code]; return m, ok }

// CertificationByCode looks a certification up by its code.
func CertificationByCode(code string) (Certification, bool) { c, ok := certByCode[code]; return c, ok }

// ProcessSatisfies reports whether a shop offering process have can take a
// step that asks for want: the same process, or one it covers.
func ProcessSatisfies(have, want string) bool {
	if have == want {
		return true
	}
	for _, c := range processByCode[have].Covers {
		if c == want {
			return true
		}
	}
	return false
}
