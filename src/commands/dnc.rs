//! `kaden dnc`: mark a lead or a number do-not-call (or lift a lead's mark, or list the numbers).

use super::Ctx;
use crate::cli::DncArgs;
use crate::domain::phone;
use crate::domain::text::sanitize_line;
use anyhow::{Result, anyhow, bail};

pub fn run(ctx: &Ctx, a: &DncArgs) -> Result<()> {
    let l = ctx.lang;
    let now = ctx.now();
    if a.list {
        let store = ctx.open_store()?;
        let numbers = store.do_not_call_numbers()?;
        return super::output::to_stdout(|w| {
            for (n, reason) in &numbers {
                writeln!(w, "{n}\t{}", sanitize_line(reason))?;
            }
            Ok(())
        });
    }
    let Some(target) = a.target.as_deref() else {
        bail!(
            "{}",
            l.pick(
                "give a lead (#12, a phone or an email), or --number NUMBER, or --list",
                "リード(#12・電話番号・メール)、--number 番号、または --list を指定してください"
            )
        );
    };
    let mut store = ctx.open_store()?;
    if a.number {
        let e164 = phone::normalize(target, &ctx.cfg.phone_region)
            .map_err(|e| anyhow!("{e}"))?
            .ok_or_else(|| anyhow!("the number is empty"))?;
        let n = store.add_do_not_call_number(&e164, a.reason.as_deref(), now)?;
        let line = match l {
            crate::i18n::Lang::En => {
                format!("{e164} is on the do-not-call list · {n} lead(s) marked")
            }
            crate::i18n::Lang::Ja => format!("{e164} を架電禁止リストに追加 · リード {n} 件に反映"),
        };
        super::output::confirm(l, l.pick("saved", "保存しました"), &line);
        return Ok(());
    }
    let id = store.find_lead(target, &ctx.cfg.phone_region)?;
    let lead = store.set_do_not_call(id, !a.clear, a.reason.as_deref(), now)?;
    let company = sanitize_line(&lead.company);
    let line = match (l, a.clear) {
        (crate::i18n::Lang::En, false) => format!("#{id} {company}: do not call — never offered"),
        (crate::i18n::Lang::En, true) => format!("#{id} {company}: may be called again"),
        (crate::i18n::Lang::Ja, false) => format!("#{id} {company}: 架電禁止(キューに出しません)"),
        (crate::i18n::Lang::Ja, true) => format!("#{id} {company}: 架電禁止を解除"),
    };
    super::output::confirm(l, l.pick("saved", "保存しました"), &line);
    Ok(())
}
