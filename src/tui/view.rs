//! What every view draws with: [`ViewCtx`] (language, theme, "now" read once per frame, the
//! rep's zone), the time formats shown on screen, and the overlay helpers. Views take this
//! and the state they draw; none of them sees [`App`](super::App).

use super::theme::Theme;
use crate::domain::zone::LeadZone;
use crate::i18n::Lang;
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use ratatui::layout::Rect;

/// The shared facts of one frame.
#[derive(Debug, Clone, Copy)]
pub struct ViewCtx<'a> {
    pub lang: Lang,
    pub theme: &'a Theme,
    /// "Now" by the app's clock, read once for the whole frame.
    pub now: DateTime<Utc>,
    /// The rep's time zone (`time_zone` in the config).
    pub zone: Tz,
    /// The rep's phone region (`phone_region`): numbers there are shown in national format.
    pub region: &'a str,
}

/// The Local cell of a queue row: the lead's wall-clock time, or `?` when the number leaves
/// several zones open (the detail pane shows the span and says "zone unknown").
pub fn local_cell(z: &LeadZone, now: DateTime<Utc>) -> String {
    match z {
        LeadZone::Known(tz) => now.with_timezone(tz).format("%H:%M").to_string(),
        LeadZone::Unknown { .. } => "?".into(),
    }
}

/// A lead's zone in words: the IANA name, or "zone unknown" (never a guess).
pub fn zone_label(z: &LeadZone, lang: Lang) -> String {
    match z {
        LeadZone::Known(tz) => tz.name().to_string(),
        LeadZone::Unknown { .. } => crate::i18n::Phrase::ZoneUnknown.text(lang).to_string(),
    }
}

/// A call timer: `01:15`.
pub fn mm_ss(seconds: u32) -> String {
    format!("{:02}:{:02}", seconds / 60, seconds % 60)
}

/// A `w`×`h` rectangle centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn weekday_ja(d: chrono::Weekday) -> &'static str {
    ["月", "火", "水", "木", "金", "土", "日"][d.num_days_from_monday() as usize]
}

/// A time for a toast: `16:30` today, `Wed 11-25 10:00` this year, else the full date.
pub fn fmt_when(t: DateTime<Utc>, zone: Tz, now: DateTime<Utc>, lang: Lang) -> String {
    let l = t.with_timezone(&zone);
    let n = now.with_timezone(&zone);
    if l.date_naive() == n.date_naive() {
        l.format("%H:%M").to_string()
    } else if l.year() == n.year() {
        match lang {
            Lang::En => l.format("%a %m-%d %H:%M").to_string(),
            Lang::Ja => format!(
                "{}({}) {}",
                l.format("%m-%d"),
                weekday_ja(l.weekday()),
                l.format("%H:%M")
            ),
        }
    } else {
        l.format("%Y-%m-%d %H:%M").to_string()
    }
}

/// A full time with the weekday: `Tue 2026-11-24 12:00` / `2026-11-24(火) 12:00`.
pub fn fmt_time_full(t: DateTime<Utc>, zone: Tz, lang: Lang) -> String {
    let l = t.with_timezone(&zone);
    match lang {
        Lang::En => l.format("%a %Y-%m-%d %H:%M").to_string(),
        Lang::Ja => format!(
            "{}({}) {}",
            l.format("%Y-%m-%d"),
            weekday_ja(l.weekday()),
            l.format("%H:%M")
        ),
    }
}

/// Five cells: `HH:MM` today, else `MM-DD`.
pub fn fmt_due_short(t: DateTime<Utc>, zone: Tz, now: DateTime<Utc>) -> String {
    let l = t.with_timezone(&zone);
    if l.date_naive() == now.with_timezone(&zone).date_naive() {
        l.format("%H:%M").to_string()
    } else {
        l.format("%m-%d").to_string()
    }
}

/// Clear the area under an overlay. The column left of it is cleared too: a double-width
/// character starting there would otherwise spill into the overlay's border.
pub(crate) fn clear_overlay(f: &mut ratatui::Frame, rect: Rect) {
    let left = rect.x.saturating_sub(1);
    let widened = Rect {
        x: left,
        width: rect.width + (rect.x - left),
        ..rect
    };
    f.render_widget(ratatui::widgets::Clear, widened.intersection(f.area()));
}

/// Draw a modal box of `lines` centred in `area`, `width` wide and as tall as its content
/// (plus a spare row for a wrapped line), over a cleared background.
pub(crate) fn draw_modal(
    f: &mut ratatui::Frame,
    area: Rect,
    width: u16,
    lines: Vec<ratatui::text::Line<'_>>,
    block: ratatui::widgets::Block<'_>,
) {
    let h = u16::try_from(lines.len() + 3)
        .unwrap_or(u16::MAX)
        .min(area.height.saturating_sub(2));
    let para = ratatui::widgets::Paragraph::new(lines)
        .block(block)
        .wrap(ratatui::widgets::Wrap { trim: false });
    let rect = centered(area, width, h);
    clear_overlay(f, rect);
    f.render_widget(para, rect);
}
