package sparkplug_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps the package pure, as doc.go promises: no network, no
// database, no files.
func TestImports(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(path, "net") || strings.HasPrefix(path, "database/") || path == "os" ||
				(strings.HasPrefix(path, "github.com/nakamawashi/nakamawashi/")) {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}
