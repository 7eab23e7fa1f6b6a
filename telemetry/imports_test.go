package telemetry_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps the package pure, as doc.go promises: no I/O packages
// and none of the packages that talk to machines or stores.
func TestImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := []string{"os", "net", "database", "syscall", "github.com/nakamawashi/nakamawashi/"}
	allowed := map[string]bool{"github.com/nakamawashi/nakamawashi/schedule": true}
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
			for _, bad := range forbidden {
				if !allowed[path] && (path == bad || strings.HasPrefix(path, strings.TrimSuffix(bad, "/")+"/")) {
					t.Errorf("%s imports %s", name, path)
				}
			}
		}
	}
}
