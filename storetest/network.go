package storetest

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

// GenerateDirectory returns n suppliers of a made-up but realistic network,
// the same for the same seed: job shops of Ota ward (about half) and
// regional partners in the other clusters of Japanese machining (日立市,
// 岡谷市, 東大阪市, 燕市, …), each with a trade (turning, machining,
// grinding, EDM, sheet metal, heat or surface treatment, inspection), the
// processes, materials, certifications and lot sizes that go with it,
// about four machines, and a description in Japanese. It feeds the search
// benchmark and the tests that need a directory of some size.
func GenerateDirectory(n int, seed uint64) []*nakamawashi.Supplier {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]*nakamawashi.Supplier, n)
	for i := range out {
		out[i] = genSupplier(r, i)
	}
	return out
}

type reading struct{ ja, kana string }

var (
	genSurnames = []reading{
		{"山田", "ヤマダ"}, {"佐藤", "サトウ"}, {"鈴木", "スズキ"}, {"高橋", "タカハシ"}, {"田中", "タナカ"}, {"伊藤", "イトウ"},
		{"渡辺", "ワタナベ"}, {"中村", "ナカムラ"}, {"小林", "コバヤシ"}, {"加藤", "カトウ"}, {"吉田", "ヨシダ"}, {"山本", "ヤマモト"},
		{"松本", "マツモト"}, {"井上", "イノウエ"}, {"木村", "キムラ"}, {"林", "ハヤシ"}, {"清水", "シミズ"}, {"森", "モリ"},
		{"池田", "イケダ"}, {"橋本", "ハシモト"}, {"石川", "イシカワ"}, {"前田", "マエダ"}, {"藤田", "フジタ"}, {"岡田", "オカダ"},
		{"後藤", "ゴトウ"}, {"長谷川", "ハセガワ"}, {"村上", "ムラカミ"}, {"近藤", "コンドウ"}, {"坂本", "サカモト"}, {"遠藤", "エンドウ"},
		{"青木", "アオキ"}, {"西村", "ニシムラ"}, {"福田", "フクダ"}, {"三浦", "ミウラ"}, {"藤井", "フジイ"}, {"岡本", "オカモト"},
		{"松田", "マツダ"}, {"中川", "ナカガワ"}, {"原田", "ハラダ"}, {"小川", "オガワ"}, {"竹内", "タケウチ"}, {"金子", "カネコ"},
		{"和田", "ワダ"}, {"中山", "ナカヤマ"}, {"石井", "イシイ"}, {"上田", "ウエダ"}, {"森田", "モリタ"}, {"柴田", "シバタ"},
		{"大森", "オオモリ"}, {"蒲田", "カマタ"}, {"羽田", "ハネダ"}, {"城南", "ジョウナン"}, {"多摩川", "タマガワ"}, {"東洋", "トウヨウ"},
		{"三光", "サンコウ"}, {"大和", "ヤマト"}, {"富士", "フジ"}, {"昭和", "ショウワ"}, {"日東", "ニットウ"}, {"共栄", "キョウエイ"},
	}
	genSuffixes = []reading{
		{"製作所", "セイサクショ"}, {"工業", "コウギョウ"}, {"精機", "セイキ"}, {"精工", "セイコウ"}, {"工作所", "コウサクショ"},
		{"鉄工所", "テッコウショ"}, {"技研", "ギケン"}, {"精密", "セイミツ"}, {"金属工業", "キンゾクコウギョウ"}, {"機工", "キコウ"},
	}
)

type genRegion struct {
	prefecture, city, postal, phone string
	towns                           []string
	weight                          int
}

var genRegions = []genRegion{
	{"東京都", "大田区", "14400", "03-37", []string{"西蒲田", "東糀谷", "大森南", "下丸子", "羽田", "東六郷", "矢口", "仲池上", "北糀谷", "京浜島"}, 50},
	{"茨城県", "日立市", "31700", "0294-2", []string{"弁天町", "城南町", "鮎川町", "助川町"}, 8},
	{"長野県", "岡谷市", "39400", "0266-2", []string{"長地", "湊", "郷田", "銀座"}, 6},
	{"大阪府", "東大阪市", "57700", "06-67", []string{"高井田", "長田", "川俣", "森河内"}, 8},
	{"新潟県", "燕市", "95912", "0256-6", []string{"小関", "物流センター", "吉田"}, 5},
	{"神奈川県", "川崎市", "21000", "044-51", []string{"中原区上小田中", "高津区坂戸", "幸区塚越"}, 7},
	{"東京都", "品川区", "14100", "03-34", []string{"南大井", "東品川", "大崎"}, 5},
	{"埼玉県", "川口市", "33200", "048-25", []string{"領家", "青木", "芝"}, 5},
	{"長野県", "諏訪市", "39200", "0266-5", []string{"湖南", "四賀", "上川"}, 3},
	{"静岡県", "浜松市", "43000", "053-42", []string{"中区佐藤", "南区石原町"}, 3},
}

