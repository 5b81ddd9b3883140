// Package keys writes and rotates the keyring files the generated module
// reads (JWT_KEYRING): keys in the states next (published, not signing),
// current (signs; exactly one) and retired (verifies until pruned).
package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"
)

// Algorithms are the signing algorithms a keyring can hold.
var Algorithms = []string{"HS256", "RS256", "ES256", "EdDSA"}

// DefaultRSABits is the modulus size of new RS256 keys (NIST SP 800-57:
// 3072 bits for use beyond 2030).
const DefaultRSABits = 3072

// Key states.
const (
	Next    = "next"
	Current = "current"
	Retired = "retired"
)

// Ring is a keyring file.
type Ring struct {
	Alg  string `json:"alg"`
	Keys []*Key `json:"keys"`
}

// Key is one key of a keyring file. Exactly one of PrivateKey, PublicKey
// (asymmetric algorithms) and Secret (HS256) is set.
type Key struct {
	ID          string     `json:"kid"`
	State       string     `json:"state,omitempty"`
	Active      *bool      `json:"active,omitempty"` // the format before key states
	PrivateKey  string     `json:"private_key,omitempty"`
	PublicKey   string     `json:"public_key,omitempty"`
	Secret      string     `json:"secret,omitempty"`
	CreatedAt   *time.Time `json:"created_at,omitempty"`
	ActivatedAt *time.Time `json:"activated_at,omitempty"`
	RetiredAt   *time.Time `json:"retired_at,omitempty"`
}

// Options tune key generation.
type Options struct {
	// RSABits is the RS256 modulus size; 0 means DefaultRSABits.
	RSABits int
}

// Generate returns a new keyring for alg with one current key and one next
// key.
func Generate(alg string, o Options, now time.Time) (*Ring, error) {
	if !slices.Contains(Algorithms, alg) {
		return nil, fmt.Errorf("unknown algorithm %q: want one of %s", alg, strings.Join(Algorithms, ", "))
	}
	r := &Ring{Alg: alg}
	cur, err := newKey(alg, o, now)
	if err != nil {
		return nil, err
	}
	cur.State, cur.ActivatedAt = Current, timePtr(now)
	next, err := newKey(alg, o, now)
	if err != nil {
		return nil, err
	}
	next.State = Next
	r.Keys = []*Key{cur, next}
	return r, nil
}

// Parse decodes a keyring file and checks it as the module does. Files of
// the format before key states are translated: the active key is current,
// other keys with a private key are next, keys with only a public key are
// retired, and a key without kid gets the id that format gave it.
func Parse(data []byte) (*Ring, error) {
	var r Ring
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("parse keyring JSON: %w", err)
	}
	if !slices.Contains(Algorithms, r.Alg) {
		return nil, fmt.Errorf("keyring alg %q: want one of %s", r.Alg, strings.Join(Algorithms, ", "))
	}
	currents := 0
	seen := map[string]bool{}
	for i, k := range r.Keys {
		if k.State != "" && k.Active != nil {
			return nil, fmt.Errorf("key %d: both state and active", i)
		}
		if k.State == "" {
			switch {
			case k.Active != nil && *k.Active:
				k.State = Current
			case k.PublicKey != "" && k.PrivateKey == "":
				k.State = Retired
			default:
				k.State = Next
			}
			k.Active = nil
			if k.ID == "" && r.Alg != "HS256" {
				pub, err := k.public()
				if err != nil {
					return nil, fmt.Errorf("key %d: %w", i, err)
				}
				if k.ID, err = legacyThumbprint(pub); err != nil {
					return nil, fmt.Errorf("key %d: %w", i, err)
				}
			}
		}
		if !slices.Contains([]string{Next, Current, Retired}, k.State) {
			return nil, fmt.Errorf("key %d: state %q: want next, current or retired", i, k.State)
		}
		if err := k.check(r.Alg); err != nil {
			return nil, fmt.Errorf("key %d (%s): %w", i, k.ID, err)
		}
		if k.ID == "" {
			pub, err := k.public()
			if err != nil {
				return nil, fmt.Errorf("key %d: %w", i, err)
			}
			if k.ID, err = Thumbprint(pub); err != nil {
				return nil, fmt.Errorf("key %d: %w", i, err)
			}
		}
		if seen[k.ID] {
			return nil, fmt.Errorf("key %d: kid %q appears twice", i, k.ID)
		}
		seen[k.ID] = true
		if k.State == Current {
			currents++
		}
	}
	if currents != 1 {
		return nil, fmt.Errorf("%d current keys: exactly one key must be current", currents)
	}
	return &r, nil
}

