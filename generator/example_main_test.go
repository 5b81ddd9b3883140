package generator

import (
	"bytes"
	"testing"
)

// TestExampleMainDoesNotDependOnOptions: the example's main.go is the
// user's once written, so everything that follows jwtgen.yaml, code and
// the requests its doc shows alike, lives in generated files beside it.
// For a framework, main.go is the same bytes whatever the other options.
func TestExampleMainDoesNotDependOnOptions(t *testing.T) {
	variants := []string{
		"",
		"prefix: /auth\n",
		"transport: cookie\n",
		"transport: both\n",
		"alg: RS256\n",
		"store: postgres\n",
		"store: redis\n",
		"revocation: strict\n",
		"providers: [github]\n",
		"features: [accounts, mfa]\n",
	}
	for _, fw := range optionByKey("framework").names() {
		var first []byte
		for _, v := range variants {
			cfg, err := ParseConfig([]byte("version: 1\nframework: " + fw + "\nexample: true\n" + v))
			if err != nil {
				t.Fatalf("%s %q: %v", fw, v, err)
			}
			cfg.Module = "example.com/app"
			var main []byte
			for _, f := range renderCase(t, fw, cfg) {
				if f.Path == "main.go" {
					main = f.Content
				}
			}
			if main == nil {
				t.Fatalf("%s %q: no main.go rendered", fw, v)
			}
			if first == nil {
				first = main
			} else if !bytes.Equal(main, first) {
				t.Errorf("%s: main.go with %q differs from main.go with the defaults", fw, v)
			}
		}
	}
}
