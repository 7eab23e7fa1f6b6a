package demo

import (
	"bytes"
	"image"
	"image/color"
	"image/png"

	"github.com/nakamawashi/nakamawashi"
)

// ShopPost is a demo PR post and who writes it.
type ShopPost struct {
	Company string // the company's name in Companies
	// Author is the email of the demo user who writes the post; empty when
	// the company has no demo login, and Seed writes it as the system.
	Author string
	Post   nakamawashi.Post // title, body, author name and photos
}

// Posts returns the demo PR posts, oldest first. Each call returns fresh
// copies with fresh photo bytes.
func Posts() []ShopPost {
	out := make([]ShopPost, 0, len(posts))
	for _, p := range posts {
		sp := ShopPost{Company: p.company, Author: p.author,
			Post: nakamawashi.Post{AuthorName: p.name, Title: p.title, Body: p.body, Photos: []*nakamawashi.Photo{}}}
		if p.photo != nil {
			sp.Post.Photos = append(sp.Post.Photos, &nakamawashi.Photo{Data: p.photo.png()})
		}
		out = append(out, sp)
	}
	return out
}

type post struct {
	company     string
	author      string // a demo user's email
	name        string // the author's name as shown
	title, body string
	photo       *picture
}

var posts = []post{
	{company: "株式会社千鳥マシンワークス", name: "代表取締役 千葉 隆",
		title: "SUS316Lの医療用部品を50個、5軸で仕上げました",
		body:  "今週はSUS316Lの医療用部品を50個、5軸マシニングセンタで仕上げました。鏡面仕上げの面粗さはRa0.2。材料ロットと検査記録は全数トレースできるよう残しています。",
		photo: &picture{bench: color.RGBA{0x2b, 0x4c, 0x6f, 0xff}, metal: color.RGBA{0xd8, 0xdc, 0xe0, 0xff}}},
	{company: "株式会社山本精密製作所", author: "owner@example.jp",
		title: "仲間まわしでシャフト20本を納めました",
		body:  "S45Cのシャフトφ30×120を20本。旋削は当社、焼入れは城南熱処理さん、円筒研削は京浜円筒研磨さん、無電解ニッケルは蒲田鍍金さん、最後に大田精測センターさんで三次元測定。5社で10日でした。"},
	{company: "株式会社常陸プレス工業", author: "partner@example.jp",
		title: "大田区の試作ブラケットを順送型で量産へ",
		body:  "大田区で試作したSPCCのブラケットを、順送金型に起こして月5,000個の量産に移しました。亜鉛めっきまで含めて、試作と同じ図面のまま引き継げます。",
		photo: &picture{bench: color.RGBA{0x3d, 0x5a, 0x3a, 0xff}, metal: color.RGBA{0xc9, 0xcf, 0xd4, 0xff}, stamped: true}},
	{company: "株式会社大田精測センター", name: "所長 平井 直子",
		title: "恒温室の見学会を開きます",
		body:  "来月第2土曜日、三次元測定機2台を置いた恒温室（20±0.5℃）を会員の皆さんに公開します。測定の依頼のしかた、検査成績書の読み方もご説明します。"},
	{company: "株式会社昭和島ワイヤーカット", name: "工場長 岡田 剛",
		title: "φ0.05mmの微細ワイヤーでスリット加工",
		body:  "SKD11焼入れ材に幅0.07mmのスリットを20本、φ0.05mmのワイヤーで抜きました。コネクタ金型の試作などでご相談ください。"},
	{company: "株式会社萩中アルマイト工業", name: "営業 佐野 美穂",
		title: "黒アルマイトの色見本を更新しました",
		body:  "A5052・A6061・A7075それぞれの黒アルマイトと硬質アルマイトの色見本を作り直しました。材質で色味が変わるので、試作の前にお持ちします。"},
	{company: "株式会社諏訪湖精密", name: "品質保証課 宮坂 健",
		title: "φ0.8のSUSピンを月3万本",
		body:  "岡谷から。SUS303のφ0.8ピンを月3万本、公差±2μmで安定して流しています。大田区で試作した細物の量産先としてお声がけください。"},
}

// picture is a small, deterministic photo of a part on a bench: a machined
// block with a bore, or a row of stamped brackets.
type picture struct {
	bench, metal color.RGBA
	stamped      bool
}

// png draws the picture and encodes it.
func (pic *picture) png() []byte {
	bench, metal := pic.bench, pic.metal
	const w, h = 96, 64
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	shade := func(c color.RGBA, d int) color.RGBA {
		clamp := func(v int) uint8 { return uint8(max(0, min(255, v))) }
		return color.RGBA{clamp(int(c.R) + d), clamp(int(c.G) + d), clamp(int(c.B) + d), 0xff}
	}
	for y := range h {
		for x := range w {
			img.Set(x, y, shade(bench, (y-h/2)/2))
		}
	}
	rect := func(x0, y0, x1, y1 int, c color.RGBA) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				img.Set(x, y, shade(c, (x-x0)/3-(y-y0)/2))
			}
		}
	}
	if pic.stamped {
		for i := range 4 {
			x := 8 + i*22
			rect(x, 18, x+16, 46, metal)
			rect(x+6, 24, x+10, 28, bench) // the pierced hole
		}
	} else {
		rect(20, 14, 76, 50, metal)
		for y := 22; y < 42; y++ {
			for x := 38; x < 58; x++ {
				if dx, dy := x-48, y-32; dx*dx+dy*dy <= 81 {
					img.Set(x, y, shade(metal, -90))
				}
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err) // writing to memory cannot fail
	}
	return b.Bytes()
}
