package demo

import (
	"slices"

	"github.com/nakamawashi/nakamawashi"
)

// Capability is what one demo supplier offers the network: its profile and
// its machines, as Seed writes them through the DirectoryService.
type Capability struct {
	Company  string              // the company's name in Companies
	Profile  nakamawashi.Profile // without CompanyID
	Machines []nakamawashi.Machine
}

// Capabilities returns a capability for every member and regional partner,
// in the order of Companies. Each call returns fresh copies.
func Capabilities() []Capability {
	out := make([]Capability, 0, len(capabilities))
	for _, c := range capabilities {
		p := nakamawashi.Profile{
			Processes:      slices.Clone(c.processes),
			Materials:      slices.Clone(c.materials),
			Certifications: slices.Clone(c.certs),
			LotSizes:       slices.Clone(c.lots),
			CapacityHours:  c.capacity,
			HourlyRate:     c.rate,
			Employees:      c.employees,
		}
		lat, lon := c.lat, c.lon
		if lat == 0 {
			// Shops enter where they are; the demo places each in its town.
			at := places[townOf(c.company)].at
			lat, lon = at.Lat, at.Lon
		}
		p.Latitude, p.Longitude = &lat, &lon
		if p.Certifications == nil {
			p.Certifications = []string{}
		}
		var ms []nakamawashi.Machine
		for _, m := range machines[c.company] {
			ms = append(ms, m.machine())
		}
		out = append(out, Capability{Company: c.company, Profile: p, Machines: ms})
	}
	return out
}

// capability is one supplier's profile as the table writes it.
type capability struct {
	company   string
	processes []string
	materials []string
	certs     []string
	lots      []nakamawashi.LotSize
	capacity  int     // hours a week the shop gives the network
	rate      int     // チャージ, yen an hour
	employees int     // 従業員数
	lat, lon  float64 // entered coordinates; zero: located by the address
}

// Lot-size sets the tables use: Ota shops take prototypes and small lots,
// Hitachi partners small lots and volume.
var (
	proto       = []nakamawashi.LotSize{nakamawashi.LotPrototype}
	protoSmall  = []nakamawashi.LotSize{nakamawashi.LotPrototype, nakamawashi.LotSmall}
	smallVolume = []nakamawashi.LotSize{nakamawashi.LotSmall, nakamawashi.LotVolume}
	allLots     = []nakamawashi.LotSize{nakamawashi.LotPrototype, nakamawashi.LotSmall, nakamawashi.LotVolume}
)

// Material sets for shops that take nearly anything of a kind.
var (
	// measurable is what the inspection shops measure: every metal and the
	// common plastics.
	measurable = []string{"SS400", "S45C", "S50C", "SCM435", "SCM440", "SKD11", "SKD61", "SUJ2", "SPCC",
		"SUS303", "SUS304", "SUS316", "SUS316L", "SUS440C", "SUS630",
		"A2017", "A5052", "A6061", "A7075", "ADC12", "C1100", "C3604",
		"Ti-6Al-4V", "Inconel718", "POM", "PEEK", "PC", "ABS"}
	// assembled is what the assembly shops put together.
	assembled = []string{"SS400", "SPCC", "SECC", "SUS304", "A5052", "A6061", "A6063", "POM", "PC", "ABS"}
)

