package document_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/document"
)

// TestMessageKeys checks that every catalog key named in the package's code
// is in the catalog.
func TestMessageKeys(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, _ := strconv.Unquote(lit.Value)
			if (strings.HasPrefix(s, "doc.") || strings.HasPrefix(s, "err.")) && !strings.HasSuffix(s, ".") && !nakamawashi.HasMessage(s) {
				t.Errorf("%s: key %q is not in the catalog", name, s)
			}
			return true
		})
	}
	for _, s := range []document.Supply{document.SupplyNone, document.SupplyPaid, document.SupplyFree} {
		if !nakamawashi.HasMessage("doc.materials." + string(s)) {
			t.Errorf("no label for supply %q", s)
		}
	}
}
