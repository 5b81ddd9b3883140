// Package doctor reads a project's jwtgen.yaml, its keyring and the
// environment its example server reads, and reports what would hurt in
// production, each finding with its fix.
package doctor

import (
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/jwtgen/jwtgen/generator"
	"github.com/jwtgen/jwtgen/keys"
)

// Level is how bad a finding is: errors fail the check (non-zero exit).
type Level string

const (
	Error   Level = "error"
	Warning Level = "warning"
)

// Finding is one problem and how to fix it.
type Finding struct {
	Level Level
	Code  string // stable, for scripts: e.g. "hs256-secret-weak"
	What  string
	Fix   string
}

func (f Finding) String() string {
	return fmt.Sprintf("%s %s: %s\n  fix: %s", f.Level, f.Code, f.What, f.Fix)
}

// DefaultRotation is the rotation policy when none is given: a current key
// older than this should be rotated.
const DefaultRotation = 90 * 24 * time.Hour

// Input is what the doctor examines.
type Input struct {
	Config generator.Config
	// Getenv reads the environment the service runs with.
	Getenv func(string) string
	// Rotation is the key rotation policy (DefaultRotation when 0).
	Rotation time.Duration
	Now      time.Time
}

// Check returns the findings, errors first.
func Check(in Input) []Finding {
	if in.Rotation == 0 {
		in.Rotation = DefaultRotation
	}
	var fs []Finding
	add := func(l Level, code, what, fix string) { fs = append(fs, Finding{l, code, what, fix}) }
	env := in.Getenv
	c := in.Config
	verifier := c.Role == "verifier"

	// Signing keys.
	switch ring := env("JWT_KEYRING"); {
	case ring != "":
		checkKeyring(ring, c.Alg, in, add)
	case c.Alg == "HS256" && env("JWT_SECRET") != "" && !verifier:
		if err := keys.CheckSecret([]byte(env("JWT_SECRET"))); err != nil {
			add(Error, "hs256-secret-weak", "JWT_SECRET: "+err.Error(), "set JWT_SECRET to the output of `openssl rand -base64 48`, or better use a keyring: `jwtgen keys generate --alg HS256 --out keyring.json` and JWT_KEYRING")
		} else {
			add(Warning, "no-keyring", "JWT_SECRET holds one HS256 secret: it cannot be rotated without signing everybody out", "move to a keyring file: `jwtgen keys generate --alg HS256 --out keyring.json` and set JWT_KEYRING")
		}
	case c.Alg != "HS256" && verifier:
		// A verifier of an asymmetric algorithm reads the JWKS.
	default:
		add(Error, "no-signing-key", "JWT_KEYRING is not set: the example server would sign with a throw-away development key", fmt.Sprintf("`jwtgen keys generate --alg %s --out keyring.json` and set JWT_KEYRING to its path", c.Alg))
	}

	if verifier {
		checkVerifier(in, add)
		return sorted(fs)
	}

	// The public URL and what sits in front of the service.
	public := env("PUBLIC_URL")
	u, err := url.Parse(public)
	switch {
	case public == "":
		add(Error, "public-url-not-https", "PUBLIC_URL is not set: the issuer and redirect URIs default to http://ADDR", "set PUBLIC_URL to the https:// URL clients use")
	case err != nil || u.Scheme != "https":
		add(Error, "public-url-not-https", fmt.Sprintf("PUBLIC_URL %q is not https: tokens and cookies would cross the network in clear", public), "serve the service over https and set PUBLIC_URL to its https:// URL")
	case env("AUTH_TRUSTED_PROXIES") == "":
		add(Warning, "no-trusted-proxies", "PUBLIC_URL is https while the service listens in plain HTTP, so a proxy terminates TLS, but AUTH_TRUSTED_PROXIES is empty: every client looks like the proxy, and rate limits throttle all users as one", "set AUTH_TRUSTED_PROXIES to the proxy's addresses (CIDRs), e.g. 10.0.0.0/8")
	}

	if (c.Transport == "cookie" || c.Transport == "both") && env("AUTH_INSECURE_DEV_COOKIES") == "1" {
		add(Error, "insecure-dev-cookies", "AUTH_INSECURE_DEV_COOKIES=1: cookies lose Secure and their __Host-/__Secure- names", "unset AUTH_INSECURE_DEV_COOKIES; it is for plain-http development only")
	}

	for _, limit := range []struct {
		name  string
		level Level
	}{{"AUTH_LOGIN_LIMIT", Error}, {"AUTH_ACCOUNT_LIMIT", Error}, {"AUTH_REFRESH_LIMIT", Warning}} {
		if strings.EqualFold(strings.TrimSpace(env(limit.name)), "off") {
			add(limit.level, "rate-limit-off", limit.name+"=off: nothing slows down password guessing or token abuse", "unset "+limit.name+" (the defaults are 5/1m for logins, 60/1m for refreshes) or set a rate such as 5/1m")
		}
	}

	if slices.Contains(c.Features, "accounts") && env("SMTP_URL") == "" {
		add(Error, "smtp-unset", "the accounts feature is on but SMTP_URL is not set: verification and password-reset mails only reach the log", "set SMTP_URL=smtps://user:pass@host:465 (or smtp:// with STARTTLS)")
	}
	return sorted(fs)
}

