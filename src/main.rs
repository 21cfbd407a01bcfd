//! The `kintsugi-lint` command: parses arguments, calls the library, prints, and maps the
//! outcome to an exit code (0 clean, 1 findings, 2 usage, input or rule-file error).

mod cli;
mod help_ja;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use std::path::PathBuf;

use clap::ValueEnum;
use kintsugi_lint::config::{CONFIG_FILE_NAMES, STARTER};
use kintsugi_lint::diagnostic::Severity;
use kintsugi_lint::fix::FixMode;
use kintsugi_lint::harness::check_rules;
use kintsugi_lint::report::{self, Format, FullOptions};
use kintsugi_lint::rules::RuleError;
use kintsugi_lint::session::{FileOutcome, Options, Session};
use kintsugi_lint::tokenize::{token_table, tokenize};
use kintsugi_lint::{InputError, RuleSet};

use cli::{Cli, ColorArg, Command, FailOn, FormatArg, LintArgs, ParseError, ServeArgs};

// Regex and Aho-Corasick compilation, TOML parsing and per-sentence vectors allocate a
// lot; mimalloc does it faster than glibc's malloc (the `no_thp` feature keeps it from
// asking for huge pages, which made a one-line lint pay for zeroing 2 MiB pages).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Like `eprintln!`, but a failed write to stderr (`2> /dev/full`) is ignored: `eprintln!`
/// panics there, and a panic while reporting a panic aborts the process.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// Set when writing to stdout failed (`> /dev/full`, a closed stdout): the run must not
/// exit 0 with its report lost, e.g. an empty SARIF file that passes CI.
static STDOUT_FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

const EXIT_CLEAN: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    install_panic_hook();
    panic_for_tests();
    let cli = match Cli::parse_checked() {
        Ok(cli) => cli,
        Err(ParseError::Clap(err)) if !err.use_stderr() => {
            // --help and --version
            let _ = err.print();
            return ExitCode::from(EXIT_CLEAN);
        }
        Err(ParseError::Clap(err)) if help_ja::english() => {
            let _ = err.print();
            return ExitCode::from(EXIT_ERROR);
        }
        Err(ParseError::Clap(err)) => {
            say!("{}", help_ja::usage_error(&err));
            return ExitCode::from(EXIT_ERROR);
        }
        Err(ParseError::Usage(message)) => {
            say!("kintsugi-lint: エラー: {message}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let code = run(cli);
    if STDOUT_FAILED.load(std::sync::atomic::Ordering::Relaxed) {
        say!(
            "kintsugi-lint: エラー: 結果を標準出力に書き込めませんでした（出力先の空き容量や閉じられた出力を確認してください）"
        );
        return ExitCode::from(EXIT_ERROR);
    }
    ExitCode::from(code)
}

/// A panic is a bug: report it briefly with where to file it, and exit 2 rather than
/// printing a backtrace at a user.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        say!(
            "kintsugi-lint: 内部エラーが発生しました（バグです）: {info}\n\
             お手数ですが、入力ファイルとこのメッセージを添えて報告してください。"
        );
        std::process::exit(i32::from(EXIT_ERROR));
    }));
}

/// Undocumented, for the tests of the panic hook (`tests/bad_input.rs`): with
/// `KINTSUGI_LINT_TEST_PANIC=main` (or `=thread`, in a worker thread as the parallel lint
/// uses) the process panics at once, before reading anything.
fn panic_for_tests() {
    let Some(place) = std::env::var_os("KINTSUGI_LINT_TEST_PANIC") else {
        return;
    };
    if place == "thread" {
        std::thread::scope(|scope| {
            scope.spawn(|| panic!("KINTSUGI_LINT_TEST_PANIC (thread)"));
        });
    }
    panic!("KINTSUGI_LINT_TEST_PANIC");
}

