//! `kaden export results --for salesforce|hubspot [--since DATE | --since-last] [--out DIR]`:
//! the files a CRM's import tool takes (see `crate::crm`), and what was left out of them.

use super::Ctx;
use crate::cli::{DataFormat, ExportArgs, ExportWhat};
use crate::crm::{ResultsOptions, export_results};
use crate::domain::crm::CrmTarget;
use crate::i18n::Phrase;
use anyhow::{Result, bail};
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(ctx: &Ctx, args: &ExportArgs) -> Result<ExitCode> {
    let lang = ctx.lang;
    if args.what != ExportWhat::Results {
        bail!("{}", Phrase::CrmOnlyResults.text(lang));
    }
    let Some(target) = args.target else {
        bail!("{}", Phrase::CrmNeedsTarget.text(lang));
    };
    if args.format != DataFormat::Csv || args.raw || args.next_actions {
        bail!("{}", Phrase::CrmNoFormat.text(lang));
    }
    let since = args
        .since
        .as_deref()
        .map(|s| super::export::parse_since(s, ctx))
        .transpose()?;
    let opts = ResultsOptions {
        target,
        dir: args.out.clone().unwrap_or_else(|| PathBuf::from(".")),
        since,
        since_last: args.since_last,
        now: ctx.now(),
        lang,
    };
    let mut store = ctx.open_store()?;
    let summary = export_results(&mut store, &ctx.cfg, &opts)?;
    let say = |p: Phrase, values: &[&str]| {
        super::output::stderr_line(&format!("kaden: {}", p.fill(lang, values)))
    };
    if let Some(after) = summary.after_id {
        say(Phrase::CrmSinceLast, &[target.name(), &after.to_string()]);
    }
    say(
        Phrase::CrmSummary,
        &[
            target.name(),
            &summary.touches.to_string(),
            &summary.next_actions.to_string(),
            &summary.statuses.to_string(),
        ],
    );
    for f in &summary.files {
        super::output::stderr_line(&format!(
            "  {}",
            crate::domain::text::sanitize_line(&f.path.display().to_string())
        ));
    }
    if summary.unknown_leads > 0 {
        let p = match target {
            CrmTarget::Salesforce => Phrase::CrmUnknownSalesforce,
            CrmTarget::Hubspot => Phrase::CrmUnknownHubspot,
        };
        say(p, &[&summary.unknown_leads.to_string()]);
    }
    if summary.other_channels > 0 {
        say(
            Phrase::CrmOtherChannels,
            &[&summary.other_channels.to_string()],
        );
    }
    Ok(ExitCode::SUCCESS)
}
