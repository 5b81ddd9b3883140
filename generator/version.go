package generator

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"
)

// ModulePath is jwtgen's own module path.
const modulePath = "github.com/jwtgen/jwtgen"

// ToolPath is the package `go tool jwtgen` runs.
const toolPath = modulePath + "/cmd/jwtgen"

// devVersion names a jwtgen built from a source checkout rather than
// installed from a released module version.
const devVersion = "v0.1.0-dev"

// Version returns the running jwtgen's version: the module version when it
// was installed from a release (go install, go get -tool), else devVersion.
func Version() string {
	if v := releaseVersion(); v != "" {
		return v
	}
	return devVersion
}

// releaseVersion returns jwtgen's module version from the build info when it
// is a real release (not a checkout, not replaced), else "".
func releaseVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	mods := append([]*debug.Module{&bi.Main}, bi.Deps...)
	for _, m := range mods {
		if m.Path == modulePath && m.Replace == nil && semver.IsValid(m.Version) && !isZeroPseudo(m.Version) {
			return m.Version
		}
	}
	return ""
}

func isZeroPseudo(v string) bool { return v == "v0.0.0-00010101000000-000000000000" }

// SourceEnv names the environment variable that points at a jwtgen source
// checkout, for init to wire `go tool jwtgen` to it.
const SourceEnv = "JWTGEN_SOURCE"

// SourceDir finds the jwtgen source checkout this binary was built from:
// override (init's --source) or $JWTGEN_SOURCE when set, else the directory
// the compiler recorded for this package (absent with -trimpath). The
// directory must hold jwtgen's go.mod.
func sourceDir(override string) (string, error) {
	if override != "" {
		return checkSource(override, "--source")
	}
	if dir := os.Getenv(SourceEnv); dir != "" {
		return checkSource(dir, SourceEnv)
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return "", fmt.Errorf("cannot tell where jwtgen's source checkout is (built with -trimpath?); pass --source or set %s to it", SourceEnv)
	}
	return checkSource(filepath.Dir(filepath.Dir(file)), "the build")
}

// fixSource says how to point at a jwtgen checkout, by where the wrong one
// came from.
func fixSource(from string) string {
	if from == "--source" {
		return "pass --source the directory of a jwtgen checkout (the one holding its go.mod), relative to the current directory"
	}
	return "set " + SourceEnv + " to a jwtgen checkout, or pass --source"
}

func checkSource(dir, from string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	data, err := os.ReadFile(filepath.Join(abs, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("jwtgen checkout %s (from %s): %w; %s", abs, from, err, fixSource(from))
	}
	if modfile.ModulePath(data) != modulePath {
		return "", errors.New("jwtgen checkout " + abs + " (from " + from + "): go.mod is not module " + modulePath + "; " + fixSource(from))
	}
	return abs, nil
}
