package storetest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

func testProfiles(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s, sys := e.s, e.sys
	w := e.world()

	t.Run("Empty", func(t *testing.T) {
		p, err := s.FindProfile(w.ownerA, w.a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.CompanyID != w.a.ID || p.Processes == nil || len(p.Processes) != 0 || p.Latitude != nil || !p.UpdatedAt.IsZero() {
			t.Fatalf("empty profile: got %+v", p)
		}
	})

	t.Run("ValidationErrors", func(t *testing.T) {
		lat := 35.5
		tests := []struct {
			name  string
			p     nakamawashi.Profile
			field string
			key   string
		}{
			{"process", nakamawashi.Profile{Processes: []string{"turning.nc", "juggling"}}, "processes", "err.profile.process"},
			{"material", nakamawashi.Profile{Materials: []string{"unobtainium"}}, "materials", "err.profile.material"},
			{"lot size", nakamawashi.Profile{LotSizes: []nakamawashi.LotSize{"huge"}}, "lot_sizes", "err.profile.lot_size"},
			{"capacity", nakamawashi.Profile{CapacityHours: -1}, "capacity_hours", "err.range"},
			{"location pair", nakamawashi.Profile{Latitude: &lat}, "latitude", "err.profile.location_pair"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := e.events()
				p := tt.p
				p.CompanyID = w.a.ID
				err := s.UpdateProfile(w.ownerA, &p)
				wantCode(t, err, nakamawashi.EINVALID)
				wantField(t, err, tt.field, tt.key)
				if got := e.events(); got != before {
					t.Fatalf("audit events: got %d, want %d", got, before)
				}
			})
		}
	})

	t.Run("Update", func(t *testing.T) {
		lat, lon := 35.561, 139.716
		p := &nakamawashi.Profile{CompanyID: w.a.ID, Processes: []string{"mc.5axis", " turning.nc", "mc.5axis"},
			Materials: []string{"SUS304", "A5052"}, Certifications: []string{"ISO9001"},
			LotSizes:      []nakamawashi.LotSize{nakamawashi.LotSmall, nakamawashi.LotPrototype},
			CapacityHours: 120, HourlyRate: 6500, Employees: 12, Latitude: &lat, Longitude: &lon}
		if err := s.UpdateProfile(w.ownerA, p); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindProfile(w.ownerB, w.a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Processes, []string{"mc.5axis", "turning.nc"}) || !slices.Equal(got.Materials, []string{"SUS304", "A5052"}) ||
			!slices.Equal(got.Certifications, []string{"ISO9001"}) ||
			!slices.Equal(got.LotSizes, []nakamawashi.LotSize{nakamawashi.LotPrototype, nakamawashi.LotSmall}) ||
			got.CapacityHours != 120 || got.HourlyRate != 6500 || got.Employees != 12 ||
			got.Latitude == nil || *got.Latitude != lat || *got.Longitude != lon || !got.UpdatedAt.Equal(p.UpdatedAt) || p.UpdatedAt.IsZero() {
			t.Fatalf("profile: got %+v, want %+v", got, p)
		}
		ev := e.lastEvent()
		if ev.Action != "profile.update" || ev.CompanyID != w.a.ID || ev.EntityID != w.a.ID || !strings.Contains(ev.Detail, `"processes"`) ||
			strings.Contains(ev.Detail, `"employees":[12,12]`) {
			t.Fatalf("event: got %+v", ev)
		}

		// Saving the same profile again changes nothing and records nothing.
		before := e.events()
		same := *got
		if err := s.UpdateProfile(w.ownerA, &same); err != nil {
			t.Fatal(err)
		}
		if n := e.events(); n != before {
			t.Fatalf("events after a no-op update: got %d, want %d", n, before)
		}

		// Clearing the location leaves it to be estimated.
		got.Latitude, got.Longitude = nil, nil
		if err := s.UpdateProfile(sys, got); err != nil {
			t.Fatal(err)
		}
		if p, _ := s.FindProfile(sys, w.a.ID); p.Latitude != nil || p.Longitude != nil {
			t.Fatalf("location: got %v, %v, want none", p.Latitude, p.Longitude)
		}
	})

	t.Run("Access", func(t *testing.T) {
		anon := context.Background()
		_, err := s.FindProfile(anon, w.a.ID)
		wantCode(t, err, nakamawashi.EUNAUTHORIZED)
		_, err = s.FindProfile(w.custOwner, w.b.ID)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.company.not_found")
		if _, err := s.FindProfile(w.custOwner, w.cust.ID); err != nil {
			t.Fatalf("a customer reads its own profile: %v", err)
		}
		_, err = s.FindProfile(sys, 987654)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.company.not_found")

		before := e.events()
		err = s.UpdateProfile(w.staffA, &nakamawashi.Profile{CompanyID: w.a.ID})
		wantCode(t, err, nakamawashi.EFORBIDDEN)
		err = s.UpdateProfile(w.ownerA, &nakamawashi.Profile{CompanyID: w.b.ID})
		wantCode(t, err, nakamawashi.EFORBIDDEN)
		err = s.UpdateProfile(w.custOwner, &nakamawashi.Profile{CompanyID: w.b.ID})
		wantError(t, err, nakamawashi.ENOTFOUND, "err.company.not_found")
		if got := e.events(); got != before {
			t.Fatalf("audit events: got %d, want %d", got, before)
		}
		if err := s.UpdateProfile(w.admin, &nakamawashi.Profile{CompanyID: w.b.ID, Processes: []string{"edm.wire"}}); err != nil {
			t.Fatalf("an admin edits any profile: %v", err)
		}
	})
}

