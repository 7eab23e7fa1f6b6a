package match_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/match"
)

func TestFromSuppliers(t *testing.T) {
	hitachi := &nakamawashi.Company{ID: 2, Kind: nakamawashi.KindPartner, Prefecture: "茨城県", City: "日立市", Region: "日立市"}
	lat, lon := 35.55, 139.74
	sups := []*nakamawashi.Supplier{
		{Company: &nakamawashi.Company{ID: 1, Kind: nakamawashi.KindMember, Prefecture: "東京都", City: "大田区", Region: "大田区"}, Profile: &nakamawashi.Profile{Latitude: &lat, Longitude: &lon}},
		{Company: hitachi, Profile: &nakamawashi.Profile{}},
		{Company: &nakamawashi.Company{ID: 3, Kind: nakamawashi.KindCustomer, Prefecture: "東京都", City: "港区"}},
	}
	cands := match.FromSuppliers(sups, nakamawashi.Network{HomeRegion: "大田区"})
	if len(cands) != 2 {
		t.Fatalf("%d candidates, want 2 (customers are not suppliers)", len(cands))
	}
	if cands[0].Regional || cands[0].Location != (nakamawashi.LatLon{Lat: lat, Lon: lon}) {
		t.Errorf("Ota member: %+v", cands[0])
	}
	if want, _, _ := nakamawashi.Locate("茨城県", "日立市"); !cands[1].Regional || cands[1].Location != want {
		t.Errorf("Hitachi partner: %+v", cands[1])
	}
}

// TestVolumePrefersRegional: on 5,000 pieces a volume-capable regional
// partner wins over an otherwise cheaper Ota shop without volume lots;
// on 50 pieces the Ota shop wins.
func TestVolumePrefersRegional(t *testing.T) {
	hitachi := nakamawashi.LatLon{Lat: 36.599, Lon: 140.651}
	press := func(id int64) *nakamawashi.Machine {
		return &nakamawashi.Machine{ID: id, Process: "press", Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: 1000, Y: 600, Z: 300}}
	}
	local := shop(1, ota, []string{"press"}, func(p *nakamawashi.Profile) { p.HourlyRate = 5000 }, press(10))
	regional := shop(2, hitachi, []string{"press"}, func(p *nakamawashi.Profile) {
		p.HourlyRate, p.CapacityHours = 5200, 200
		p.LotSizes = []nakamawashi.LotSize{nakamawashi.LotSmall, nakamawashi.LotVolume}
	}, press(20))
	regional.Regional = true
	net := match.NewNetwork([]*match.Candidate{local, regional}, match.Transport{})
	for _, tt := range []struct {
		qty  int
		want int64
	}{{50, 1}, {5000, 2}} {
		res, err := net.Match(context.Background(), &match.Routing{
			Steps: []match.Step{{Process: "press", SetupHours: 2, CycleMinutes: 0.05}}, Quantity: tt.qty, Destination: &ota, Start: t0,
		}, match.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Chains[0].Steps[0].CompanyID; got != tt.want {
			t.Errorf("quantity %d: best is %d, want %d (%+v)", tt.qty, got, tt.want, res.Chains)
		}
	}
}

func TestFinishAndLegs(t *testing.T) {
	cands := []*match.Candidate{shop(1, ota, []string{"turning.nc"}, nil, lathe(10, 200, 400, 5, 0.8))}
	net := match.NewNetwork(cands, match.Transport{})
	origin := nakamawashi.LatLon{Lat: 35.70, Lon: 139.75}
	r := &match.Routing{Steps: []match.Step{{Process: "turning.nc", SetupHours: 2, CycleMinutes: 6}}, Quantity: 10, Origin: &origin, Destination: &origin, Start: t0, Due: t0.Add(24 * time.Hour)}
	res, err := net.Match(context.Background(), r, match.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ch := res.Chains[0]
	in, out := ch.Steps[0].In, ch.Delivery
	if in == nil || out == nil || in.FromCompanyID != 0 || out.FromCompanyID != 1 || in.KM < 10 || in.KM != out.KM {
		t.Fatalf("legs in %+v, out %+v", in, out)
	}
	hours := in.Hours + ch.Steps[0].Cost.QueueHours + ch.Steps[0].Cost.ProcessingHours + out.Hours
	if got := ch.FinishAt.Sub(t0).Hours(); got-hours > 1e-6 || hours-got > 1e-6 {
		t.Errorf("finish after %v h, want %v", got, hours)
	}
	// 3 h of work at 40 h a week take 12.6 calendar hours, and each leg
	// about 1.5 h: on time for a due date 24 h out, late for 14 h (which
	// still has the capacity: 14/168 × 40 h ≥ 3 h).
	if ch.OnTime == nil || !*ch.OnTime {
		t.Errorf("on time: %v (finish %v)", ch.OnTime, ch.FinishAt)
	}
	r.Due = t0.Add(14 * time.Hour)
	res, _ = net.Match(context.Background(), r, match.Options{})
	if len(res.Chains) != 1 || *res.Chains[0].OnTime {
		t.Errorf("due in 14 h: %+v", res.Chains)
	}
}

func TestConcurrentDeterministic(t *testing.T) {
	net := match.NewNetwork(match.Generate(rand.New(rand.NewPCG(3, 3)), 2000), match.Transport{})
	want, err := net.Match(context.Background(), benchRouting(50), match.Options{K: 7})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got, err := net.Match(context.Background(), benchRouting(50), match.Options{K: 7})
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("a concurrent call differs: %v", err)
			}
		})
	}
	wg.Wait()
}

func TestCancel(t *testing.T) {
	net := match.NewNetwork(match.Generate(rand.New(rand.NewPCG(4, 4)), 500), match.Transport{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := net.Match(ctx, benchRouting(50), match.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}
