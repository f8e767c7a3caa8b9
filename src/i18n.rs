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
        _ => return key.to_string(),
    };
    lang.pick(en, ja).to_string()
}

/// A queue row's short reason, in words.
pub fn reason_text(r: &crate::domain::ranking::Reason, lang: Lang, zone: chrono_tz::Tz) -> String {
    use crate::domain::ranking::Reason;
    match *r {
        Reason::Callback { promised } => {
            let t = promised.with_timezone(&zone).format("%H:%M");
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