// lathe returns a valid machine of companyID.
func lathe(companyID int64) *nakamawashi.Machine {
	return &nakamawashi.Machine{CompanyID: companyID, Process: "turning.nc", Maker: "オークマ", Model: "LB3000 EXII", Count: 2,
		Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 320, L: 500}, Axes: 2, ToleranceUM: 5, RoughnessRa: 0.8}
}

func testMachines(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	w := e.world()

	m := lathe(w.a.ID)
	t.Run("Create", func(t *testing.T) {
		m.Maker = "　オークマ "
		if err := s.CreateMachine(w.ownerA, m); err != nil {
			t.Fatal(err)
		}
		if m.ID == 0 || m.Maker != "オークマ" || m.CreatedAt.IsZero() {
			t.Fatalf("created: got %+v", m)
		}
		ms, err := s.FindMachines(w.ownerB, w.a.ID)
		if err != nil || len(ms) != 1 {
			t.Fatalf("FindMachines: got %v, %v", ms, err)
		}
		if got := *ms[0]; got != *m {
			t.Fatalf("machine: got %+v, want %+v", got, *m)
		}
		if ev := e.lastEvent(); ev.Action != "machine.create" || ev.EntityID != m.ID || ev.CompanyID != w.a.ID || !strings.Contains(ev.Detail, "LB3000") {
			t.Fatalf("event: got %+v", ev)
		}
	})

	t.Run("ValidationErrors", func(t *testing.T) {
		tests := []struct {
			name  string
			edit  func(m *nakamawashi.Machine)
			field string
			key   string
		}{
			{"pool process", func(m *nakamawashi.Machine) { m.Process = "heat.quench" }, "process", "err.machine.process"},
			{"no shape", func(m *nakamawashi.Machine) { m.Envelope = nakamawashi.Envelope{} }, "envelope", "err.envelope.shape"},
			{"flat box", func(m *nakamawashi.Machine) {
				m.Envelope = nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: 500, Y: 400}
			}, "envelope", "err.envelope.box"},
			{"count", func(m *nakamawashi.Machine) { m.Count = 5000 }, "count", "err.range"},
			{"tolerance", func(m *nakamawashi.Machine) { m.ToleranceUM = math.NaN() }, "tolerance_um", "err.range"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := e.events()
				bad := lathe(w.a.ID)
				tt.edit(bad)
				err := s.CreateMachine(w.ownerA, bad)
				wantCode(t, err, nakamawashi.EINVALID)
				wantField(t, err, tt.field, tt.key)
				upd := *m
				tt.edit(&upd)
				err = s.UpdateMachine(w.ownerA, &upd)
				wantField(t, err, tt.field, tt.key)
				if got := e.events(); got != before {
					t.Fatalf("audit events: got %d, want %d", got, before)
				}
			})
		}
	})

	t.Run("Update", func(t *testing.T) {
		upd := *m
		upd.Model, upd.CompanyID = "LB4000 EXIII", w.b.ID // a machine does not move to another company
		upd.Envelope = nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 410, L: 1000}
		e.clock.Add(1e9)
		if err := s.UpdateMachine(w.ownerA, &upd); err != nil {
			t.Fatal(err)
		}
		ms, err := s.FindMachines(w.ownerA, w.a.ID)
		if err != nil || len(ms) != 1 || ms[0].Model != "LB4000 EXIII" || ms[0].Envelope.D != 410 || ms[0].CompanyID != w.a.ID ||
			!ms[0].UpdatedAt.After(ms[0].CreatedAt) {
			t.Fatalf("updated: got %+v, %v", ms, err)
		}
		if ev := e.lastEvent(); ev.Action != "machine.update" || !strings.Contains(ev.Detail, `"model"`) || strings.Contains(ev.Detail, `"maker"`) {
			t.Fatalf("event: got %+v", ev)
		}
		if ms, _ := s.FindMachines(w.ownerB, w.b.ID); len(ms) != 0 {
			t.Fatalf("B's machines: got %d, want 0", len(ms))
		}
	})

	t.Run("Access", func(t *testing.T) {
		before := e.events()
		wantCode(t, s.CreateMachine(w.staffA, lathe(w.a.ID)), nakamawashi.EFORBIDDEN)
		wantCode(t, s.CreateMachine(w.ownerA, lathe(w.b.ID)), nakamawashi.EFORBIDDEN)
		wantError(t, s.CreateMachine(w.custOwner, lathe(w.b.ID)), nakamawashi.ENOTFOUND, "err.company.not_found")
		upd := *m
		wantCode(t, s.UpdateMachine(w.ownerB, &upd), nakamawashi.EFORBIDDEN)
		wantError(t, s.UpdateMachine(w.custOwner, &upd), nakamawashi.ENOTFOUND, "err.machine.not_found")
		wantCode(t, s.DeleteMachine(w.staffA, m.ID), nakamawashi.EFORBIDDEN)
		wantError(t, s.DeleteMachine(w.custOwner, m.ID), nakamawashi.ENOTFOUND, "err.machine.not_found")
		wantError(t, s.DeleteMachine(w.admin, 987654), nakamawashi.ENOTFOUND, "err.machine.not_found")
		_, err := s.FindMachines(w.custOwner, w.a.ID)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.company.not_found")
		wantError(t, s.CreateMachine(e.sys, lathe(987654)), nakamawashi.ENOTFOUND, "err.company.not_found")
		if got := e.events(); got != before {
			t.Fatalf("audit events: got %d, want %d", got, before)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		if err := s.DeleteMachine(w.ownerA, m.ID); err != nil {
			t.Fatal(err)
		}
		if ms, _ := s.FindMachines(w.ownerA, w.a.ID); len(ms) != 0 {
			t.Fatalf("machines after delete: got %d", len(ms))
		}
		if ev := e.lastEvent(); ev.Action != "machine.delete" || ev.EntityID != m.ID {
			t.Fatalf("event: got %+v", ev)
		}
		wantError(t, s.DeleteMachine(w.ownerA, m.ID), nakamawashi.ENOTFOUND, "err.machine.not_found")
	})
}