// capabilities lists every supplier in the order of Companies: the Ota
// members by main process, then the partners in 日立市 and 岡谷市.
var capabilities = []capability{
	// NC旋盤・複合旋盤
	{company: "株式会社山本精密製作所",
		processes: []string{"turning.nc", "turning.multi", "deburring"},
		materials: []string{"S45C", "SCM435", "SCM440", "SUS303", "SUS304", "SUS316", "A2017", "A5052", "C3604", "POM"},
		certs:     []string{"ISO9001"}, lots: protoSmall, capacity: 60, rate: 6500, employees: 12},
	{company: "有限会社丸栄精機",
		processes: []string{"turning.swiss"},
		materials: []string{"S45C", "SUS303", "SUS304", "SUS316L", "C3604", "Ti-6Al-4V", "TP340"},
		lots:      protoSmall, capacity: 50, rate: 6000, employees: 8},
	{company: "株式会社三ツ輪製作所",
		processes: []string{"turning.multi", "turning.nc"},
		materials: []string{"SS400", "S45C", "SCM435", "SCM440", "SUS304", "A5052"},
		lots:      protoSmall, capacity: 45, rate: 8000, employees: 9},
	{company: "株式会社ロクゴウ精工",
		processes: []string{"turning.nc"},
		materials: []string{"S45C", "SCM435", "SCM440", "SUS304", "SUS316", "SUS630", "Inconel718"},
		certs:     []string{"ISO9001"}, lots: smallVolume, capacity: 80, rate: 5500, employees: 15},
	{company: "有限会社小松崎旋盤製作所",
		processes: []string{"turning.manual", "turning.nc"},
		materials: []string{"SS400", "S45C", "SCM435", "SCM440", "FC250", "SUS304", "A5052", "C3604"},
		lots:      proto, capacity: 30, rate: 5000, employees: 4},
	{company: "田島精密",
		processes: []string{"turning.manual", "turning.nc"},
		materials: []string{"POM", "PEEK", "PTFE", "MC-Nylon", "C3604", "A5052"},
		lots:      proto, capacity: 20, rate: 4500, employees: 1,
		lat: 35.5452, lon: 139.7268}, // entered by the owner: the workshop is behind the house

	// フライス
	{company: "株式会社金井フライス製作所",
		processes: []string{"milling.manual", "mc.3axis"},
		materials: []string{"SS400", "S45C", "S50C", "SUS304", "A5052", "A6061"},
		lots:      protoSmall, capacity: 40, rate: 5000, employees: 6},
	{company: "有限会社辰巳製作所",
		processes: []string{"milling.manual"},
		materials: []string{"SS400", "S45C", "SUS304", "A5052", "MC-Nylon"},
		lots:      proto, capacity: 25, rate: 4500, employees: 3},
	{company: "株式会社城南ミーリング",
		processes: []string{"mc.3axis", "milling.manual"},
		materials: []string{"SS400", "S45C", "FC250", "SUS304", "A5052"},
		lots:      protoSmall, capacity: 50, rate: 7500, employees: 14},

	// マシニングセンタ
	{company: "株式会社旭テクノマシニング",
		processes: []string{"mc.5axis", "mc.3axis", "inspection.cmm"},
		materials: []string{"A2017", "A5052", "A6061", "A7075", "Ti-6Al-4V", "TP340", "SUS304", "SUS630", "Inconel718"},
		certs:     []string{"ISO9001", "JISQ9100"}, lots: protoSmall, capacity: 70, rate: 11000, employees: 22},
	{company: "株式会社矢口精密",
		processes: []string{"mc.horizontal", "mc.3axis"},
		materials: []string{"SS400", "S45C", "FC250", "ADC12", "A5052", "A6061"},
		certs:     []string{"ISO9001"}, lots: []nakamawashi.LotSize{nakamawashi.LotSmall}, capacity: 100, rate: 8000, employees: 18},
	{company: "株式会社千鳥マシンワークス",
		processes: []string{"mc.5axis", "mc.3axis"},
		materials: []string{"SUS304", "SUS316", "SUS316L", "Ti-6Al-4V", "TP340", "A6061", "PEEK"},
		certs:     []string{"ISO9001", "ISO13485"}, lots: protoSmall, capacity: 40, rate: 10500, employees: 10},
	{company: "有限会社須藤製作所",
		processes: []string{"mc.3axis"},
		materials: []string{"SS400", "S45C", "SUS304", "A5052", "A6061", "POM", "MC-Nylon"},
		lots:      protoSmall, capacity: 35, rate: 6000, employees: 5},
	{company: "株式会社鵜の木エンジニアリング",
		processes: []string{"mc.5axis", "mc.3axis"},
		materials: []string{"POM", "PEEK", "MC-Nylon", "PC", "ABS", "PTFE", "PA66-GF", "A5052"},
		lots:      protoSmall, capacity: 40, rate: 8500, employees: 7},

	// 研削
	{company: "株式会社大森研削",
		processes: []string{"grinding.surface"},
		materials: []string{"SS400", "S45C", "S50C", "SKD11", "SKD61", "SKS3", "SUS420J2", "SUS440C"},
		lots:      protoSmall, capacity: 60, rate: 6500, employees: 9},
	{company: "有限会社京浜円筒研磨",
		processes: []string{"grinding.cylindrical", "grinding.internal"},
		materials: []string{"S45C", "SCM435", "SCM440", "SUJ2", "SKD11", "SUS304", "SUS420J2", "SUS440C"},
		lots:      protoSmall, capacity: 50, rate: 7500, employees: 8},
	{company: "小池研削工業所",
		processes: []string{"grinding.centerless"},
		materials: []string{"S45C", "SCM435", "SUJ2", "SUS303", "SUS304", "SUS420J2", "SUS440C"},
		lots:      smallVolume, capacity: 45, rate: 5000, employees: 3},
	{company: "株式会社精研工業",
		processes: []string{"grinding.jig", "grinding.surface"},
		materials: []string{"SKD11", "SKD61", "SKS3", "SUS440C"},
		lots:      protoSmall, capacity: 40, rate: 11500, employees: 11},

	// 放電加工
	{company: "株式会社昭和島ワイヤーカット",
		processes: []string{"edm.wire"},
		materials: []string{"S45C", "SKD11", "SKD61", "SKS3", "SUS304", "SUS440C", "C1100", "Ti-6Al-4V"},
		certs:     []string{"ISO9001"}, lots: protoSmall, capacity: 120, rate: 6500, employees: 10},
	{company: "有限会社中村放電加工所",
		processes: []string{"edm.sinker", "edm.hole"},
		materials: []string{"S45C", "SKD11", "SKD61", "SUS304", "SUS440C", "C1100"},
		lots:      protoSmall, capacity: 40, rate: 6000, employees: 5},
	{company: "株式会社エムズ放電",
		processes: []string{"edm.wire", "edm.hole"},
		materials: []string{"SKD11", "SUS304", "SUS316", "A7075", "Ti-6Al-4V", "Inconel718"},
		lots:      protoSmall, capacity: 60, rate: 6000, employees: 4},

	// 板金
	{company: "株式会社京浜島板金工業",
		processes: []string{"sheet.laser", "sheet.bending", "welding.tig", "welding.spot"},
		materials: []string{"SPCC", "SECC", "SS400", "SUS304", "SUS316", "A5052", "C1100"},
		certs:     []string{"ISO9001", "ISO14001"}, lots: protoSmall, capacity: 80, rate: 6500, employees: 25},
	{company: "有限会社協栄板金",
		processes: []string{"sheet.turret", "sheet.bending"},
		materials: []string{"SPCC", "SECC", "SUS304", "A5052"},
		lots:      protoSmall, capacity: 50, rate: 5500, employees: 8},
	{company: "株式会社六郷シートメタル",
		processes: []string{"sheet.laser", "sheet.bending", "welding.spot", "assembly"},
		materials: []string{"SPCC", "SECC", "SUS304", "A5052"},
		certs:     []string{"ISO9001"}, lots: protoSmall, capacity: 60, rate: 6500, employees: 16},
	{company: "有限会社富士見製缶",
		processes: []string{"welding.tig", "welding.mig", "sheet.bending"},
		materials: []string{"SS400", "SPCC", "SUS304", "SUS316", "A5052"},
		lots:      protoSmall, capacity: 50, rate: 5500, employees: 12},

	// 溶接
	{company: "株式会社青木溶接工業所",
		processes: []string{"welding.tig", "welding.mig"},
		materials: []string{"SPCC", "SUS304", "SUS316", "SUS316L", "A5052", "A6061", "TP340"},
		lots:      protoSmall, capacity: 45, rate: 6000, employees: 7},
	{company: "有限会社マルタ溶接",
		processes: []string{"welding.mig"},
		materials: []string{"SS400", "SPCC", "SUS304"},
		lots:      protoSmall, capacity: 40, rate: 5000, employees: 4},
	{company: "株式会社レーザーウェルド羽田",
		processes: []string{"welding.laser"},
		materials: []string{"SUS304", "SUS316L", "C1100", "A5052", "TP340", "Ti-6Al-4V", "Inconel718"},
		lots:      protoSmall, capacity: 40, rate: 9000, employees: 6},

	// 熱処理
	{company: "株式会社城南熱処理工業",
		processes: []string{"heat.vacuum", "heat.quench", "heat.annealing"},
		materials: []string{"S45C", "SCM435", "SCM440", "SKD11", "SKD61", "SKS3", "SUJ2", "SUS420J2", "SUS440C"},
		certs:     []string{"ISO9001"}, lots: protoSmall, capacity: 100, rate: 5000, employees: 15},
	{company: "株式会社大田浸炭工業所",
		processes: []string{"heat.carburizing", "heat.induction", "heat.quench"},
		materials: []string{"S45C", "S50C", "SCM435", "SCM440", "SUJ2"},
		certs:     []string{"ISO9001", "ISO14001"}, lots: protoSmall, capacity: 120, rate: 4500, employees: 20},
	{company: "有限会社ニトロ熱錬",
		processes: []string{"heat.nitriding"},
		materials: []string{"S45C", "SCM435", "SCM440", "SKD11", "SKD61", "FC250", "SUS304"},
		lots:      protoSmall, capacity: 80, rate: 4500, employees: 6},

	// めっき
	{company: "株式会社蒲田鍍金工業",
		processes: []string{"plating.electroless_ni", "plating.nickel"},
		materials: []string{"SS400", "S45C", "SCM435", "SCM440", "SPCC", "SUS304", "A2017", "A5052", "A6061", "C1100", "C3604"},
		certs:     []string{"ISO9001", "ISO14001"}, lots: protoSmall, capacity: 100, rate: 4500, employees: 18},
	{company: "有限会社森田鍍金工業所",
		processes: []string{"plating.zinc"},
		materials: []string{"SS400", "S45C", "SCM435", "SPCC"},
		lots:      allLots, capacity: 120, rate: 4000, employees: 10},
	{company: "株式会社ハードクローム大森",
		processes: []string{"plating.hard_chrome", "grinding.cylindrical", "polishing"},
		materials: []string{"S45C", "SCM435", "SCM440", "SKD11", "SUS304", "SUS420J2"},
		lots:      protoSmall, capacity: 60, rate: 6000, employees: 9},

	// アルマイト
	{company: "株式会社萩中アルマイト工業",
		processes: []string{"anodizing.hard", "anodizing"},
		materials: []string{"A1050", "A2017", "A5052", "A6061", "A6063", "A7075", "ADC12"},
		certs:     []string{"ISO9001"}, lots: allLots, capacity: 100, rate: 4000, employees: 14},
	{company: "有限会社光陽表面処理",
		processes: []string{"anodizing", "passivation", "polishing"},
		materials: []string{"A5052", "A6061", "A6063", "A7075", "SUS304", "SUS316", "SUS316L"},
		lots:      protoSmall, capacity: 60, rate: 4500, employees: 7},

	// 塗装
	{company: "株式会社池上塗装工業",
		processes: []string{"painting", "painting.powder"},
		materials: []string{"SS400", "SPCC", "SECC", "SUS304", "A5052", "ADC12"},
		certs:     []string{"ISO14001"}, lots: allLots, capacity: 100, rate: 4500, employees: 20},
	{company: "有限会社下丸子塗研",
		processes: []string{"painting"},
		materials: []string{"SPCC", "SUS304", "A5052", "ABS", "PC"},
		lots:      protoSmall, capacity: 40, rate: 5000, employees: 5},

	// 三次元測定・検査
	{company: "株式会社大田精測センター",
		processes: []string{"inspection.cmm", "inspection.surface"},
		materials: measurable, certs: []string{"ISO9001"}, lots: protoSmall, capacity: 60, rate: 9000, employees: 8},
	{company: "株式会社テクノ計測多摩川",
		processes: []string{"inspection.cmm", "inspection.surface"},
		materials: measurable, lots: allLots, capacity: 60, rate: 7000, employees: 6},

	// 組立
	{company: "株式会社羽田アッセンブリー",
		processes: []string{"assembly", "assembly.wiring"},
		materials: assembled, lots: protoSmall, capacity: 60, rate: 5500, employees: 15},
	{company: "有限会社千鳥メカトロ",
		processes: []string{"assembly", "assembly.wiring"},
		materials: assembled, lots: proto, capacity: 30, rate: 5500, employees: 4},

	// 登録のない小さな工場
	{company: "有限会社小川製作所",
		processes: []string{"milling.manual", "turning.manual"},
		materials: []string{"S45C", "A2017", "A5052", "C3604"},
		lots:      proto, capacity: 25, rate: 4500, employees: 2},
	{company: "株式会社橋本ベンダー工業",
		processes: []string{"sheet.bending"},
		materials: []string{"SS400", "SPCC", "SECC", "SUS304", "A5052"},
		lots:      protoSmall, capacity: 45, rate: 5000, employees: 5},
	{company: "森研磨",
		processes: []string{"polishing", "deburring"},
		materials: []string{"SUS304", "SUS316", "SUS316L", "A5052", "C1100", "C3604"},
		lots:      protoSmall, capacity: 25, rate: 4500, employees: 1},

	// 日立市: volume
	{company: "株式会社常陸プレス工業",
		processes: []string{"press.progressive", "press", "press.deepdraw"},
		materials: []string{"SPCC", "SECC", "SS400", "SUS304", "A5052", "C2801"},
		certs:     []string{"ISO9001", "ISO14001", "IATF16949"}, lots: smallVolume, capacity: 200, rate: 5000, employees: 85},
	{company: "株式会社久慈鋳造所",
		processes: []string{"casting"},
		materials: []string{"FC250"},
		certs:     []string{"ISO9001"}, lots: allLots, capacity: 150, rate: 4500, employees: 60},
	{company: "多賀鍛造株式会社",
		processes: []string{"forging"},
		materials: []string{"S45C", "SCM435", "SCM440", "SUS304"},
		certs:     []string{"ISO9001", "ISO14001"}, lots: smallVolume, capacity: 150, rate: 4500, employees: 120},
	{company: "株式会社大みか精機",
		processes: []string{"turning.nc", "mc.horizontal", "inspection.cmm"},
		materials: []string{"S45C", "SCM435", "SCM440", "SUS304", "FC250", "ADC12", "A6061"},
		certs:     []string{"ISO9001", "ISO14001", "IATF16949"}, lots: smallVolume, capacity: 300, rate: 5500, employees: 180},
	{company: "株式会社助川熱処理",
		processes: []string{"heat.carburizing", "heat.quench"},
		materials: []string{"SS400", "S45C", "S50C", "SCM435", "SCM440", "SUJ2"},
		certs:     []string{"ISO9001", "ISO14001", "IATF16949"}, lots: smallVolume, capacity: 300, rate: 4000, employees: 75},
	{company: "株式会社石名坂モールド",
		processes: []string{"molding.injection"},
		materials: []string{"PA66-GF", "PC", "ABS", "POM", "PP"},
		certs:     []string{"ISO9001", "ISO14001"}, lots: allLots, capacity: 250, rate: 5500, employees: 110},
	{company: "宮田電機工業株式会社",
		processes: []string{"assembly.wiring", "assembly"},
		materials: assembled, certs: []string{"ISO9001", "ISO14001"}, lots: smallVolume, capacity: 250, rate: 4500, employees: 140},

	// 岡谷市: precision
	{company: "株式会社諏訪湖精密",
		processes: []string{"turning.swiss"},
		materials: []string{"SUJ2", "SUS303", "SUS304", "SUS316L", "A2017", "C3604", "Ti-6Al-4V"},
		certs:     []string{"ISO9001"}, lots: smallVolume, capacity: 200, rate: 6000, employees: 45},
	{company: "株式会社岡谷マイクロテック",
		processes: []string{"press.progressive", "edm.wire", "edm.sinker"},
		materials: []string{"SPCC", "SUS304", "C1100", "C2801", "SKD11"},
		certs:     []string{"ISO9001", "ISO14001"}, lots: smallVolume, capacity: 150, rate: 7500, employees: 60},
	{company: "有限会社赤羽ゲージ製作所",
		processes: []string{"grinding.cylindrical", "grinding.surface", "lapping", "inspection.surface"},
		materials: []string{"S45C", "SCM435", "SKD11", "SKS3", "SUJ2", "SUS440C"},
		certs:     []string{"ISO9001"}, lots: protoSmall, capacity: 60, rate: 8500, employees: 25,
		lat: 36.0598, lon: 138.0487}, // entered: the gauge room is in the annex, not at the registered address
}

// townOf returns the town of a demo company's address.
func townOf(company string) string {
	for _, table := range [][]org{members, partners, offices, customers, governments} {
		for _, o := range table {
			if o.name == company {
				return o.town
			}
		}
	}
	return ""
}
