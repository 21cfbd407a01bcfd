//! Built-in conditions a rule can name in `unless`: facts about a sentence (or about the
//! match in it) that the engine computes, so that rule files need not repeat them.

use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use regex::Regex;

use super::context::{self, TextCues};
use super::time_expr;
use crate::tokenize::Token;

/// What a condition can look at: the sentence and where the rule matched in it.
pub struct MatchContext<'a> {
    pub text: &'a str,
    pub sentence: Range<usize>,
    pub tokens: &'a [Token],
    /// Indices into `tokens` of the matched tokens.
    pub matched: Range<usize>,
    /// The cues of the whole text, found on first use (see [`context`]).
    pub cues: &'a OnceLock<TextCues>,
}

impl MatchContext<'_> {
    fn sentence_text(&self) -> &str {
        &self.text[self.sentence.clone()]
    }

    fn cues(&self) -> &TextCues {
        self.cues.get_or_init(|| TextCues::find(self.text))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NamedCondition {
    Deadline,
    Negated,
    Conceded,
    ReaderRequest,
    Mechanism,
    UncertaintyMarked,
    Quantified,
    NamedActor,
    Incident,
    ContactPoint,
}

/// Every condition with its name in rule files and what it means (for `rules/README.md`).
pub const NAMED_CONDITIONS: &[(&str, NamedCondition, &str)] = &[
    (
        "deadline",
        NamedCondition::Deadline,
        "the sentence carries a concrete deadline: a date, a clock time, a bounded duration (3営業日以内), a bounded relative anchor (本日中, 翌営業日) or a template slot (〇月〇日までに)",
    ),
    (
        "negated",
        NamedCondition::Negated,
        "the matched predicate is negated (検討しません, 対応できない)",
    ),
    (
        "conceded",
        NamedCondition::Conceded,
        "the matched predicate is a past action conceded before the failure (注意しておりましたが, 徹底してまいりましたが, 行っていたにもかかわらず): what was done before, not a pledge",
    ),
    (
        "reader-request",
        NamedCondition::ReaderRequest,
        "the match is part of a request to the reader (ご連絡ください, ご確認いただけますよう, ご協力をお願いします) in the same clause; a courtesy request after ので/から (…ご報告いたしますので、ご理解ください) does not count",
    ),
    (
        "mechanism",
        NamedCondition::Mechanism,
        "the sentence names a prevention mechanism (checklist, automation, double check, alert, procedure change, tool) rather than attention alone",
    ),
    (
        "uncertainty-marked",
        NamedCondition::UncertaintyMarked,
        "the sentence marks its information as unconfirmed (未確定, 確認中, 調査中, 現時点では)",
    ),
    (
        "quantified",
        NamedCondition::Quantified,
        "the sentence gives a number with a counter (約1,200件, 32名, 5%)",
    ),
    (
        "named-actor",
        NamedCondition::NamedActor,
        "the sentence names who acted (私, 弊社, 当社, 担当者, 弊社の〇〇)",
    ),
    (
        "incident",
        NamedCondition::Incident,
        "the sentence is in or near an apology or incident notice: an incident word (お詫び, ご迷惑, 誤送信, 漏えい, 障害が発生, 判明いたしました) within about 1,000 characters before it or 500 after",
    ),
    (
        "contact-point",
        NamedCondition::ContactPoint,
        "the sentence gives a place to write to (お問い合わせ, 窓口, 連絡先, 〜までメール, TEL, a mailing list, an info@/support@ address), not a leaked personal address",
    ),
];

impl NamedCondition {
    pub fn parse(name: &str) -> Option<Self> {
        NAMED_CONDITIONS
            .iter()
            .find(|(known, _, _)| *known == name)
            .map(|(_, condition, _)| *condition)
    }

    /// Whether the condition looks at the match, not only at its sentence: the others hold
    /// or not for every match in a sentence alike, so the engine works them out once per
    /// sentence (a line of 7,000 matches must not scan its sentence 7,000 times).
    pub fn depends_on_match(self) -> bool {
        matches!(
            self,
            NamedCondition::Negated | NamedCondition::Conceded | NamedCondition::ReaderRequest
        )
    }

    pub fn holds(self, ctx: &MatchContext) -> bool {
        // The work is the text looked at: the whole sentence for all but `negated`.
        let scanned = if self.depends_on_match() {
            1
        } else {
            ctx.tokens.len()
        };
        crate::work::count(crate::work::Work::Conditions, scanned as u64);
        match self {
            NamedCondition::Deadline => time_expr::has_deadline(ctx.text, ctx.tokens),
            NamedCondition::Negated => is_negated(ctx),
            NamedCondition::Conceded => is_conceded(ctx),
            NamedCondition::ReaderRequest => is_reader_request(ctx),
            NamedCondition::Mechanism => names_mechanism(ctx.sentence_text()),
            NamedCondition::UncertaintyMarked => UNCERTAINTY.is_match(ctx.sentence_text()),
            NamedCondition::Quantified => is_quantified(ctx.sentence_text()),
            NamedCondition::NamedActor => ACTOR.is_match(ctx.sentence_text()),
            NamedCondition::Incident => ctx.cues().near_incident(&ctx.sentence),
            NamedCondition::ContactPoint => context::is_contact_point(ctx.sentence_text()),
        }
    }
}

/// Mechanisms from the seed's three layers: prevention (checklists, simplification,
/// automation), detection (double checks, alerts), mitigation (recovery procedures).
/// Training counts only with a date, which `deadline` checks separately, so it is not here.
static MECHANISM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        "チェックリスト|ダブルチェック|二重チェック|相互チェック|クロスチェック|読み合わせ|",
        "自動化|自動で|自動チェック|自動判定|システム化|仕組み化|仕組みを|ツールを導入|ツールで|",
        "アラート|監視|検知|通知設定|入力制限|入力規則|バリデーション|承認フロー|二重承認|",
        "手順書|手順を(改訂|変更|見直|追加|定め)|マニュアルを(改訂|改定|整備|更新)|テンプレート化|",
        "復旧手順|リカバリー手順|切り戻し|ロールバック手順|代替手段|フェイルセーフ|",
        "照合|突合|承認を|レビューを|テストを(追加|実施|必須)|確認項目|別の担当者|複数名で|[2２二]名で|",
        "必須(化|と)|マスキング|ルールを(変更|改訂|追加|定め)|仕組みで|仕組みに|",
        // A second pair of eyes, named by who checks (複数の職員で確認, 別の社員が照合).
        "複数(の)?(人|名|者|職員|担当者|社員|スタッフ)(で|により|による|にて|が)|別の(職員|社員|スタッフ|者)が|",
        "(プログラム|システム)(の)?(修正|改修)|突き合わせ|明文化|できない(よう|設定)|",
        "警告(が|を)(出|表示)|記入(する)?欄|欄を設け|リハーサル|自動テスト|[2２二]名が(確認|照合)|承認者|",
        "(送信|配信)を[0-9０-９]+(秒|分)保留|(ミラー|センサー|床表示|ガード|掲示)[^。]{0,15}設置|",
        "確認できるよう(に)?(し|いたし|改め)|",
        // A measure named as the permanent one is taken at its word (templates: 恒久対策は{…}).
        "恒久(対策|的な対策)|",
        // A prepared template to fill in.
        "雛形|ひな形"
    ))
    .expect("mechanism regex is valid")
});