fn run(cli: Cli) -> u8 {
    if let Some(threads) = cli.lint.threads.filter(|&n| n > 0) {
        // More threads than cores only add scheduling and memory (`--threads 5000` used to
        // start thousands of threads); 0 leaves the default, one per core.
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        // Only fails if a pool already exists, which cannot happen this early.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.min(cores))
            .build_global();
    }
    if cli.lint.fix
        && let Err(err) = kintsugi_lint::fix::replace::remove_temp_files_on_signals()
    {
        // Fixing still works; only an interrupted run may leave temporary files, which the
        // next run names.
        say!("kintsugi-lint: 注意: 中断時に一時ファイルを消す準備ができませんでした: {err}");
    }
    let options = session_options(&cli);
    let mut session = Session::new(options.clone());
    let code = match cli.command {
        None => lint(&cli.paths, &cli.lint, &mut session),
        Some(Command::Rules) => with_rules(&mut session, list_rules),
        Some(Command::Rule { id }) => with_rules(&mut session, |rules| show_rule(rules, &id)),
        Some(Command::Tokens { file }) => show_tokens(&file),
        Some(Command::TestRules { dir }) => test_rules(&dir),
        Some(Command::Init) => init(),
        Some(Command::New { kind }) => with_rules(&mut session, |rules| new_document(rules, &kind)),
        Some(Command::Server) => language_server(options),
        Some(Command::Serve(args)) => serve(&args, options),
    };
    // The process ends next: freeing the rule sets and their caches piece by piece would
    // only add to the run time of a short lint (about half a millisecond).
    std::mem::forget(session);
    code
}

fn session_options(cli: &Cli) -> Options {
    let fix = match (cli.lint.fix, cli.lint.diff, cli.lint.unsafe_fixes) {
        (false, false, _) => None,
        (fix, _, unsafe_fixes) => {
            let mode = if unsafe_fixes {
                FixMode::Unsafe
            } else {
                FixMode::Safe
            };
            Some((mode, !fix))
        }
    };
    Options {
        select: cli.rules.select.clone(),
        ignore: cli.rules.ignore.clone(),
        rule_dirs: cli.rules.rule_dirs.clone(),
        no_builtin: cli.rules.no_builtin,
        fail_on: cli.lint.fail_on.map(|f| match f {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }),
        encoding: cli.lint.encoding.clone(),
        max_bytes: cli.lint.max_size * 1024 * 1024,
        config: cli.rules.config.clone(),
        isolated: cli.rules.isolated,
        fix,
        kind: cli.lint.kind.clone(),
        rule_examples: matches!(cli.command, Some(Command::Rule { .. })),
    }
}

/// Prints a miette report of an error to stderr.
fn report_error(error: impl miette::Diagnostic + Send + Sync + 'static) {
    say!("{:?}", miette::Report::new(error));
}

/// Runs `command` with the rules that apply in the current directory.
fn with_rules(session: &mut Session, command: impl FnOnce(&RuleSet) -> u8) -> u8 {
    match session.settings_for(Path::new(".")) {
        Ok(settings) => command(settings.linter.rules()),
        Err(err) => {
            report_error(err);
            EXIT_ERROR
        }
    }
}

/// Reads standard input, at most `max_mib` MiB (`- < /dev/zero` must not fill the memory).
fn read_stdin(max_mib: u64) -> Result<Vec<u8>, InputError> {
    kintsugi_lint::source::read_limited(std::io::stdin().lock(), max_mib * 1024 * 1024)
        .map_err(|err| InputError::of_read("<stdin>", err))
}

fn lint(paths: &[PathBuf], args: &LintArgs, session: &mut Session) -> u8 {
    if paths.is_empty() {
        say!(
            "kintsugi-lint: 検査するファイルを指定してください（標準入力は `-`）。使い方: kintsugi-lint --help"
        );
        return EXIT_ERROR;
    }
    if paths[0] == Path::new("help") && !paths[0].exists() {
        return help(&paths[1..]);
    }
    if let Some(problem) = subcommand_typo(&paths[0]) {
        say!("kintsugi-lint: エラー: {problem}");
        return EXIT_ERROR;
    }
    let format = format_of(args.format);
    if let Some(problem) = fix_flag_problem(args) {
        say!("kintsugi-lint: {problem}");
        return EXIT_ERROR;
    }
    if args.statistics && !format.has_statistics() {
        say!(
            "kintsugi-lint: --statistics は --format {} と組み合わせられません（full・concise・json・json-lines のいずれかを使ってください）",
            args.format
                .to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_owned())
        );
        return EXIT_ERROR;
    }
    let (stdin, files): (Vec<_>, Vec<_>) =
        paths.iter().cloned().partition(|p| p.as_os_str() == "-");
    let mut outcomes = Vec::new();
    if !stdin.is_empty() {
        let bytes = read_stdin(args.max_size);
        let outcome = bytes.map(|bytes| session.run_stdin(&args.stdin_filename, &bytes));
        match outcome {
            Ok(Ok(outcome)) => outcomes.push(outcome),
            Ok(Err(err)) => return rule_error(err),
            Err(err) => outcomes.push(FileOutcome::failed(err)),
        }
    }
    let (files, errors) = match session.collect(&files) {
        Ok(collected) => collected,
        Err(err) => return rule_error(err),
    };
    outcomes.extend(errors.into_iter().map(FileOutcome::failed));
    outcomes.extend(session.run(&files));
    let catalog = if format.describes_rules() {
        session.rule_catalog()
    } else {
        RuleSet::default()
    };
    finish(args, format, &catalog, outcomes)
}

