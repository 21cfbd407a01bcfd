//! The command line in Japanese (binary only): `--help` and clap's usage errors. The flags'
//! English documentation stays in `cli.rs`, where clap reads it; this module puts Japanese
//! text over it unless the user's locale asks for English (`LANG=en_US.UTF-8`, or
//! `KINTSUGI_LINT_LANG=en`), so writers see Japanese first and English stays available.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// Whether the user asked for English: `KINTSUGI_LINT_LANG`, else the first of `LC_ALL`,
/// `LC_MESSAGES` and `LANG` that is set. Only a locale that names English counts: `C` and
/// `POSIX` are what containers and CI default to, not a choice of language.
pub fn english() -> bool {
    ["KINTSUGI_LINT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .is_some_and(|value| value.to_ascii_lowercase().starts_with("en"))
}

/// The usage line, as both the help and the usage errors show it.
const USAGE: &str =
    "kintsugi-lint [オプション] [パス]...\n       kintsugi-lint [ルールのオプション] <コマンド>";

const ABOUT: &str =
    "謝罪文・障害報告・お知らせの下書きを検査し、信頼を損なう表現に書き換え案を示します。";

/// Shown after the options: what a directory walk reads and what the exit codes mean.
const AFTER_HELP: &str = "\
ディレクトリを指定すると、中の .txt .md .markdown .eml .html .htm ファイルを検査します
（.git と .gitignore で除外されたパスは飛ばします。kintsugi.toml の include で変えられます）。

終了コード:
  0  --fail-on 以上の指摘なし
  1  --fail-on 以上の指摘あり（test-rules: 失敗した例あり）
  2  使い方の誤り、読めない入力、誤りのあるルールファイル・設定ファイル、内部エラー

English help: KINTSUGI_LINT_LANG=en kintsugi-lint --help";

const TEMPLATE: &str = "{about}\n\n使い方: {usage}\n\n{all-args}{after-help}";

/// Japanese help for each argument id (the field names of `cli.rs`).
const ARG_HELP: &[(&str, &str)] = &[
    ("paths", "検査するファイルかディレクトリ（`-` は標準入力）"),
    (
        "format",
        "出力形式: full（既定。該当文・下線・理由・書き換え案）、concise（1 行 1 件）、json、json-lines、sarif（GitHub code scanning）、github（Actions の注釈）、junit、rdjson（reviewdog）",
    ),
    (
        "fail_on",
        "この重大度以上の指摘が残ると終了コード 1: error | warning | info（既定: warning、または kintsugi.toml の fail-on）",
    ),
    (
        "statistics",
        "指摘の代わりに、ルールごとの件数を多い順に表示（full・concise・json・json-lines のみ）",
    ),
    ("color", "full の色付け: auto（既定）| always | never"),
    (
        "stdin_filename",
        "標準入力の表示名。拡張子で形式を決めます（例: notice.md。既定: <stdin>）",
    ),
    (
        "fix",
        "安全な書き換えを適用し、残った指摘を表示（{…} の欄がある書き換えは書き込みません）",
    ),
    (
        "unsafe_fixes",
        "--fix か --diff と一緒に、意味が変わりうる書き換えも適用",
    ),
    ("diff", "書き換えを適用せず、unified diff で表示"),
    (
        "max_size",
        "この MiB より大きい入力は読まずにエラーにします（既定: 64）",
    ),
    (
        "encoding",
        "自動判定の代わりにこの文字コードで読む（shift_jis, cp932, euc-jp, iso-2022-jp, utf-16le, utf-8 など）",
    ),
    (
        "kind",
        "すべての入力の文書の種類（apology, incident-report, notice, short-report）。自動判定しません",
    ),
    (
        "threads",
        "検査のスレッド数（既定と 0: コア数。コア数より大きい値はコア数に抑えます）",
    ),
    (
        "config",
        "kintsugi.toml を探さず、すべての入力にこの設定ファイルを使う",
    ),
    ("isolated", "設定ファイルをすべて無視"),
    (
        "rule_dirs",
        "追加のルールファイル、またはフォルダー（中の *.toml すべて）。繰り返し指定できます",
    ),
    (
        "select",
        "使うルールだけを ID かカテゴリで指定（カンマ区切り、繰り返し可）",
    ),
    (
        "ignore",
        "使わないルールを ID かカテゴリで指定（カンマ区切り、繰り返し可）",
    ),
    (
        "no_builtin",
        "組み込みルールを使わない（--rules のルールだけ）",
    ),
    ("id", "ルール ID"),
    ("file", "トークンに分けるファイル（`-` は標準入力）"),
    ("dir", "ルールファイルのディレクトリ"),
    (
        "port",
        "待ち受けるポート番号（既定: 8717。使用中なら空いている番号。0: 空いている番号）",
    ),
    ("open", "既定のブラウザーでページを開く"),
    (
        "host",
        "127.0.0.1 の代わりに待ち受けるアドレス（同じネットワークの他の人も下書きを送れるようになります）",
    ),
];

/// Japanese descriptions of the subcommands.
const SUBCOMMAND_ABOUT: &[(&str, &str)] = &[
    ("rules", "ルールの一覧（ID・カテゴリ・重大度・メッセージ）"),
    ("rule", "ルールの説明と例"),
    (
        "tokens",
        "ファイル（か `-`）をルールから見えるトークンの表にする",
    ),
    (
        "test-rules",
        "DIR のルールファイルの例をすべて検査（組み込みルールは使いません）",
    ),
    (
        "init",
        "説明付きの kintsugi.toml をカレントディレクトリに作成",
    ),
    (
        "new",
        "すべてのルールを通る文書の型を、埋める欄 {…} 付きで表示",
    ),
    (
        "server",
        "エディター用の言語サーバー（LSP）を標準入出力で起動（指摘・修正・ルールの説明）",
    ),
    (
        "serve",
        "このパソコンの中だけで動く確認ページを開く（下書きは外部に送られません）",
    ),
];

/// `serve --kind`: the page can still pick another kind.
const SERVE_KIND_HELP: &str =
    "下書きの文書の種類（apology, incident-report, notice, short-report）。ページで変えられます";

/// The `new` subcommand's argument is called `kind`, like the lint option.
const NEW_KIND_HELP: &str = "apology, incident-report, notice, short-report のいずれか";

/// `command` with Japanese help, unless English was asked for.
pub fn localize(command: Command) -> Command {
    if english() {
        return command;
    }
    in_japanese(command)
}

/// The command with Japanese help, whatever the locale.
fn in_japanese(command: Command) -> Command {
    let command = japanese(command, "オプション")
        .about(ABOUT)
        .override_usage(USAGE)
        .after_long_help(AFTER_HELP)
        .after_help(AFTER_HELP)
        .subcommand_help_heading("コマンド")
        // clap's `help` subcommand describes itself in English; `main` answers `help [COMMAND]`.
        .disable_help_subcommand(true);
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_owned())
        .collect();
    names.iter().fold(command, |command, name| {
        command.mut_subcommand(name, |sub| {
            let about = SUBCOMMAND_ABOUT
                .iter()
                .find(|(n, _)| n == name)
                .map_or("", |(_, about)| *about);
            let positionals: String = sub
                .get_positionals()
                .map(|arg| format!(" <{}>", arg.get_id().as_str().to_uppercase()))
                .collect();
            let sub = japanese(sub, "オプション")
                .about(about)
                .override_usage(format!("kintsugi-lint {name} [オプション]{positionals}"));
            match name.as_str() {
                "new" => sub.mut_arg("kind", |arg| arg.help(NEW_KIND_HELP)),
                "serve" => sub.mut_arg("kind", |arg| arg.help(SERVE_KIND_HELP)),
                _ => sub,
            }
        })
    })
}