/// A mechanism named only as something to be careful about (「ダブルチェックを心がける」
/// 「監視を徹底」) is still attention: the verb, not the noun, decides.
static MECHANISM_AS_ATTENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        "(チェック|監視|確認|照合|管理)(体制)?を(より)?(一層)?(徹底|強化|心が|心掛|意識|習慣)|",
        "(チェック|監視|確認|照合)(の徹底|に努め|を怠らな)"
    ))
    .expect("attention regex is valid")
});

static UNCERTAINTY: LazyLock<Regex> = LazyLock::new(|| {
    // 現時点 and 見込み only place a statement in time or estimate it; they are not hedges.
    Regex::new("未確定|確認中|調査中|精査中|確認を進めて|調査を進めて|推定|可能性")
        .expect("uncertainty regex is valid")
});

/// A count of people, records or goods: the scope of what was affected. Amounts (円) and
/// times (回) are not a scope: 「一部のお客様に1,000円を誤って請求」 still hides how many.
static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        "[0-9０-９〇一二三四五六七八九十百千万]+(?:[,，][0-9０-９]{3})*(?:\\.[0-9]+)?",
        "\\s*(?:件|名|人|社|台|個|通|割|%|％|店舗|アカウント|口座|世帯|点|本|枚|箱|箇所|か所|品目|部署|拠点|セット|便)"
    ))
    .expect("quantity regex is valid")
});

