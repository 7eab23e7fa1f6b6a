package nakamawashi_test

import (
	"context"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

func chain(n int) []*nakamawashi.AuditEvent {
	ctx := nakamawashi.NewContextWithActor(context.Background(), &nakamawashi.Actor{UserID: 7, UserName: "佐藤 花子"})
	at := time.Date(2026, 4, 1, 9, 0, 0, 123456789, time.UTC)
	var out []*nakamawashi.AuditEvent
	prevID, prevHash := int64(0), nakamawashi.GenesisHash
	for i := 0; i < n; i++ {
		e := nakamawashi.NewAuditEvent(ctx, at.Add(time.Duration(i)*time.Second), 3, "company.update", "company", 3,
			map[string][2]string{"name": {"旧", "新"}})
		e.Chain(prevID, prevHash)
		prevID, prevHash = e.ID, e.Hash
		out = append(out, e)
	}
	return out
}

func verify(events []*nakamawashi.AuditEvent) (int64, string) {
	v := nakamawashi.NewChainVerifier()
	for _, e := range events {
		if reason := v.Check(e); reason != "" {
			return e.ID, reason
		}
	}
	return 0, ""
}

func TestAuditChain(t *testing.T) {
	events := chain(5)
	if events[0].PrevHash != nakamawashi.GenesisHash || events[0].ID != 1 || events[4].ID != 5 {
		t.Fatalf("chain ids/genesis wrong: %+v", events[0])
	}
	if events[0].ActorName != "佐藤 花子" || events[0].Detail != `{"name":["旧","新"]}` {
		t.Errorf("event fields = %q %q", events[0].ActorName, events[0].Detail)
	}
	if id, reason := verify(events); id != 0 {
		t.Fatalf("untouched chain broken at %d: %s", id, reason)
	}

	for name, tamper := range map[string]func(es []*nakamawashi.AuditEvent) ([]*nakamawashi.AuditEvent, int64){
		"detail changed": func(es []*nakamawashi.AuditEvent) ([]*nakamawashi.AuditEvent, int64) {
			es[2].Detail = `{"name":["旧","偽"]}`
			return es, 3
		},
		"time changed": func(es []*nakamawashi.AuditEvent) ([]*nakamawashi.AuditEvent, int64) {
			es[1].At = es[1].At.Add(time.Hour)
			return es, 2
		},
		"event deleted": func(es []*nakamawashi.AuditEvent) ([]*nakamawashi.AuditEvent, int64) {
			return append(es[:2:2], es[3:]...), 4
		},
		"event rehashed": func(es []*nakamawashi.AuditEvent) ([]*nakamawashi.AuditEvent, int64) {
			es[1].ActorName = "attacker"
			es[1].Hash = es[1].ComputeHash() // consistent on its own, but the next link breaks
			return es, 3
		},
	} {
		es, want := tamper(chain(5))
		if id, _ := verify(es); id != want {
			t.Errorf("%s: broken at %d; want %d", name, id, want)
		}
	}
}

func TestNewAuditEventSystem(t *testing.T) {
	e := nakamawashi.NewAuditEvent(context.Background(), time.Now(), 0, "user.create", "user", 1, nil)
	if e.ActorName != "system" || e.ActorUserID != 0 || e.Detail != "" {
		t.Errorf("system event = %+v", e)
	}
}
