package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/jwtgen/jwtgen/doctor"
	"github.com/jwtgen/jwtgen/generator"
)

// errFindings makes doctor exit non-zero without printing more.
var errFindings = errors.New("production foot-guns found")

func newDoctorCmd() *cobra.Command {
	var rotation string
	cmd := &cobra.Command{
		Use:   "doctor [dir]",
		Short: "Report production foot-guns: weak HS256 secrets, stale keys, insecure cookies, plain-http URLs, rate limits off...",
		Long: `doctor reads jwtgen.yaml, the keyring (JWT_KEYRING) and the environment the
example server reads (PUBLIC_URL, AUTH_*, SMTP_URL...), as the service will
run with them, and reports what would hurt in production, each finding with
its fix. It exits 1 when any finding is an error, so CI and deploy scripts
can gate on it; warnings alone exit 0.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			policy, err := parseDays(rotation)
			if err != nil {
				return fmt.Errorf("--rotation: %w", err)
			}
			p, err := generator.FindProject(dirArg(args))
			if err != nil {
				return err
			}
			cfg, err := p.LoadConfig()
			if err != nil {
				return err
			}
			findings := doctor.Check(doctor.Input{Config: cfg, Getenv: os.Getenv, Rotation: policy, Now: time.Now()})
			failed := false
			for _, f := range findings {
				fmt.Fprintln(cmd.OutOrStdout(), f)
				failed = failed || f.Level == doctor.Error
			}
			if len(findings) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "no findings")
			}
			if failed {
				return errFindings
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&rotation, "rotation", "90d", "rotation policy: a current key older than this is reported")
	return cmd
}