/// A number with a counter that is a number, not 数十件 or 何件 (an estimate, not a count).
fn is_quantified(text: &str) -> bool {
    QUANTITY
        .find_iter(text)
        .any(|m| !text[..m.start()].ends_with(['数', '何', '幾']))
}

static ACTOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        "(?:私|わたくし|弊社|当社|当方|小職|弊行|弊店|弊部|当部|弊課|当課|担当者|担当の[^、。]{1,8}|",
        "[^、。]{1,6}(?:部|課|チーム)の[^、。]{1,8})(?:の|が|は|にて|で|による)"
    ))
    .expect("actor regex is valid")
});

/// True when `text` names a prevention mechanism (the `mechanism` condition).
pub fn names_mechanism(text: &str) -> bool {
    MECHANISM.is_match(text) && !MECHANISM_AS_ATTENTION.is_match(text)
}

/// A 助動詞 ない/ぬ/ん among the matched tokens or the two right after them.
fn is_negated(ctx: &MatchContext) -> bool {
    let end = (ctx.matched.end + 2).min(ctx.tokens.len());
    ctx.tokens[ctx.matched.start..end]
        .iter()
        .any(|token| token.pos(0) == "助動詞" && matches!(token.base(), "ない" | "ぬ" | "ん"))
}

/// A 助動詞 た ending the matched predicate (after the auxiliaries that continue it: て,
/// ておる, てまいる, ている, ます, …) and followed by が, けれど, のに, ものの or
/// にもかかわらず: 「注意して|おりまし|た|が」. In 「行っておりましたが、…取り組んでまいります」
/// the concession belongs to another predicate than the pledge.
fn is_conceded(ctx: &MatchContext) -> bool {
    let is_ta = |token: &Token| token.pos(0) == "助動詞" && token.base() == "た";
    let tokens = ctx.tokens;
    let mut at = ctx.matched.end;
    let ta = if ctx.matched.end > ctx.matched.start && is_ta(&tokens[ctx.matched.end - 1]) {
        Some(ctx.matched.end - 1)
    } else {
        loop {
            let Some(token) = tokens.get(at) else {
                break None;
            };
            if is_ta(token) {
                break Some(at);
            }
            let continues = at < ctx.matched.end + 6
                && (token.pos(0) == "助動詞"
                    || token.pos(1) == "非自立"
                    || (token.pos(1) == "接続助詞"
                        && matches!(token.surface.as_str(), "て" | "で"))
                    || matches!(
                        token.base(),
                        "する"
                            | "いたす"
                            | "いる"
                            | "おる"
                            | "まいる"
                            | "参る"
                            | "くる"
                            | "来る"
                            | "いく"
                            | "行く"
                            | "しまう"
                    ));
            if !continues {
                break None;
            }
            at += 1;
        }
    };
    let Some(ta) = ta else {
        return false;
    };
    let next: Vec<&str> = tokens[ta + 1..]
        .iter()
        .take(3)
        .map(|t| t.surface.as_str())
        .collect();
    matches!(
        next.as_slice(),
        ["が", ..]
            | ["けれど" | "けれども" | "けど" | "のに" | "ものの", ..]
            | ["に", "も", "かかわら" | "拘わら" | "関わら", ..]
    )
}

static REQUEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        "ください|下さい|くださ[いる]|お願い|ご協力|",
        "いただけ(?:ます|ません|れば|ると|ない)|頂け(?:ます|ません|れば|ると|ない)|",
        "いただきます(?:よう|ように)|頂きます(?:よう|ように)|いただきたく|頂きたく"
    ))
    .expect("request regex is valid")
});

/// A clause boundary after which a request is a courtesy of its own, not what the match asks.
static CLAUSE_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("ので|から、|ますが|ますと共に|ますとともに|。")
        .expect("clause break regex is valid")
});

