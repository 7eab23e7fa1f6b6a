package nakamawashi

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"image"
	_ "image/jpeg" // the formats photos may have
	_ "image/png"
)

// Inspect checks an uploaded photo's bytes and fills in what they say: the
// content type (from the bytes, never from the name or the client's
// header), the size, the dimensions and the SHA-256. Only JPEG, PNG and
// WebP are accepted, within MaxPhotoBytes and MaxPhotoPixels; the pixel
// count is read from the header before anything is decoded, so that a small
// file claiming a huge image is refused cheaply.
func (ph *Photo) Inspect() error {
	if len(ph.Data) == 0 {
		return Errorf(EINVALID, "err.photo.empty")
	}
	if len(ph.Data) > MaxPhotoBytes {
		return Errorf(ETOOLARGE, "err.photo.too_large", MaxPhotoBytes>>20)
	}
	var w, h int
	switch {
	case bytes.HasPrefix(ph.Data, []byte("\xff\xd8\xff")), bytes.HasPrefix(ph.Data, []byte("\x89PNG\r\n\x1a\n")):
		cfg, format, err := image.DecodeConfig(bytes.NewReader(ph.Data))
		if err != nil {
			return Errorf(EINVALID, "err.photo.format")
		}
		ph.ContentType = "image/" + format
		w, h = cfg.Width, cfg.Height
	case len(ph.Data) >= 30 && string(ph.Data[0:4]) == "RIFF" && string(ph.Data[8:12]) == "WEBP":
		var ok bool
		if w, h, ok = webpSize(ph.Data); !ok {
			return Errorf(EINVALID, "err.photo.format")
		}
		ph.ContentType = "image/webp"
	default:
		return Errorf(EINVALID, "err.photo.format")
	}
	if w <= 0 || h <= 0 || w*h > MaxPhotoPixels || w > 20000 || h > 20000 {
		return Errorf(EINVALID, "err.photo.pixels", MaxPhotoPixels/1_000_000)
	}
	ph.Width, ph.Height, ph.Size = w, h, int64(len(ph.Data))
	sum := sha256.Sum256(ph.Data)
	ph.SHA256 = hex.EncodeToString(sum[:])
	return nil
}

// webpSize reads the dimensions from a WebP header (lossy VP8, lossless
// VP8L or extended VP8X).
func webpSize(b []byte) (w, h int, ok bool) {
	switch string(b[12:16]) {
	case "VP8 ":
		if b[23] != 0x9d || b[24] != 0x01 || b[25] != 0x2a {
			return 0, 0, false
		}
		return int(binary.LittleEndian.Uint16(b[26:]) & 0x3fff), int(binary.LittleEndian.Uint16(b[28:]) & 0x3fff), true
	case "VP8L":
		if b[20] != 0x2f {
			return 0, 0, false
		}
		v := binary.LittleEndian.Uint32(b[21:])
		return int(v&0x3fff) + 1, int(v>>14&0x3fff) + 1, true
	case "VP8X":
		w := int(b[24]) | int(b[25])<<8 | int(b[26])<<16
		h := int(b[27]) | int(b[28])<<8 | int(b[29])<<16
		return w + 1, h + 1, true
	}
	return 0, 0, false
}