// check verifies the key material of k for alg.
func (k *Key) check(alg string) error {
	if alg == "HS256" {
		if k.PrivateKey != "" || k.PublicKey != "" {
			return errors.New("a private or public key in an HS256 keyring")
		}
		if k.ID == "" {
			return errors.New("an HS256 key needs a kid")
		}
		secret, err := decodeSecret(k.Secret)
		if err != nil {
			return err
		}
		return CheckSecret(secret)
	}
	if k.Secret != "" {
		return fmt.Errorf("a secret in a %s keyring", alg)
	}
	if k.State == Current && k.PrivateKey == "" {
		return errors.New("the current key needs its private key")
	}
	pub, err := k.public()
	if err != nil {
		return err
	}
	return checkPublicKey(alg, pub)
}

// Rotate makes the next key current, the current key retired (keeping only
// its public part: it never signs again) and adds a new next key. With no
// next key it refuses: a key must be published before it signs, so that
// every verifier's cached key set knows it (see AddNext).
func (r *Ring) Rotate(o Options, now time.Time) error {
	var next, cur *Key
	for _, k := range r.Keys {
		switch k.State {
		case Next:
			if next != nil {
				return fmt.Errorf("two next keys (%s, %s): remove one by hand", next.ID, k.ID)
			}
			next = k
		case Current:
			cur = k
		}
	}
	if next == nil {
		return errors.New("no next key to make current: a key must be published before it signs; add one with --add-next, deploy it, wait for JWKS caches (5 minutes), then rotate")
	}
	if err := retire(r.Alg, cur, now); err != nil {
		return err
	}
	next.State, next.ActivatedAt = Current, timePtr(now)
	return r.appendNext(o, now)
}

// AddNext adds a next key to a keyring that has none.
func (r *Ring) AddNext(o Options, now time.Time) error {
	for _, k := range r.Keys {
		if k.State == Next {
			return fmt.Errorf("the keyring already has a next key (%s)", k.ID)
		}
	}
	return r.appendNext(o, now)
}

// appendNext makes a new key and adds it to the keyring as the next key.
func (r *Ring) appendNext(o Options, now time.Time) error {
	k, err := newKey(r.Alg, o, now)
	if err != nil {
		return err
	}
	k.State = Next
	r.Keys = append(r.Keys, k)
	return nil
}

func retire(alg string, k *Key, now time.Time) error {
	k.State, k.RetiredAt = Retired, timePtr(now)
	if alg == "HS256" || k.PrivateKey == "" {
		return nil
	}
	pub, err := k.public()
	if err != nil {
		return err
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return fmt.Errorf("encode public key of %s: %w", k.ID, err)
	}
	k.PrivateKey, k.PublicKey = "", string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	return nil
}

// Prune drops retired keys retired longer ago than olderThan and returns
// their kids. A retired key without a retirement date is kept and named
// in kept.
func (r *Ring) Prune(olderThan time.Duration, now time.Time) (dropped, kept []string) {
	out := r.Keys[:0]
	for _, k := range r.Keys {
		if k.State == Retired {
			switch {
			case k.RetiredAt == nil:
				kept = append(kept, k.ID)
			case now.Sub(*k.RetiredAt) > olderThan:
				dropped = append(dropped, k.ID)
				continue
			}
		}
		out = append(out, k)
	}
	r.Keys = out
	return dropped, kept
}