// trade is a kind of shop: its processes (the first is its core), the
// machines it runs, and what it says about itself.
type trade struct {
	name      string // 旋盤加工, as the description says it
	processes []string
	machines  []string // machine processes of its machines
	materials []string
	lots      []nakamawashi.LotSize
	tolerance [2]float64 // µm, best and worst a machine holds
	phrases   []string
}

var genTrades = []trade{
	{"NC旋盤による旋削加工", []string{"turning.nc", "turning.multi", "turning.swiss", "turning.manual", "deburring"}, []string{"turning.nc", "turning.multi", "turning.swiss"},
		[]string{"S45C", "SUS303", "SUS304", "C3604", "A5052", "SCM440"}, []nakamawashi.LotSize{nakamawashi.LotPrototype, nakamawashi.LotSmall, nakamawashi.LotVolume}, [2]float64{3, 20},
		[]string{"丸物のシャフトやフランジを得意としています。", "複合旋盤で旋削からフライスまで一工程で仕上げます。", "小径の精密旋削部品を量産しています。"}},
	{"マシニングセンタによる切削加工", []string{"mc.3axis", "mc.5axis", "mc.horizontal", "milling.manual", "deburring"}, []string{"mc.3axis", "mc.5axis", "mc.horizontal"},
		[]string{"A5052", "A6061", "A7075", "SS400", "S50C", "SUS304", "POM", "PEEK"}, []nakamawashi.LotSize{nakamawashi.LotPrototype, nakamawashi.LotSmall}, [2]float64{5, 20},
		[]string{"5軸加工機で複雑形状の一品ものに対応します。", "装置部品のブロック加工やプレート加工が中心です。", "アルミの薄肉加工にも自信があります。"}},
	{"研削加工", []string{"grinding.surface", "grinding.cylindrical", "grinding.centerless", "grinding.internal", "grinding.jig", "polishing", "lapping"}, []string{"grinding.surface", "grinding.cylindrical", "grinding.centerless", "grinding.internal", "grinding.jig"},
		[]string{"SKD11", "SKD61", "SUJ2", "S45C", "SUS304", "SUS440C", "SCM435"}, []nakamawashi.LotSize{nakamawashi.LotPrototype, nakamawashi.LotSmall}, [2]float64{1, 5},
		[]string{"焼入れ後の平面研削・円筒研削を承ります。", "ミクロン単位の精密研削が得意です。", "金型部品の研削から鏡面研磨まで一貫して対応します。"}},
	{"放電加工", []string{"edm.wire", "edm.sinker", "edm.hole", "grinding.surface"}, []string{"edm.wire", "edm.sinker", "edm.hole"},
		[]string{"SKD11", "SKD61", "SKS3", "Ti-6Al-4V", "Inconel718", "C1100"}, []nakamawashi.LotSize{nakamawashi.LotPrototype, nakamawashi.LotSmall}, [2]float64{2, 10},
		[]string{"ワイヤーカットでプレス金型のパンチやダイを製作しています。", "焼入れ鋼や超硬の形彫り放電加工に対応します。"}},
	{"板金・プレス加工", []string{"sheet.laser", "sheet.bending", "sheet.turret", "welding.tig", "welding.spot", "press", "press.progressive"}, []string{"sheet.laser", "sheet.bending", "sheet.turret", "press"},
		[]string{"SPCC", "SECC", "SUS304", "A5052", "SS400"}, []nakamawashi.LotSize{nakamawashi.LotSmall, nakamawashi.LotVolume}, [2]float64{50, 200},
		[]string{"レーザー切断から曲げ、溶接まで筐体を一貫生産します。", "ステンレスのTIG溶接と仕上げが得意です。", "順送プレスで量産部品を供給しています。"}},
	{"熱処理", []string{"heat.quench", "heat.induction", "heat.carburizing", "heat.nitriding", "heat.vacuum", "heat.annealing"}, []string{"inspection.surface"},
		[]string{"S45C", "SCM435", "SCM440", "SKD11", "SKD61", "SUJ2"}, []nakamawashi.LotSize{nakamawashi.LotSmall, nakamawashi.LotVolume}, [2]float64{0, 0},
		[]string{"真空炉による光輝焼入れを行っています。", "高周波焼入れで軸物の部分焼入れに対応します。", "硬度検査成績書を添えて納品します。"}},
	{"めっき・表面処理", []string{"plating.electroless_ni", "plating.zinc", "plating.hard_chrome", "anodizing", "anodizing.hard", "black_oxide", "passivation"}, []string{"inspection.surface"},
		[]string{"A5052", "A6061", "SS400", "S45C", "SUS304"}, []nakamawashi.LotSize{nakamawashi.LotSmall, nakamawashi.LotVolume}, [2]float64{0, 0},
		[]string{"無電解ニッケルめっきと硬質アルマイトを一社で承ります。", "小物のバレルめっきから大物まで対応します。"}},
	{"精密測定・組立", []string{"inspection.cmm", "inspection.surface", "assembly", "assembly.wiring"}, []string{"inspection.cmm", "inspection.surface"},
		[]string{"A5052", "SUS304", "SS400"}, []nakamawashi.LotSize{nakamawashi.LotPrototype, nakamawashi.LotSmall}, [2]float64{1, 3},
		[]string{"三次元測定機による測定と検査成績書の作成を承ります。", "ユニットの組立と配線まで請け負います。"}},
}

