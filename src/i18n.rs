//! Every word the user sees, in English and Japanese: a typed table, so a missing translation
//! is a compile error (each arm must give both).

use crate::domain::{CallResult, Channel, LeadStatus, Role};
use serde::{Deserialize, Serialize};

/// The display language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ja,
}

impl Lang {
    /// From the system locale: Japanese for `ja*`, English otherwise.
    pub fn from_system() -> Lang {
        match sys_locale::get_locale() {
            Some(l) if l.to_ascii_lowercase().starts_with("ja") => Lang::Ja,
            _ => Lang::En,
        }
    }
    /// Pick the English or the Japanese text.
    pub fn pick<'a>(self, en: &'a str, ja: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Ja => ja,
        }
    }
}

/// Labels of the vocabulary.
pub trait Label {
    fn label(&self, lang: Lang) -> &'static str;
}

impl Label for LeadStatus {
    fn label(&self, lang: Lang) -> &'static str {
        let (en, ja) = match self {
            LeadStatus::New => ("New", "新規"),
            LeadStatus::Approaching => ("Approaching", "アプローチ中"),
            LeadStatus::Scheduling => ("Scheduling", "日程調整中"),
            LeadStatus::Meeting => ("Meeting won", "商談獲得"),
            LeadStatus::Pending => ("Pending", "未接触"),
            LeadStatus::Nurturing => ("Nurturing", "ナーチャリング"),
            LeadStatus::OutOfScope => ("Out of scope", "対象外"),
        };
        lang.pick(en, ja)
    }
}

impl Label for CallResult {
    fn label(&self, lang: Lang) -> &'static str {
        let (en, ja) = match self {
            CallResult::Unconnected => ("Unconnected", "未接続"),
            CallResult::Recall => ("Recall", "再架電必要"),
            CallResult::Appointment => ("Appointment", "アポ獲得"),
            CallResult::Lost => ("Lost", "失注"),
            CallResult::OutOfScope => ("Out of scope", "対象外"),
        };
        lang.pick(en, ja)
    }
}

impl Label for Channel {
    fn label(&self, lang: Lang) -> &'static str {
        let (en, ja) = match self {
            Channel::Call => ("Call", "電話"),
            Channel::Email => ("Email", "メール"),
            Channel::Linkedin => ("LinkedIn", "LinkedIn"),
            Channel::Sms => ("SMS", "SMS"),
            Channel::Meeting => ("Meeting", "商談"),
            Channel::Other => ("Other", "その他"),
        };
        lang.pick(en, ja)
    }
}

impl Label for Role {
    fn label(&self, lang: Lang) -> &'static str {
        let (en, ja) = match self {
            Role::Initiator => ("Initiator", "起案者"),
            Role::User => ("User", "利用者"),
            Role::Influencer => ("Influencer", "影響者"),
            Role::DecisionMaker => ("Decision maker", "意思決定者"),
            Role::EconomicBuyer => ("Economic buyer", "予算決裁者"),
            Role::Gatekeeper => ("Gatekeeper", "窓口・受付"),
        };
        lang.pick(en, ja)
    }
}

/// The label of a reason key: built-in reasons are translated, custom ones shown as written.
pub fn reason_label(key: &str, lang: Lang) -> String {
    let (en, ja) = match key {
        "absent" => ("Absent", "不在"),
        "voicemail" => ("Voicemail", "留守電"),
        "reception_block" => ("Reception block", "受付ブロック"),
        "wrong_number" => ("Wrong number", "番号違い"),
        "no_need" => ("No need", "ニーズなし"),
        "no_budget" => ("No budget", "予算なし"),
        "timing" => ("Timing", "時期尚早"),
        "competitor" => ("Competitor", "競合利用"),
        "other" => ("Other", "その他"),
        "left_company" => ("Left company", "退職"),
        "wrong_person" => ("Wrong person", "担当違い"),
        "reverse_sales" => ("Reverse sales", "逆営業"),
        "not_icp" => ("Not ICP", "ターゲット外"),
        "meeting_lost" => ("Meeting lost", "商談失注"),
        "no_show" => ("No-show", "商談不実施"),
        "recycled" => ("Recycled", "再利用(未接触から復帰)"),
        other => {
            return crate::domain::touch::TouchKind::from_key(other)
                .map(|k| k.label(lang).to_string())
                .unwrap_or_else(|| other.to_string());
        }
    };
    lang.pick(en, ja).to_string()
}

