//! The TUI's side of claims (SPEC §5): opening a result form or dialing claims the lead for this
//! rep; cancelling gives it back; the tick renews the lease while the form or the call is open,
//! re-reads the queue when another rep (or `kaden log`) wrote, keeping the selection, and
//! reconnects a dropped connection with a line in the status bar.

use super::app::App;
use crate::store::StoreError;
use chrono::{DateTime, TimeDelta, Utc};

/// How often a held claim's lease is renewed.
const RENEW_EVERY: TimeDelta = TimeDelta::seconds(60);

/// What the TUI holds and has noticed.
#[derive(Debug, Default, Clone)]
pub struct Holds {
    /// The lead claimed for the open form or call, and when its lease was last renewed.
    pub lead: Option<(i64, DateTime<Utc>)>,
    /// Reconnects already reported.
    pub reconnects: u32,
    /// The server could not be reached at the last look (shown until it can).
    pub offline: Option<String>,
}

impl App {
    /// Claim `lead` before working it. `false` (with a toast saying who has it) when another
    /// rep does, or when another rep saved a result on it since the queue was read.
    pub(crate) fn hold(&mut self, lead: i64) -> bool {
        if self.holds.lead.is_some_and(|(l, _)| l == lead) {
            return true;
        }
        if let Some((other, _)) = self.holds.lead.take() {
            let _ = self.store.release_claim(other, &self.rep);
        }
        let seen = self
            .detail
            .as_ref()
            .filter(|d| d.lead.id == lead)
            .map(|d| d.lead.version);
        let now = self.now();
        match self.store.claim(lead, &self.rep, now) {
            Ok(_) => {
                // Another rep may have saved a result on it after this queue was read.
                let changed = match (seen, self.store.lead(lead)) {
                    (Some(v), Ok(l)) => l.version != v,
                    _ => false,
                };
                if changed {
                    // Someone wrote to it since it was read (a result by `kaden log`, an
                    // edit): the form opens on what the lead is now.
                    if let Err(e) = self.load_detail() {
                        self.error = Some(self.say(&e));
                    }
                }
                self.holds.lead = Some((lead, now));
                true
            }
            Err(e) => {
                let msg = self.say_store(&e);
                self.toast(msg, true);
                if matches!(e, StoreError::ClaimHeld { .. }) {
                    self.refresh();
                }
                false
            }
        }
    }

    /// Give `lead` back when neither a form nor a call is on it any more.
    pub(crate) fn let_go(&mut self, lead: i64) {
        let busy = self.result_form.as_ref().is_some_and(|f| f.lead_id == lead)
            || self.call.as_ref().is_some_and(|c| c.lead_id == lead);
        if busy || self.holds.lead.is_none_or(|(l, _)| l != lead) {
            return;
        }
        self.holds.lead = None;
        if let Err(e) = self.store.release_claim(lead, &self.rep) {
            let msg = self.say_store(&e);
            self.toast(msg, true);
        }
    }

    /// A save ended the claim (the store cleared it in the same transaction).
    pub(crate) fn saved_hold(&mut self, lead: i64) {
        if self.holds.lead.is_some_and(|(l, _)| l == lead) {
            self.holds.lead = None;
        }
    }

    /// Every tick: reconnect if the server dropped us, renew the lease, and re-read the queue
    /// when someone else wrote.
    pub(crate) fn keep_holds(&mut self) {
        let now = self.now();
        match self.store.revive() {
            Ok(_) => {
                if self.holds.offline.take().is_some()
                    || self.store.reconnects() > self.holds.reconnects
                {
                    self.holds.reconnects = self.store.reconnects();
                    let msg = self
                        .lang
                        .pick(
                            "reconnected to the database server",
                            "データベースサーバーに再接続しました",
                        )
                        .to_string();
                    self.toast(msg, false);
                    self.refresh();
                }
            }
            Err(e) => {
                let msg = self.say_store(&e);
                self.holds.offline = Some(msg.clone());
                self.toast(msg, true);
                return;
            }
        }
        if let Some((lead, renewed)) = self.holds.lead
            && now - renewed >= RENEW_EVERY
        {
            match self.store.renew_claim(lead, &self.rep, now) {
                Ok(_) => self.holds.lead = Some((lead, now)),
                Err(e) => {
                    self.holds.lead = None;
                    let msg = self.say_store(&e);
                    self.toast(msg, true);
                }
            }
        }
        match self.store.others_changed() {
            Ok(true) if self.result_form.is_none() && self.edit_form.is_none() => self.refresh(),
            Ok(_) => {}
            Err(StoreError::ConnectionLost(_)) => {}
            Err(e) => {
                let msg = self.say_store(&e);
                self.toast(msg, true);
            }
        }
    }
}
