package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/jwtgen/jwtgen/generator"
)

// newRootCmd builds the command tree. ask is nil when there is no terminal
// to prompt on.
func newRootCmd(ask generator.Prompter) *cobra.Command {
	root := &cobra.Command{
		Use:           "jwtgen",
		Short:         "Write a JWT authentication package into a Go project",
		Long:          "jwtgen writes a JWT authentication package (tokens, sessions with rotation and reuse detection, handlers, middleware and their tests) into a Go project, from the choices in jwtgen.yaml.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       generator.Version(),
	}
	root.SetVersionTemplate("jwtgen {{.Version}}\n")
	root.AddCommand(newInitCmd(ask), newGenerateCmd(), newUpgradeCmd(ask), newVersionCmd(), newKeysCmd(), newDoctorCmd())
	return root
}

func newInitCmd(ask generator.Prompter) *cobra.Command {
	var (
		cfg        = generator.Defaults()
		yes        bool
		source     string
		presetFile string
	)
	cmd := &cobra.Command{
		Use:   "init [dir]",
		Short: "Add the auth package to a module, or create a module with an example server in an empty directory",
		Long: `init asks for every choice no flag answered (only on a terminal; --yes takes
the defaults), writes jwtgen.yaml, renders the package, adds a go:generate
line that reruns jwtgen through ` + "`go tool`" + `, and adds the requirements the
package needs to go.mod, so that go build ./... and go test ./... pass.

In an empty directory it also creates go.mod (module path from --module, else
the directory name) and a runnable example server.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			set := map[string]bool{}
			cmd.Flags().Visit(func(f *pflag.Flag) { set[f.Name] = true })
			for _, o := range generator.Flags() {
				if set[o.Name] {
					cfg.Set(o.Name, cmd.Flags().Lookup(o.Name).Value.String())
				}
			}
			return generator.Init(generator.InitOptions{
				Dir:    dirArg(args),
				Config: cfg,
				Set:    set,
				Yes:    yes,
				Ask:    ask,
				Source: source,
				Preset: presetFile,
				Stdout: cmd.OutOrStdout(),
				Stderr: cmd.ErrOrStderr(),
			})
		},
	}
	f := cmd.Flags()
	// One flag per option of jwtgen.yaml, from the option registry.
	for _, o := range generator.Flags() {
		f.String(o.Name, o.Default, o.Usage)
	}
	f.StringVar(&cfg.Module, "module", "", "module path for a new module (default: the directory name)")
	f.BoolVarP(&yes, "yes", "y", false, "take the default for every choice no flag gave")
	f.StringVar(&presetFile, "preset", "", "a team's jwtgen.yaml whose options are the defaults (flags still win)")
	f.StringVar(&source, "source", "", "jwtgen checkout that \"go tool jwtgen\" builds from, for a jwtgen that is not a released version; go.mod gets a replace relative to the module when it can (default: $"+generator.SourceEnv+", else the checkout this binary was built from)")
	return cmd
}

func newGenerateCmd() *cobra.Command {
	var o generator.GenerateOptions
	cmd := &cobra.Command{
		Use:   "generate [dir]",
		Short: "Re-render the auth package from jwtgen.yaml",
		Long: `generate re-renders the package from jwtgen.yaml at the module root (found by
walking up from dir, default the current directory). Generated files are
rewritten when their content changes; a generated file edited by hand is
refused unless --force; scaffolded files are never overwritten; generated
files an option no longer needs are deleted when unedited.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Preset != "" && !o.Check {
				return fmt.Errorf("--preset needs --check: generate renders jwtgen.yaml as it is")
			}
			if o.Check && o.DryRun {
				return fmt.Errorf("--check and --dry-run exclude each other")
			}
			o.Dir = dirArg(args)
			o.Stdout, o.Stderr = cmd.OutOrStdout(), cmd.ErrOrStderr()
			_, err := generator.Generate(o)
			return err
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.Check, "check", false, "write nothing; print a unified diff and exit 1 if the files are out of date (for CI)")
	f.BoolVar(&o.DryRun, "dry-run", false, "write nothing; print create, update, identical, delete or skip per file")
	f.BoolVar(&o.Force, "force", false, "overwrite generated files that were edited by hand")
	f.StringVar(&o.Preset, "preset", "", "with --check: also fail when jwtgen.yaml departs from this team preset on an option it sets")
	return cmd
}

func newUpgradeCmd(ask generator.Prompter) *cobra.Command {
	var o generator.UpgradeOptions
	cmd := &cobra.Command{
		Use:   "upgrade [dir]",
		Short: "Show what this jwtgen version changes in the package, then write it",
		Long: `upgrade is generate after a change of jwtgen's version, with a look first:
it prints what the running jwtgen changes in the generated package, per file
(a unified diff, as generate --check prints it, and the go.mod changes), then
asks before writing (on a terminal; --yes writes without asking). Without a
terminal and without --yes it only shows the changes and exits 1.

A generated file edited by hand is refused, as generate refuses it, and the
refusal shows the edit: a diff against what jwtgen last wrote, found in the
project's git history (the last commit whose content has the SHA-256 that
.jwtgen.sum records). Without git, or when no commit has it, it says so.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Dir = dirArg(args)
			o.Ask = ask
			o.Stdout, o.Stderr = cmd.OutOrStdout(), cmd.ErrOrStderr()
			_, err := generator.Upgrade(o)
			return err
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&o.Yes, "yes", "y", false, "write the changes without asking")
	f.BoolVar(&o.Force, "force", false, "overwrite generated files that were edited by hand")
	return cmd
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print jwtgen's version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, args []string) {
			fmt.Fprintf(cmd.OutOrStdout(), "jwtgen %s\n", generator.Version())
		},
	}
}

func dirArg(args []string) string {
	if len(args) == 1 {
		return args[0]
	}
	return "."
}

// osTerminal returns the survey prompter when stdin and stdout are both a
// terminal, else nil.
func osTerminal() generator.Prompter {
	if isTerminal(os.Stdin) && isTerminal(os.Stdout) {
		return surveyPrompter{}
	}
	return nil
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