/// A queue row's short reason, in words.
pub fn reason_text(r: &crate::domain::ranking::Reason, lang: Lang, zone: chrono_tz::Tz) -> String {
    use crate::domain::ranking::Reason;
    match *r {
        Reason::Callback { promised, now } => {
            // the time alone today; with the date when the promise was for another day
            let p = promised.with_timezone(&zone);
            let t = if p.date_naive() == now.with_timezone(&zone).date_naive() {
                p.format("%H:%M").to_string()
            } else {
                match lang {
                    Lang::En => p.format("%a %m-%d %H:%M").to_string(),
                    Lang::Ja => p.format("%m/%d %H:%M").to_string(),
                }
            };
            match lang {
                Lang::En => format!("callback promised {t}"),
                Lang::Ja => format!("{t} 再架電の約束"),
            }
        }
        Reason::NewLead { minutes } => match lang {
            Lang::En => format!("new lead · {minutes} min"),
            Lang::Ja => format!("新規リード · {minutes}分"),
        },
        Reason::Due {
            tier,
            overdue_minutes,
            status,
            age_minutes,
        } => {
            let what = match (status, lang) {
                (LeadStatus::New, Lang::En) => format!("new lead · {}", span(age_minutes, lang)),
                (LeadStatus::New, Lang::Ja) => format!("新規 · {}", span(age_minutes, lang)),
                (LeadStatus::Nurturing, Lang::En) => "re-approach".to_string(),
                (LeadStatus::Nurturing, Lang::Ja) => "再アプローチ".to_string(),
                (LeadStatus::Scheduling, Lang::En) => "fix the meeting date".to_string(),
                (LeadStatus::Scheduling, Lang::Ja) => "日程調整".to_string(),
                (_, Lang::En) if overdue_minutes < 60 => "due now".to_string(),
                (_, Lang::Ja) if overdue_minutes < 60 => "予定時刻".to_string(),
                (_, Lang::En) => format!("overdue {}", span(overdue_minutes, lang)),
                (_, Lang::Ja) => format!("{}超過", span(overdue_minutes, lang)),
            };
            format!("{tier} · {what}")
        }
    }
}

/// A duration in minutes, short: `45 min`, `3 h`, `2 d` (`45分`, `3時間`, `2日`).
pub fn span(minutes: i64, lang: Lang) -> String {
    let m = minutes.max(0);
    match (lang, m) {
        (Lang::En, m) if m < 60 => format!("{m} min"),
        (Lang::En, m) if m < 48 * 60 => format!("{} h", m / 60),
        (Lang::En, m) => format!("{} d", m / (24 * 60)),
        (Lang::Ja, m) if m < 60 => format!("{m}分"),
        (Lang::Ja, m) if m < 48 * 60 => format!("{}時間", m / 60),
        (Lang::Ja, m) => format!("{}日", m / (24 * 60)),
    }
}

macro_rules! messages {
    ($( $variant:ident => ($en:literal, $ja:literal), )+) => {
        /// A phrase the user reads (a label or a message). Each variant must give English and
        /// Japanese, so a missing translation is a compile error. `{}` marks where
        /// [`Phrase::fill`] puts a value.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Phrase { $($variant),+ }

        impl Phrase {
            /// The text in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match self { $(Phrase::$variant => lang.pick($en, $ja)),+ }
            }
        }
    };
}

