package blob_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/blob"
)

func mustOpen(tb testing.TB) *blob.Store {
	tb.Helper()
	s, err := blob.Open(blob.Dir(tb.TempDir()))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func shaOf(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// files lists every file under dir, relative to it.
func files(tb testing.TB, dir string) []string {
	tb.Helper()
	var out []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			tb.Fatal(err)
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	content := bytes.Repeat([]byte("%PDF-1.7 図面 HS-1024 rev.B\n"), 10_000) // several reads' worth
	sha, size, err := s.Put(ctx, bytes.NewReader(content), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if want := shaOf(content); sha != want || size != int64(len(content)) {
		t.Fatalf("Put = %s, %d; want %s, %d", sha, size, want, len(content))
	}
	if got, want := files(t, s.Dir()), []string{sha[0:2] + "/" + sha[2:4] + "/" + sha}; len(got) != 1 || got[0] != want[0] {
		t.Errorf("files = %q, want %q", got, want)
	}
	f, err := s.Open(ctx, sha)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("read back %d bytes (%v), want %d", len(got), err, len(content))
	}
	// Seekable, for ranges and for sniffing before serving.
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 8)
	if _, err := io.ReadFull(f, head); err != nil || string(head) != "%PDF-1.7" {
		t.Errorf("after Seek: %q, %v", head, err)
	}
}

func TestEmpty(t *testing.T) {
	s := mustOpen(t)
	sha, size, err := s.Put(context.Background(), strings.NewReader(""), 10)
	if err != nil || size != 0 || sha != shaOf(nil) {
		t.Fatalf("empty: %s, %d, %v", sha, size, err)
	}
}

func TestDedup(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	a := []byte("same drawing")
	sha1, _, err := s.Put(ctx, bytes.NewReader(a), 100)
	if err != nil {
		t.Fatal(err)
	}
	sha2, _, err := s.Put(ctx, bytes.NewReader(a), 100)
	if err != nil {
		t.Fatal(err)
	}
	sha3, _, err := s.Put(ctx, strings.NewReader("another drawing"), 100)
	if err != nil {
		t.Fatal(err)
	}
	if sha1 != sha2 || sha1 == sha3 {
		t.Errorf("hashes %s %s %s", sha1, sha2, sha3)
	}
	if got := files(t, s.Dir()); len(got) != 2 {
		t.Errorf("files = %q, want two (no temporary files, one copy of the same content)", got)
	}
}

func TestLimit(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	// Exactly at the limit is fine.
	if _, size, err := s.Put(ctx, bytes.NewReader(make([]byte, 1024)), 1024); err != nil || size != 1024 {
		t.Fatalf("at the limit: %d, %v", size, err)
	}
	_, _, err := s.Put(ctx, bytes.NewReader(make([]byte, 3<<20+1)), 3<<20)
	if code := nakamawashi.ErrorCode(err); code != nakamawashi.ETOOLARGE {
		t.Fatalf("over the limit: %v, want ETOOLARGE", err)
	}
	if msg := nakamawashi.ErrorMessage(nakamawashi.Japanese, err); !strings.Contains(msg, "3 MB") {
		t.Errorf("the message does not name the limit: %q", msg)
	}
	if msg := nakamawashi.ErrorMessage(nakamawashi.English, err); !strings.Contains(msg, "at most 3 MB") {
		t.Errorf("English: %q", msg)
	}
	if got := files(t, s.Dir()); len(got) != 1 {
		t.Errorf("files = %q: the refused upload left something behind", got)
	}
}

// failingReader returns some bytes, then an error, as a broken upload does.
type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n > 0 {
		r.n = 0
		return copy(p, "partial"), nil
	}
	return 0, errors.New("connection reset")
}

func TestBrokenUpload(t *testing.T) {
	s := mustOpen(t)
	_, _, err := s.Put(context.Background(), &failingReader{n: 1}, 100)
	if err == nil {
		t.Fatal("a broken upload was stored")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := s.Put(ctx, strings.NewReader("x"), 100); err == nil {
		t.Error("a cancelled put was stored")
	}
	if got := files(t, s.Dir()); len(got) != 0 {
		t.Errorf("files = %q after failed puts", got)
	}
}

func TestMalformedNames(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	secret := filepath.Join(filepath.Dir(s.Dir()), "secret")
	os.WriteFile(secret, []byte("not yours"), 0o600)
	sha := shaOf([]byte("x"))
	for _, name := range []string{
		"", "../secret", "../../../../etc/passwd", "ab/cd/" + sha, sha[:63], sha + "0",
		strings.ToUpper(sha), sha[:62] + "/.", sha[:63] + "\x00", "/" + sha[:63], "..%2f" + sha[:59],
		strings.Repeat("g", 64),
	} {
		_, err := s.Open(ctx, name)
		if code := nakamawashi.ErrorCode(err); code != nakamawashi.EINVALID {
			t.Errorf("Open(%q) = %v, want EINVALID", name, err)
		}
	}
	_, err := s.Open(ctx, sha)
	if nakamawashi.ErrorCode(err) != nakamawashi.ENOTFOUND {
		t.Errorf("absent: %v, want ENOTFOUND", err)
	}
	if msg := nakamawashi.ErrorMessage(nakamawashi.Japanese, err); msg != "ファイルが見つかりません。" {
		t.Errorf("message %q", msg)
	}
	_, err = s.Open(ctx, "../secret")
	if msg := nakamawashi.ErrorMessage(nakamawashi.English, err); msg != "That is not a valid file reference." {
		t.Errorf("message %q", msg)
	}
}

func TestConcurrentPuts(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	content := bytes.Repeat([]byte("STEP "), 50_000)
	const n = 16
	var wg sync.WaitGroup
	shas := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			shas[i], _, errs[i] = s.Put(ctx, bytes.NewReader(content), 1<<20)
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || shas[i] != shaOf(content) {
			t.Fatalf("put %d: %s, %v", i, shas[i], errs[i])
		}
	}
	if got := files(t, s.Dir()); len(got) != 1 {
		t.Errorf("files = %q, want one", got)
	}
	f, err := s.Open(ctx, shas[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, _ := io.ReadAll(f); !bytes.Equal(got, content) {
		t.Errorf("read back %d bytes, want %d", len(got), len(content))
	}
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	dir := blob.Dir(t.TempDir())
	s, _ := blob.Open(dir)
	sha, _, err := s.Put(ctx, strings.NewReader("kept"), 100)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := blob.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	f, err := s2.Open(ctx, sha)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
}
