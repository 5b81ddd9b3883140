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
const manifestFile = ".jwtgen.sum"

const manifestComment = "# Written by jwtgen: SHA-256 of each generated file as last written, to detect hand edits. Commit it; do not edit.\n"

// Manifest maps a slash-separated path (relative to the module root) to the
// hex SHA-256 of the content jwtgen wrote there.
type manifest map[string]string

// Hash returns the hex SHA-256 of content.
func hash(content []byte) string {
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:])
}

// Has reports whether jwtgen has a record of writing p.
func (m manifest) Has(p string) bool { _, ok := m[p]; return ok }

// Matches reports whether content is exactly what jwtgen last wrote at p.
func (m manifest) Matches(p string, content []byte) bool {
	h, ok := m[p]
	return ok && h == hash(content)
}

// Paths returns the recorded paths, sorted.
func (m manifest) Paths() []string { return slices.Sorted(maps.Keys(m)) }

// NewManifest records the generated files among files.
func newManifest(files []file) manifest {
	m := manifest{}
	for _, f := range files {
		if f.Owner == generated {
			m[f.Path] = hash(f.Content)
		}
	}
	return m
}

// Marshal renders the manifest in the format of go.sum: hash, two spaces,
// path, one line per file, sorted by path.
func (m manifest) Marshal() []byte { return m.marshal(nil) }

// modulePrefix starts the lines that name a module jwtgen added to go.mod,
// so that it can drop the module again once nothing imports it.
const modulePrefix = "module  "

// marshal is Marshal followed by one line per module jwtgen added to go.mod.
func (m manifest) marshal(modules []string) []byte {
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
func parseManifest(data []byte) (manifest, error) {
	m := manifest{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, modulePrefix) {
			continue
		}
		h, p, ok := strings.Cut(line, "  ")
		if _, err := hex.DecodeString(h); !ok || err != nil || len(h) != 64 || p == "" {
			return nil, fmt.Errorf("%s:%d: malformed line %q (want: <sha256 hex>  <path>)", manifestFile, n, line)
		}
		m[p] = h
	}
	return m, sc.Err()
}

// ReadManifest reads the manifest from the module root; a missing manifest
// is an empty one.
func readManifest(root string) (manifest, error) {
	data, err := os.ReadFile(root + string(os.PathSeparator) + manifestFile)
	if errors.Is(err, fs.ErrNotExist) {
		return manifest{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", manifestFile, err)
	}
	return parseManifest(data)
}
