//! Drawing the result form: a line per field, the time field's reading, the error and hints.

use super::{Field, ResultForm, TimeKind};

use crate::domain::CallResult;
use crate::domain::text::{sanitize_line, width};
use crate::i18n::{Label, Lang, Phrase, reason_label};
use crate::tui::view::{ViewCtx, draw_modal, fmt_time_full};
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

/// The labels of every field, for the label column's width.
const LABELS: [Phrase; 10] = [
    Phrase::FieldNext,
    Phrase::FieldCallback,
    Phrase::FieldMeeting,
    Phrase::FieldBudget,
    Phrase::FieldConsideration,
    Phrase::FieldTiming,
    Phrase::FieldChannel,
    Phrase::FieldOwner,
    Phrase::FieldReason,
    Phrase::FieldNote,
];

/// Draw the form as a modal over `area`: a line per field (the time field followed by its
/// reading), then the last error and the key hints.
pub fn render(f: &mut Frame, area: Rect, vc: &ViewCtx, form: &ResultForm, hints: &str) {
    let (lang, theme) = (vc.lang, vc.theme);
    let w = area.width.saturating_sub(4).min(76);
    let title = Phrase::FormTitle.fill(lang, &[form.result.label(lang), &form.who]);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border)
        .title(format!(" {title} "))
        .title_style(theme.header);
    let inner_w = usize::from(w.saturating_sub(2));
    let label_w = LABELS
        .iter()
        .map(|m| width(m.text(lang)))
        .max()
        .unwrap_or(10)
        + 1;
    let mut lines: Vec<Line> = Vec::new();
    if let Some(n) = &form.notice {
        lines.push(Line::styled(n.clone(), theme.accent));
    }
    for (i, field) in form.fields.iter().enumerate() {
        lines.push(field_line(vc, form, *field, i == form.focus, label_w));
        if *field == Field::Time {
            let pad = " ".repeat(label_w + 2);
            lines.extend(time_reading(vc, form, &pad));
        }
    }
    lines.push(Line::raw(""));
    if let Some(e) = &form.error {
        lines.push(Line::styled(sanitize_line(e), theme.error));
    }
    lines.push(Line::styled(
        crate::domain::text::truncate(hints, inner_w),
        theme.dim,
    ));
    draw_modal(f, area, w, lines, block);
}

/// One field: the focus marker, its label padded to `label_w`, its value.
fn field_line(
    vc: &ViewCtx,
    form: &ResultForm,
    field: Field,
    focused: bool,
    label_w: usize,
) -> Line<'static> {
    let (lang, theme) = (vc.lang, vc.theme);
    let marker = if focused { "> " } else { "  " };
    let label = match field {
        Field::Time => match form.time_kind {
            Some(TimeKind::Callback) => Phrase::FieldCallback,
            Some(TimeKind::Meeting) => Phrase::FieldMeeting,
            _ => Phrase::FieldNext,
        },
        Field::Budget => Phrase::FieldBudget,
        Field::Consideration => Phrase::FieldConsideration,
        Field::Timing => Phrase::FieldTiming,
        Field::Channel => Phrase::FieldChannel,
        Field::Owner => Phrase::FieldOwner,
        Field::Reason => Phrase::FieldReason,
        Field::Note => Phrase::FieldNote,
    };
    let label_text = format!(
        "{marker}{}",
        crate::domain::text::fit(label.text(lang), label_w)
    );
    let (lstyle, vstyle) = if focused {
        (theme.accent, theme.focus)
    } else {
        Default::default()
    };
    let text = match field {
        Field::Time => Some(&form.time),
        Field::Owner => Some(&form.owner),
        Field::Note => Some(&form.note),
        _ => None,
    };
    let mut spans = vec![Span::styled(label_text, lstyle)];
    match text {
        Some(t) => spans.extend(t.spans(focused, vstyle)),
        None => spans.push(Span::styled(
            field_value(form, field, focused, lang),
            vstyle,
        )),
    }
    Line::from(spans)
}

/// A field's value as shown, with a cursor on a focused text field.
fn field_value(form: &ResultForm, field: Field, focused: bool, lang: Lang) -> String {
    let yes_no = |b: bool| {
        if b {
            format!("[x] {}", Phrase::Yes.text(lang))
        } else {
            format!("[ ] {}", Phrase::No.text(lang))
        }
    };
    let cursor = if focused { "_" } else { "" };
    match field {
        Field::Time => format!("{}{cursor}", form.time.text()),
        Field::Budget => yes_no(form.sal[0]),
        Field::Consideration => yes_no(form.sal[1]),
        Field::Timing => yes_no(form.sal[2]),
        Field::Channel => format!("< {} >", form.channel.label(lang)),
        Field::Owner => format!("{}{cursor}", sanitize_line(form.owner.text())),
        Field::Reason => form
            .reasons
            .iter()
            .enumerate()
            .map(|(k, r)| {
                let l = reason_label(r, lang);
                if k == form.reason {
                    format!("[{l}]")
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
        Field::Note => format!("{}{cursor}", sanitize_line(form.note.text())),
    }
}

/// Under the time field: how the typed time reads (with the lead's local time), or why not;
/// for a callback outside the lead's calling hours, a second line that says so.
fn time_reading(vc: &ViewCtx, form: &ResultForm, pad: &str) -> Vec<Line<'static>> {
    let (lang, theme) = (vc.lang, vc.theme);
    match form.parsed_time(vc.now, vc.zone) {
        Ok(Some(t))
            if form.time_kind == Some(TimeKind::Callback)
                && !form.lead_zone.is_open(&form.hours, t) =>
        {
            let their = crate::store::their_time(&form.lead_zone, t);
            let warn = if form.off_hours_confirmed {
                Phrase::OffHoursKept.fill(lang, &[&their])
            } else {
                Phrase::OffHoursWarn.fill(lang, &[&their])
            };
            vec![
                Line::styled(
                    format!("{pad}→ {}", fmt_time_full(t, vc.zone, lang)),
                    theme.ok,
                ),
                Line::styled(format!("  {warn}"), theme.accent),
            ]
        }
        other => vec![time_reading_line(vc, form, pad, other)],
    }
}

fn time_reading_line(
    vc: &ViewCtx,
    form: &ResultForm,
    pad: &str,
    parsed: Result<Option<DateTime<Utc>>, Phrase>,
) -> Line<'static> {
    let (lang, theme) = (vc.lang, vc.theme);
    match parsed {
        Ok(Some(t)) => Line::styled(
            format!(
                "{pad}→ {} · {}",
                fmt_time_full(t, vc.zone, lang),
                Phrase::TheirTime.fill(lang, &[&form.lead_zone.local_hhmm(t)])
            ),
            theme.ok,
        ),
        Ok(None) => Line::styled(
            format!(
                "{pad}{}",
                if form.result == CallResult::Lost {
                    Phrase::LostNoNext.text(lang)
                } else {
                    Phrase::MeetingEmpty.text(lang)
                }
            ),
            theme.dim,
        ),
        Err(Phrase::TimeRequired) if form.time_kind == Some(TimeKind::Callback) => Line::styled(
            format!("{pad}{}", Phrase::RecallAsk.text(lang)),
            theme.accent,
        ),
        Err(m) => Line::styled(format!("{pad}{}", m.text(lang)), theme.error),
    }
}
