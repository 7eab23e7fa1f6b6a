package mqtt_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps the promise of doc.go: the broker reaches the store
// only through the Authenticator and the Handler it is given.
func TestImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	const mod = "github.com/nakamawashi/nakamawashi"
	allowed := map[string]bool{mod: true, mod + "/telemetry": true, mod + "/sparkplug": true}
	forbidden := []string{"database/sql", "os/exec", "net/http", "github.com/jackc/", "modernc.org/"}
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
			if strings.HasPrefix(path, mod+"/") && !allowed[path] {
				t.Errorf("%s imports %s", name, path)
			}
			for _, bad := range forbidden {
				if strings.HasPrefix(path, bad) {
					t.Errorf("%s imports %s", name, path)
				}
			}
		}
	}
}
