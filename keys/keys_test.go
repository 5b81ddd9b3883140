package keys

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jwtgen/jwtgen/templates"
)

var now = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

func states(r *Ring) string {
	var s []string
	for _, k := range r.Keys {
		s = append(s, k.State)
	}
	return strings.Join(s, ",")
}

func TestGenerateWritesOneCurrentAndOneNextKey(t *testing.T) {
	for _, alg := range Algorithms {
		t.Run(alg, func(t *testing.T) {
			r, err := Generate(alg, Options{RSABits: 2048}, now)
			if err != nil {
				t.Fatal(err)
			}
			if states(r) != "current,next" || r.Keys[0].ID == r.Keys[1].ID {
				t.Fatalf("states %s, kids %s %s", states(r), r.Keys[0].ID, r.Keys[1].ID)
			}
			data, err := r.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			back, err := Parse(data)
			if err != nil {
				t.Fatalf("the generated file does not parse: %v\n%s", err, data)
			}
			for i, k := range back.Keys {
				if k.ID != r.Keys[i].ID {
					t.Fatalf("kid %s changed to %s on reading", r.Keys[i].ID, k.ID)
				}
				if alg == "HS256" {
					secret, err := decodeSecret(k.Secret)
					if err != nil || len(secret) != SecretBytes {
						t.Fatalf("secret of %d bytes, %v", len(secret), err)
					}
					continue
				}
				pub, err := k.public()
				if err != nil {
					t.Fatal(err)
				}
				if tp, _ := Thumbprint(pub); tp != k.ID {
					t.Fatalf("kid %s is not the RFC 7638 thumbprint %s", k.ID, tp)
				}
			}
		})
	}
	if _, err := Generate("HS512", Options{}, now); err == nil {
		t.Fatal("Generate accepted HS512")
	}
}

func TestRSAKeysAre3072BitsByDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("3072-bit RSA generation is slow")
	}
	r, err := Generate("RS256", Options{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Keys[0].PrivateKey, "PRIVATE KEY") {
		t.Fatal("no private key")
	}
	pub, err := r.Keys[0].public()
	if err != nil {
		t.Fatal(err)
	}
	jwk, _ := PublicJWK(pub)
	n, _ := base64.RawURLEncoding.DecodeString(jwk["n"])
	if len(n)*8 != 3072 {
		t.Fatalf("modulus of %d bits, want 3072", len(n)*8)
	}
}

func TestHS256SecretsAreRandomAndKidsRevealNothing(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		r, err := Generate("HS256", Options{}, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range r.Keys {
			secret, _ := decodeSecret(k.Secret)
			if err := CheckSecret(secret); err != nil {
				t.Fatalf("a generated secret fails the module's check: %v", err)
			}
			if seen[k.Secret] || seen[k.ID] || strings.Contains(k.Secret, k.ID) {
				t.Fatal("a secret or kid repeats")
			}
			seen[k.Secret], seen[k.ID] = true, true
		}
	}
}

func TestRotateThenPrune(t *testing.T) {
	for _, alg := range []string{"HS256", "ES256"} {
		t.Run(alg, func(t *testing.T) {
			r, err := Generate(alg, Options{}, now)
			if err != nil {
				t.Fatal(err)
			}
			first, second := r.Keys[0].ID, r.Keys[1].ID
			later := now.Add(time.Hour)
			if err := r.Rotate(Options{}, later); err != nil {
				t.Fatal(err)
			}
			if states(r) != "retired,current,next" || r.Keys[1].ID != second {
				t.Fatalf("after rotate: %s, current %s; want retired,current,next with %s current", states(r), r.Keys[1].ID, second)
			}
			retired := r.Keys[0]
			if !retired.RetiredAt.Equal(later) || !r.Keys[1].ActivatedAt.Equal(later) {
				t.Fatalf("dates not set: retired %v activated %v", retired.RetiredAt, r.Keys[1].ActivatedAt)
			}
			if alg != "HS256" && (retired.PrivateKey != "" || retired.PublicKey == "") {
				t.Fatal("a retired asymmetric key keeps its private key; it never signs again")
			}
			data, _ := r.Marshal()
			if _, err := Parse(data); err != nil {
				t.Fatalf("rotated file does not parse: %v", err)
			}

			if dropped, _ := r.Prune(2*time.Hour, later.Add(time.Hour)); len(dropped) != 0 {
				t.Fatalf("pruned %v, retired only an hour ago", dropped)
			}
			dropped, _ := r.Prune(2*time.Hour, later.Add(3*time.Hour))
			if len(dropped) != 1 || dropped[0] != first || states(r) != "current,next" {
				t.Fatalf("pruned %v, left %s", dropped, states(r))
			}
		})
	}
}

