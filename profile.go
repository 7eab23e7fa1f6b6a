package nakamawashi

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"time"
)

// LotSize is a lot-size sweet spot of a shop.
type LotSize string

// The lot sizes: prototypes (1–10), small lots (10–1000), volume (1000+).
const (
	LotPrototype LotSize = "prototype"
	LotSmall     LotSize = "small"
	LotVolume    LotSize = "volume"
)

// LotSizes lists the lot sizes in order.
var LotSizes = []LotSize{LotPrototype, LotSmall, LotVolume}

// Valid reports whether l is a known lot size.
func (l LotSize) Valid() bool { return slices.Contains(LotSizes, l) }

// LotSizeOf returns the lot size a quantity falls in.
func LotSizeOf(qty int) LotSize {
	switch {
	case qty >= 1000:
		return LotVolume
	case qty > 10:
		return LotSmall
	}
	return LotPrototype
}

// Profile is what a company offers the network: its processes, materials,
// certifications, lot sizes, capacity and location. It belongs to one
// company and is readable by everyone who may read the directory.
type Profile struct {
	CompanyID      int64     `json:"company_id"`
	Processes      []string  `json:"processes"`      // process codes of the vocabulary
	Materials      []string  `json:"materials"`      // material codes
	Certifications []string  `json:"certifications"` // certification codes
	LotSizes       []LotSize `json:"lot_sizes"`      // sweet spots
	CapacityHours  int       `json:"capacity_hours"` // working hours a week the shop can give the network
	HourlyRate     int       `json:"hourly_rate"`    // チャージ, yen per hour, for estimates
	Employees      int       `json:"employees"`      // 従業員数
	Latitude       *float64  `json:"latitude,omitempty"`
	Longitude      *float64  `json:"longitude,omitempty"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Validate normalizes p (codes deduplicated and sorted in vocabulary order)
// and checks every field.
func (p *Profile) Validate() error {
	pr := Problems{}
	p.Processes = cleanCodes(p.Processes, func(c string) bool { _, ok := ProcessByCode(c); return ok }, "processes", pr, "err.profile.process")
	p.Materials = cleanCodes(p.Materials, func(c string) bool { _, ok := MaterialByCode(c); return ok }, "materials", pr, "err.profile.material")
	p.Certifications = cleanCodes(p.Certifications, func(c string) bool { _, ok := CertificationByCode(c); return ok }, "certifications", pr, "err.profile.certification")
	var lots []LotSize
	for _, l := range LotSizes {
		if slices.Contains(p.LotSizes, l) {
			lots = append(lots, l)
		}
	}
	for _, l := range p.LotSizes {
		if !l.Valid() {
			pr.Add("lot_sizes", "err.profile.lot_size")
		}
	}
	p.LotSizes = lots
	if p.CapacityHours < 0 || p.CapacityHours > 24*7*50 {
		pr.Add("capacity_hours", "err.range", 0, 24*7*50)
	}
	if p.HourlyRate < 0 || p.HourlyRate > 1000000 {
		pr.Add("hourly_rate", "err.range", 0, 1000000)
	}
	if p.Employees < 0 || p.Employees > 100000 {
		pr.Add("employees", "err.range", 0, 100000)
	}
	if (p.Latitude == nil) != (p.Longitude == nil) {
		pr.Add("latitude", "err.profile.location_pair")
	} else if p.Latitude != nil {
		// Japan lies within these bounds, with room for its remote islands.
		if lat := *p.Latitude; math.IsNaN(lat) || lat < 20 || lat > 46 {
			pr.Add("latitude", "err.profile.latitude")
		}
		if lon := *p.Longitude; math.IsNaN(lon) || lon < 122 || lon > 154 {
			pr.Add("longitude", "err.profile.longitude")
		}
	}
	return pr.Err()
}

// cleanCodes trims, deduplicates and checks codes, keeping their order.
func cleanCodes(codes []string, known func(string) bool, field string, pr Problems, key string) []string {
	out := []string{}
	for _, c := range codes {
		c = strings.TrimSpace(c)
		if c == "" || slices.Contains(out, c) {
			continue
		}
		if !known(c) {
			pr.Add(field, key, c)
			continue
		}
		out = append(out, c)
	}
	if len(out) > 200 {
		pr.Add(field, "err.too_many", 200)
	}
	return out
}

// Offers reports whether the profile lists a process that satisfies code.
func (p *Profile) Offers(code string) bool {
	for _, have := range p.Processes {
		if ProcessSatisfies(have, code) {
			return true
		}
	}
	return false
}

// EnvelopeShape says how a work envelope or a part is measured.
type EnvelopeShape string

// A box is X × Y × Z; a round one is a diameter × a length (lathes,
// cylindrical grinders, turned parts).
const (
	ShapeBox   EnvelopeShape = "box"
	ShapeRound EnvelopeShape = "round"
)

// Envelope is a machine's work envelope or a part's size, in millimetres.
type Envelope struct {
	Shape EnvelopeShape `json:"shape"`
	X     float64       `json:"x,omitempty"`
	Y     float64       `json:"y,omitempty"`
	Z     float64       `json:"z,omitempty"`
	D     float64       `json:"d,omitempty"` // diameter
	L     float64       `json:"l,omitempty"` // length
}

// IsZero reports whether no size is given.
func (e Envelope) IsZero() bool { return e.X == 0 && e.Y == 0 && e.Z == 0 && e.D == 0 && e.L == 0 }

// Box returns the edges of the envelope's bounding box, longest first.
func (e Envelope) Box() [3]float64 {
	var b [3]float64
	if e.Shape == ShapeRound {
		b = [3]float64{e.D, e.D, e.L}
	} else {
		b = [3]float64{e.X, e.Y, e.Z}
	}
	slices.SortFunc(b[:], func(a, c float64) int { return int(math.Copysign(1, c-a)) })
	return b
}

// Fits reports whether part fits in the envelope e. A box part may be turned
// any way in a box envelope; a round part needs its diameter and length in a
// round envelope, or its bounding box in a box one; a box part in a round
// envelope needs its cross-section's diagonal within the diameter.
func (e Envelope) Fits(part Envelope) bool {
	if part.IsZero() {
		return true
	}
	switch {
	case e.Shape == ShapeRound && part.Shape == ShapeRound:
		return part.D <= e.D && part.L <= e.L
	case e.Shape == ShapeRound:
		b := part.Box()
		return math.Hypot(b[1], b[2]) <= e.D && b[0] <= e.L
	}
	eb, pb := e.Box(), part.Box()
	return pb[0] <= eb[0] && pb[1] <= eb[1] && pb[2] <= eb[2]
}

// validate checks the envelope's numbers; field prefixes the problem names.
func (e *Envelope) validate(field string, pr Problems, required bool) {
	const max = 100000 // 100 m
	in := func(v float64) bool { return !math.IsNaN(v) && v > 0 && v <= max }
	switch e.Shape {
	case ShapeBox:
		if !in(e.X) || !in(e.Y) || !in(e.Z) {
			pr.Add(field, "err.envelope.box", max)
		}
		e.D, e.L = 0, 0
	case ShapeRound:
		if !in(e.D) || !in(e.L) {
			pr.Add(field, "err.envelope.round", max)
		}
		e.X, e.Y, e.Z = 0, 0, 0
	case "":
		if required || !e.IsZero() {
			pr.Add(field, "err.envelope.shape")
		}
	default:
		pr.Add(field, "err.envelope.shape")
	}
}

// Machine is one machine (or a set of identical ones) of a shop.
type Machine struct {
	ID          int64     `json:"id"`
	CompanyID   int64     `json:"company_id"`
	Process     string    `json:"process"` // what the machine is, as a machine process of the vocabulary
	Maker       string    `json:"maker"`   // e.g. オークマ, DMG MORI
	Model       string    `json:"model"`
	Count       int       `json:"count"` // identical machines
	Envelope    Envelope  `json:"envelope"`
	Axes        int       `json:"axes"`
	ToleranceUM float64   `json:"tolerance_um"` // best tolerance held, ± µm
	RoughnessRa float64   `json:"roughness_ra"` // best surface roughness, Ra µm
	Note        string    `json:"note,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate normalizes m and checks every field.
func (m *Machine) Validate() error {
	pr := Problems{}
	m.Maker, m.Model, m.Note = NormalizeName(m.Maker), NormalizeName(m.Model), strings.TrimSpace(m.Note)
	if p, ok := ProcessByCode(m.Process); !ok || p.Kind != MachineProcess {
		pr.Add("process", "err.machine.process")
	}
	if _, ok := validText(m.Maker, 100); !ok {
		pr.Add("maker", "err.text_max", 100)
	}
	if _, ok := validText(m.Model, 100); !ok {
		pr.Add("model", "err.text_max", 100)
	}
	if m.Count == 0 {
		m.Count = 1
	}
	if m.Count < 1 || m.Count > 1000 {
		pr.Add("count", "err.range", 1, 1000)
	}
	m.Envelope.validate("envelope", pr, true)
	if m.Axes < 0 || m.Axes > 12 {
		pr.Add("axes", "err.range", 0, 12)
	}
	if math.IsNaN(m.ToleranceUM) || m.ToleranceUM < 0 || m.ToleranceUM > 10000 {
		pr.Add("tolerance_um", "err.range", 0, 10000)
	}
	if math.IsNaN(m.RoughnessRa) || m.RoughnessRa < 0 || m.RoughnessRa > 100 {
		pr.Add("roughness_ra", "err.range", 0, 100)
	}
	if !validLines(m.Note, 1000) {
		pr.Add("note", "err.text_max", 1000)
	}
	return pr.Err()
}

// Post is a shop's PR post: what it made this week, a new machine, an
// open-factory day. Posts are network-internal, like profiles.
type Post struct {
	ID         int64     `json:"id"`
	CompanyID  int64     `json:"company_id"`
	AuthorID   int64     `json:"author_id"`
	AuthorName string    `json:"author_name"`
	Title      string    `json:"title"`
	Body       string    `json:"body"`
	Photos     []*Photo  `json:"photos"`
	CreatedAt  time.Time `json:"created_at"`
}

// Post limits.
const (
	MaxPhotosPerPost = 6
	MaxPhotoBytes    = 8 << 20 // 8 MiB
	MaxPhotoPixels   = 40_000_000
)

// Validate normalizes p and checks it and its photos.
func (p *Post) Validate() error {
	pr := Problems{}
	p.Title = NormalizeName(p.Title)
	p.Body = strings.TrimSpace(strings.ReplaceAll(p.Body, "\r\n", "\n"))
	if p.Title == "" {
		pr.Add("title", "err.required")
	} else if _, ok := validText(p.Title, 100); !ok {
		pr.Add("title", "err.text_max", 100)
	}
	if !validLines(p.Body, 5000) {
		pr.Add("body", "err.text_max", 5000)
	}
	if len(p.Photos) > MaxPhotosPerPost {
		pr.Add("photos", "err.post.photo_count", MaxPhotosPerPost)
	}
	for _, ph := range p.Photos {
		var e *Error
		if err := ph.Inspect(); errors.As(err, &e) {
			pr.Add("photos", e.Message.Key, e.Message.Args...)
		}
	}
	return pr.Err()
}

// Photo is an image attached to a post. Data is set when a photo is uploaded
// or served, not when posts are listed.
type Photo struct {
	ID          int64  `json:"id"`
	PostID      int64  `json:"post_id"`
	SHA256      string `json:"sha256"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	Data        []byte `json:"-"`
}

// DirectoryService is the partner directory: profiles, machines, posts and
// search. Everything in it is readable by those who may read the directory
// (PermDirectoryRead) and by the company itself; owners and admins edit a
// profile and machines; a company's people write its posts.
type DirectoryService interface {
	FindProfile(ctx context.Context, companyID int64) (*Profile, error)
	UpdateProfile(ctx context.Context, p *Profile) error

	FindMachines(ctx context.Context, companyID int64) ([]*Machine, error)
	CreateMachine(ctx context.Context, m *Machine) error
	UpdateMachine(ctx context.Context, m *Machine) error
	DeleteMachine(ctx context.Context, id int64) error

	FindPosts(ctx context.Context, filter PostFilter) ([]*Post, int, error)
	CreatePost(ctx context.Context, p *Post) error
	DeletePost(ctx context.Context, id int64) error
	// FindPhoto returns a photo with its data.
	FindPhoto(ctx context.Context, id int64) (*Photo, error)

	Search(ctx context.Context, q SearchQuery) (*SearchResult, error)
	// FindSuppliers returns, for chain matching, every member and regional
	// partner offering one of the processes, with profile and machines.
	FindSuppliers(ctx context.Context, processes []string) ([]*Supplier, error)
}

// PostFilter selects posts; newest first.
type PostFilter struct {
	CompanyID *int64
	Offset    int
	Limit     int
}

// Supplier is a company with what matching needs to know of it.
type Supplier struct {
	Company  *Company   `json:"company"`
	Profile  *Profile   `json:"profile"`
	Machines []*Machine `json:"machines"`
}

// SearchQuery is a directory search: words and filters, all optional.
type SearchQuery struct {
	Text          string      `json:"text"` // Japanese or English words; widths, kana and case folded
	Process       string      `json:"process,omitempty"`
	Material      string      `json:"material,omitempty"`
	Certification string      `json:"certification,omitempty"`
	Region        string      `json:"region,omitempty"`
	Kind          CompanyKind `json:"kind,omitempty"`
	LotSize       LotSize     `json:"lot_size,omitempty"`
	Part          *Envelope   `json:"part,omitempty"`         // a machine must fit this part (by bounding box)
	ToleranceUM   float64     `json:"tolerance_um,omitempty"` // a machine must hold this tolerance or better
	Offset        int         `json:"offset,omitempty"`
	Limit         int         `json:"limit,omitempty"`
}

// Validate checks the query's codes and numbers.
func (q *SearchQuery) Validate() error {
	pr := Problems{}
	q.Text = strings.TrimSpace(q.Text)
	if _, ok := validText(q.Text, 200); !ok {
		pr.Add("text", "err.text_max", 200)
	}
	if _, ok := ProcessByCode(q.Process); q.Process != "" && !ok {
		pr.Add("process", "err.profile.process", q.Process)
	}
	if _, ok := MaterialByCode(q.Material); q.Material != "" && !ok {
		pr.Add("material", "err.profile.material", q.Material)
	}
	if _, ok := CertificationByCode(q.Certification); q.Certification != "" && !ok {
		pr.Add("certification", "err.profile.certification", q.Certification)
	}
	if q.Kind != "" && !q.Kind.Valid() {
		pr.Add("kind", "err.company.kind")
	}
	if q.LotSize != "" && !q.LotSize.Valid() {
		pr.Add("lot_size", "err.profile.lot_size")
	}
	if q.Part != nil {
		q.Part.validate("part", pr, false)
		if q.Part.IsZero() {
			q.Part = nil
		}
	}
	if math.IsNaN(q.ToleranceUM) || q.ToleranceUM < 0 || q.ToleranceUM > 10000 {
		pr.Add("tolerance_um", "err.range", 0, 10000)
	}
	return pr.Err()
}

// SearchHit is one company found, with where the words matched.
type SearchHit struct {
	Company *Company `json:"company"`
	Profile *Profile `json:"profile"`
	Matched []string `json:"matched"` // fields the words were found in: name, kana, process, material, machine, post, description
}

// SearchResult is a page of hits and the total number of matches.
type SearchResult struct {
	Hits  []*SearchHit `json:"hits"`
	Total int          `json:"total"`
}

// NormalizeSearch folds text for search: NFKC (widths), lower case, hiragana
// to katakana, and runs of spaces to one. The index and the queries both
// pass through it, so ＳＵＳ３０４ finds SUS304 and ｾﾝﾊﾞﾝ finds センバン.
func NormalizeSearch(s string) string {
	s = HiraganaToKatakana(strings.ToLower(NormalizeWidth(s)))
	return strings.Join(strings.Fields(s), " ")
}