// Marshal returns the file content.
func (r *Ring) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// newKey makes a key from crypto/rand, named by its RFC 7638 thumbprint, or
// for HS256 by a random id (an id derived from a secret would hand guessers
// a check).
func newKey(alg string, o Options, now time.Time) (*Key, error) {
	k := &Key{CreatedAt: timePtr(now)}
	if alg == "HS256" {
		secret := make([]byte, SecretBytes)
		if _, err := rand.Read(secret); err != nil {
			return nil, fmt.Errorf("generate secret: %w", err)
		}
		k.ID, k.Secret = randomKid(), base64.StdEncoding.EncodeToString(secret)
		return k, nil
	}
	var (
		signer crypto.Signer
		err    error
	)
	switch alg {
	case "RS256":
		bits := o.RSABits
		if bits == 0 {
			bits = DefaultRSABits
		}
		if bits < 2048 {
			return nil, fmt.Errorf("RSA keys of %d bits: at least 2048", bits)
		}
		signer, err = rsa.GenerateKey(rand.Reader, bits)
	case "ES256":
		signer, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "EdDSA":
		_, signer, err = ed25519.GenerateKey(rand.Reader)
	}
	if err != nil {
		return nil, fmt.Errorf("generate %s key: %w", alg, err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(signer)
	if err != nil {
		return nil, fmt.Errorf("encode %s key: %w", alg, err)
	}
	k.PrivateKey = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	if k.ID, err = Thumbprint(signer.Public()); err != nil {
		return nil, err
	}
	return k, nil
}

// SecretBytes is the size of new HS256 secrets: 256 bits.
const SecretBytes = 32

func randomKid() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func timePtr(t time.Time) *time.Time {
	t = t.UTC().Truncate(time.Second)
	return &t
}

// public returns the public key of an asymmetric key.
func (k *Key) public() (crypto.PublicKey, error) {
	switch {
	case k.PrivateKey != "":
		priv, err := parsePEM(k.PrivateKey, "PRIVATE KEY", x509.ParsePKCS8PrivateKey)
		if err != nil {
			return nil, err
		}
		s, ok := priv.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("unsupported private key type %T", priv)
		}
		return s.Public(), nil
	case k.PublicKey != "":
		return parsePEM(k.PublicKey, "PUBLIC KEY", x509.ParsePKIXPublicKey)
	}
	return nil, errors.New("neither private_key nor public_key")
}

// parsePEM parses the one PEM block of type wantType that s must hold
// with parse ("PRIVATE KEY": x509.ParsePKCS8PrivateKey, "PUBLIC KEY":
// x509.ParsePKIXPublicKey).
func parsePEM(s, wantType string, parse func(der []byte) (any, error)) (any, error) {
	block, rest := pem.Decode([]byte(s))
	if block == nil || block.Type != wantType || strings.TrimSpace(string(rest)) != "" {
		return nil, fmt.Errorf("want one PEM block of type %q", wantType)
	}
	v, err := parse(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", strings.ToLower(wantType), err)
	}
	return v, nil
}

func checkPublicKey(alg string, pub crypto.PublicKey) error {
	switch alg {
	case "RS256":
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("%T is not an RSA key", pub)
		}
		if k.N.BitLen() < 2048 {
			return fmt.Errorf("RSA key of %d bits: at least 2048 are required", k.N.BitLen())
		}
	case "ES256":
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok || k.Curve != elliptic.P256() {
			return fmt.Errorf("%T is not a P-256 ECDSA key", pub)
		}
	case "EdDSA":
		if _, ok := pub.(ed25519.PublicKey); !ok {
			return fmt.Errorf("%T is not an Ed25519 key", pub)
		}
	}
	return nil
}

// PublicJWK returns the required public members of a key's JWK (RFC 7517).
func PublicJWK(pub crypto.PublicKey) (map[string]string, error) {
	b64 := base64.RawURLEncoding.EncodeToString
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return map[string]string{"kty": "RSA", "n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())}, nil
	case *ecdsa.PublicKey:
		e, err := k.ECDH()
		if err != nil {
			return nil, fmt.Errorf("encode P-256 public key: %w", err)
		}
		raw := e.Bytes()
		return map[string]string{"kty": "EC", "crv": "P-256", "x": b64(raw[1:33]), "y": b64(raw[33:65])}, nil
	case ed25519.PublicKey:
		return map[string]string{"kty": "OKP", "crv": "Ed25519", "x": b64(k)}, nil
	}
	return nil, fmt.Errorf("unsupported public key %T", pub)
}

// Thumbprint is the RFC 7638 JWK thumbprint (SHA-256, base64url) of pub.
func Thumbprint(pub crypto.PublicKey) (string, error) {
	jwk, err := PublicJWK(pub)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(jwk) // a map marshals with its keys sorted
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(sum[:]), nil
}

// legacyThumbprint is the kid the format before key states gave a key
// without one.
func legacyThumbprint(pub crypto.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(der)
	return base64.RawURLEncoding.EncodeToString(sum[:12]), nil
}

// decodeSecret decodes base64 in the standard or URL alphabet, padded or not.
func decodeSecret(s string) ([]byte, error) {
	if s == "" {
		return nil, errors.New("no secret")
	}
	s = strings.TrimRight(s, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.Strict().DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("secret is not base64")
}

// MinSecretLen is the shortest HS256 secret the module accepts.
const MinSecretLen = 32