func TestRotateNeedsAPublishedNextKey(t *testing.T) {
	r, err := Generate("EdDSA", Options{}, now)
	if err != nil {
		t.Fatal(err)
	}
	r.Keys = r.Keys[:1]
	if err := r.Rotate(Options{}, now); err == nil || !strings.Contains(err.Error(), "--add-next") {
		t.Fatalf("Rotate without a next key: %v", err)
	}
	if err := r.AddNext(Options{}, now); err != nil || states(r) != "current,next" {
		t.Fatalf("AddNext: %v, %s", err, states(r))
	}
	if err := r.AddNext(Options{}, now); err == nil {
		t.Fatal("AddNext added a second next key")
	}
}

func TestParseTranslatesTheFormatBeforeKeyStates(t *testing.T) {
	r, err := Generate("ES256", Options{}, now)
	if err != nil {
		t.Fatal(err)
	}
	active := true
	cur, next := r.Keys[0], r.Keys[1]
	retire("ES256", next, now) // leaves only its public key
	legacy := &Ring{Alg: "ES256", Keys: []*Key{
		{ID: "2026-11", PrivateKey: cur.PrivateKey, Active: &active},
		{PublicKey: next.PublicKey},
	}}
	data, _ := legacy.Marshal()
	back, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := back.Keys[1].public()
	wantKid, _ := legacyThumbprint(pub)
	if states(back) != "current,retired" || back.Keys[0].ID != "2026-11" || back.Keys[1].ID != wantKid {
		t.Fatalf("states %s, kids %s %s; want current,retired, 2026-11 and %s", states(back), back.Keys[0].ID, back.Keys[1].ID, wantKid)
	}
}

func TestParseRefusesWhatTheModuleRefuses(t *testing.T) {
	two, err := Generate("HS256", Options{}, now)
	if err != nil {
		t.Fatal(err)
	}
	two.Keys[1].State = Current
	twoCurrent, _ := two.Marshal()
	ed, err := Generate("EdDSA", Options{}, now)
	if err != nil {
		t.Fatal(err)
	}
	ed.Alg = "ES256"
	otherAlg, _ := ed.Marshal()
	for name, data := range map[string]string{
		"two current keys":     string(twoCurrent),
		"a key of another alg": string(otherAlg),
		"no current key":       `{"alg":"HS256","keys":[]}`,
		"weak secret":          `{"alg":"HS256","keys":[{"kid":"a","state":"current","secret":"` + base64.StdEncoding.EncodeToString([]byte(strings.Repeat("ab", 20))) + `"}]}`,
		"unknown alg":          `{"alg":"none","keys":[]}`,
		"unknown field":        `{"alg":"HS256","keys":[],"jku":"x"}`,
		"secret in ES256":      `{"alg":"ES256","keys":[{"kid":"a","state":"current","secret":"eA"}]}`,
		"unknown state":        `{"alg":"HS256","keys":[{"kid":"a","state":"old","secret":"eA"}]}`,
	} {
		if _, err := Parse([]byte(data)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestCreateNeverOverwritesAndWritesMode0600(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keyring.json")
	r, err := Generate("HS256", Options{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := Create(path, r); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("new keyring mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	before, _ := os.ReadFile(path)
	if err := Create(path, r); err == nil || !strings.Contains(err.Error(), "refusing to overwrite") {
		t.Fatalf("second Create: %v", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("the existing keyring changed")
	}
	if err := r.Rotate(Options{}, now); err != nil {
		t.Fatal(err)
	}
	if err := Replace(path, r); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestShowNeverPrintsSecrets(t *testing.T) {
	for _, alg := range []string{"HS256", "EdDSA"} {
		r, err := Generate(alg, Options{}, now)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := Show(&out, r); err != nil {
			t.Fatal(err)
		}
		for _, k := range r.Keys {
			if !strings.Contains(out.String(), k.ID) {
				t.Fatalf("show lacks kid %s:\n%s", k.ID, out.String())
			}
			for _, secret := range []string{k.Secret, k.PrivateKey} {
				if secret != "" && strings.Contains(out.String(), secret[:20]) {
					t.Fatalf("show prints secret material:\n%s", out.String())
				}
			}
		}
		if strings.Contains(out.String(), "PRIVATE") {
			t.Fatalf("show prints a private key:\n%s", out.String())
		}
	}
}

// TestSecretCheckMatchesTheModule keeps jwtgen's secret check identical to
// the one the generated module runs at start, so doctor and keys judge a
// secret exactly as the service will.
func TestSecretCheckMatchesTheModule(t *testing.T) {
	tmpl, err := templates.FS.ReadFile("core/secret_strength.go.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	mine, err := os.ReadFile("secret_strength.go")
	if err != nil {
		t.Fatal(err)
	}
	_, tmplBody, _ := bytes.Cut(tmpl, []byte("\n"))
	_, myBody, _ := bytes.Cut(mine, []byte("\n"))
	if !bytes.Equal(tmplBody, myBody) {
		t.Fatal("keys/secret_strength.go differs from templates/core/secret_strength.go.tmpl below the package line: copy the template")
	}
}