messages! {
    HeaderCount => ("{} to call", "架電対象 {}件"),
    ColRank => ("#", "#"),
    ColTier => ("T", "T"),
    ColCompany => ("Company", "会社"),
    ColContact => ("Contact", "担当者"),
    ColLocal => ("Local", "現地"),
    ColStatus => ("Status", "状態"),
    ColTouches => ("Tc", "回"),
    ColDue => ("Due", "期限"),
    ColReason => ("Why", "理由"),
    QueueTitle => ("Queue", "キュー"),
    DetailTitle => ("Lead", "リード詳細"),
    Employees => ("{} employees", "従業員 {}名"),
    Dept => ("Dept", "部署"),
    Role => ("Role", "役割"),
    Phone => ("Phone", "電話"),
    Mobile => ("Mobile", "携帯"),
    Email => ("Email", "メール"),
    Source => ("Source", "流入元"),
    Owner => ("Owner", "担当"),
    Zone => ("Zone", "時間帯"),
    LocalNow => ("now {}", "現在 {}"),
    ZoneUnknown => ("zone unknown", "時間帯不明"),
    DncAsk => ("Do not call: {} — press call again to dial anyway", "架電禁止: {} — それでも発信するにはもう一度架電キー"),
    DncByRep => ("marked by {}", "{} が設定"),
    DncMarked => ("{}: do not call — removed from the queue (kaden dnc LEAD --clear lifts it)", "{}: 架電禁止 — キューから外しました(解除は kaden dnc LEAD --clear)"),
    DoNotCall => ("Do not call", "架電禁止"),
    QueueMine => ("{}'s leads and unassigned ones", "{} のリードと未割当"),
    QueueEveryone => ("everyone's leads", "全員のリード"),
    PowerOn => ("power mode on: the next lead is dialed as soon as a result is saved (P pauses)", "パワーモード オン: 結果を保存するとすぐ次のリードを発信(P で一時停止)"),
    PowerPaused => ("power mode paused", "パワーモード 一時停止"),
    PowerBadge => ("POWER", "パワー"),
    HeaderMine => ("own + unassigned", "自分+未割当"),
    Status => ("Status", "状態"),
    NurtureReason => ("reason: {}", "理由: {}"),
    Next => ("Next", "次アクション"),
    NoNext => ("no next action", "ネクストアクション無"),
    OnCall => ("On call", "通話中"),
    WhyTitle => ("Why here", "この順位の理由"),
    WhyShort => ("Why", "理由"),
    Band => ("Band", "帯"),
    Tier => ("Tier", "ティア"),
    TermOverdue => ("Overdue", "期限超過"),
    TermAge => ("Lead age", "リード経過"),
    TermTouches => ("Touches", "接触回数"),
    Score => ("Score", "スコア"),
    HistoryTitle => ("History ({})", "履歴 ({}件)"),
    NoHistory => ("No touches yet", "接触履歴なし"),
    NoteKind => ("Note", "メモ"),
    BandCallback => ("Promised callback", "約束の再架電"),
    BandSpeed => ("Speed to lead", "スピードトゥリード"),
    BandDue => ("Due by cadence", "ケイデンス予定"),
    EmptyTitle => ("Nobody to call right now", "今すぐ架電できる相手はいません"),
    EmptyNext => ("Opens next:", "次に架電できる相手:"),
    EmptyNone => ("No lead has an open next action. Add leads with `kaden import FILE` (or try `kaden demo`).", "ネクストアクションのあるリードはありません。`kaden import FILE` でリードを取り込めます(お試しは `kaden demo`)。"),
    TheirTime => ("their time {}", "先方 {}"),
    OffHoursWarn => ("their time {} is outside calling hours — the prospect asked for it?", "先方 {} は架電時間外 — 先方の希望ですか?"),
    OffHoursKept => ("their time {}, outside calling hours: kept as asked", "先方 {} (架電時間外・先方の希望)"),
    OffHoursConfirm => ("Enter again keeps their {} (they asked) · or change the time", "もう一度 Enter で先方 {} を保存 · 時刻の変更も可"),
    FormTitle => ("{} — {}", "{} — {}"),
    FieldNext => ("Next action", "次アクション"),
    FieldCallback => ("Call back at", "再架電日時"),
    FieldMeeting => ("Meeting at", "商談日時"),
    FieldBudget => ("Budget", "予算"),
    FieldConsideration => ("Consideration", "検討"),
    FieldTiming => ("Timing", "時期"),
    FieldChannel => ("Channel", "チャネル"),
    FieldOwner => ("Owner", "担当"),
    FieldReason => ("Reason", "理由"),
    FieldNote => ("Note", "メモ"),
    Yes => ("yes", "はい"),
    No => ("no", "いいえ"),
    RecallAsk => ("when did they ask you to call back?", "いつかけ直すよう言われましたか?"),
    LostNoNext => ("empty = nurturing without a next action", "空欄 = ナーチャリング(ネクストアクション無)"),
    MeetingEmpty => ("empty = date not fixed yet (Scheduling)", "空欄 = 日程未定(日程調整中)"),
    WillPark => ("no conversation after {} calls: the lead is parked as Pending", "{}回つながらず: 未接触として保留します"),
    WillClose => ("the lead is closed (no next action)", "リードをクローズします(ネクストアクション無)"),
    TimeUnreadable => ("cannot read that time (try 30m, 2h, 14:00, tomorrow 10:00, 2026-12-01 15:30)", "時刻を読めません(例: 30m, 2h, 14:00, 明日 10:00, 2026-12-01 15:30)"),
    TimePast => ("that time is in the past", "過去の時刻です"),
    TimeRequired => ("a time is required", "時刻は必須です"),
    ToastNextTry => ("next try {}", "次回 {}"),
    ToastCallback => ("callback {}", "{} に再架電"),
    ToastMeeting => ("meeting {}", "商談 {}"),
    ToastScheduling => ("meeting date to fix", "日程調整中"),
    ToastReapproach => ("re-approach {}", "再アプローチ {}"),
    ToastClosed => ("closed", "クローズ"),
    ToastNurturingOpen => ("nurturing, no next action", "ナーチャリング（次回アクションなし）"),
    ToastPending => ("parked as Pending", "未接触として保留"),
    Undone => ("Undone", "取り消しました"),
    NothingToUndo => ("Nothing to undo in this session", "このセッションで取り消せる結果はありません"),
    NoteSaved => ("Note saved", "メモを保存しました"),
    Dialing => ("Dialing {}", "発信中 {}"),
    Copied => ("Copied {} — dial it now", "{} をコピーしました — 発信してください"),
    NumberOnly => ("number: {}", "番号: {}"),
    NoPhone => ("This lead has no phone number", "このリードには電話番号がありません"),
    DialFailed => ("dial command failed: {}", "発信コマンドが失敗しました: {}"),
    NoLeadSelected => ("No lead selected", "リードが選択されていません"),
    ViewQueue => ("Queue", "キュー"),
    ViewDashboard => ("Dashboard", "ダッシュボード"),
    DashboardSoon => ("The dashboard could not be computed (Tab returns to the queue)", "ダッシュボードを表示できません(Tab でキューへ戻る)"),
    ModalTitle => ("Could not save", "保存できませんでした"),
    ModalHint => ("Nothing was written. Enter or Esc closes this.", "何も書き込まれていません。Enter か Esc で閉じます。"),
    HelpTitle => ("Help — keys in force", "ヘルプ — 現在のキー割り当て"),
    HelpForm => ("In the result form", "結果フォーム"),
    HelpInput => ("In the search and note line", "検索・メモ入力"),
    HelpMeetings => ("In the meetings to report (Tab)", "商談結果の報告(Tab)"),
    ViewMeetings => ("Meetings to report", "商談結果の報告"),
    MeetingsNone => ("No meetings to report: every meeting whose time has passed has a result.", "報告待ちの商談はありません。日時を過ぎた商談はすべて結果が入っています。"),
    MeetingsHint => ("Past meetings without a result. Lost or no-show: back to nurturing, re-approach in {} days.", "日時を過ぎて結果未報告の商談。失注・不実施はナーチャリングへ({}日後に再アプローチ)"),
    ColMeeting => ("Meeting", "商談日時"),
    ColSalRank => ("Rank", "ランク"),
    ColExpected => ("Expected", "見込額"),
    ColBookedBy => ("Booked by", "獲得者"),
    ColState => ("State", "状態"),
    MeetingStateHeld => ("held, deal open", "実施済・結果待ち"),
    MeetingStateDue => ("to report", "未報告"),
    AmountPrompt => ("Amount won (Enter keeps {}): ", "受注金額(Enter で {}): "),
    AmountBad => ("Not an amount: {}", "金額として読めません: {}"),
    MeetingClosed => ("{} · {}", "{} · {}"),
    MeetingReapproach => ("{} · {} · nurturing, re-approach {}", "{} · {} · ナーチャリング、再アプローチ {}"),
    HelpClose => ("? or Esc closes this help", "? か Esc でヘルプを閉じる"),
    NotePrompt => ("Note: ", "メモ: "),
    TouchPrompt => ("Touch ←/→ ", "接触 ←/→ "),
    FilterPrompt => ("Search: ", "検索: "),
    HeaderSearch => ("search: {}", "検索: {}"),
    SearchTitle => ("Search \"{}\" — {} found, every status (Esc: back to the queue)", "検索「{}」 — {}件・全ステータス(Esc でキューへ)"),
    SearchHint => ("Type a company, name, email or phone (any format); Enter browses, Esc is back to the queue.", "会社名・氏名・メール・電話番号(書式自由)を入力。Enter で結果へ、Esc でキューへ戻る。"),
    SearchNone => ("No lead matches \"{}\"", "「{}」に一致するリードはありません"),
    ColPhone => ("Phone", "電話"),
    ColStanding => ("Today", "本日"),
    StandInQueue => ("in today's queue", "本日のキューにあり"),
    StandNotDue => ("not due · next {}", "期限前 · 次回 {}"),
    StandClosed => ("not in the queue", "キュー対象外"),
    HintResults => ("results", "結果へ"),
    HintBack => ("back to the queue", "キューへ戻る"),
    StandNoNext => ("no next action", "ネクストアクション無"),
    StandOutside => ("outside calling hours · their {}", "架電時間外 · 先方 {}"),
    StandClaimed => ("{} is working it", "{} が対応中"),
    StandOtherRep => ("{}'s lead (A: everyone's)", "{} のリード(A で全員)"),
    StandUnassigned => ("unassigned", "未割当"),
    KeysHeader => ("action", "アクション"),
    KeysKeys => ("keys", "キー"),
    KeysDoc => ("description", "説明"),
    EditTitle => ("Edit lead — {}", "リード編集 — {}"),
    FieldCompany => ("Company", "会社名"),
    FieldContact => ("Contact", "担当者名"),
    FieldTitle => ("Title", "役職"),
    FieldDepartment => ("Department", "部署"),
    FieldRole => ("Role", "役割"),
    FieldPhone => ("Phone", "電話"),
    FieldMobile => ("Mobile", "携帯"),
    FieldEmail => ("Email", "メール"),
    FieldZone => ("Time zone", "タイムゾーン"),
    FieldTier => ("Tier", "ティア"),
    RoleNone => ("(none)", "(なし)"),
    TierApplies => ("the tier applies to every lead of the company", "ティアは会社の全リードに適用されます"),
    LeadUpdated => ("Lead updated", "リードを更新しました"),
    Crm => ("CRM", "CRM"),
    CrmNextClosed => ("Done in kaden (the lead is now {})", "kaden で完了(現在のステータス: {})"),
    CrmSummary => ("{}: touches {}, next actions {}, lead statuses {}", "{}: 活動 {}件、ネクストアクション {}件、リードステータス {}件"),
    CrmSinceLast => ("only what is new since the last export to {} (activities after #{})", "{} への前回エクスポート以降の分のみ(活動 #{} より後)"),
    CrmUnknownSalesforce => ("left out, their lead has no Salesforce id: {} touch(es)", "Salesforce の ID がないリードの活動 {}件は含めていません"),
    CrmUnknownHubspot => ("left out, their lead has neither a HubSpot record id nor an email: {} touch(es)", "HubSpot のレコード ID もメールもないリードの活動 {}件は含めていません"),
    CrmOtherChannels => ("left out, not calls (the calls import takes calls only): {} touch(es)", "電話以外の活動 {}件は含めていません(通話のインポートは電話のみ)"),
    CrmNeedsTarget => ("kaden export results needs --for salesforce or --for hubspot", "kaden export results には --for salesforce か --for hubspot が必要です"),
    CrmOnlyResults => ("--for and --since-last apply to kaden export results only", "--for と --since-last は kaden export results 専用です"),
    CrmNoFormat => ("--format, --raw and --next-actions do not apply to kaden export results", "--format、--raw、--next-actions は kaden export results には使えません"),
}

impl Phrase {
    /// The text with each `{}` replaced by the next value.
    pub fn fill(self, lang: Lang, values: &[&str]) -> String {
        let mut out = String::new();
        let mut parts = self.text(lang).split("{}");
        if let Some(first) = parts.next() {
            out.push_str(first);
        }
        for (i, p) in parts.enumerate() {
            out.push_str(values.get(i).copied().unwrap_or(""));
            out.push_str(p);
        }
        out
    }
}
