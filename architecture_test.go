package nakamawashi_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/nakamawashi/nakamawashi"

// importRule is a package's place in docs/ARCHITECTURE.md: the packages of
// the module it may import, and the packages outside it that it must not.
type importRule struct {
	module    []string // module packages allowed ("" is the root); anything goes when nil and any is set
	any       bool     // cmd: wires everything
	forbidden []string // import paths, each forbidding itself and everything below it
	allow     []string // exceptions to forbidden: packages that only parse
}

// noIO are the packages a pure package must not import.
var noIO = []string{"os", "net", "database", "syscall", "github.com/jackc", "modernc.org"}

// drivers are the database drivers only the engine packages import.
var drivers = []string{"database/sql/driver", "github.com/jackc", "modernc.org"}

var architecture = map[string]importRule{
	"":                {forbidden: noIO, allow: []string{"net/mail"}},
	"match":           {module: []string{""}, forbidden: noIO},
	"schedule":        {module: []string{""}, forbidden: noIO},
	"document":        {module: []string{""}, forbidden: noIO},
	"blob":            {module: []string{""}, forbidden: append([]string{"net", "os/exec"}, drivers...)},
	"telemetry":       {module: []string{"", "schedule"}, forbidden: noIO},
	"sparkplug":       {module: []string{""}, forbidden: noIO},
	"mqtt":            {module: []string{"", "telemetry", "sparkplug"}, forbidden: []string{"database", "os/exec", "net/http", "github.com/jackc", "modernc.org"}},
	"mtconnect":       {module: []string{"", "telemetry"}, forbidden: []string{"database", "github.com/jackc", "modernc.org"}},
	"ingest":          {module: []string{"", "mqtt", "telemetry", "sparkplug"}, forbidden: []string{"database", "net/http", "github.com/jackc", "modernc.org", "github.com/mochi-mqtt"}},
	"demo":            {module: []string{""}, forbidden: []string{"database", "net", "os"}},
	"simulate":        {module: []string{"", "mqtt", "telemetry"}, forbidden: []string{"database", "net/http", "os/exec", "github.com/jackc", "modernc.org"}},
	"edge":            {module: []string{"", "mqtt", "telemetry", "sqlite"}, forbidden: []string{"net/http", "github.com/jackc", "modernc.org"}},
	"live":            {module: []string{""}, forbidden: noIO},
	"http":            {module: []string{"", "match", "document", "live", "telemetry", "schedule", "mtconnect"}, forbidden: append([]string{"database"}, drivers...)},
	"sqlstore":        {module: []string{""}, forbidden: append([]string{"net/http"}, drivers...)},
	"sqlite":          {module: []string{"", "sqlstore"}, forbidden: []string{"net/http", "github.com/jackc"}},
	"postgres":        {module: []string{"", "sqlstore"}, forbidden: []string{"net/http", "modernc.org"}},
	"storetest":       {module: []string{"", "sqlstore"}, forbidden: drivers},
	"mail":            {module: []string{""}, forbidden: append([]string{"database", "os"}, drivers...)},
	"cmd/nakamawashi": {any: true},
}

// TestArchitecture checks every package's imports (tests aside) against the
// direction of docs/ARCHITECTURE.md, and that every package has its place
// there, so that a new package must say where it stands.
func TestArchitecture(t *testing.T) {
	imports := map[string]map[string]string{} // package dir → import path → file
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		if dir == "." {
			dir = ""
		}
		if imports[dir] == nil {
			imports[dir] = map[string]string{}
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			imports[dir][p] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dirs := make([]string, 0, len(imports))
	for dir := range imports {
		dirs = append(dirs, dir)
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		rule, ok := architecture[dir]
		if !ok {
			t.Errorf("package %q has no place in the architecture table (architecture_test.go); add one as docs/ARCHITECTURE.md describes it", dir)
			continue
		}
		for p, file := range imports[dir] {
			if inModule, sub := moduleSub(p); inModule && !rule.any && !contains(rule.module, sub) {
				t.Errorf("%s imports %s: package %q may import only %q of the module", file, p, dir, rule.module)
			}
			for _, bad := range rule.forbidden {
				if (p == bad || strings.HasPrefix(p, bad+"/")) && !contains(rule.allow, p) {
					t.Errorf("%s imports %s, which package %q must not", file, p, dir)
				}
			}
		}
	}
	for dir := range architecture {
		if _, err := os.Stat(filepath.Join(".", dir)); err != nil || imports[dir] == nil {
			t.Errorf("the architecture table names %q, which is no package", dir)
		}
	}
}

// moduleSub reports whether p is a package of the module and which ("" for
// the root).
func moduleSub(p string) (bool, string) {
	if p == module {
		return true, ""
	}
	if sub, ok := strings.CutPrefix(p, module+"/"); ok {
		return true, sub
	}
	return false, ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
