package demo

import "github.com/nakamawashi/nakamawashi"

// places are the towns the demo addresses use, with their postal codes as
// Japan Post lists them (checked against the KEN_ALL data) and the rough
// centre of each town, so that transport between shops has a distance.
var places = map[string]place{
	// 東京都大田区
	"京浜島":  {"1430003", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5670, Lon: 139.7650}},
	"昭和島":  {"1430004", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5745, Lon: 139.7530}},
	"平和島":  {"1430006", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5840, Lon: 139.7420}},
	"大森東":  {"1430012", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5690, Lon: 139.7410}},
	"大森南":  {"1430013", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5600, Lon: 139.7450}},
	"北糀谷":  {"1440032", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5650, Lon: 139.7330}},
	"東糀谷":  {"1440033", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5560, Lon: 139.7390}},
	"西糀谷":  {"1440034", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5590, Lon: 139.7310}},
	"南蒲田":  {"1440035", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5580, Lon: 139.7200}},
	"羽田旭町": {"1440042", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5500, Lon: 139.7480}},
	"本羽田":  {"1440044", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5480, Lon: 139.7390}},
	"南六郷":  {"1440045", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5400, Lon: 139.7120}},
	"東六郷":  {"1440046", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5450, Lon: 139.7150}},
	"萩中":   {"1440047", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5520, Lon: 139.7300}},
	"蒲田":   {"1440052", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5620, Lon: 139.7160}},
	"仲六郷":  {"1440055", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5460, Lon: 139.7080}},
	"池上":   {"1460082", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5720, Lon: 139.7030}},
	"千鳥":   {"1460083", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5740, Lon: 139.6990}},
	"鵜の木":  {"1460091", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5780, Lon: 139.6790}},
	"下丸子":  {"1460092", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5720, Lon: 139.6860}},
	"矢口":   {"1460093", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5660, Lon: 139.6920}},
	"東矢口":  {"1460094", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5630, Lon: 139.6990}},
	"多摩川":  {"1460095", "東京都", "大田区", "", nakamawashi.LatLon{Lat: 35.5620, Lon: 139.6890}},

	// 茨城県日立市
	"多賀町":  {"3160003", "茨城県", "日立市", "", nakamawashi.LatLon{Lat: 36.5690, Lon: 140.6480}},
	"滑川本町": {"3170051", "茨城県", "日立市", "", nakamawashi.LatLon{Lat: 36.5860, Lon: 140.6440}},
	"宮田町":  {"3170055", "茨城県", "日立市", "", nakamawashi.LatLon{Lat: 36.6020, Lon: 140.6420}},
	"助川町":  {"3170065", "茨城県", "日立市", "", nakamawashi.LatLon{Lat: 36.5960, Lon: 140.6540}},
	"大みか町": {"3191221", "茨城県", "日立市", "", nakamawashi.LatLon{Lat: 36.5230, Lon: 140.6190}},
	"久慈町":  {"3191222", "茨城県", "日立市", "", nakamawashi.LatLon{Lat: 36.5110, Lon: 140.6120}},
	"石名坂町": {"3191225", "茨城県", "日立市", "", nakamawashi.LatLon{Lat: 36.5370, Lon: 140.6200}},

	// 長野県岡谷市
	"赤羽":    {"3940002", "長野県", "岡谷市", "", nakamawashi.LatLon{Lat: 36.0640, Lon: 138.0480}},
	"湊":     {"3940044", "長野県", "岡谷市", "", nakamawashi.LatLon{Lat: 36.0450, Lon: 138.0440}},
	"長地権現町": {"3940081", "長野県", "岡谷市", "", nakamawashi.LatLon{Lat: 36.0800, Lon: 138.0750}},

	// 神奈川県川崎市
	"上小田中": {"2110053", "神奈川県", "川崎市中原区", "川崎市", nakamawashi.LatLon{Lat: 35.5780, Lon: 139.6530}},
}