// pngPhoto returns a small PNG image, different for each seed.
func pngPhoto(t *testing.T, seed uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 6))
	for x := 0; x < 8; x++ {
		for y := 0; y < 6; y++ {
			img.Set(x, y, color.RGBA{seed, uint8(x * 30), uint8(y * 40), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func testPosts(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	w := e.world()

	data := pngPhoto(t, 1)
	p := &nakamawashi.Post{CompanyID: w.a.ID, Title: "５軸加工機を導入しました", Body: "見学歓迎です。\r\n平日9時から。",
		Photos: []*nakamawashi.Photo{{Data: data}}}
	t.Run("Create", func(t *testing.T) {
		if err := s.CreatePost(w.staffA, p); err != nil {
			t.Fatal(err)
		}
		staff := nakamawashi.ActorFromContext(w.staffA)
		ph := p.Photos[0]
		if p.ID == 0 || p.AuthorID != staff.UserID || p.AuthorName != staff.UserName || p.Title != "5軸加工機を導入しました" ||
			p.Body != "見学歓迎です。\n平日9時から。" || ph.ID == 0 || ph.PostID != p.ID || ph.ContentType != "image/png" ||
			ph.Width != 8 || ph.Height != 6 || ph.Size != int64(len(data)) || len(ph.SHA256) != 64 {
			t.Fatalf("created: got %+v, photo %+v", p, ph)
		}
		ev := e.lastEvent()
		if ev.Action != "post.create" || ev.EntityID != p.ID || !strings.Contains(ev.Detail, ph.SHA256) || len(ev.Detail) > 500 {
			t.Fatalf("event (no photo data): got %+v", ev)
		}
	})

	t.Run("FindAndPhoto", func(t *testing.T) {
		posts, n, err := s.FindPosts(w.ownerB, nakamawashi.PostFilter{CompanyID: &w.a.ID})
		if err != nil || n != 1 || len(posts) != 1 {
			t.Fatalf("FindPosts: got %v, %d, %v", posts, n, err)
		}
		got := posts[0]
		if got.Title != p.Title || got.AuthorName != p.AuthorName || !got.CreatedAt.Equal(p.CreatedAt) || len(got.Photos) != 1 ||
			got.Photos[0].Data != nil || got.Photos[0].SHA256 != p.Photos[0].SHA256 || got.Photos[0].Width != 8 {
			t.Fatalf("post: got %+v", got)
		}
		ph, err := s.FindPhoto(w.ownerB, p.Photos[0].ID)
		if err != nil || !bytes.Equal(ph.Data, data) || ph.ContentType != "image/png" || ph.PostID != p.ID {
			t.Fatalf("FindPhoto: got %+v, %v", ph, err)
		}
		_, err = s.FindPhoto(w.custOwner, p.Photos[0].ID)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.photo.not_found")
		_, err = s.FindPhoto(w.admin, 987654)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.photo.not_found")
		_, _, err = s.FindPosts(w.custOwner, nakamawashi.PostFilter{CompanyID: &w.a.ID})
		wantError(t, err, nakamawashi.ENOTFOUND, "err.company.not_found")
		if posts, n, err := s.FindPosts(w.custOwner, nakamawashi.PostFilter{}); err != nil || n != 0 || len(posts) != 0 {
			t.Fatalf("a customer's posts: got %v, %d, %v", posts, n, err)
		}
	})

	t.Run("Errors", func(t *testing.T) {
		before := e.events()
		wantCode(t, s.CreatePost(w.ownerB, &nakamawashi.Post{CompanyID: w.a.ID, Title: "他社の投稿"}), nakamawashi.EFORBIDDEN)
		wantError(t, s.CreatePost(w.custOwner, &nakamawashi.Post{CompanyID: w.a.ID, Title: "他社の投稿"}), nakamawashi.ENOTFOUND, "err.company.not_found")
		err := s.CreatePost(w.ownerA, &nakamawashi.Post{CompanyID: w.a.ID, Title: " "})
		wantField(t, err, "title", "err.required")
		err = s.CreatePost(w.ownerA, &nakamawashi.Post{CompanyID: w.a.ID, Title: "写真", Photos: []*nakamawashi.Photo{{Data: []byte("GIF89a not a photo we take")}}})
		wantField(t, err, "photos", "err.photo.format")
		if got := e.events(); got != before {
			t.Fatalf("audit events: got %d, want %d", got, before)
		}
	})

	t.Run("Paging", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			e.clock.Add(1e9)
			if err := s.CreatePost(w.ownerA, &nakamawashi.Post{CompanyID: w.a.ID, Title: "お知らせ " + string(rune('A'+i))}); err != nil {
				t.Fatal(err)
			}
		}
		posts, n, err := s.FindPosts(w.admin, nakamawashi.PostFilter{Limit: 2})
		if err != nil || n != 4 || len(posts) != 2 || posts[0].Title != "お知らせ C" || posts[1].Title != "お知らせ B" || len(posts[0].Photos) != 0 {
			t.Fatalf("page: got %d posts of %d, %v", len(posts), n, err)
		}
		posts, _, _ = s.FindPosts(w.admin, nakamawashi.PostFilter{Offset: 3, Limit: 2})
		if len(posts) != 1 || posts[0].ID != p.ID || len(posts[0].Photos) != 1 {
			t.Fatalf("last page: got %+v", posts)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		wantCode(t, s.DeletePost(w.ownerB, p.ID), nakamawashi.EFORBIDDEN)
		wantError(t, s.DeletePost(w.custOwner, p.ID), nakamawashi.ENOTFOUND, "err.post.not_found")
		if err := s.DeletePost(w.ownerA, p.ID); err != nil {
			t.Fatal(err)
		}
		if ev := e.lastEvent(); ev.Action != "post.delete" || ev.EntityID != p.ID {
			t.Fatalf("event: got %+v", ev)
		}
		_, err := s.FindPhoto(w.ownerA, p.Photos[0].ID)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.photo.not_found")
		wantError(t, s.DeletePost(w.ownerA, p.ID), nakamawashi.ENOTFOUND, "err.post.not_found")
	})
}

// testDirectoryConcurrency writes one company's profile, machines and
// posts from many goroutines at once: every write must succeed, and the
// search index must end up with every machine, as if the writes had come
// one after the other.
func testDirectoryConcurrency(t *testing.T, h Harness) {
	e := newEnv(t, h)
	c := e.company(nakamawashi.KindMember, "株式会社並行精機")
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, 3*n)
	for i := 0; i < n; i++ {
		wg.Add(3)
		go func() {
			defer wg.Done()
			m := lathe(c.ID)
			m.Maker = fmt.Sprintf("maker%02dx", i)
			if err := e.s.CreateMachine(e.sys, m); err != nil {
				errs <- fmt.Errorf("CreateMachine %d: %w", i, err)
			}
		}()
		go func() {
			defer wg.Done()
			p := &nakamawashi.Profile{CompanyID: c.ID, Processes: []string{"turning.nc"}, Materials: []string{"S45C"}, Employees: i + 1}
			if err := e.s.UpdateProfile(e.sys, p); err != nil {
				errs <- fmt.Errorf("UpdateProfile %d: %w", i, err)
			}
		}()
		go func() {
			defer wg.Done()
			if err := e.s.CreatePost(e.sys, &nakamawashi.Post{CompanyID: c.ID, Title: fmt.Sprintf("post%02dx", i), Body: "本文"}); err != nil {
				errs <- fmt.Errorf("CreatePost %d: %w", i, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i := 0; i < n; i++ {
		for _, word := range []string{fmt.Sprintf("maker%02dx", i), fmt.Sprintf("post%02dx", i)} {
			res, err := e.s.Search(e.sys, nakamawashi.SearchQuery{Text: word})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != 1 {
				t.Errorf("search %q: got %d hits, want 1", word, res.Total)
			}
		}
	}
}