// checkKeyring examines the keyring file at path.
func checkKeyring(path, alg string, in Input, add func(Level, string, string, string)) {
	fi, err := os.Stat(path)
	if err != nil {
		add(Error, "keyring-invalid", fmt.Sprintf("JWT_KEYRING %s: %v", path, err), "point JWT_KEYRING at the keyring file (`jwtgen keys generate` writes one)")
		return
	}
	if fi.Mode().Perm()&0o077 != 0 {
		add(Warning, "keyring-readable", fmt.Sprintf("%s is readable by other users (mode %04o)", path, fi.Mode().Perm()), "chmod 600 it (Kubernetes: defaultMode: 0400 on the secret volume)")
	}
	r, err := keys.Read(path)
	if err != nil {
		add(Error, "keyring-invalid", err.Error(), "fix the file, or write a new one with `jwtgen keys generate`")
		return
	}
	if r.Alg != alg {
		add(Error, "keyring-invalid", fmt.Sprintf("%s holds %s keys; jwtgen.yaml says alg: %s", path, r.Alg, alg), fmt.Sprintf("`jwtgen keys generate --alg %s --out keyring.json`", alg))
		return
	}
	hasNext := false
	for _, k := range r.Keys {
		switch k.State {
		case keys.Next:
			hasNext = true
		case keys.Current:
			since := k.ActivatedAt
			if since == nil {
				since = k.CreatedAt
			}
			if since != nil && in.Now.Sub(*since) > in.Rotation {
				add(Warning, "keyring-current-old", fmt.Sprintf("the current key %s has signed since %s, longer than the rotation policy (%s)", k.ID, since.Format(time.DateOnly), in.Rotation), "`jwtgen keys rotate "+path+"`, deploy, and prune later")
			}
		}
	}
	if !hasNext {
		add(Warning, "keyring-no-next", path+" has no next key: the next rotation cannot use a key that verifiers already know", "`jwtgen keys rotate --add-next "+path+"`, deploy, and rotate after the JWKS cache time")
	}
}

// checkVerifier examines a verifying service's environment.
func checkVerifier(in Input, add func(Level, string, string, string)) {
	env := in.Getenv
	issuer := env("AUTH_ISSUER")
	if u, err := url.Parse(issuer); issuer == "" || err != nil || u.Scheme != "https" {
		add(Error, "issuer-not-https", fmt.Sprintf("AUTH_ISSUER %q is not an https URL", issuer), "set AUTH_ISSUER to the auth server's https:// issuer")
	}
	if env("AUTH_AUDIENCE") == "" {
		add(Error, "audience-unset", "AUTH_AUDIENCE is not set: the verifier cannot tell tokens for this service from tokens for another", "set AUTH_AUDIENCE to the audience the auth server issues this service's tokens for")
	}
	if jwks := env("AUTH_JWKS_URL"); jwks != "" && !strings.HasPrefix(jwks, "https://") {
		add(Error, "jwks-not-https", fmt.Sprintf("AUTH_JWKS_URL %q is not https: whoever sits on the path could hand out keys", jwks), "use the auth server's https:// JWKS URL")
	}
}

func sorted(fs []Finding) []Finding {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if a.Level == b.Level {
			return 0
		}
		if a.Level == Error {
			return -1
		}
		return 1
	})
	return fs
}