// partners are the regional factories: volume work in Hitachi, precision
// parts in Okaya. Corporate numbers use 0501 and 1001 as their registry
// offices.
var partners = []org{
	// 日立市
	{name: "株式会社常陸プレス工業", kana: "ヒタチプレスコウギョウ", corp: "0501-01-004372",
		town: "滑川本町", street: "2丁目12番8号", tel: "0294-21-4860", fax: "0294-21-4861",
		desc: "順送プレス(200t・300t)とトランスファープレスで、月1万〜50万個の量産プレス部品。金型の設計・製作から、大田区での試作品を量産に移す仕事が増えています。"},
	{name: "株式会社久慈鋳造所", kana: "クジチュウゾウショ", corp: "0501-01-002916",
		town: "久慈町", street: "1丁目7番3号", tel: "0294-52-3317", fax: "0294-52-3318",
		desc: "FC・FCDの砂型鋳造、1個5kg〜500kg。木型・3Dプリント砂型による試作鋳物から月数千個の量産まで。機械加工は大田区の仲間と分担します。"},
	{name: "多賀鍛造株式会社", kana: "タガタンゾウ", corp: "0501-01-005548",
		town: "多賀町", street: "1丁目4番22号", tel: "0294-33-1529", fax: "0294-33-1530",
		desc: "熱間型鍛造(エアスタンプハンマー・1,600tプレス)でS45C・SCM・SUSのフランジ・ギヤブランク・継手を。ロット500個からの量産が中心です。"},
	{name: "株式会社大みか精機", kana: "オオミカセイキ", corp: "0501-01-007081",
		town: "大みか町", street: "2丁目9番15号", tel: "0294-52-7704", fax: "0294-52-7705",
		desc: "NC旋盤30台・横形MC10台とロボットによる量産切削。月産1,000〜100,000個のシャフト・ハウジングを、自動計測付きのラインで安定して。"},
	{name: "株式会社助川熱処理", kana: "スケガワネツショリ", corp: "0501-01-003643",
		town: "助川町", street: "2丁目3番6号", tel: "0294-22-6198", fax: "0294-22-6199",
		desc: "連続式浸炭炉・メッシュベルト炉による量産熱処理。ボルト・ギヤ・シャフトを月数十トン処理します。品質記録は全ロットで保管。"},
	{name: "株式会社石名坂モールド", kana: "イシナザカモールド", corp: "0501-01-008220",
		town: "石名坂町", street: "1丁目20番11号", tel: "0294-53-2475", fax: "0294-53-2476",
		desc: "射出成形機(50t〜450t)20台と金型工場。PA・PBT・PC・エラストマーの成形品を、簡易型での試作から量産型まで。インサート成形も可。"},
	{name: "宮田電機工業株式会社", kana: "ミヤタデンキコウギョウ", corp: "0501-01-001795",
		town: "宮田町", street: "1丁目15番3号", tel: "0294-24-3880", fax: "0294-24-3881",
		desc: "ワイヤーハーネス・制御盤・電装ユニットの量産組立。大田区で試作した装置の電装を、量産と保守部品まで引き継ぎます。"},

	// 岡谷市
	{name: "株式会社諏訪湖精密", kana: "スワコセイミツ", corp: "1001-01-006617",
		town: "湊", street: "2丁目8番4号", tel: "0266-23-5108", fax: "0266-23-5109",
		desc: "時計部品の流れをくむ小径精密切削。自動盤20台でφ0.5〜φ12のピン・ノズル・軸を、ミクロン公差で月数万本。"},
	{name: "株式会社岡谷マイクロテック", kana: "オカヤマイクロテック", corp: "1001-01-004182",
		town: "長地権現町", street: "1丁目6番30号", tel: "0266-27-8341", fax: "0266-27-8342",
		desc: "精密プレスと微細放電加工で、板厚0.05mmからの電子部品・ばね部品。金型から量産まで一貫で、試作は大田区の仲間と進めます。"},
	{name: "有限会社赤羽ゲージ製作所", kana: "アカハネゲージセイサクショ", corp: "1001-02-002359",
		town: "赤羽", street: "1丁目13番7号", tel: "0266-22-4063", fax: "0266-22-4064",
		desc: "限界ゲージ・治具用ピン・基準ブロックの製作と校正。精密研削とラップ仕上げでサブミクロンの寸法を保証します。"},
}

// offices hold the network office (事務局).
var offices = []org{
	{name: "一般社団法人大田IoT仲間まわし事務局", kana: "オオタアイオーティーナカマワシジムキョク", corp: "0108-05-002734",
		town: "蒲田", street: "4丁目22番3号", building: "蒲田ものづくり会館3階",
		tel: "03-5713-3610", fax: "03-5713-3611", email: "office@example.jp",
		desc: "大田区の町工場が工程を分け合う「仲間まわし」のネットワーク事務局です。引合いの受付と工程の取りまとめ、会員企業の紹介、地方企業・自治体との連携を行います。"},
}

