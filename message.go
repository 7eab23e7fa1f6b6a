package nakamawashi

import (
	"fmt"
	"sort"
)

// Text is one catalog entry: the Japanese text first, the English second.
// Either may hold fmt verbs that the message arguments fill.
type Text struct {
	JA string
	EN string
}

var catalog = map[string]Text{}

// addMessages merges a table into the catalog; a key defined twice is a
// programming error caught at start-up.
func addMessages(table map[string]Text) {
	for k, v := range table {
		if _, dup := catalog[k]; dup {
			panic("nakamawashi: message key defined twice: " + k)
		}
		catalog[k] = v
	}
}

// Localize renders the catalog message key in lang, filling its verbs with
// args. An unknown key renders as the key itself, so that a gap shows
// instead of hiding; tests check that every key in use exists.
func Localize(lang Language, key string, args ...any) string {
	t, ok := catalog[key]
	if !ok {
		return key
	}
	s := t.JA
	if lang == English && t.EN != "" {
		s = t.EN
	}
	if len(args) > 0 {
		// A Message among the arguments (an entity's or a status's name)
		// is rendered in the same language.
		copied := false
		for i, a := range args {
			if m, ok := a.(Message); ok {
				if !copied {
					args, copied = append([]any(nil), args...), true
				}
				args[i] = m.In(lang)
			}
		}
		return fmt.Sprintf(s, args...)
	}
	return s
}

// HasMessage reports whether key is in the catalog.
func HasMessage(key string) bool {
	_, ok := catalog[key]
	return ok
}

// MessageKeys returns every key of the catalog, sorted.
func MessageKeys() []string {
	keys := make([]string, 0, len(catalog))
	for k := range catalog {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// MessageText returns the entry for key.
func MessageText(key string) (Text, bool) {
	t, ok := catalog[key]
	return t, ok
}
