package generator

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func gen(p, body string) file {
	return file{Path: p, Owner: generated, Content: []byte(header + "\n\n" + body)}
}

func scaffold(p, body string) file {
	return file{Path: p, Owner: scaffolded, Content: []byte(body)}
}

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, body := range files {
		name := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readTree(t *testing.T, root string) map[string]string {
	t.Helper()
	tree := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		tree[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func actions(changes []fileChange) map[string]action {
	m := map[string]action{}
	for _, c := range changes {
		m[c.Path] = c.Action
	}
	return m
}

// changesCase is a project on disk, the manifest of the last write and the
// files a run renders, for changes to classify (want) or refuse as a
// conflict (wantEdited, wantForeign).
type changesCase struct {
	name        string
	disk        map[string]string
	last        manifest
	files       []file
	force       bool
	want        map[string]action
	wantEdited  []string
	wantForeign []string
}

// changes writes the case's disk into a new directory and runs changes on
// it.
func (c changesCase) changes(t *testing.T) ([]fileChange, error) {
	t.Helper()
	root := t.TempDir()
	writeTree(t, root, c.disk)
	return changes(root, c.files, c.last, c.force)
}

func TestChangesClassifiesEveryFile(t *testing.T) {
	old := gen("a/old.go", "package a // v1\n")
	tests := []changesCase{
		{
			name:  "new files are created",
			files: []file{gen("a/x.go", "package a\n"), scaffold("a/hooks.go", "package a\n")},
			want:  map[string]action{"a/x.go": actCreate, "a/hooks.go": actCreate},
		},
		{
			name:  "same bytes are identical",
			disk:  map[string]string{"a/x.go": header + "\n\npackage a\n"},
			files: []file{gen("a/x.go", "package a\n")},
			want:  map[string]action{"a/x.go": actIdentical},
		},
		{
			name:  "unedited generated file is updated",
			disk:  map[string]string{"a/old.go": string(old.Content)},
			last:  newManifest([]file{old}),
			files: []file{gen("a/old.go", "package a // v2\n")},
			want:  map[string]action{"a/old.go": actUpdate},
		},
		{
			name:  "edited generated file is overwritten with force",
			disk:  map[string]string{"a/old.go": string(old.Content) + "// mine\n"},
			last:  newManifest([]file{old}),
			files: []file{gen("a/old.go", "package a // v2\n")},
			force: true,
			want:  map[string]action{"a/old.go": actUpdate},
		},
		{
			name:  "scaffolded file is kept even with force",
			disk:  map[string]string{"a/hooks.go": "package a // user code\n"},
			files: []file{scaffold("a/hooks.go", "package a\n")},
			force: true,
			want:  map[string]action{"a/hooks.go": actSkip},
		},
		{
			name:  "unedited stale generated file is deleted",
			disk:  map[string]string{"a/old.go": string(old.Content)},
			last:  newManifest([]file{old}),
			files: []file{gen("a/x.go", "package a\n")},
			want:  map[string]action{"a/x.go": actCreate, "a/old.go": actDelete},
		},
		{
			name:  "edited stale generated file is left in place",
			disk:  map[string]string{"a/old.go": string(old.Content) + "// mine\n"},
			last:  newManifest([]file{old}),
			files: []file{gen("a/x.go", "package a\n")},
			want:  map[string]action{"a/x.go": actCreate, "a/old.go": actSkip},
		},
		{
			name:  "stale file whose header was removed is left in place",
			disk:  map[string]string{"a/old.go": "package a // v1\n"},
			last:  newManifest([]file{old}),
			files: nil,
			want:  map[string]action{"a/old.go": actSkip},
		},
		{
			name:  "stale record of a file already gone is dropped",
			last:  newManifest([]file{old}),
			files: nil,
			want:  map[string]action{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changes, err := tt.changes(t)
			if err != nil {
				t.Fatalf("Changes: %v", err)
			}
			got := actions(changes)
			if len(got) != len(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			for p, a := range tt.want {
				if got[p] != a {
					t.Errorf("%s: got %q, want %q", p, got[p], a)
				}
			}
		})
	}
}

func TestChangesRefusesConflicts(t *testing.T) {
	old := gen("a/old.go", "package a // v1\n")
	tests := []changesCase{
		{
			name:       "generated file edited by hand",
			disk:       map[string]string{"a/old.go": string(old.Content) + "// mine\n"},
			last:       newManifest([]file{old}),
			files:      []file{gen("a/old.go", "package a // v2\n")},
			wantEdited: []string{"a/old.go"},
		},
		{
			name:       "headed file without a record (manifest lost) counts as edited",
			disk:       map[string]string{"a/old.go": string(old.Content)},
			files:      []file{gen("a/old.go", "package a // v2\n")},
			wantEdited: []string{"a/old.go"},
		},
		{
			name:        "a file jwtgen never wrote",
			disk:        map[string]string{"a/x.go": "package a // the user's\n"},
			files:       []file{gen("a/x.go", "package a\n")},
			wantForeign: []string{"a/x.go"},
		},
		{
			name:        "a file jwtgen never wrote, even with force",
			disk:        map[string]string{"a/x.go": "package a // the user's\n"},
			files:       []file{gen("a/x.go", "package a\n")},
			force:       true,
			wantForeign: []string{"a/x.go"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.changes(t)
			var ce *conflictError
			if !errors.As(err, &ce) {
				t.Fatalf("Changes: got %v, want a ConflictError", err)
			}
			if !slices.Equal(ce.Edited, tt.wantEdited) || !slices.Equal(ce.Foreign, tt.wantForeign) {
				t.Errorf("conflict = %+v, want edited %v foreign %v", ce, tt.wantEdited, tt.wantForeign)
			}
			for _, p := range append(tt.wantEdited, tt.wantForeign...) {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("error %q does not name %s", err, p)
				}
			}
		})
	}
}

func TestChangesRefusesPathsOutsideTheRoot(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"../x.go", "/etc/x.go", "a/../../x.go", "link/x.go", "link/deeper/x.go"} {
		t.Run(p, func(t *testing.T) {
			_, err := changes(root, []file{gen(p, "package x\n")}, manifest{}, true)
			if err == nil || !strings.Contains(err.Error(), "outside the module") {
				t.Fatalf("Changes accepted %s: %v", p, err)
			}
		})
	}
}

func TestChangesReportsUnreadableTarget(t *testing.T) {
	root := t.TempDir()
	// A directory where a file should be cannot be read, even by root.
	if err := os.MkdirAll(filepath.Join(root, "a", "x.go"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := changes(root, []file{gen("a/x.go", "package a\n")}, manifest{}, false)
	if err == nil || !strings.Contains(err.Error(), "reading a/x.go") {
		t.Fatalf("Changes = %v, want an error reading a/x.go", err)
	}
}

func TestApplyWritesDeletesAndKeepsUnchangedFilesUntouched(t *testing.T) {
	root := t.TempDir()
	old := gen("pkg/old.go", "package pkg // old\n")
	same := gen("pkg/same.go", "package pkg\n")
	writeTree(t, root, map[string]string{"pkg/old.go": string(old.Content), "pkg/same.go": string(same.Content), "pkg/hooks.go": "package pkg // mine\n"})
	past := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(filepath.Join(root, "pkg/same.go"), past, past); err != nil {
		t.Fatal(err)
	}
	files := []file{same, gen("pkg/new/new.go", "package new\n"), scaffold("pkg/hooks.go", "package pkg\n")}
	changes, err := changes(root, files, newManifest([]file{old, same}), false)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := apply(root, changes)
	if err != nil {
		t.Fatal(err)
	}
	if stats != (WriteStats{Written: 1, Deleted: 1, Unchanged: 1}) {
		t.Errorf("stats = %+v", stats)
	}
	tree := readTree(t, root)
	want := map[string]string{
		"pkg/same.go":    string(same.Content),
		"pkg/new/new.go": header + "\n\npackage new\n",
		"pkg/hooks.go":   "package pkg // mine\n",
	}
	if len(tree) != len(want) {
		t.Errorf("tree = %v", tree)
	}
	for p, body := range want {
		if tree[p] != body {
			t.Errorf("%s = %q, want %q", p, tree[p], body)
		}
	}
	fi, err := os.Stat(filepath.Join(root, "pkg/same.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !fi.ModTime().Equal(past) {
		t.Errorf("identical file was rewritten: mtime %v, want %v", fi.ModTime(), past)
	}
}

func TestApplyRemovesDirectoriesEmptiedByDeletion(t *testing.T) {
	root := t.TempDir()
	old := gen("old/auth/x.go", "package auth\n")
	writeTree(t, root, map[string]string{"old/auth/x.go": string(old.Content)})
	changes, err := changes(root, nil, newManifest([]file{old}), false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apply(root, changes); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "old")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("emptied directory old/ left behind: %v", err)
	}
}

// TestApplyWritesNothingWhenOneTargetFails makes the last of several
// targets impossible to create and checks that no other file appeared.
func TestApplyWritesNothingWhenOneTargetFails(t *testing.T) {
	root := t.TempDir()
	// "b" is a file, so nothing can be created under b/.
	writeTree(t, root, map[string]string{"b": "not a directory\n"})
	var changes []fileChange
	for _, f := range []file{gen("a/one.go", "package a\n"), gen("a/deep/two.go", "package deep\n"), gen("b/three.go", "package b\n")} {
		changes = append(changes, fileChange{Path: f.Path, Action: actCreate, Owner: generated, New: f.Content})
	}
	if _, err := apply(root, changes); err == nil {
		t.Fatal("Apply succeeded although b/ cannot be a directory")
	}
	tree := readTree(t, root)
	if len(tree) != 1 || tree["b"] == "" {
		t.Errorf("a failed Apply left files behind: %v", tree)
	}
	if _, err := os.Stat(filepath.Join(root, "a")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed Apply left directory a/ behind")
	}
}

func TestApplyKeepsFileMode(t *testing.T) {
	root := t.TempDir()
	old := gen("x.go", "package x // 1\n")
	writeTree(t, root, map[string]string{"x.go": string(old.Content)})
	if err := os.Chmod(filepath.Join(root, "x.go"), 0o600); err != nil {
		t.Fatal(err)
	}
	changes, err := changes(root, []file{gen("x.go", "package x // 2\n")}, newManifest([]file{old}), false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apply(root, changes); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(root, "x.go"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
}

func TestManifestRoundTrip(t *testing.T) {
	m := newManifest([]file{gen("b.go", "package b\n"), gen("a.go", "package a\n"), scaffold("hooks.go", "package a\n")})
	if m.Has("hooks.go") {
		t.Error("scaffolded files must not be recorded")
	}
	got, err := parseManifest(m.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Paths(), []string{"a.go", "b.go"}) || got["a.go"] != m["a.go"] {
		t.Errorf("round trip: %v, want %v", got, m)
	}
	if _, err := parseManifest([]byte("not-a-hash  a.go\n")); err == nil {
		t.Error("malformed manifest accepted")
	}
}