// genTradeWeights makes turning, machining and grinding the common trades.
var genTradeWeights = []int{24, 26, 14, 7, 12, 6, 6, 5}

var genMakers = map[string][]reading{
	"turning":    {{"オークマ", "LB3000 EXII"}, {"DMG森精機", "NLX 2500"}, {"滝澤鉄工所", "TCN-2100"}, {"シチズンマシナリー", "Cincom L20"}, {"スター精密", "SR-20RIV"}, {"中村留精密工業", "WT-150II"}},
	"milling":    {{"ヤマザキマザック", "VARIAXIS i-700"}, {"ファナック", "ROBODRILL α-D21MiB5"}, {"ブラザー工業", "SPEEDIO S700X2"}, {"牧野フライス製作所", "V33i"}, {"オークマ", "MB-46VAE"}, {"DMG MORI", "DMU 50"}},
	"grinding":   {{"岡本工作機械製作所", "PSG-63DX"}, {"ジェイテクト", "G1P50"}, {"黒田精工", "GS-64PFII"}, {"アマダマシナリー", "TECHSTER-84"}, {"ミクロン精密", "MP-200"}},
	"edm":        {{"三菱電機", "MV2400R"}, {"ソディック", "AQ400L"}, {"ファナック", "α-C400iB"}, {"牧野フライス製作所", "EDAF3"}},
	"sheet":      {{"アマダ", "ENSIS-3015AJ"}, {"アマダ", "HG-1303"}, {"トルンプ", "TruLaser 3030"}, {"村田機械", "LS3015"}, {"アイダエンジニアリング", "NC1-2000"}},
	"inspection": {{"ミツトヨ", "CRYSTA-Apex V"}, {"東京精密", "XYZAX SVA NEX"}, {"ミツトヨ", "SJ-410"}},
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// some returns k to all distinct elements of xs, the first always.
func some[T any](r *rand.Rand, xs []T, k int) []T {
	out := []T{xs[0]}
	for _, i := range r.Perm(len(xs) - 1) {
		if len(out) >= k {
			break
		}
		out = append(out, xs[i+1])
	}
	return out
}

func weighted(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func genSupplier(r *rand.Rand, i int) *nakamawashi.Supplier {
	rw := make([]int, len(genRegions))
	for j, g := range genRegions {
		rw[j] = g.weight
	}
	reg := genRegions[weighted(r, rw)]
	sur, suf := pick(r, genSurnames), pick(r, genSuffixes)
	tr := genTrades[weighted(r, genTradeWeights)]
	name := "株式会社" + sur.ja + suf.ja
	if r.IntN(4) == 0 {
		name = sur.ja + suf.ja + "株式会社"
	} else if r.IntN(8) == 0 {
		name = "有限会社" + sur.ja + suf.ja
	}
	kind := nakamawashi.KindMember
	if reg.city != "大田区" {
		kind = nakamawashi.KindPartner
	}
	c := &nakamawashi.Company{
		Kind:            kind,
		Name:            name,
		NameKana:        sur.kana + suf.kana,
		CorporateNumber: corporateNumber(500000 + i),
		PostalCode:      fmt.Sprintf("%s%02d", reg.postal, r.IntN(100)),
		Prefecture:      reg.prefecture,
		City:            reg.city,
		Street:          fmt.Sprintf("%s%d-%d-%d", pick(r, reg.towns), 1+r.IntN(6), 1+r.IntN(30), 1+r.IntN(20)),
		Phone:           genPhone(r, reg.phone),
		Region:          reg.city,
	}

	p := &nakamawashi.Profile{
		Processes:     some(r, tr.processes, 1+r.IntN(min(4, len(tr.processes)))),
		Materials:     some(r, tr.materials, 2+r.IntN(3)),
		LotSizes:      some(r, tr.lots, 1+r.IntN(len(tr.lots))),
		CapacityHours: 40 + 10*r.IntN(30),
		HourlyRate:    4000 + 500*r.IntN(17),
		Employees:     2 + r.IntN(60),
	}
	// A second trade now and then: a turning shop that grinds its own
	// shafts, a machining shop with a wire EDM.
	if r.IntN(5) == 0 {
		other := pick(r, genTrades)
		for _, code := range some(r, other.processes, 1) {
			if !contains(p.Processes, code) {
				p.Processes = append(p.Processes, code)
			}
		}
	}
	for _, cert := range []struct {
		code string
		pct  int
	}{{"ISO9001", 30}, {"ISO14001", 15}, {"IATF16949", 5}, {"JISQ9100", 3}, {"ISO13485", 2}, {"ECOACTION21", 5}} {
		if r.IntN(100) < cert.pct {
			p.Certifications = append(p.Certifications, cert.code)
		}
	}

	var ms []*nakamawashi.Machine
	nm := 1 + r.IntN(7) // 4 on average
	for k := 0; k < nm; k++ {
		proc := pick(r, tr.machines)
		pr, _ := nakamawashi.ProcessByCode(proc)
		makers, ok := genMakers[pr.Group]
		if !ok {
			makers = genMakers["inspection"]
		}
		mk := pick(r, makers)
		m := &nakamawashi.Machine{Process: proc, Maker: mk.ja, Model: mk.kana, Count: 1 + r.IntN(3), Axes: 3}
		switch pr.Group {
		case "turning":
			m.Envelope = nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: float64(50 * (2 + r.IntN(12))), L: float64(100 * (2 + r.IntN(15)))}
			m.Axes = 2 + r.IntN(3)
		default:
			x := float64(100 * (3 + r.IntN(18)))
			m.Envelope = nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: x, Y: x * (0.4 + 0.1*float64(r.IntN(5))), Z: float64(50 * (4 + r.IntN(12)))}
			if proc == "mc.5axis" {
				m.Axes = 5
			}
		}
		if tr.tolerance[1] > 0 {
			m.ToleranceUM = tr.tolerance[0] + float64(r.IntN(int(tr.tolerance[1]-tr.tolerance[0])+1))
			m.RoughnessRa = 0.1 * float64(1+r.IntN(30))
		}
		ms = append(ms, m)
	}

	years := 10 + r.IntN(70)
	mat, _ := nakamawashi.MaterialByCode(pick(r, p.Materials))
	desc := fmt.Sprintf("%sで創業%d年、%sを中心に%s", reg.city, years, tr.name, strings.SplitN(mat.JA, "（", 2)[0])
	switch pick(r, p.LotSizes) {
	case nakamawashi.LotPrototype:
		desc += "などの試作・一品ものを手がけています。"
	case nakamawashi.LotSmall:
		desc += "などの多品種小ロット部品を加工しています。"
	default:
		desc += "などの量産部品を供給しています。"
	}
	for _, ph := range some(r, append([]string{pick(r, tr.phrases)}, tr.phrases...), 1+r.IntN(2)) {
		if !strings.Contains(desc, ph) {
			desc += ph
		}
	}
	desc += pick(r, []string{"図面一枚からお気軽にご相談ください。", "短納期のご依頼にも柔軟に対応します。", "仲間まわしで後工程まで手配できます。", ""})
	c.Description = desc
	return &nakamawashi.Supplier{Company: c, Profile: p, Machines: ms}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// genPhone completes an area code and exchange prefix to a 10-digit number.
func genPhone(r *rand.Rand, prefix string) string {
	k := 6 - strings.Count(prefix, "") + 1 + strings.Count(prefix, "-")
	n := 1
	for i := 0; i < k; i++ {
		n *= 10
	}
	return fmt.Sprintf("%s%0*d-%04d", prefix, k, r.IntN(n), r.IntN(10000))
}
