package mtconnect_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

// TestMessages checks that every key the package's code names has its
// Japanese and English texts in the root catalog.
func TestMessages(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	used := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, _ := strconv.Unquote(lit.Value); strings.HasPrefix(s, "err.") {
					used[s] = true
				}
			}
			return true
		})
	}
	for k := range used {
		if m, ok := nakamawashi.MessageText(k); !ok || m.JA == "" || m.EN == "" {
			t.Errorf("key %q has no texts in the catalog", k)
		}
	}
	for _, k := range nakamawashi.MessageKeys() {
		if strings.HasPrefix(k, "err.mtconnect.") && !used[k] {
			t.Errorf("key %q is not used", k)
		}
	}
}
