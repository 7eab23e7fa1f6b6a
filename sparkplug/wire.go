package sparkplug

import (
	"errors"
	"fmt"

	"github.com/nakamawashi/nakamawashi"
)

// Limits on what DecodePayload accepts, so that a hostile or broken edge
// node cannot make the host allocate without bound.
const (
	MaxPayloadSize = 16 << 20 // bytes of one encoded payload
	MaxItems       = 1 << 20  // metrics, rows, values and properties, nested ones included
	MaxDepth       = 16       // nesting of templates and property sets
)

// Protobuf wire types.
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireStart   = 3 // groups: deprecated, never used by Sparkplug
	wireEnd     = 4
	wireFixed32 = 5
)

var (
	errTruncated = errors.New("truncated")
	errOverflow  = errors.New("varint overflows 64 bits")
)

// invalid returns the error of a malformed topic or payload. The message is
// for the logs: these come from machines, not from people.
func invalid(op, format string, args ...any) error {
	return &nakamawashi.Error{Code: nakamawashi.EINVALID, Op: op, Err: fmt.Errorf(format, args...)}
}

// consumeVarint reads a base-128 varint from the front of b and returns it
// with the number of bytes read.
func consumeVarint(b []byte) (uint64, int, error) {
	var v uint64
	for i := 0; i < 10; i++ {
		if i >= len(b) {
			return 0, 0, errTruncated
		}
		c := b[i]
		if i == 9 && c > 1 {
			return 0, 0, errOverflow
		}
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			return v, i + 1, nil
		}
	}
	return 0, 0, errOverflow
}

// field is one field of a message: its number and wire type, and its value:
// the integer for varints and fixed widths, the bytes for wireBytes.
type field struct {
	num  int
	typ  int
	u    uint64
	data []byte
}

// eachField calls fn for every field of the message b, in order.
func eachField(b []byte, fn func(f field) error) error {
	for len(b) > 0 {
		tag, n, err := consumeVarint(b)
		if err != nil {
			return fmt.Errorf("tag: %w", err)
		}
		b = b[n:]
		f := field{num: int(tag >> 3), typ: int(tag & 7)}
		if tag>>3 == 0 || tag>>3 > 1<<29-1 {
			return fmt.Errorf("field number %d out of range", tag>>3)
		}
		switch f.typ {
		case wireVarint:
			f.u, n, err = consumeVarint(b)
			if err != nil {
				return fmt.Errorf("field %d: %w", f.num, err)
			}
		case wireFixed64:
			if len(b) < 8 {
				return fmt.Errorf("field %d: %w", f.num, errTruncated)
			}
			f.u, n = le64(b), 8
		case wireFixed32:
			if len(b) < 4 {
				return fmt.Errorf("field %d: %w", f.num, errTruncated)
			}
			f.u, n = uint64(le32(b)), 4
		case wireBytes:
			l, m, err := consumeVarint(b)
			if err != nil {
				return fmt.Errorf("field %d length: %w", f.num, err)
			}
			if l > uint64(len(b)-m) {
				return fmt.Errorf("field %d: length %d: %w", f.num, l, errTruncated)
			}
			f.data, n = b[m:m+int(l)], m+int(l)
		default:
			return fmt.Errorf("field %d: unsupported wire type %d", f.num, f.typ)
		}
		b = b[n:]
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}

// want checks that a known field has the wire type its schema gives it.
func (f field) want(typ int) error {
	if f.typ != typ {
		return fmt.Errorf("field %d: wire type %d, want %d", f.num, f.typ, typ)
	}
	return nil
}

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func le64(b []byte) uint64 {
	return uint64(le32(b)) | uint64(le32(b[4:]))<<32
}

// Appenders for the encoder.

func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func appendTag(b []byte, num, typ int) []byte {
	return appendVarint(b, uint64(num)<<3|uint64(typ))
}

func appendVarintField(b []byte, num int, v uint64) []byte {
	return appendVarint(appendTag(b, num, wireVarint), v)
}

func appendBoolField(b []byte, num int, v bool) []byte {
	if v {
		return appendVarintField(b, num, 1)
	}
	return appendVarintField(b, num, 0)
}

func appendFixed32Field(b []byte, num int, v uint32) []byte {
	b = appendTag(b, num, wireFixed32)
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}

func appendFixed64Field(b []byte, num int, v uint64) []byte {
	b = appendTag(b, num, wireFixed64)
	for i := 0; i < 8; i++ {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

func appendBytesField(b []byte, num int, data []byte) []byte {
	b = appendVarint(appendTag(b, num, wireBytes), uint64(len(data)))
	return append(b, data...)
}

func appendStringField(b []byte, num int, s string) []byte {
	b = appendVarint(appendTag(b, num, wireBytes), uint64(len(s)))
	return append(b, s...)
}

// appendMessage appends a length-delimited sub-message that enc writes.
// The body is written into a scratch slice first; its length is then known.
func appendMessage(b []byte, num int, enc func([]byte) ([]byte, error)) ([]byte, error) {
	body, err := enc(nil)
	if err != nil {
		return b, err
	}
	return appendBytesField(b, num, body), nil
}
