//! Document checks through the command line: kinds (detected, stated in the file, given by
//! flag or config), the `document` object in JSON, the checklist, and `new` templates.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

mod common;
use common::json_of;

fn kintsugi(dir: &Path) -> Command {
    let mut cmd = common::binary();
    cmd.current_dir(dir);
    cmd
}

fn structure_rules(file: &Value) -> Vec<String> {
    file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["category"] == "structure")
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

const KINDS: [&str; 4] = ["apology", "incident-report", "notice", "short-report"];

#[test]
fn templates_from_new_pass_every_rule_and_read_as_their_kind() {
    let dir = tempfile::tempdir().unwrap();
    for kind in KINDS {
        let out = kintsugi(dir.path()).args(["new", kind]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{kind}");
        let file = dir.path().join(format!("{kind}.txt"));
        std::fs::write(&file, &out.stdout).unwrap();
        let json = json_of(
            kintsugi(dir.path())
                .args(["--format", "json", "--fail-on", "info"])
                .arg(&file),
        );
        let report = &json["files"][0];
        assert_eq!(
            report["findings"].as_array().unwrap().len(),
            0,
            "{kind}: {report}"
        );
        assert_eq!(report["document"]["kind"], kind, "{kind}: {report}");
        let elements = report["document"]["elements"].as_object().unwrap();
        assert!(
            elements
                .values()
                .filter(|e| e["required"] == true)
                .all(|e| e["present"] == true),
            "{kind}: {report}"
        );
    }
    kintsugi(dir.path()).args(["new", "memo"]).assert().code(2);
}

#[test]
fn a_plain_note_has_no_kind_and_no_document_findings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("note.txt"),
        "明日の打ち合わせは10時からです。\n資料は本日中に共有します。\n会議室は3階です。\n",
    )
    .unwrap();
    let json = json_of(kintsugi(dir.path()).args(["--format", "json", "note.txt"]));
    let document = &json["files"][0]["document"];
    assert_eq!(document["kind"], Value::Null);
    assert_eq!(
        document["elements"]["schedule"]["present"], true,
        "elements are still reported"
    );
    assert!(structure_rules(&json["files"][0]).is_empty());
}

/// The kind detected for `text` as one file, with no config.
fn detected_kind(text: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.txt"), text).unwrap();
    let json = json_of(kintsugi(dir.path()).args(["--isolated", "--format", "json", "draft.txt"]));
    json["files"][0]["document"]["kind"].clone()
}

/// A letter to one named reader that apologizes in its opening lines reads as an apology
/// letter without a 件名 line; a routine mail to a named reader does not.
#[test]
fn an_untitled_letter_that_opens_with_an_apology_is_an_apology() {
    let dir = tempfile::tempdir().unwrap();
    let letter = "株式会社みなみ工房 中島様\n平素は格別のお引き立てをいただき、誠にありがとうございます。\n株式会社ライトウェーブの石井です。\n4月18日にお届け予定でした照明20台の納品が遅れておりますこと、心よりお詫び申し上げます。\n残りの8台は4月25日までにお届けいたします。\n";
    let routine =
        "山田様\nお世話になっております。\n見積書を送付いたします。\nご確認をお願いいたします。\n";
    std::fs::write(dir.path().join("letter.txt"), letter).unwrap();
    std::fs::write(dir.path().join("routine.txt"), routine).unwrap();
    let json = json_of(kintsugi(dir.path()).args([
        "--isolated",
        "--format",
        "json",
        "letter.txt",
        "routine.txt",
    ]));
    let kind_of = |i: usize| json["files"][i]["document"]["kind"].clone();
    assert_eq!(kind_of(0), "apology", "{json}");
    assert_eq!(kind_of(1), Value::Null, "{json}");
    assert!(
        structure_rules(&json["files"][0]).contains(&"missing-element".to_owned()),
        "the letter is checked as a letter: {json}"
    );
    // Written to an organization (a space before 御中) and spaced out by blank lines.
    let spaced = "株式会社みなみ工房 御中\n\n平素は格別のお引き立てをいただき、誠にありがとうございます。\n\n株式会社ライトウェーブの石井です。\n\n4月18日にお届け予定でした照明20台の納品が遅れておりますこと、心よりお詫び申し上げます。\n残りの8台は4月25日までにお届けいたします。\n";
    assert_eq!(detected_kind(spaced), "apology");
}

