//! The messages of the app (The Elm Architecture). The bindable actions double as the config
//! vocabulary: `[keys] record_lost = "4"`. Each variant's `///` line is its help text in
//! English; the macro also demands the Japanese line and a short footer hint in both
//! languages, so a missing translation does not compile.

use crate::i18n::Lang;

macro_rules! actions {
    ($( #[doc = $doc:literal] $variant:ident = $name:literal, ja $ja:literal, hint ($hen:literal, $hja:literal); )+) => {
        /// A bindable action (see `kaden keys`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $( #[doc = $doc] $variant, )+
        }

        impl Action {
            /// Every bindable action, in help order.
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            /// The snake_case name used in the config's `[keys]` table.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),+ }
            }

            /// The action with this config name.
            pub fn from_name(name: &str) -> Option<Action> {
                match name { $($name => Some(Action::$variant),)+ _ => None }
            }

            /// One line of help text.
            pub fn doc(self, lang: Lang) -> &'static str {
                match self { $(Action::$variant => lang.pick($doc.trim(), $ja)),+ }
            }

            /// A short label for the footer.
            pub fn hint(self, lang: Lang) -> &'static str {
                match self { $(Action::$variant => lang.pick($hen, $hja)),+ }
            }
        }
    };
}

actions! {
    /// Move the selection down one row.
    MoveDown = "move_down", ja "選択を1行下へ", hint ("down", "下");
    /// Move the selection up one row.
    MoveUp = "move_up", ja "選択を1行上へ", hint ("up", "上");
    /// Jump to the top of the queue.
    Top = "top", ja "先頭へ", hint ("top", "先頭");
    /// Jump to the bottom of the queue.
    Bottom = "bottom", ja "末尾へ", hint ("bottom", "末尾");
    /// Move one page down.
    PageDown = "page_down", ja "1ページ下へ", hint ("page down", "次ページ");
    /// Move one page up.
    PageUp = "page_up", ja "1ページ上へ", hint ("page up", "前ページ");
    /// Start a call: dial (or copy) the number and start the call timer.
    StartCall = "start_call", ja "架電開始: 番号を発信(またはコピー)し通話タイマーを開始", hint ("call", "架電");
    /// Record Unconnected: absent, voicemail, blocked by reception.
    RecordUnconnected = "record_unconnected", ja "未接続を記録: 不在・留守電・受付ブロック", hint ("unconnected", "未接続");
    /// Record Recall: reached, busy; call back at the stated time.
    RecordRecall = "record_recall", ja "再架電必要を記録: 指定時刻にかけ直す", hint ("recall", "再架電");
    /// Record Appointment: meeting won (meeting time and Open SAL).
    RecordAppointment = "record_appointment", ja "アポ獲得を記録: 商談日時とOpen SAL", hint ("appt", "アポ");
    /// Record Lost: real conversation, no meeting (re-approach later).
    RecordLost = "record_lost", ja "失注を記録: 会話したが商談化せず(後日再アプローチ)", hint ("lost", "失注");
    /// Record Out of scope: left, wrong person, not a target.
    RecordOutOfScope = "record_out_of_scope", ja "対象外を記録: 退職・担当違い・ターゲット外", hint ("out of scope", "対象外");
    /// Undo the last result recorded in this session.
    Undo = "undo", ja "このセッションで最後に記録した結果を取り消す", hint ("undo", "取消");
    /// Add a note to the selected lead's history.
    AddNote = "add_note", ja "選択中のリードにメモを追加", hint ("note", "メモ");
    /// Log a touch on another channel: email sent or answered, LinkedIn, SMS, letter, inbound call.
    AddTouch = "add_touch", ja "他チャネルの接触を記録(メール送信・返信、LinkedIn、SMS、手紙、着信)", hint ("touch", "接触");
    /// Mark the selected lead do-not-call: it leaves the queue and is never offered again.
    DoNotCall = "do_not_call", ja "選択中のリードを架電禁止にする(キューから外し、以後表示しない)", hint ("do not call", "架電禁止");
    /// Power mode on or off: after a result is saved, the next lead is dialed at once.
    TogglePower = "toggle_power", ja "パワーモードの切替(結果を保存したら次のリードをすぐ発信)", hint ("power", "パワー");
    /// Show everyone's queue, or again only yours and the unassigned leads (`--as REP`).
    ToggleEveryone = "toggle_everyone", ja "全員のキューと自分のキュー(自分と未割当のリード)を切替", hint ("everyone", "全員");
    /// Edit the selected lead (contact, phones, email, time zone, owner, tier).
    EditLead = "edit_lead", ja "選択中のリードを編集(担当者・電話・メール・タイムゾーン・担当・ティア)", hint ("edit", "編集");
    /// Search every lead (any status) by company, name, email or phone, as you type.
    Filter = "filter", ja "全リード(全ステータス)を会社名・氏名・メール・電話番号で検索", hint ("search", "検索");
    /// Close the search: back to the queue, its selection where it was.
    ClearFilter = "clear_filter", ja "検索を閉じてキューへ戻る(選択位置はそのまま)", hint ("back", "戻る");
    /// Switch view (queue, dashboard, meetings to report).
    SwitchView = "switch_view", ja "画面切替(キュー・ダッシュボード・商談結果の報告)", hint ("view", "画面");
    /// Meetings to report: the meeting took place (the deal still open).
    MeetingHeld = "meeting_held", ja "商談結果: 実施(案件は継続)", hint ("held", "実施");
    /// Meetings to report: the prospect did not show up (back to nurturing).
    MeetingNoShow = "meeting_no_show", ja "商談結果: 不実施・ノーショー(ナーチャリングへ)", hint ("no-show", "不実施");
    /// Meetings to report: won (asks for the amount).
    MeetingWon = "meeting_won", ja "商談結果: 受注(金額を入力)", hint ("won", "受注");
    /// Meetings to report: lost (back to nurturing, re-approach later).
    MeetingLost = "meeting_lost", ja "商談結果: 失注(ナーチャリングへ・後日再アプローチ)", hint ("lost", "失注");
    /// Show or hide this help.
    Help = "help", ja "このヘルプの表示・非表示", hint ("help", "ヘルプ");
    /// Quit kaden.
    Quit = "quit", ja "kaden を終了", hint ("quit", "終了");
    /// Save the form (or the note; in the search line: browse the results).
    Save = "save", ja "フォームを保存(メモも確定・検索では結果一覧へ)", hint ("save", "保存");
    /// Cancel: close without writing anything.
    Cancel = "cancel", ja "キャンセル: 何も書き込まずに閉じる", hint ("cancel", "取消");
    /// Next field of the form.
    NextField = "next_field", ja "フォームの次の項目へ", hint ("next field", "次項目");
    /// Previous field of the form.
    PrevField = "prev_field", ja "フォームの前の項目へ", hint ("prev field", "前項目");
    /// Next choice (channel, reason, yes/no).
    NextChoice = "next_choice", ja "次の選択肢へ(チャネル・理由・はい/いいえ)", hint ("choice", "選択");
    /// Previous choice (channel, reason, yes/no).
    PrevChoice = "prev_choice", ja "前の選択肢へ(チャネル・理由・はい/いいえ)", hint ("choice", "選択");
    /// Delete the last character of the field.
    DeleteChar = "delete_char", ja "項目の最後の1文字を削除", hint ("delete", "削除");
}

/// A message to `App::update`: a bound action, typed text, or the clock ticking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    /// A bound action.
    Act(Action),
    /// A character typed into the focused text field.
    Char(char),
    /// Time passed (redraw the call timer, expire the toast).
    Tick,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_docs_exist() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(*a));
            assert!(!a.doc(Lang::En).is_empty());
            assert!(!a.doc(Lang::Ja).is_empty());
            assert!(!a.doc(Lang::En).starts_with(' '));
        }
        assert_eq!(Action::from_name("nope"), None);
    }
}
