package http

import (
	"errors"
	"html/template"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

// This file holds what the directory's pages share: template functions
// that name vocabulary codes in the reader's language and format sizes and
// money, and strict parsers of typed numbers.

// processGroup is a heading of the process or material list with its
// entries, for grouped checkboxes, selects and profile sections.
type processGroup struct {
	Code  string
	Name  string
	Items []vocabItem
}

// vocabItem is one entry of a vocabulary list, named in the reader's
// language.
type vocabItem struct {
	Code string
	Name string
}

// directoryFuncs returns the template functions of the directory's pages.
func (s *Server) directoryFuncs(lang nakamawashi.Language) template.FuncMap {
	return template.FuncMap{
		"processName":  func(code string) string { return processName(lang, code) },
		"materialName": func(code string) string { return materialName(lang, code) },
		"certName":     func(code string) string { return certName(lang, code) },
		// processGroups lists the processes by group; machinesOnly keeps
		// the processes that run on a machine; only, when given, keeps
		// those codes (a profile's processes).
		"processGroups": func(machinesOnly bool, only ...[]string) []processGroup {
			return processGroups(lang, machinesOnly, only...)
		},
		"materialGroups": func(only ...[]string) []processGroup { return materialGroups(lang, only...) },
		"certifications": func() []vocabItem {
			var out []vocabItem
			for _, c := range nakamawashi.Certifications() {
				out = append(out, vocabItem{c.Code, c.Name(lang)})
			}
			return out
		},
		"lotSizes": func() []nakamawashi.LotSize { return nakamawashi.LotSizes },
		"lotName":  func(l nakamawashi.LotSize) string { return nakamawashi.Localize(lang, "ui.lot."+string(l)) },
		"has":      func(list []string, v string) bool { return slices.Contains(list, v) },
		"envelope": formatEnvelope,
		"num":      formatNum,
		"num1":     func(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', 1, 64) },
		"yen": func(v any) string {
			switch x := v.(type) {
			case int:
				return formatYen(float64(x))
			case int64:
				return formatYen(float64(x))
			case float64:
				return formatYen(x)
			}
			return ""
		},
		"hours":  func(h float64) string { return strconv.FormatFloat(math.Round(h*10)/10, 'f', 1, 64) },
		"reason": func(r string) string { return nakamawashi.Localize(lang, "ui.reason."+r) },
		"matchedField": func(field string) string {
			if key := "ui.search.field." + field; nakamawashi.HasMessage(key) {
				return nakamawashi.Localize(lang, key)
			}
			return field
		},
		"vocabularyVersion": func() string { return nakamawashi.VocabularyVersion },
		"list":              func(v ...string) []string { return v },
		// matchLabel names an example routing or a place of the matching form.
		"matchLabel": func(name string) string { return nakamawashi.Localize(lang, "ui.match."+name) },
		"maxPhotos":  func() int { return nakamawashi.MaxPhotosPerPost },
		"maxPhotoMB": func() int { return nakamawashi.MaxPhotoBytes >> 20 },
	}
}

func processName(lang nakamawashi.Language, code string) string {
	if p, ok := nakamawashi.ProcessByCode(code); ok {
		return p.Name(lang)
	}
	return code
}

func materialName(lang nakamawashi.Language, code string) string {
	if m, ok := nakamawashi.MaterialByCode(code); ok {
		return m.Name(lang)
	}
	return code
}

func certName(lang nakamawashi.Language, code string) string {
	if c, ok := nakamawashi.CertificationByCode(code); ok {
		return c.Name(lang)
	}
	return code
}

func groupName(lang nakamawashi.Language, g nakamawashi.ProcessGroup) string {
	if lang == nakamawashi.English {
		return g.EN
	}
	return g.JA
}

// processGroups groups the processes (retired ones only where a profile
// still lists them).
func processGroups(lang nakamawashi.Language, machinesOnly bool, only ...[]string) []processGroup {
	var out []processGroup
	for _, g := range nakamawashi.ProcessGroups {
		pg := processGroup{Code: g.Code, Name: groupName(lang, g)}
		for _, p := range nakamawashi.Processes() {
			if p.Group != g.Code || machinesOnly && p.Kind != nakamawashi.MachineProcess {
				continue
			}
			if len(only) > 0 && !slices.Contains(only[0], p.Code) || len(only) == 0 && p.Retired {
				continue
			}
			pg.Items = append(pg.Items, vocabItem{p.Code, p.Name(lang)})
		}
		if len(pg.Items) > 0 {
			out = append(out, pg)
		}
	}
	return out
}

// materialGroups groups the materials.
func materialGroups(lang nakamawashi.Language, only ...[]string) []processGroup {
	var out []processGroup
	for _, g := range nakamawashi.MaterialGroups {
		pg := processGroup{Code: g.Code, Name: groupName(lang, g)}
		for _, m := range nakamawashi.Materials() {
			if m.Group != g.Code || len(only) > 0 && !slices.Contains(only[0], m.Code) {
				continue
			}
			pg.Items = append(pg.Items, vocabItem{m.Code, m.Name(lang)})
		}
		if len(pg.Items) > 0 {
			out = append(out, pg)
		}
	}
	return out
}

// formatEnvelope renders a work envelope or a part: "500×400×300 mm" or
// "φ300×600 mm".
func formatEnvelope(e nakamawashi.Envelope) string {
	switch {
	case e.IsZero():
		return "—"
	case e.Shape == nakamawashi.ShapeRound:
		return "φ" + formatNum(e.D) + "×" + formatNum(e.L) + " mm"
	}
	return formatNum(e.X) + "×" + formatNum(e.Y) + "×" + formatNum(e.Z) + " mm"
}

// formatNum renders a number without trailing zeros: 0.8, 12, 1.25.
func formatNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// formatYen renders whole yen with thousands separators: 1,234,567.
func formatYen(f float64) string { return nakamawashi.FormatNumber(int64(math.Round(f))) }

// decimalRE is a plain decimal number, the only form typed numbers take:
// no exponents, hex, infinities or NaN.
var decimalRE = regexp.MustCompile(`^[+-]?[0-9]{1,12}(\.[0-9]{1,9})?$`)

// numbers parses typed numbers into their fields, collecting a problem for
// each that is not a number. Input is trimmed and its full-width digits
// folded; an empty value leaves the field zero (or nil).
type numbers struct {
	pr nakamawashi.Problems
}

func newNumbers() *numbers { return &numbers{pr: nakamawashi.Problems{}} }

func (n *numbers) clean(v string) string {
	return strings.ReplaceAll(nakamawashi.NormalizeWidth(strings.TrimSpace(v)), ",", "")
}

// float parses a decimal number.
func (n *numbers) float(field, v string) float64 {
	v = n.clean(v)
	if v == "" {
		return 0
	}
	f, err := strconv.ParseFloat(v, 64)
	if !decimalRE.MatchString(v) || err != nil {
		n.pr.Add(field, "err.http.number")
		return 0
	}
	return f
}

// optFloat parses a decimal number that may be absent.
func (n *numbers) optFloat(field, v string) *float64 {
	if n.clean(v) == "" {
		return nil
	}
	f := n.float(field, v)
	if _, bad := n.pr[field]; bad {
		return nil
	}
	return &f
}

// int parses a whole number.
func (n *numbers) int(field, v string) int {
	v = n.clean(v)
	if v == "" {
		return 0
	}
	i, err := strconv.Atoi(v)
	if err != nil || len(v) > 10 {
		n.pr.Add(field, "err.http.integer")
		return 0
	}
	return i
}

// merge adds the field problems of err (an EINVALID from validation) to
// the parse problems, the parse ones first, and returns them as one error.
// Errors that are not about fields pass through.
func (n *numbers) merge(err error) error {
	var e *nakamawashi.Error
	if err != nil && !(errors.As(err, &e) && e.Code == nakamawashi.EINVALID) {
		return err
	}
	if e != nil {
		for k, m := range e.Fields {
			n.pr.Add(k, m.Key, m.Args...)
		}
		if len(e.Fields) == 0 && len(n.pr) == 0 {
			return err
		}
	}
	return n.pr.Err()
}

// envelopeOf builds an envelope from typed values.
func (n *numbers) envelope(field, shape, x, y, z, d, l string) nakamawashi.Envelope {
	e := nakamawashi.Envelope{Shape: nakamawashi.EnvelopeShape(strings.TrimSpace(shape))}
	switch e.Shape {
	case nakamawashi.ShapeRound:
		e.D, e.L = n.float(field+"_d", d), n.float(field+"_l", l)
	case nakamawashi.ShapeBox:
		e.X, e.Y, e.Z = n.float(field+"_x", x), n.float(field+"_y", y), n.float(field+"_z", z)
	}
	return e
}