/// A notice need not open with 各位: naming its readers as a group (対象となるお客様) shows it
/// is sent to many, even under an お詫び title that an apology letter could have.
#[test]
fn a_text_that_names_its_readers_as_a_group_is_a_notice() {
    let notice = "定期便のお届け内容に関するお詫び\nいつも「みどり便」をご利用いただき、ありがとうございます。\n10月12日のお届け分で、ご注文と異なる品物をお届けしました。\n対象となるお客様には、10月20日までに正しい品物をお送りいたします。\nご迷惑をおかけし、申し訳ございません。\n";
    assert_eq!(detected_kind(notice), "notice");
}

/// A page that says what happened and whom it affected is a notice even when its words are
/// too few to show it (no title, no お知らせ, one word of a published page: 当館): its
/// `fallback_elements` choose the kind, with a low confidence. Without any word of a notice,
/// the same parts (a manual that states dates and counts) leave the text without a kind.
#[test]
fn a_page_with_facts_and_impact_is_a_notice_when_its_words_are_thin() {
    let page = "11月14日午後3時ごろから約2時間、当館の予約システムで貸出予約を受け付けられない状態になりました。\nこの間に予約された利用者42名のうち、12名の方の予約が取り消されました。\n取り消された予約は、11月17日までに元の順番でお戻しします。\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("page.txt"), page).unwrap();
    let json = json_of(kintsugi(dir.path()).args(["--isolated", "--format", "json", "page.txt"]));
    let document = &json["files"][0]["document"];
    assert_eq!(document["kind"], "notice", "{json}");
    assert!(document["confidence"].as_f64().unwrap() < 0.5, "{json}");
    let manual = "11月14日に版2.3を公開し、42件の不具合を直しました。\nこの変更により、旧形式の設定を使う12件のパッケージが影響を受けました。\n古い設定ファイルは11月17日以降も読み込めます。\n";
    std::fs::write(dir.path().join("manual.txt"), manual).unwrap();
    let json = json_of(kintsugi(dir.path()).args(["--isolated", "--format", "json", "manual.txt"]));
    let document = &json["files"][0]["document"];
    assert_eq!(document["elements"]["facts"]["present"], true, "{json}");
    assert_eq!(document["elements"]["impact"]["present"], true, "{json}");
    assert_eq!(document["kind"], Value::Null, "{json}");
}

/// 各位 after a department or a role (営業部 各位, 店長各位) addresses colleagues: an internal
/// report, not a notice to customers (各位 alone made this 【共有】 memo a notice).
#[test]
fn a_memo_to_colleagues_as_a_group_is_a_short_report() {
    let memo = "件名: 【共有】納品書の品番誤りについて\n営業部 各位\n本日、D社向けの納品書で品番を誤って記載していたことが判明しました。\n正しい納品書は本日17時までに再発行します。\n明日の朝会で経緯を説明しますので、ご確認ください。\n";
    assert_eq!(detected_kind(memo), "short-report");
}

/// Writes each sentence into its own apology letter (after the same opening) and asserts
/// that every letter is read as an apology with `element` present.
fn assert_element_found_in_letters(element: &str, sentences: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let opening = "株式会社トライアングル 購買部 福田様\nいつもお世話になっております。\n株式会社ミツバ機工の橋本でございます。\n";
    let mut cmd = kintsugi(dir.path());
    cmd.args(["--isolated", "--format", "json"]);
    for (i, sentence) in sentences.iter().enumerate() {
        let name = format!("{i}.txt");
        std::fs::write(dir.path().join(&name), format!("{opening}{sentence}\n")).unwrap();
        cmd.arg(name);
    }
    let json = json_of(&mut cmd);
    for (i, sentence) in sentences.iter().enumerate() {
        let document = &json["files"][i]["document"];
        assert_eq!(document["kind"], "apology", "{sentence}: {document}");
        assert_eq!(
            document["elements"][element]["present"], true,
            "{element} in {sentence}: {document}"
        );
    }
}

/// What happened, in the words letters use for it: 〜てしまい, 不手際, 〜状態となり, 延長し.
#[test]
fn facts_are_found_in_the_words_letters_use_for_them() {
    assert_element_found_in_letters(
        "facts",
        &[
            "このたびは、納品時に梱包材を回収せずに引き上げてしまい、大変申し訳ございません。",
            "このたびは、3月分の請求書の作成に弊社の不手際があり、大変申し訳ございません。",
            "3月9日のメンテナンスが予定より延長し、8時35分に終了いたしました。大変申し訳ございません。",
            "送信先の283名のメールアドレスが、ほかの受信者から見える状態となりました。大変申し訳ございません。",
        ],
    );
}