/// Japanese headings, argument help and help/version flags for one command.
fn japanese(command: Command, options_heading: &'static str) -> Command {
    let ids: Vec<String> = command
        .get_arguments()
        .map(|arg| arg.get_id().as_str().to_owned())
        .collect();
    let command = ids.iter().fold(command, |command, id| {
        command.mut_arg(id, |arg| localize_arg(arg, options_heading))
    });
    let has_version = command.get_version().is_some();
    let command = command.help_template(TEMPLATE).disable_help_flag(true).arg(
        Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .help("このヘルプを表示")
            .help_heading(options_heading),
    );
    if has_version {
        command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("バージョンを表示")
                .help_heading(options_heading),
        )
    } else {
        command
    }
}

fn localize_arg(arg: Arg, options_heading: &'static str) -> Arg {
    let help = ARG_HELP
        .iter()
        .find(|(id, _)| *id == arg.get_id().as_str())
        .map(|(_, help)| *help);
    let heading = match arg.get_help_heading() {
        Some(_) => "ルールのオプション（サブコマンドにも使えます）",
        None if arg.is_positional() => "引数",
        None => options_heading,
    };
    // The Japanese help names the values itself. clap (in debug builds) refuses to hide the
    // values or default of a flag that takes no value, so only value-taking args get this.
    let arg = arg.help_heading(heading);
    let arg = if arg.get_action().takes_values() {
        arg.hide_possible_values(true).hide_default_value(true)
    } else {
        arg
    };
    match help {
        Some(help) => arg.help(help).long_help(None::<&str>),
        None => arg,
    }
}

