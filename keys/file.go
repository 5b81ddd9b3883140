package keys

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"
)

// Read reads and checks a keyring file.
func Read(path string) (*Ring, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// Create writes r to a new file at path, mode 0600. It never replaces an
// existing file: the content goes to a temporary file in the same directory
// that is then hard-linked into place, which fails if path exists.
func Create(path string, r *Ring) error {
	tmp, err := writeTemp(path, r)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s exists: refusing to overwrite a keyring (rotate it with jwtgen keys rotate)", path)
		}
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Replace atomically replaces the keyring at path with r (a temporary file
// renamed over it), mode 0600: a reader sees the old file or the new one,
// never a part.
func Replace(path string, r *Ring) error {
	tmp, err := writeTemp(path, r)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("replace %s: %w", path, err)
	}
	return nil
}

func writeTemp(path string, r *Ring) (string, error) {
	data, err := r.Marshal()
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	name := f.Name()
	// CreateTemp makes the file 0600; Chmod makes sure whatever the umask.
	if err := f.Chmod(0o600); err == nil {
		if _, err = f.Write(data); err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			return name, nil
		}
	} else {
		f.Close()
	}
	os.Remove(name)
	return "", fmt.Errorf("write %s: %w", path, err)
}

// Show writes one line per key: kid, alg, state and dates. Secret
// material is never written.
func Show(w io.Writer, r *Ring) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KID\tALG\tSTATE\tCREATED\tACTIVATED\tRETIRED")
	for _, k := range r.Keys {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, r.Alg, k.State, date(k.CreatedAt), date(k.ActivatedAt), date(k.RetiredAt))
	}
	return tw.Flush()
}

func date(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