/// A stopgap until the permanent fix, and making good what went wrong, are interim measures.
#[test]
fn interim_measures_include_stopgaps_and_making_good() {
    assert_element_found_in_letters(
        "interim-measure",
        &[
            "給与計算に誤りがあり、大変申し訳ございません。自動化が完了するまでの間は、入力後に別の担当者が照合します。",
            "請求額に誤りがあり、大変申し訳ございません。差額の12,000円は11月末のご請求から差し引かせていただきます。",
            "誤った部品をお届けし、大変申し訳ございません。正しい部品を明日午前に再配達いたします。",
        ],
    );
}

/// A prevention measure is a mechanism, wherever it is written: a sentence naming who checks or
/// what changes counts without 再発防止 or 今後は in it.
#[test]
fn a_mechanism_is_a_permanent_measure_without_the_word_for_it() {
    assert_element_found_in_letters(
        "permanent-measure",
        &[
            "宛先を誤り、大変申し訳ございません。5月20日の送付分から、発送前に別の担当者が宛名を照合します。",
            "納品が遅れ、大変申し訳ございません。出荷指示書には、6月1日から梱包材回収の有無を記入する欄を設けます。",
            "誤った単価で請求し、大変申し訳ございません。単価の変更は、登録者と承認者の2名が確認しないと反映されない仕組みに改めました。",
        ],
    );
}

/// An effort pledge aims at the part but is not it: 恒久対策 is an attempt (△ in the
/// checklist, `attempts` in JSON), reported by weak-prevention-measure, not by missing-element.
#[test]
fn an_effort_pledge_is_an_attempt_at_a_permanent_measure_not_one() {
    let dir = tempfile::tempdir().unwrap();
    let report = "件名: 【障害報告】予約システムの停止について\n6月3日9時から10時まで、予約システムが停止しました。\nこの障害により、約140件のご予約を受け付けできませんでした。\n原因は、証明書の更新を手作業で行っていたことでした。\n暫定対策として、同日10時に証明書を更新し、復旧しました。\n今後は再発防止に努めてまいります。\n次回のご報告は6月10日までにいたします。\n";
    std::fs::write(dir.path().join("report.txt"), report).unwrap();
    let json = json_of(kintsugi(dir.path()).args(["--isolated", "--format", "json", "report.txt"]));
    let file = &json["files"][0];
    let measure = &file["document"]["elements"]["permanent-measure"];
    assert_eq!(measure["present"], false, "{file}");
    assert_eq!(
        measure["attempts"].as_array().map(Vec::len),
        Some(1),
        "{file}"
    );
    let rules = structure_rules(file);
    assert!(
        rules.contains(&"weak-prevention-measure".to_owned()),
        "{file}"
    );
    assert!(!rules.contains(&"missing-element".to_owned()), "{file}");
    let full = kintsugi(dir.path())
        .args(["--isolated", "report.txt"])
        .output()
        .unwrap();
    let text = String::from_utf8(full.stdout).unwrap();
    assert!(
        text.contains("△ 恒久対策（6行目: 仕組みが書かれていません）"),
        "{text}"
    );
}

