package nakamawashi

import (
	"math"
	"strings"
)

// LatLon is a point on the map, in degrees.
type LatLon struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// municipalities holds approximate centres (the city or ward office) of the
// municipalities where the network's clusters lie. A profile without an
// entered location is placed here from its address; everything else falls
// back to its prefectural office. These are estimates for transport times,
// not survey data.
var municipalities = map[string]LatLon{
	"東京都大田区": {35.561, 139.716}, "東京都品川区": {35.609, 139.730}, "東京都港区": {35.658, 139.751},
	"東京都目黒区": {35.641, 139.698}, "東京都世田谷区": {35.646, 139.653}, "東京都江東区": {35.673, 139.817},
	"東京都墨田区": {35.711, 139.801}, "東京都葛飾区": {35.743, 139.847}, "東京都足立区": {35.775, 139.804},
	"東京都板橋区": {35.751, 139.709}, "東京都北区": {35.753, 139.734}, "東京都荒川区": {35.736, 139.783},
	"東京都江戸川区": {35.707, 139.868}, "東京都千代田区": {35.694, 139.754}, "東京都中央区": {35.671, 139.772},
	"東京都台東区": {35.713, 139.780}, "東京都文京区": {35.708, 139.752}, "東京都新宿区": {35.694, 139.703},
	"東京都練馬区": {35.736, 139.652}, "東京都杉並区": {35.700, 139.637}, "東京都中野区": {35.707, 139.664},
	"東京都豊島区": {35.726, 139.716}, "東京都渋谷区": {35.664, 139.698}, "東京都八王子市": {35.666, 139.316},
	"東京都府中市": {35.669, 139.478}, "東京都立川市": {35.714, 139.408}, "東京都町田市": {35.548, 139.439},
	"東京都青梅市":  {35.788, 139.276},
	"神奈川県川崎市": {35.531, 139.703}, "神奈川県横浜市": {35.444, 139.638}, "神奈川県相模原市": {35.571, 139.373},
	"神奈川県厚木市": {35.443, 139.362}, "神奈川県大和市": {35.487, 139.458}, "神奈川県藤沢市": {35.339, 139.490},
	"埼玉県川口市": {35.808, 139.724}, "埼玉県さいたま市": {35.862, 139.646}, "埼玉県戸田市": {35.818, 139.678},
	"埼玉県八潮市": {35.823, 139.839}, "埼玉県草加市": {35.825, 139.806}, "埼玉県所沢市": {35.799, 139.469},
	"千葉県千葉市": {35.607, 140.106}, "千葉県市川市": {35.722, 139.931},
	"茨城県日立市": {36.599, 140.651}, "茨城県ひたちなか市": {36.397, 140.535}, "茨城県水戸市": {36.341, 140.447},
	"茨城県土浦市": {36.072, 140.195}, "茨城県つくば市": {36.083, 140.077}, "茨城県高萩市": {36.719, 140.717},
	"茨城県北茨城市": {36.802, 140.751},
	"長野県岡谷市":  {36.067, 138.050}, "長野県諏訪市": {36.039, 138.114}, "長野県茅野市": {35.995, 138.159},
	"長野県長野市": {36.649, 138.181}, "長野県上田市": {36.402, 138.249}, "長野県坂城町": {36.462, 138.180},
	"大阪府東大阪市": {34.679, 135.601}, "大阪府大阪市": {34.694, 135.502}, "大阪府堺市": {34.573, 135.483},
	"大阪府八尾市": {34.627, 135.601},
	"兵庫県尼崎市": {34.733, 135.406}, "兵庫県神戸市": {34.690, 135.196}, "兵庫県姫路市": {34.815, 134.685},
	"愛知県名古屋市": {35.181, 136.906}, "愛知県豊田市": {35.083, 137.156}, "愛知県刈谷市": {34.989, 136.990},
	"新潟県燕市": {37.673, 138.882}, "新潟県三条市": {37.637, 138.962}, "新潟県新潟市": {37.916, 139.036},
	"静岡県浜松市": {34.711, 137.726}, "静岡県静岡市": {34.976, 138.383},
	"群馬県太田市": {36.291, 139.375}, "群馬県前橋市": {36.389, 139.063},
	"栃木県宇都宮市": {36.555, 139.883}, "京都府京都市": {35.012, 135.768}, "広島県広島市": {34.385, 132.455},
	"福岡県福岡市": {33.590, 130.402}, "福岡県北九州市": {33.883, 130.875}, "宮城県仙台市": {38.268, 140.869},
	"北海道札幌市": {43.062, 141.354},
}

// prefectureOffices holds the approximate location of each prefectural
// office, in the order of Prefectures.
var prefectureOffices = [47]LatLon{
	{43.064, 141.347}, {40.824, 140.740}, {39.704, 141.153}, {38.269, 140.872}, {39.719, 140.102},
	{38.240, 140.363}, {37.750, 140.468}, {36.342, 140.447}, {36.566, 139.884}, {36.391, 139.061},
	{35.857, 139.649}, {35.605, 140.123}, {35.690, 139.692}, {35.448, 139.643}, {37.902, 139.024},
	{36.695, 137.211}, {36.594, 136.626}, {36.065, 136.222}, {35.664, 138.568}, {36.651, 138.181},
	{35.391, 136.722}, {34.977, 138.383}, {35.180, 136.907}, {34.730, 136.509}, {35.004, 135.869},
	{35.021, 135.756}, {34.686, 135.520}, {34.691, 135.183}, {34.685, 135.833}, {34.226, 135.168},
	{35.504, 134.238}, {35.472, 133.051}, {34.662, 133.935}, {34.397, 132.460}, {34.186, 131.471},
	{34.066, 134.559}, {34.340, 134.043}, {33.842, 132.766}, {33.560, 133.531}, {33.607, 130.418},
	{33.249, 130.299}, {32.745, 129.874}, {32.790, 130.742}, {33.238, 131.613}, {31.911, 131.424},
	{31.560, 130.558}, {26.212, 127.681},
}

// Locate estimates where an address lies from its prefecture and city: the
// municipality's centre when it is known (a ward of a designated city, such
// as 川崎市中原区, counts as its city), else the prefectural office. precise
// tells which; ok is false for an unknown prefecture.
func Locate(prefecture, city string) (p LatLon, precise, ok bool) {
	city = strings.TrimSpace(city)
	for name, ll := range municipalities {
		if rest, found := strings.CutPrefix(name, prefecture); found && rest != "" && strings.HasPrefix(city, rest) {
			return ll, true, true
		}
	}
	for i, name := range Prefectures {
		if name == prefecture {
			return prefectureOffices[i], false, true
		}
	}
	return LatLon{}, false, false
}

// DistanceKM returns the great-circle distance between two points.
func DistanceKM(a, b LatLon) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dLat, dLon := (b.Lat-a.Lat)*rad, (b.Lon-a.Lon)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Location returns where a company is: the profile's entered location, or
// an estimate from the address.
func Location(c *Company, p *Profile) (LatLon, bool) {
	if p != nil && p.Latitude != nil && p.Longitude != nil {
		return LatLon{*p.Latitude, *p.Longitude}, true
	}
	ll, _, ok := Locate(c.Prefecture, c.City)
	return ll, ok
}