/// The first request marker after the match, with no ので/から between: 「判明次第ご連絡ください」
/// asks the reader; 「判明次第ご連絡いたしますので、ご理解ください」 promises.
fn is_reader_request(ctx: &MatchContext) -> bool {
    let Some(last) = ctx
        .matched
        .end
        .checked_sub(1)
        .and_then(|i| ctx.tokens.get(i))
    else {
        return false;
    };
    let from = last.end.clamp(ctx.sentence.start, ctx.sentence.end);
    let rest = &ctx.text[from..ctx.sentence.end];
    REQUEST
        .find(rest)
        .is_some_and(|m| !CLAUSE_BREAK.is_match(&rest[..m.start()]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    fn holds(condition: &str, text: &str, matched_surface: &str) -> bool {
        let tokens = tokenize(text, 0);
        let at = tokens
            .iter()
            .position(|t| t.surface == matched_surface)
            .unwrap_or(0);
        let ctx = MatchContext {
            text,
            sentence: 0..text.len(),
            tokens: &tokens,
            matched: at..at + 1,
            cues: &OnceLock::new(),
        };
        NamedCondition::parse(condition).unwrap().holds(&ctx)
    }

    #[test]
    fn negation_is_seen_after_the_match() {
        assert!(holds("negated", "その件は検討しません。", "し"));
        assert!(!holds("negated", "その件を検討します。", "し"));
        // The ない of the goal (〜ないよう) before the pledge does not negate the pledge.
        assert!(!holds(
            "negated",
            "誤りを起こさないよう取り組みます。",
            "取り組み"
        ));
    }

    #[test]
    fn conceded_is_a_past_predicate_before_but() {
        assert!(holds(
            "conceded",
            "宛先には注意しておりましたが、誤りました。",
            "注意"
        ));
        assert!(holds(
            "conceded",
            "確認を徹底していたにもかかわらず、漏れました。",
            "徹底"
        ));
        assert!(!holds("conceded", "全員に確認を徹底いたしました。", "徹底"));
        assert!(!holds(
            "conceded",
            "今後は確認を徹底してまいります。",
            "徹底"
        ));
        assert!(!holds(
            "conceded",
            "対策を行っておりましたが、今後は強化に取り組みます。",
            "取り組み"
        ));
    }

    #[test]
    fn a_request_is_the_clause_the_match_is_in() {
        assert!(holds("reader-request", "判明次第ご連絡ください。", "ご"));
        assert!(holds(
            "reader-request",
            "速やかにご返送いただけますと幸いです。",
            "速やか"
        ));
        assert!(!holds(
            "reader-request",
            "判明次第ご連絡いたしますので、ご理解ください。",
            "ご"
        ));
        assert!(!holds("reader-request", "順次ご連絡いたします。", "順次"));
    }

    #[test]
    fn mechanism_quantity_actor_uncertainty() {
        assert!(holds(
            "mechanism",
            "出荷前にチェックリストで確認します。",
            "で"
        ));
        assert!(!holds("mechanism", "今後は十分注意いたします。", "注意"));
        assert!(holds(
            "mechanism",
            "送信前に複数の職員で宛先を確認することを徹底します。",
            "徹底"
        ));
        assert!(holds("quantified", "お客様約1,200名に影響しました。", "に"));
        assert!(holds(
            "quantified",
            "3点のうち一部に不良がありました。",
            "に"
        ));
        assert!(!holds(
            "quantified",
            "数十件のお問い合わせがありました。",
            "が"
        ));
        assert!(holds(
            "mechanism",
            "4月から別の担当者が金額を照合します。",
            "が"
        ));
        assert!(!holds(
            "mechanism",
            "今後はダブルチェックを心がけます。",
            "は"
        ));
        assert!(!holds("mechanism", "今後は監視を徹底いたします。", "は"));
        assert!(!holds(
            "uncertainty-marked",
            "現時点で復旧しているはずです。",
            "で"
        ));
        assert!(!holds("quantified", "一部のお客様に影響しました。", "に"));
        assert!(!holds(
            "quantified",
            "一部のお客様に1,000円を誤って請求しました。",
            "に"
        ));
        assert!(holds(
            "named-actor",
            "弊社の確認不足により誤送信しました。",
            "誤"
        ));
        assert!(holds(
            "uncertainty-marked",
            "原因は現在調査中です。",
            "原因"
        ));
    }

    #[test]
    fn unknown_names_are_rejected() {
        assert!(NamedCondition::parse("deadline").is_some());
        assert!(NamedCondition::parse("soon").is_none());
    }
}
