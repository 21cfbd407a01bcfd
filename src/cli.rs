//! Command-line definitions (binary only). Every flag is documented here; clap shows it in
//! `--help`.

use std::path::PathBuf;

use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

// Rule options (`--rules`, `--select`, ...) are global, so they may come before or after a
// subcommand: `kintsugi-lint --rules team/ rule team-asap`. Lint-only options (`--format`,
// `--fix`, ...) with a subcommand are an error, see `Cli::parse_checked`.
#[derive(Debug, Parser)]
#[command(
    name = "kintsugi-lint",
    version,
    about = "謝罪文・障害報告・お知らせの下書きを検査し、信頼を損なう表現に書き換え案を示します。\nLints Japanese apology letters, incident reports and notices.",
    override_usage = "kintsugi-lint [OPTIONS] [PATH]...\n       kintsugi-lint [RULE OPTIONS] <COMMAND>"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Files or directories to lint (`-` reads standard input). Directories are walked for
    /// .txt .md .markdown .eml .html .htm files, skipping .git and paths ignored by .gitignore.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub lint: LintArgs,

    #[command(flatten)]
    pub rules: RuleArgs,
}

/// Why the command line was not run.
pub enum ParseError {
    /// clap's own: `--help` and `--version` (printed to stdout, exit 0) or a usage error.
    Clap(clap::Error),
    /// A usage error of ours, already in Japanese.
    Usage(String),
}

impl Cli {
    /// The command with its help in Japanese (or English, see `help_ja::english`).
    pub fn localized_command() -> clap::Command {
        crate::help_ja::localize(Cli::command())
    }

    /// Parses the command line; a subcommand given with lint-only options is an error
    /// rather than silently ignoring them.
    pub fn parse_checked() -> Result<Cli, ParseError> {
        let matches = Cli::localized_command()
            .try_get_matches()
            .map_err(ParseError::Clap)?;
        if let Some(subcommand) = matches.subcommand_name()
            && let Some(arg) = lint_only_arg_given(&matches)
        {
            return Err(ParseError::Usage(format!(
                "{arg} は検査のときだけ使えます。サブコマンド `{subcommand}` とは組み合わせられません"
            )));
        }
        Cli::from_arg_matches(&matches).map_err(ParseError::Clap)
    }
}

/// The first lint-only option (a `LintArgs` field) given on the command line, as the user
/// would write it. (Paths cannot reach here: after a path, clap reads a subcommand's name
/// as one more path, and a path after a subcommand is clap's own error.)
fn lint_only_arg_given(matches: &ArgMatches) -> Option<String> {
    let lint_args = LintArgs::augment_args(clap::Command::new("lint"));
    lint_args
        .get_arguments()
        .find(|arg| matches.value_source(arg.get_id().as_str()) == Some(ValueSource::CommandLine))
        .map(|arg| format!("`--{}`", arg.get_long().unwrap_or(arg.get_id().as_str())))
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Full)]
    pub format: FormatArg,

    /// Exit with 1 when a finding at or above this severity remains [default: warning, or
    /// fail-on in kintsugi.toml].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Print how many findings each rule produced instead of the findings:
    /// `count  rule-id  category  severity`, most frequent first. With `--format json` one
    /// JSON array of {count, rule, category, severity}, with `json-lines` one object per
    /// line; `sarif`, `github`, `junit` and `rdjson` have no statistics form (an error).
    /// The exit code is the same as without it.
    #[arg(long)]
    pub statistics: bool,

    /// When to colour the `full` output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// Path shown for standard input; its extension picks the format (e.g. notice.md).
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    pub stdin_filename: String,

    /// Apply fixes marked safe, then report what remains. Suggestions with a {…} slot are
    /// never written.
    #[arg(long)]
    pub fix: bool,

    /// With --fix or --diff, also apply fixes marked unsafe (they may change the meaning).
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff instead of writing them.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,

    /// Refuse inputs larger than this many MiB (default 64): a device such as /dev/zero, or a
    /// stray disk image, is an error instead of filling the memory
    #[arg(long, value_name = "MIB", default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=65536))]
    pub max_size: u64,

    /// Read files in this encoding instead of detecting it (shift_jis, cp932, euc-jp,
    /// iso-2022-jp, utf-16le, utf-8, …).
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// The document kind of every input (apology, incident-report, notice, short-report),
    /// instead of detecting it.
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,

    /// Number of threads for linting (default and 0: one per core). More threads than cores
    /// only slow a run down, so larger values are capped at the number of cores
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

/// Options that choose the rules; they also apply to the subcommands.
#[derive(Debug, Args)]
#[command(next_help_heading = "Rule options (also for subcommands)")]
pub struct RuleArgs {
    /// Use this config file for every input instead of looking for kintsugi.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated", global = true)]
    pub config: Option<PathBuf>,

    /// Ignore every config file.
    #[arg(long, global = true)]
    pub isolated: bool,

    /// Extra rule file, or folder (every *.toml in it); repeatable.
    #[arg(long = "rules", value_name = "PATH", global = true)]
    pub rule_dirs: Vec<PathBuf>,

    /// Only these rules: ids or categories, comma-separated; repeatable.
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "RULE|CATEGORY",
        global = true
    )]
    pub select: Vec<String>,

    /// Skip these rules: ids or categories, comma-separated; repeatable.
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "RULE|CATEGORY",
        global = true
    )]
    pub ignore: Vec<String>,

    /// Leave out the built-in rules (use only `--rules` directories).
    #[arg(long, global = true)]
    pub no_builtin: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the rules: id, category, severity, message.
    Rules,
    /// Print one rule's description and examples.
    Rule {
        /// The rule id.
        id: String,
    },
    /// Print the token table of a file (or `-`), as rules see it.
    Tokens {
        /// The file to tokenize.
        file: PathBuf,
    },
    /// Run the examples of every rule in DIR (without the built-in rules).
    TestRules {
        /// A directory of rule files.
        dir: PathBuf,
    },
    /// Write a commented starter kintsugi.toml in the current directory.
    Init,
    /// Run the language server over stdio (for editors: diagnostics, quick fixes, hover).
    Server,
    /// Print a template of a document kind that passes every rule, with {slots} to fill.
    New {
        /// apology, incident-report, notice or short-report.
        kind: String,
    },
    /// Open a private page on this machine to check and finish a draft in a browser.
    Serve(ServeArgs),
}

/// `serve`: where to listen, and the kind of every draft.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (default 8717, or a free one if it is taken; 0: any free port).
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,

    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,

    /// Address to listen on instead of 127.0.0.1 (others on the network could then send
    /// drafts to it).
    #[arg(long, value_name = "HOST")]
    pub host: Option<String>,

    /// The document kind of every draft unless the page picks another (apology,
    /// incident-report, notice, short-report).
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Reports with the sentence, the span underlined, the message and the rewrite.
    Full,
    /// `path:line:column: severity[rule-id] message`
    Concise,
    /// One JSON document (schema in README).
    Json,
    /// One JSON object per finding per line (the fields of a `json` finding).
    JsonLines,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// JUnit XML, for CI test reports.
    Junit,
    /// reviewdog's rdjson (suggestions without a {…} slot become suggested changes).
    Rdjson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}
