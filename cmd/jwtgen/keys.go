package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/jwtgen/jwtgen/keys"
)

func newKeysCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Generate, rotate, prune and show keyring files (JWT_KEYRING)",
		Long: `A keyring file holds the module's signing keys in three states: next
(published in the JWKS, not signing yet), current (signs; exactly one) and
retired (verifies the tokens it signed until pruned). Rotate on a schedule:
each rotation makes the next key current, retires the current one and adds a
new next key; the running service reloads the file on SIGHUP or when it
changes. Keys come from crypto/rand; files are written with mode 0600.`,
	}
	cmd.AddCommand(newKeysGenerateCmd(), newKeysRotateCmd(), newKeysPruneCmd(), newKeysShowCmd())
	return cmd
}

func newKeysGenerateCmd() *cobra.Command {
	var (
		alg, out string
		o        keys.Options
	)
	cmd := &cobra.Command{
		Use:   "generate --alg ALG --out FILE",
		Short: "Write a new keyring with one current and one next key (never over an existing file)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return errors.New("--out FILE is required")
			}
			r, err := keys.Generate(alg, o, time.Now())
			if err != nil {
				return err
			}
			if err := keys.Create(out, r); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (mode 0600): %s keyring, current %s, next %s\n", out, alg, r.Keys[0].ID, r.Keys[1].ID)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&alg, "alg", "", "signing algorithm: "+strings.Join(keys.Algorithms, ", "))
	f.StringVar(&out, "out", "", "keyring file to create")
	f.IntVar(&o.RSABits, "bits", keys.DefaultRSABits, "RSA modulus size for RS256")
	_ = cmd.MarkFlagRequired("alg")
	return cmd
}

func newKeysRotateCmd() *cobra.Command {
	var (
		addNext bool
		o       keys.Options
	)
	cmd := &cobra.Command{
		Use:   "rotate FILE",
		Short: "Make the next key current, retire the current key, add a new next key",
		Long: `rotate makes the next key current, the current key retired (only its public
part is kept for asymmetric algorithms) and adds a new next key, then
replaces FILE atomically. A keyring without a next key (the format before
key states may have none) gets one with --add-next: deploy that file, let
JWKS caches learn the key, then rotate.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := args[0]
			r, err := keys.Read(path)
			if err != nil {
				return err
			}
			now := time.Now()
			if addNext {
				err = r.AddNext(o, now)
			} else {
				err = r.Rotate(o, now)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			if err := keys.Replace(path, r); err != nil {
				return err
			}
			return keys.Show(cmd.OutOrStdout(), r)
		},
	}
	cmd.Flags().BoolVar(&addNext, "add-next", false, "only add a next key (to a keyring that has none)")
	cmd.Flags().IntVar(&o.RSABits, "bits", keys.DefaultRSABits, "RSA modulus size of the new RS256 key")
	return cmd
}

func newKeysPruneCmd() *cobra.Command {
	var olderThan string
	cmd := &cobra.Command{
		Use:   "prune FILE --older-than DURATION",
		Short: "Drop retired keys retired longer ago than DURATION",
		Long: `prune drops the retired keys retired longer ago than DURATION (a Go duration,
or days as 14d). Tokens they signed stop verifying: DURATION must be at
least the longest token lifetime, the refresh token's (7d by default).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if olderThan == "" {
				return errors.New("--older-than DURATION is required (at least the refresh token lifetime, e.g. 7d)")
			}
			d, err := parseDays(olderThan)
			if err != nil {
				return fmt.Errorf("--older-than: %w", err)
			}
			path := args[0]
			r, err := keys.Read(path)
			if err != nil {
				return err
			}
			dropped, kept := r.Prune(d, time.Now())
			for _, kid := range kept {
				fmt.Fprintf(cmd.ErrOrStderr(), "kept retired key %s: it has no retired_at date\n", kid)
			}
			if len(dropped) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "nothing to prune")
				return nil
			}
			if err := keys.Replace(path, r); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "pruned %s\n", strings.Join(dropped, ", "))
			return nil
		},
	}
	cmd.Flags().StringVar(&olderThan, "older-than", "", "drop keys retired longer ago than this (e.g. 7d, 168h)")
	return cmd
}

func newKeysShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show FILE",
		Short: "List kid, alg, state and dates of every key (never secret material)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := keys.Read(args[0])
			if err != nil {
				return err
			}
			return keys.Show(cmd.OutOrStdout(), r)
		},
	}
}

// parseDays is time.ParseDuration that also reads whole days ("14d").
func parseDays(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 {
			return 0, fmt.Errorf("%q: want a duration such as 7d or 168h", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q: want a duration such as 7d or 168h", s)
	}
	return d, nil
}
