package generator

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"
)

// ManifestFile sits beside jwtgen.yaml and records the SHA-256 of every
// generated file as jwtgen last wrote it. A generated file whose content
// still hashes to its record is unedited and may be rewritten or deleted;
// any other content is a hand edit. Rendering alone cannot tell this,
// because a changed jwtgen.yaml changes the render too.
const ManifestFile = ".jwtgen.sum"

const manifestComment = "# Written by jwtgen: SHA-256 of each generated file as last written, to detect hand edits. Commit it; do not edit.\n"

// Manifest maps a slash-separated path (relative to the module root) to the
// hex SHA-256 of the content jwtgen wrote there.
type Manifest map[string]string

// Hash returns the hex SHA-256 of content.
func Hash(content []byte) string {
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:])
}

// Has reports whether jwtgen has a record of writing p.
func (m Manifest) Has(p string) bool { _, ok := m[p]; return ok }

// Matches reports whether content is exactly what jwtgen last wrote at p.
func (m Manifest) Matches(p string, content []byte) bool {
	h, ok := m[p]
	return ok && h == Hash(content)
}

// Paths returns the recorded paths, sorted.
func (m Manifest) Paths() []string { return slices.Sorted(maps.Keys(m)) }

// NewManifest records the generated files among files.
func NewManifest(files []File) Manifest {
	m := Manifest{}
	for _, f := range files {
		if f.Owner == Generated {
			m[f.Path] = Hash(f.Content)
		}
	}
	return m
}

// Marshal renders the manifest in the format of go.sum: hash, two spaces,
// path, one line per file, sorted by path.
func (m Manifest) Marshal() []byte { return m.marshal(nil) }

// modulePrefix starts the lines that name a module jwtgen added to go.mod,
// so that it can drop the module again once nothing imports it.
const modulePrefix = "module  "

// marshal is Marshal followed by one line per module jwtgen added to go.mod.
func (m Manifest) marshal(modules []string) []byte {
	var b bytes.Buffer
	b.WriteString(manifestComment)
	for _, p := range m.Paths() {
		fmt.Fprintf(&b, "%s  %s\n", m[p], p)
	}
	for _, mod := range modules {
		fmt.Fprintf(&b, "%s%s\n", modulePrefix, mod)
	}
	return b.Bytes()
}

// manifestModules returns the modules a manifest records as added by
// jwtgen, and whether it records any.
func manifestModules(data []byte) []string {
	var mods []string
	for line := range strings.SplitSeq(string(data), "\n") {
		if mod, ok := strings.CutPrefix(line, modulePrefix); ok && mod != "" {
			mods = append(mods, mod)
		}
	}
	return mods
}

// ParseManifest reads a manifest written by Marshal.
func ParseManifest(data []byte) (Manifest, error) {
	m := Manifest{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, modulePrefix) {
			continue
		}
		h, p, ok := strings.Cut(line, "  ")
		if _, err := hex.DecodeString(h); !ok || err != nil || len(h) != 64 || p == "" {
			return nil, fmt.Errorf("%s:%d: malformed line %q (want: <sha256 hex>  <path>)", ManifestFile, n, line)
		}
		m[p] = h
	}
	return m, sc.Err()
}

// ReadManifest reads the manifest from the module root; a missing manifest
// is an empty one.
func ReadManifest(root string) (Manifest, error) {
	data, err := os.ReadFile(root + string(os.PathSeparator) + ManifestFile)
	if errors.Is(err, fs.ErrNotExist) {
		return Manifest{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", ManifestFile, err)
	}
	return ParseManifest(data)
}