/// A usage error from clap, in Japanese: what was wrong, the usage line and where to read more.
pub fn usage_error(err: &clap::Error) -> String {
    let problem = problem(err);
    // The usage of the command the error is in (`rule [オプション] <ID>`), when clap says.
    let usage = err
        .get(ContextKind::Usage)
        .map(value_text)
        .map(|usage| usage.trim().trim_start_matches("Usage:").trim().to_owned())
        .filter(|usage| !usage.is_empty())
        .unwrap_or_else(|| USAGE.to_owned());
    format!(
        "kintsugi-lint: エラー: {problem}\n\n使い方: {usage}\n\n詳しくは `kintsugi-lint --help` をご覧ください。"
    )
}

fn problem(err: &clap::Error) -> String {
    let context = |kind: ContextKind| err.get(kind).map(value_text).unwrap_or_default();
    let arg = context(ContextKind::InvalidArg);
    let suggestion = |kind: ContextKind| {
        err.get(kind)
            .map(value_text)
            .filter(|s| !s.is_empty())
            .map(|s| format!("（もしかして: {s}）"))
            .unwrap_or_default()
    };
    match err.kind() {
        ErrorKind::UnknownArgument if arg.starts_with('-') => format!(
            "オプション「{arg}」はありません{}",
            suggestion(ContextKind::SuggestedArg)
        ),
        ErrorKind::UnknownArgument => format!("余分な引数「{arg}」があります"),
        ErrorKind::InvalidSubcommand => format!(
            "サブコマンド「{}」はありません{}",
            context(ContextKind::InvalidSubcommand),
            suggestion(ContextKind::SuggestedSubcommand)
        ),
        ErrorKind::InvalidValue => format!(
            "{arg} に「{}」は使えません（使える値: {}）",
            context(ContextKind::InvalidValue),
            context(ContextKind::ValidValue)
        ),
        ErrorKind::ValueValidation => format!(
            "{arg} に「{}」は使えません（{}）",
            context(ContextKind::InvalidValue),
            validation_reason(err)
        ),
        ErrorKind::MissingRequiredArgument => format!("{arg} を指定してください"),
        ErrorKind::ArgumentConflict => {
            let prior = context(ContextKind::PriorArg);
            if prior.is_empty() {
                format!("{arg} はほかのオプションと一緒に使えません")
            } else {
                format!("{arg} と {prior} は一緒に使えません")
            }
        }
        ErrorKind::NoEquals | ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} の値の数が正しくありません")
        }
        ErrorKind::MissingSubcommand => "サブコマンドを指定してください".into(),
        _ => format!("コマンドラインを解釈できません（{}）", english_message(err)),
    }
}

/// Why a value failed its parser (`--threads many`, `--max-size 0`).
fn validation_reason(err: &clap::Error) -> String {
    let source = std::error::Error::source(err)
        .map(ToString::to_string)
        .unwrap_or_default();
    if source.contains("invalid digit") {
        "数で指定してください".into()
    } else if let Some(range) = source.split(" is not in ").nth(1) {
        format!("範囲は {range} です")
    } else if source.is_empty() {
        "値が正しくありません".into()
    } else {
        source
    }
}

/// clap's own first line, without its `error: ` lead, for kinds with no translation.
fn english_message(err: &clap::Error) -> String {
    let rendered = err.render().to_string();
    let first = rendered.lines().next().unwrap_or_default();
    first.trim_start_matches("error: ").to_owned()
}

fn value_text(value: &ContextValue) -> String {
    match value {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(list) => list.join(", "),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(list) => list
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        ContextValue::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap checks a command's definition only in debug builds (what `cargo test` builds)
    /// and only when it is built: this builds the Japanese command, whatever the locale.
    #[test]
    fn the_japanese_command_passes_clap_checks() {
        super::in_japanese(crate::cli::Cli::command()).debug_assert();
    }
}
