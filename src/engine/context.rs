//! Conditions that look around a sentence, not only inside it: whether the text near it is
//! an apology or incident notice, and whether the sentence is a contact point. A hedge
//! (おそらく), a vague part (一部) or "be careful" means one thing in an incident report and
//! nothing wrong in a manual; the surrounding text tells which.
//!
//! The cues of a text are found once, in one pass over it, and kept sorted by offset, so
//! asking for a sentence is a binary search: a long file stays linear.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// How far before and after a sentence an incident cue still speaks for it, in bytes
/// (about 1,000 and 500 Japanese characters): a notice names its incident in the title or
/// the first paragraph, while a manual that mentions an outage once does not turn its other
/// chapters into an incident report.
const INCIDENT_BEFORE: usize = 3_000;
const INCIDENT_AFTER: usize = 1_500;

/// Words an apology, incident report or customer notice is built from; ordinary prose
/// (guides, manuals) rarely uses them.
static INCIDENT_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        "お詫び|おわび|お詫|謝罪|申し訳(?:ございません|ありません|なく)|陳謝|",
        "ご迷惑|ご不便|ご心配|ご不安|ご不快|",
        "誤送信|誤送付|誤配送|誤配信|誤発送|誤表示|誤請求|誤記載|",
        "漏えい|漏洩|流出|紛失|盗難|不正アクセス|不正利用|なりすまし|ウイルス感染|ランサムウェア|",
        "(?:障害|不具合|事故|事案|インシデント|トラブル|不備|遅延|ミス)(?:が|の)(?:発生|判明|生じ)|",
        "(?:発生|判明)(?:いたしました|致しました|しました)|事実関係|経緯|再発防止|",
        "(?:障害|不具合|事故|事案|インシデント|トラブル|遅延|誤り)(?:報告|について|に関する|のお知らせ)|",
        "(?:誤り|差異|不具合|障害|遅延|問題|不備)が(?:見つか|発生|判明|生じ)|",
        "ご報告(?:します|いたします|致します|申し上げます)|【(?:報告|速報|続報|第[0-9０-９一二三]+報)】"
    ))
    .expect("incident cue regex is valid")
});

/// A sentence that gives a place to write to: the writer's own contact desk or a mailing
/// list. Not a customer's address leaked into a notice.
static CONTACT_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        "お?問い?合わ?せ(?:先|窓口|は|につきましては|フォーム)|窓口|連絡先|ヘルプデスク|サポートセンター|",
        "(?:まで|宛て?に?)(?:メール|ご?連絡|お寄せ|お送り|お問い?合わ?せ|お願い)|メール(?:で|にて)(?:お|ご)|",
        // A request to the reader to use the address (…へお願いいたします, …にお申し付けください)
        // or the writer's signature label (担当：田中): the writer's own contact.
        "へお願い(?:いた)?します|(?:まで|へ|に)(?:お申し付け|ご相談|お知らせ)ください|担当者?[:：]|",
        "E-?mail|e-?mail|MAIL|TEL|Tel|FAX|Fax|電話番号|メーリングリスト|購読|",
        "@(?:[a-z0-9-]+\\.)*(?:lists|bugs)\\.|",
        "(?:info|support|contact|help|sales|webmaster|postmaster|noreply|no-reply|admin|root|security|privacy)@"
    ))
    .expect("contact cue regex is valid")
});

/// Where the incident cues of one text start, in ascending order.
#[derive(Debug, Default)]
pub struct TextCues {
    incident: Vec<usize>,
}

impl TextCues {
    pub fn find(text: &str) -> Self {
        crate::work::count(crate::work::Work::Conditions, text.len() as u64);
        let starts = |cue: &Regex| cue.find_iter(text).map(|m| m.start()).collect();
        TextCues {
            incident: starts(&INCIDENT_CUE),
        }
    }

    /// The `incident` condition: an incident cue in the sentence or near it.
    pub fn near_incident(&self, sentence: &Range<usize>) -> bool {
        any_within(
            &self.incident,
            sentence.start.saturating_sub(INCIDENT_BEFORE)..sentence.end + INCIDENT_AFTER,
        )
    }
}

/// The `contact-point` condition: the sentence gives an address to write to.
pub fn is_contact_point(sentence_text: &str) -> bool {
    CONTACT_CUE.is_match(sentence_text)
}

/// Whether a sorted list of offsets has one inside `window`.
fn any_within(sorted: &[usize], window: Range<usize>) -> bool {
    let first = sorted.partition_point(|&offset| offset < window.start);
    sorted.get(first).is_some_and(|&offset| offset < window.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence_of(text: &str, needle: &str) -> Range<usize> {
        let start = text.find(needle).expect("needle is in the text");
        start..start + needle.len()
    }

    #[test]
    fn an_incident_cue_speaks_for_nearby_sentences_only() {
        let notice = "システム障害についてのお詫び。原因はおそらく設定の誤りです。";
        let cues = TextCues::find(notice);
        assert!(cues.near_incident(&sentence_of(notice, "原因はおそらく")));

        let far = format!(
            "{}{}",
            "手順を説明します。".repeat(400),
            "原因はおそらく設定です。"
        );
        let manual = format!("障害が発生しました。{far}");
        let cues = TextCues::find(&manual);
        assert!(!cues.near_incident(&sentence_of(&manual, "原因はおそらく")));
    }

    #[test]
    fn contact_points_are_told_from_leaked_addresses() {
        assert!(is_contact_point(
            "お問い合わせは desk@kintsugi.test までお願いいたします。"
        ));
        assert!(is_contact_point(
            "詳しくは debian-devel@lists.debian.org で議論します。"
        ));
        assert!(!is_contact_point(
            "お客様の taro.yamada@kintsugi.test 宛ての案内が他の方に届きました。"
        ));
        assert!(is_contact_point(
            "ご連絡は担当 tanaka@example.co.jp へお願いいたします。"
        ));
        assert!(is_contact_point("担当：営業部 田中 tanaka@example.co.jp"));
        assert!(!is_contact_point(
            "担当者が suzuki@example.com 宛てに誤って送信しました。"
        ));
    }
}