// customers send needs: a prototype centre, a start-up and a large
// manufacturer's buyers.
var customers = []org{
	{name: "一般財団法人城南試作開発センター", kana: "ジョウナンシサクカイハツセンター", corp: "0108-05-003461",
		town: "南蒲田", street: "1丁目9番12号", tel: "03-5714-0280", fax: "03-5714-0281",
		desc: "大学・研究機関・企業の研究開発部門から試作と機械加工の相談を受け、地域の町工場につなぐ試作開発センターです。"},
	{name: "株式会社ソラノロボティクス", kana: "ソラノロボティクス", corp: "0108-01-041586",
		town: "羽田旭町", street: "10番5号", building: "羽田旭町インキュベーションラボ201",
		tel:  "03-6423-1875",
		desc: "物流倉庫向け自律移動ロボットを開発するスタートアップ。試作機の筐体・駆動部品を少量で、量産を見すえて調達しています。"},
	{name: "川崎ミライ重工株式会社 調達本部", kana: "カワサキミライジュウコウ チョウタツホンブ", corp: "0201-01-015320",
		town: "上小田中", street: "6丁目31番2号",
		tel: "044-752-3100", fax: "044-752-3101",
		desc: "産業機械・発電設備のメーカー。調達本部が新製品の試作部品と、量産立ち上げ前の少量部品を発注します。"},
}

// governments hold the local government: Hitachi's industry office. A city's
// corporate number is 0000 20 and its 地方公共団体コード (08202 and its
// check digit 3 for 日立市).
var governments = []org{
	{name: "日立市 産業経済部 ものづくり振興課", kana: "ヒタチシ サンギョウケイザイブ モノヅクリシンコウカ",
		corp: "0000-20-999901", noInvoice: true, // fictional: no real local-government code
		town: "助川町", street: "3丁目8番1号", tel: "0294-00-0001", // fictional number (no 00 exchange exists)
		desc: "市内のものづくり企業と大田区の仲間まわしネットワークをつなぎ、量産や地域への発注を後押しします。"},
}

// users are the demo accounts, one or more for each role. All share the
// demo password.
var users = []user{
	{email: "admin@example.jp", name: "高橋 美咲", company: "一般社団法人大田IoT仲間まわし事務局",
		role: nakamawashi.RoleAdmin,
		note: "事務局：会員企業とユーザーの管理、監査ログの確認"},
	{email: "coordinator@example.jp", name: "鈴木 健一", company: "一般社団法人大田IoT仲間まわし事務局",
		role: nakamawashi.RoleCoordinator,
		note: "コーディネーター：全社の一覧から工程に合う仲間を探し、引合いを調整する"},
	{email: "owner@example.jp", name: "山本 茂", company: "株式会社山本精密製作所",
		role: nakamawashi.RoleOwner,
		note: "会員企業（旋盤）の代表：自社プロフィールと社員の管理。幹事企業として事務局のコーディネーターにも切り替えられる",
		also: []membership{{company: "一般社団法人大田IoT仲間まわし事務局", role: nakamawashi.RoleCoordinator}}},
	{email: "staff@example.jp", name: "小林 翔太", company: "株式会社山本精密製作所",
		role: nakamawashi.RoleStaff,
		note: "会員企業の社員：自社の情報と仲間の会社一覧を見る（編集はできない）"},
	{email: "partner@example.jp", name: "渡辺 誠", company: "株式会社常陸プレス工業",
		role: nakamawashi.RoleOwner,
		note: "地方企業（日立市・量産プレス）の代表：自社情報を整え、大田区の仲間を探す"},
	{email: "mitsuwa@example.jp", name: "佐々木 勇", company: "株式会社三ツ輪製作所",
		role: nakamawashi.RoleOwner,
		note: "会員企業（NC旋盤）の代表：見積依頼に回答し、注文を請けて現品票で工程を進める"},
	{email: "customer@example.jp", name: "伊藤 彩", company: "一般財団法人城南試作開発センター",
		role: nakamawashi.RoleOwner,
		note: "発注者（試作開発センター）：自社の情報だけが見え、協力会社の名前は見えない"},
	{email: "city@example.jp", name: "中村 浩二", company: "日立市 産業経済部 ものづくり振興課",
		role: nakamawashi.RoleLocalGov,
		note: "自治体（日立市）：会社一覧と地域の企業を見て、量産の受け皿を探す"},
}
