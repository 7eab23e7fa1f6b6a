package http_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"text/template/parse"

	"github.com/nakamawashi/nakamawashi"
	nkmhttp "github.com/nakamawashi/nakamawashi/http"
)

// checkKey fails the test unless key is in the catalog with both texts.
func checkKey(t *testing.T, where, key string) {
	t.Helper()
	text, ok := nakamawashi.MessageText(key)
	if !ok {
		t.Errorf("%s: message key %q is not in the catalog", where, key)
	} else if text.JA == "" || text.EN == "" {
		t.Errorf("%s: message key %q lacks a Japanese or English text: %+v", where, key, text)
	}
}

// walk calls fn for every node under n.
func walk(n parse.Node, fn func(parse.Node)) {
	if n == nil {
		return
	}
	fn(n)
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				walk(c, fn)
			}
		}
	case *parse.ActionNode:
		walk(n.Pipe, fn)
	case *parse.PipeNode:
		if n != nil {
			for _, c := range n.Cmds {
				walk(c, fn)
			}
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			walk(a, fn)
		}
	case *parse.IfNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.RangeNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.WithNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.TemplateNode:
		walk(n.Pipe, fn)
	}
}

// TestTemplateMessageKeys parses every template and checks that every key
// given to t, and every other string literal that looks like a key, is in
// the catalog with both Japanese and English texts.
func TestTemplateMessageKeys(t *testing.T) {
	s := nkmhttp.NewServer()
	seen := 0
	for _, tmpl := range s.Templates() {
		for _, sub := range tmpl.Templates() {
			if sub.Tree == nil {
				continue
			}
			walk(sub.Tree.Root, func(n parse.Node) {
				cmd, ok := n.(*parse.CommandNode)
				if !ok || len(cmd.Args) == 0 {
					return
				}
				if id, ok := cmd.Args[0].(*parse.IdentifierNode); ok && id.Ident == "t" {
					if len(cmd.Args) < 2 {
						t.Errorf("%s: t without a key", sub.Name())
						return
					}
					if str, ok := cmd.Args[1].(*parse.StringNode); ok {
						checkKey(t, sub.Name(), str.Text)
						seen++
					}
				}
				for _, a := range cmd.Args {
					if str, ok := a.(*parse.StringNode); ok && (strings.HasPrefix(str.Text, "ui.") || strings.HasPrefix(str.Text, "err.")) {
						checkKey(t, sub.Name(), str.Text)
					}
				}
			})
		}
	}
	if seen < 50 {
		t.Errorf("found only %d uses of t; the walk misses nodes", seen)
	}
}

// TestCodeMessageKeys checks the keys named in the package's Go code and
// the keys built from kinds, roles and languages.
func TestCodeMessageKeys(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`"((?:ui|err)\.[a-z0-9_.]*[a-z0-9_])"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			checkKey(t, f, m[1])
		}
	}
	for _, k := range nakamawashi.CompanyKinds {
		checkKey(t, "kinds", "ui.kind."+string(k))
	}
	for _, r := range nakamawashi.Roles {
		checkKey(t, "roles", "ui.role."+string(r))
	}
	for _, l := range nakamawashi.Languages {
		checkKey(t, "languages", "ui.lang."+string(l))
	}
}

// TestNoInlineScriptOrStyle keeps the templates within the CSP: no style
// attributes, no style elements, no script bodies, no inline handlers.
func TestNoInlineScriptOrStyle(t *testing.T) {
	files, err := filepath.Glob("templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	bad := []*regexp.Regexp{
		regexp.MustCompile(`(?i)\sstyle\s*=`),
		regexp.MustCompile(`(?i)<style`),
		regexp.MustCompile(`(?i)<script[^>]*>[^<]+</script>`),
		regexp.MustCompile(`(?i)\son[a-z]+\s*=`),
		regexp.MustCompile(`(?i)\shx-on`),
		regexp.MustCompile(`(?i)javascript:`),
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tag := range regexp.MustCompile(`(?i)<script[^>]*>`).FindAll(b, -1) {
			if !regexp.MustCompile(`\ssrc="`).Match(tag) {
				t.Errorf("%s: script without src: %s", f, tag)
			}
		}
		for _, re := range bad {
			if loc := re.FindIndex(b); loc != nil {
				t.Errorf("%s: inline script or style: %q", f, b[loc[0]:min(loc[1]+20, len(b))])
			}
		}
	}
}