/// `kintsugi-lint help [COMMAND]`: the Japanese help replaces clap's `help` subcommand,
/// whose own description is English.
fn help(topic: &[PathBuf]) -> u8 {
    let mut command = Cli::localized_command();
    // Built first, so a subcommand's help lists the global rule options too.
    command.build();
    let name = topic.first().and_then(|t| t.to_str());
    let text = match name {
        None => command.render_long_help(),
        Some(name) => match command.find_subcommand_mut(name) {
            Some(sub) => sub.render_long_help(),
            None => {
                say!(
                    "kintsugi-lint: エラー: サブコマンド「{}」はありません",
                    report::escape::shortened(name)
                );
                return EXIT_ERROR;
            }
        },
    };
    print(&text.to_string());
    EXIT_CLEAN
}

/// A first path that does not exist and reads like a misspelt subcommand (`rulez`): clap
/// takes any unknown word for a path, and 「rulez を読み込めません」 would hide the typo.
fn subcommand_typo(first: &Path) -> Option<String> {
    let word = first.to_str()?;
    if first.exists() || word.contains(['/', '.', '\\']) {
        return None;
    }
    let command = Cli::localized_command();
    let names = command.get_subcommands().map(|sub| sub.get_name());
    let found = kintsugi_lint::suggest::closest(word, names)?;
    Some(format!(
        "「{}」というファイルもサブコマンドもありません（もしかして: `kintsugi-lint {found}`）",
        report::escape::shortened(word)
    ))
}

/// Fix flags that would silently do nothing: `--unsafe-fixes` without `--fix` or `--diff`,
/// and `--diff` with a report format (the diff is the output).
fn fix_flag_problem(args: &LintArgs) -> Option<&'static str> {
    if args.unsafe_fixes && !args.fix && !args.diff {
        Some("--unsafe-fixes は --fix か --diff と一緒に使ってください（単独では何も変わりません）")
    } else if args.diff && args.format != FormatArg::Full {
        Some("--diff は差分そのものを出力するため、--format とは組み合わせられません")
    } else if args.diff && args.statistics {
        Some("--diff は差分そのものを出力するため、--statistics とは組み合わせられません")
    } else {
        None
    }
}

fn rule_error(err: RuleError) -> u8 {
    report_error(err);
    EXIT_ERROR
}

