package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/nakamawashi/nakamawashi"
)

// Dir returns the default blob directory inside a data directory.
func Dir(dataDir string) string { return filepath.Join(dataDir, "blobs") }

// Store is a content-addressed file store on a directory.
type Store struct {
	dir string
}

var _ nakamawashi.BlobStore = (*Store)(nil)

// Open opens (and creates, if needed) the store in dir.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, nakamawashi.Internal("blob.Open", errors.New("no directory"))
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, nakamawashi.Internal("blob.Open", err)
	}
	return &Store{dir: dir}, nil
}

// Dir returns the directory the store keeps its files in.
func (s *Store) Dir() string { return s.dir }

// Put reads r to the end, at most max bytes (nakamawashi.MaxDrawingBytes
// when max ≤ 0), and stores it under its SHA-256. The content is written
// to a temporary file in the store's directory while it is hashed, synced,
// and renamed into place; the directories are synced too, so that the
// returned sha names durable content. Content already stored is kept as
// it is and the new copy dropped.
func (s *Store) Put(ctx context.Context, r interface{ Read([]byte) (int, error) }, max int64) (sha string, size int64, err error) {
	if max <= 0 {
		max = nakamawashi.MaxDrawingBytes
	}
	tmp, err := os.CreateTemp(s.dir, ".put-*")
	if err != nil {
		return "", 0, nakamawashi.Internal("blob.Put", err)
	}
	tmpName := tmp.Name()
	defer func() {
		if tmp != nil {
			tmp.Close()
		}
		if tmpName != "" {
			os.Remove(tmpName)
		}
	}()

	h := sha256.New()
	size, err = copyLimited(ctx, io.MultiWriter(tmp, h), r, max)
	if err != nil {
		return "", 0, err
	}
	if err := tmp.Sync(); err != nil {
		return "", 0, nakamawashi.Internal("blob.Put", err)
	}
	if err := tmp.Close(); err != nil {
		tmp = nil
		return "", 0, nakamawashi.Internal("blob.Put", err)
	}
	tmp = nil
	sha = sum(h)

	path := s.path(sha)
	sub := filepath.Dir(path)
	if err := os.MkdirAll(sub, 0o750); err != nil {
		return "", 0, nakamawashi.Internal("blob.Put", err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == size {
		// Stored already: the same hash is the same content.
	} else if err := os.Rename(tmpName, path); err != nil {
		return "", 0, nakamawashi.Internal("blob.Put", err)
	} else {
		tmpName = ""
	}
	// Sync the directories even when the file was there: a concurrent Put
	// of the same content may have renamed it without syncing them yet.
	for _, d := range []string{sub, filepath.Dir(sub), s.dir} {
		if err := syncDir(d); err != nil {
			return "", 0, nakamawashi.Internal("blob.Put", err)
		}
	}
	return sha, size, nil
}

// Open returns the content stored under sha: EINVALID for a name that is
// not a SHA-256 in lower-case hex, ENOTFOUND when nothing is stored.
func (s *Store) Open(ctx context.Context, sha string) (nakamawashi.ReadSeekCloser, error) {
	if !ValidSHA(sha) {
		return nil, nakamawashi.Errorf(nakamawashi.EINVALID, "err.blob.sha")
	}
	if err := ctx.Err(); err != nil {
		return nil, nakamawashi.Internal("blob.Open", err)
	}
	f, err := os.Open(s.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.blob.not_found")
	} else if err != nil {
		return nil, nakamawashi.Internal("blob.Open", err)
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.blob.not_found")
	}
	return f, nil
}

// ValidSHA reports whether s is a SHA-256 in lower-case hex, the only
// names the store knows.
func ValidSHA(s string) bool {
	if len(s) != sha256.Size*2 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func (s *Store) path(sha string) string {
	return filepath.Join(s.dir, sha[0:2], sha[2:4], sha)
}

func sum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// copyLimited copies r to w until EOF, failing with ETOOLARGE past max
// bytes and stopping when ctx ends.
func copyLimited(ctx context.Context, w io.Writer, r interface{ Read([]byte) (int, error) }, max int64) (int64, error) {
	buf := make([]byte, 64<<10)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return n, nakamawashi.Internal("blob.Put", err)
		}
		k, rerr := r.Read(buf)
		if k > 0 {
			if n+int64(k) > max {
				return n, nakamawashi.Errorf(nakamawashi.ETOOLARGE, "err.blob.too_large", sizeLabel(max))
			}
			if _, err := w.Write(buf[:k]); err != nil {
				return n, nakamawashi.Internal("blob.Put", err)
			}
			n += int64(k)
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, nakamawashi.Internal("blob.Put", rerr) // an *Error (the body's own limit) stays as it is
		}
	}
}

// sizeLabel writes a limit for people: 50 MB, 512 KB, 100 B.
func sizeLabel(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KB"
	}
	return nakamawashi.FormatNumber(n) + " B"
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}
