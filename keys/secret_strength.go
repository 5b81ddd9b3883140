package keys

import (
	"fmt"
	"math"
	"strings"
)

// CheckSecret refuses an HS256 secret that is not plausibly 256 bits of
// randomness. Every HS256 token lets whoever holds one test guesses of the
// secret offline, at billions a second, so entropy is the only defence: a
// long secret made of words, repeats or sequences falls to a word list. No
// test can prove randomness; this one refuses what random generators do not
// produce (an estimate under 256 bits for the characters used, few
// distinct characters, a repeated run, a sequence, words) and accepts the
// output of `openssl rand -base64 32`, `-base64 48` and `-hex 32`, and raw
// random bytes.
func CheckSecret(secret []byte) error {
	const fix = "generate one with `openssl rand -base64 48`"
	if len(secret) < MinSecretLen {
		return fmt.Errorf("secret is %d bytes; it must be at least %d random bytes: %s", len(secret), MinSecretLen, fix)
	}
	if why := notRandom(secret); why != "" {
		return fmt.Errorf("secret does not look random (%s); anyone holding one token can test guesses of it offline, so it must be at least %d random bytes: %s", why, MinSecretLen, fix)
	}
	return nil
}

// Thresholds that output of a random generator meets except with a
// negligible probability (about 1 in 10^9 for 64 hex digits, the weakest
// usual form, far less for base64: a check that refuses one genuine secret
// in ten thousand would refuse real deployments), while material chosen by
// people rarely does.
const (
	minSecretBits     = 256
	minDistinctBytes  = 12
	maxRepeatedRun    = 9 // a run of 10 characters seen twice is refused
	maxSequenceRun    = 9 // 10 characters each one above (or below) the last
	minWordLikeChunks = 3 // e.g. "my-jwt-secret"
	// Word-like parts must also hold at least half of the secret's bytes:
	// three short ones turn up in random base64 about once in 300,000
	// secrets (enough to fail a deploy somewhere every day), while parts
	// covering half of a 44-character base64 secret come about once in
	// 10^9; the passphrases this rule is for are mostly words.
	minWordLikeShare = 2 // 1/minWordLikeShare of the secret
)

// commonSecretWords are words found in hand-made secrets, six letters or
// more and matched as people write them (lower case, capitalised or upper
// case), so random base64 practically never contains one.
var commonSecretWords = []string{
	"secret", "password", "passwd", "changeme", "change", "example", "default",
	"letmein", "qwerty", "signing", "private", "production",
	"staging", "development", "sample", "jwtsecret", "supersecret",
}

// notRandom says why secret does not look random, or returns "".
func notRandom(secret []byte) string {
	if bits := estimatedBits(secret); bits < minSecretBits {
		return fmt.Sprintf("about %d bits for its length and characters, %d needed", bits, minSecretBits)
	}
	var seen [256]bool
	distinct := 0
	for _, c := range secret {
		if !seen[c] {
			seen[c] = true
			distinct++
		}
	}
	if distinct < minDistinctBytes {
		return fmt.Sprintf("only %d distinct characters", distinct)
	}
	if hasRepeatedRun(secret, maxRepeatedRun+1) {
		return fmt.Sprintf("a run of %d characters appears twice", maxRepeatedRun+1)
	}
	if hasSequence(secret, maxSequenceRun+1) {
		return "a sequence such as abcdef or 012345"
	}
	for _, w := range commonSecretWords {
		for _, form := range []string{w, strings.ToUpper(w[:1]) + w[1:], strings.ToUpper(w)} {
			if strings.Contains(string(secret), form) {
				return "a common word"
			}
		}
	}
	if chunks, letters := wordLikeChunks(secret); chunks >= minWordLikeChunks && letters*minWordLikeShare >= len(secret) {
		return "words joined by separators"
	}
	return ""
}

// estimatedBits is the entropy of secret if each byte were drawn at random
// from the smallest usual alphabet that holds all of them: hex digits,
// else the union of lower case, upper case, digits, other printable ASCII,
// and any byte for the rest.
func estimatedBits(secret []byte) int {
	var lower, upper, digit, punct, other, hexLetter bool
	for _, c := range secret {
		switch {
		case c >= 'a' && c <= 'z':
			lower = true
			hexLetter = hexLetter || c <= 'f'
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= '0' && c <= '9':
			digit = true
		case c >= ' ' && c <= '~':
			punct = true
		default:
			other = true
		}
	}
	alphabet := 0
	switch {
	case other:
		alphabet = 256
	case !upper && !punct && hexLetter && onlyHex(secret):
		alphabet = 16
	default:
		if lower {
			alphabet += 26
		}
		if upper {
			alphabet += 26
		}
		if digit {
			alphabet += 10
		}
		if punct {
			alphabet += 33
		}
	}
	return int(float64(len(secret)) * math.Log2(float64(alphabet)))
}

func onlyHex(s []byte) bool {
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// hasRepeatedRun reports whether some run of n bytes occurs twice
// (overlapping occurrences count, so "aaaaaaa" repeats "aaaaaa").
func hasRepeatedRun(s []byte, n int) bool {
	seen := map[string]bool{}
	for i := 0; i+n <= len(s); i++ {
		run := string(s[i : i+n])
		if seen[run] {
			return true
		}
		seen[run] = true
	}
	return false
}

// hasSequence reports whether n consecutive bytes each differ from the
// previous one by +1, or each by -1.
func hasSequence(s []byte, n int) bool {
	for _, step := range []int{1, -1} {
		run := 1
		for i := 1; i < len(s); i++ {
			if int(s[i])-int(s[i-1]) == step {
				run++
				if run >= n {
					return true
				}
			} else {
				run = 1
			}
		}
	}
	return false
}

// wordLikeChunks counts the parts of secret, split at the printable ASCII
// characters people put between words (space, punctuation), that are three
// or more lower-case letters, possibly capitalised ("my-Super-secret-key"
// has four), and the bytes they hold. Control and non-ASCII bytes stay inside a part and make it
// unlike a word: splitting at them too refused about one random 32-byte
// secret in 55,000, whose letters fall between such bytes by chance.
func wordLikeChunks(secret []byte) (chunks, letters int) {
	for _, chunk := range strings.FieldsFunc(string(secret), func(r rune) bool {
		return r >= ' ' && r <= '~' && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		if len(chunk) >= 3 && isWordLike(chunk) {
			chunks++
			letters += len(chunk)
		}
	}
	return chunks, letters
}

func isWordLike(chunk string) bool {
	for i, r := range chunk {
		if !(r >= 'a' && r <= 'z' || i == 0 && r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