/// Prints diffs, input errors and the report; returns the exit code.
fn finish(args: &LintArgs, format: Format, rules: &RuleSet, outcomes: Vec<FileOutcome>) -> u8 {
    let mut results = Vec::new();
    let mut fail_on = Vec::new();
    let mut fixed = Vec::new();
    let mut failed = Vec::new();
    let mut diffs = String::new();
    let mut fixed_stdin = None;
    for outcome in outcomes {
        diffs.push_str(&outcome.diff);
        fixed_stdin = fixed_stdin.or(outcome.fixed_stdin);
        match outcome.result {
            Ok(linted) => {
                results.push(linted);
                fail_on.push(outcome.fail_on);
                fixed.push(outcome.fixes_applied);
            }
            Err(err) => {
                let prefix = if err.is_skip() { "注意" } else { "エラー" };
                let shown = err.to_string();
                say!(
                    "kintsugi-lint: {prefix}: {}",
                    report::escape::visible(&shown)
                );
                if !err.is_skip() {
                    failed.push(report::Failure {
                        path: err.path().to_owned(),
                        message: err.reason(),
                    });
                }
            }
        }
    }
    let run = report::Run {
        files: &results,
        fail_on: &fail_on,
        fixed: &fixed,
        failed: &failed,
    };
    let summary = report::Summary::of(&run);
    if args.diff {
        print(&diffs);
    } else if let Some(text) = fixed_stdin {
        // `--fix -` is a filter: the text goes to stdout, the report to stderr (as ruff does).
        write_out(&text);
        let _ = std::io::stderr()
            .lock()
            .write_all(render_report(args, format, rules, &run).as_bytes());
    } else {
        print(&render_report(args, format, rules, &run));
    }
    // As with the session (see `run`): the process ends next, and freeing every file's
    // text, tokens and findings piece by piece only delays the exit.
    std::mem::forget(results);
    if summary.failed_inputs > 0 {
        EXIT_ERROR
    } else if summary.failing > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn format_of(arg: FormatArg) -> Format {
    match arg {
        FormatArg::Full => Format::Full,
        FormatArg::Concise => Format::Concise,
        FormatArg::Json => Format::Json,
        FormatArg::JsonLines => Format::JsonLines,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Github => Format::Github,
        FormatArg::Junit => Format::Junit,
        FormatArg::Rdjson => Format::Rdjson,
    }
}

fn render_report(args: &LintArgs, format: Format, rules: &RuleSet, run: &report::Run) -> String {
    if args.statistics {
        // `lint` has checked that the format has a statistics form.
        return report::render_statistics(format, run.files).unwrap_or_default();
    }
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let options = FullOptions {
        color,
        ..FullOptions::default()
    };
    report::render(format, run, rules, &options)
}

fn print(text: &str) {
    write_out(text.as_bytes());
}

/// Writes to stdout. A closed pipe (`kintsugi-lint … | head`) is the reader's choice and
/// not an error; any other failure marks the run as failed (see `STDOUT_FAILED`).
fn write_out(bytes: &[u8]) {
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_all(bytes).and_then(|()| stdout.flush());
    if let Err(err) = written
        && err.kind() != std::io::ErrorKind::BrokenPipe
    {
        STDOUT_FAILED.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// `kintsugi-lint server`: 0 after `shutdown` then `exit`, 1 for an `exit` without it (as
/// the protocol asks), 2 when the client never initialized.
fn language_server(options: Options) -> u8 {
    match kintsugi_lint::server::run(options) {
        Ok(true) => EXIT_CLEAN,
        Ok(false) => EXIT_FINDINGS,
        Err(err) => {
            say!("kintsugi-lint server: エラー: {err}");
            EXIT_ERROR
        }
    }
}

fn new_document(rules: &RuleSet, kind: &str) -> u8 {
    match kintsugi_lint::document::template_for(rules, kind) {
        Some(template) => {
            print(&template);
            EXIT_CLEAN
        }
        None => {
            say!("kintsugi-lint: {}", RuleError::unknown_kind(kind, rules));
            EXIT_ERROR
        }
    }
}

fn init() -> u8 {
    let path = Path::new(CONFIG_FILE_NAMES[0]);
    if path.exists() {
        say!(
            "kintsugi-lint: {} は既にあります。上書きしません。",
            path.display()
        );
        return EXIT_ERROR;
    }
    match std::fs::write(path, STARTER) {
        Ok(()) => {
            print(&format!("{} を作成しました。\n", path.display()));
            EXIT_CLEAN
        }
        Err(err) => {
            say!(
                "kintsugi-lint: エラー: {}: 書き込めません: {}",
                path.display(),
                kintsugi_lint::source::io_reason(&err)
            );
            EXIT_ERROR
        }
    }
}

fn list_rules(rules: &RuleSet) -> u8 {
    let mut out = String::new();
    for rule in rules.rules() {
        out.push_str(&format!(
            "{:<36} {:<26} {:<8} {}\n",
            rule.id, rule.category, rule.severity, rule.message
        ));
    }
    out.push_str(&format!("{} 件のルール\n", rules.rules().len()));
    print(&out);
    EXIT_CLEAN
}

fn show_rule(rules: &RuleSet, id: &str) -> u8 {
    let Some(rule) = rules.get(id) else {
        let is_category = |name: &str| rules.rules().iter().any(|rule| rule.category == name);
        let closest = kintsugi_lint::suggest::closest(id, rules.selectors());
        let hint = match closest {
            _ if is_category(id) => format!(
                "「{id}」はカテゴリの名前です。このカテゴリのルール ID は `kintsugi-lint rules` で確認できます"
            ),
            Some(found) if !is_category(found) => format!("もしかして: 「{found}」"),
            Some(found) => format!(
                "もしかして: カテゴリ「{found}」。このカテゴリのルール ID は `kintsugi-lint rules` で確認できます"
            ),
            None => "`kintsugi-lint rules` で一覧を確認できます".to_owned(),
        };
        say!(
            "kintsugi-lint: ルール「{}」はありません（{hint}）",
            report::escape::shortened(id)
        );
        return EXIT_ERROR;
    };
    print(&kintsugi_lint::rules::describe(rule));
    EXIT_CLEAN
}

fn show_tokens(file: &Path) -> u8 {
    let limit = kintsugi_lint::source::DEFAULT_MAX_INPUT_BYTES;
    let bytes = if file.as_os_str() == "-" {
        read_stdin(limit / (1024 * 1024))
    } else {
        kintsugi_lint::source::read_file_limited(file, limit)
            .map_err(|err| InputError::of_read(&file.display().to_string(), err))
    };
    let text = match bytes.map(|b| kintsugi_lint::source::decode(&b)) {
        Ok(Ok(text)) => text,
        Ok(Err(err)) => {
            say!("kintsugi-lint: エラー: {}: {err}", file.display());
            return EXIT_ERROR;
        }
        Err(err) => {
            say!("kintsugi-lint: エラー: {err}");
            return EXIT_ERROR;
        }
    };
    print(&token_table(&tokenize(&text.text, 0)));
    EXIT_CLEAN
}

fn test_rules(dir: &Path) -> u8 {
    let mut rules = RuleSet::default();
    if let Err(err) = rules.add_dir(dir) {
        report_error(err);
        return EXIT_ERROR;
    }
    let report = check_rules(&rules);
    let mut out = String::new();
    for failure in &report.failures {
        out.push_str(&format!(
            "失敗 {}:{} [{}] {}\n{}\n",
            failure.path, failure.line, failure.rule_id, failure.problem, failure.token_table
        ));
    }
    out.push_str(&format!(
        "{} ルール・{} 例を検査しました: 成功 {} 件・失敗 {} 件\n",
        report.rules,
        report.examples,
        report.examples - report.failures.len(),
        report.failures.len()
    ));
    print(&out);
    if report.failures.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    }
}

/// The port `serve` listens on unless told: fixed, so a bookmark keeps working.
const DEFAULT_PORT: u16 = 8717;

/// `kintsugi-lint serve`: loads the rules as a lint run would, binds, prints the URL and
/// answers until stopped (Ctrl+C).
fn serve(args: &ServeArgs, mut options: Options) -> u8 {
    use kintsugi_lint::serve::{ServeOptions, bind, run};
    options.kind = args.kind.clone();
    let mut session = Session::new(options);
    let settings = match session.settings_for(Path::new(".")) {
        Ok(settings) => settings,
        Err(err) => return rule_error(err),
    };
    let host = args.host.clone().unwrap_or_else(|| "127.0.0.1".to_owned());
    if args.host.is_some() {
        say!(
            "kintsugi-lint: 注意: {host} で待ち受けます。127.0.0.1 以外では、同じネットワークの他の人もこのページを開いて下書きを送れます"
        );
    }
    let mut serve_options = ServeOptions {
        host,
        port: args.port.unwrap_or(DEFAULT_PORT),
        kind: args.kind.clone(),
    };
    let bound = match bind(&serve_options) {
        Ok(bound) => bound,
        // The default port taken (another serve, another program): any free port will do.
        Err(_) if args.port.is_none() => {
            serve_options.port = 0;
            match bind(&serve_options) {
                Ok(bound) => bound,
                Err(problem) => {
                    say!("kintsugi-lint: エラー: {problem}");
                    return EXIT_ERROR;
                }
            }
        }
        Err(problem) => {
            say!("kintsugi-lint: エラー: {problem}");
            return EXIT_ERROR;
        }
    };
    print(&format!(
        "kintsugi-lint serve: {} を開いてください（このパソコンの中だけで動きます。終了は Ctrl+C）\n",
        bound.url
    ));
    if args.open {
        open_browser(&bound.url);
    }
    run(bound, settings, serve_options.kind);
    EXIT_CLEAN
}

/// Opens `url` in the default browser; failing is only a warning (the URL is printed).
fn open_browser(url: &str) {
    let (program, leading): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    let spawned = std::process::Command::new(program)
        .args(leading)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        // Reaped in the background so no zombie is left; its exit status is not ours.
        Ok(mut child) => {
            std::thread::spawn(move || {
                let _ = child.wait();
            });
        }
        Err(err) => say!(
            "kintsugi-lint: 注意: ブラウザーを開けませんでした（{program}: {err}）。上の URL を開いてください"
        ),
    }
}