/// A team's own kind and element (fixtures/user-rules, documented in rules/README.md) load
/// with `--rules` like built-in ones: the kind is detected, its own element is checked, and
/// `new` prints a template that passes.
#[test]
fn a_rule_folder_can_add_a_kind_and_an_element() {
    let dir = tempfile::tempdir().unwrap();
    let rules = std::fs::canonicalize("fixtures/user-rules").unwrap();
    let rules = rules.to_str().unwrap();
    let draft = "件名: 発注数量の入力誤りについての始末書\n誠に申し訳ございません。\n3月5日、私は取引先への発注で、数量を誤って1000個と入力しました。\n原因は、入力後に数量を確認する手順を省いたことです。\n今後は、3月10日から発注前に上長が数量を照合するダブルチェックを必須とします。\n";
    std::fs::write(dir.path().join("draft.txt"), draft).unwrap();
    let json = json_of(kintsugi(dir.path()).args([
        "--isolated",
        "--rules",
        rules,
        "--format",
        "json",
        "draft.txt",
    ]));
    let file = &json["files"][0];
    assert_eq!(file["document"]["kind"], "shimatsusho", "{json}");
    assert_eq!(file["document"]["elements"]["reflection"]["present"], false);
    let missing: Vec<&str> = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "missing-element")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["この始末書には「反省」がありません。"], "{json}");

    let out = kintsugi(dir.path())
        .args(["--isolated", "--rules", rules, "new", "shimatsusho"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    std::fs::write(dir.path().join("template.txt"), &out.stdout).unwrap();
    kintsugi(dir.path())
        .args([
            "--isolated",
            "--rules",
            rules,
            "--fail-on",
            "info",
            "template.txt",
        ])
        .assert()
        .code(0);
}

const UNTITLED_REPORT: &str = "3月5日10時から11時まで、受注システムが停止しました。\n原因は、設定変更時の確認手順が定まっていなかったことでした。\n暫定対策として、設定を変更前の状態に戻しました。\n";

#[test]
fn the_kind_can_be_stated_in_the_file_given_by_flag_or_config() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("plain.txt"), UNTITLED_REPORT).unwrap();
    std::fs::write(
        root.join("stated.txt"),
        format!("# kintsugi-lint-kind: incident-report\n{UNTITLED_REPORT}"),
    )
    .unwrap();

    let plain = json_of(kintsugi(root).args(["--format", "json", "--isolated", "plain.txt"]));
    assert_eq!(
        plain["files"][0]["document"]["kind"],
        Value::Null,
        "too little to guess"
    );

    let stated = json_of(kintsugi(root).args(["--format", "json", "--isolated", "stated.txt"]));
    let document = &stated["files"][0]["document"];
    assert_eq!(
        (document["kind"].as_str(), document["source"].as_str()),
        (Some("incident-report"), Some("comment"))
    );
    let missing: Vec<String> = structure_rules(&stated["files"][0]);
    assert_eq!(
        missing,
        ["missing-element", "missing-element", "missing-element"],
        "impact, permanent measure, schedule"
    );
    assert_eq!(document["elements"]["impact"]["present"], false);
    assert_eq!(document["elements"]["cause"]["present"], true);
    assert_eq!(document["elements"]["cause"]["spans"][0]["line"], 3);

    let flagged = json_of(kintsugi(root).args([
        "--format",
        "json",
        "--isolated",
        "--kind",
        "incident-report",
        "plain.txt",
    ]));
    assert_eq!(flagged["files"][0]["document"]["source"], "configured");
    kintsugi(root)
        .args(["--isolated", "--kind", "memo", "plain.txt"])
        .assert()
        .code(2);

    std::fs::write(
        root.join("kintsugi.toml"),
        "[kind]\n\"plain.txt\" = \"incident-report\"\n",
    )
    .unwrap();
    let configured = json_of(kintsugi(root).args(["--format", "json", "plain.txt"]));
    assert_eq!(
        configured["files"][0]["document"]["kind"],
        "incident-report"
    );
}

#[test]
fn full_output_ends_each_document_with_its_checklist() {
    let out = common::binary()
        .args(["--color", "never", "fixtures/bad/incident-report.txt"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let checklist: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.starts_with("fixtures/bad/incident-report.txt: 障害報告"))
        .take_while(|line| !line.is_empty())
        .collect();
    assert_eq!(checklist.len(), 7, "{text}");
    assert!(
        checklist[0].contains("incident-report") && checklist[0].contains("確度"),
        "{text}"
    );
    assert!(
        checklist.iter().any(|l| l.starts_with("  ✘ 暫定対策")),
        "{text}"
    );
    assert!(
        checklist.iter().any(|l| l.starts_with("  ✔ 原因（")),
        "{text}"
    );
}

#[test]
fn good_fixtures_have_every_part_their_kind_needs() {
    let expected = [
        ("fixtures/good/apology-letter.txt", "apology"),
        ("fixtures/good/delay-notice.txt", "short-report"),
        ("fixtures/good/incident-report.txt", "incident-report"),
        ("fixtures/good/incident-report.md", "incident-report"),
        ("fixtures/good/service-notice.txt", "notice"),
        ("fixtures/good/short-report.txt", "short-report"),
    ];
    for (path, kind) in expected {
        let json = json_of(common::binary().args(["--format", "json", path]));
        let file = &json["files"][0];
        assert_eq!(file["document"]["kind"], kind, "{path}");
        assert!(structure_rules(file).is_empty(), "{path}: {file}");
    }
}
