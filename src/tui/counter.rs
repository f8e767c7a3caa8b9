//! The on-screen queue count, off the main thread on a real terminal.
//!
//! The capped count (`queue_count_upto_for`, [`super::app::COUNT_CAP`]) walks `leads_due` but
//! reads each counted lead's row for `do_not_call` and the claim (the index lacks them): up to
//! 999 random table pages, a few milliseconds warm and most of the start with the page cache
//! dropped. Counting is allowed to come after the screen (issue 13), so on a real terminal
//! ([`super::run`]) a [`CountWorker`] thread counts on its own read connection (WAL: it never
//! blocks a write) while the frame is drawn; the header shows `…` until the first count lands,
//! and after a write the previous count until the new one does. The event source
//! ([`super::CrosstermEvents`]) polls in short slices while a count or the phone metadata is
//! outstanding and hands the loop a tick the moment one lands, so the count is drawn at once.
//!
//! Everywhere else (every test on `TestBackend`, team mode on PostgreSQL, a worker that could
//! not open the file) the app counts inline in `reload`, before the frame: deterministic.

use crate::config::Config;
use crate::ctx::Ctx;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

/// Shared between the main loop's event source and the threads working for it.
#[derive(Debug, Default)]
pub struct Wake {
    /// Requests sent and not answered yet.
    busy: AtomicUsize,
    /// Something landed since the event source last looked.
    landed: AtomicBool,
}

impl Wake {
    /// Something is being worked on that needs a redraw when it lands (a count, or the phone
    /// metadata being built).
    pub fn busy(&self) -> bool {
        self.busy.load(Ordering::SeqCst) > 0 || crate::domain::phone_format::warming()
    }

    /// Something landed (and the flag is cleared).
    pub fn take_landed(&self) -> bool {
        self.landed.swap(false, Ordering::SeqCst)
    }

    /// Note a landing. Set before `busy` is lowered, so a reader that sees nothing busy sees it.
    pub fn land(&self) {
        self.landed.store(true, Ordering::SeqCst);
    }
}

/// What to count: one request per `reload`; the worker counts only the latest it has.
struct Ask {
    generation: u64,
    now: DateTime<Utc>,
    owner: Option<String>,
    cfg: Box<Config>,
}

/// A count, or why there is none.
struct Answer {
    generation: u64,
    count: Result<(u64, bool), String>,
}

/// What [`CountWorker::take`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Landed {
    /// The latest count is not made yet.
    Nothing,
    /// The latest count, and whether it reached the cap.
    Count(u64, bool),
    /// The worker could not count, or is gone: count inline (its error shown the usual way).
    Failed,
}

/// The thread counting on its own connection.
pub struct CountWorker {
    asks: Sender<Ask>,
    answers: Receiver<Answer>,
    wake: Arc<Wake>,
    /// The generation of the latest request sent.
    pub latest: u64,
}

impl CountWorker {
    /// Start the worker on the context's SQLite file (`None` for PostgreSQL, or when the
    /// thread cannot start). The connection is opened on the worker thread.
    pub fn start(ctx: &Ctx, wake: Arc<Wake>) -> Option<CountWorker> {
        if ctx.db_url.is_some() {
            return None;
        }
        let (asks, inbox) = channel::<Ask>();
        let (outbox, answers) = channel::<Answer>();
        let ctx = ctx.clone();
        let w = wake.clone();
        std::thread::Builder::new()
            .name("kaden-count".into())
            .spawn(move || serve(&ctx, &inbox, &outbox, &w))
            .ok()?;
        Some(CountWorker {
            asks,
            answers,
            wake,
            latest: 0,
        })
    }

    /// Ask for the count now; false when the worker is gone (count inline then).
    pub fn ask(&mut self, cfg: &Config, now: DateTime<Utc>, owner: Option<&str>) -> bool {
        self.latest += 1;
        self.wake.busy.fetch_add(1, Ordering::SeqCst);
        let ask = Ask {
            generation: self.latest,
            now,
            owner: owner.map(str::to_string),
            cfg: Box::new(cfg.clone()),
        };
        if self.asks.send(ask).is_err() {
            self.wake.busy.fetch_sub(1, Ordering::SeqCst);
            return false;
        }
        true
    }

    /// The answer to the latest request, if it has landed (older answers are dropped).
    pub fn take(&mut self) -> Landed {
        let mut latest = None;
        let gone = loop {
            match self.answers.try_recv() {
                Ok(a) if a.generation == self.latest => latest = Some(a.count),
                Ok(_) => {}
                Err(TryRecvError::Empty) => break false,
                Err(TryRecvError::Disconnected) => break true,
            }
        };
        match latest {
            Some(Ok((n, capped))) => Landed::Count(n, capped),
            Some(Err(_)) => Landed::Failed,
            None if gone => Landed::Failed,
            None => Landed::Nothing,
        }
    }
}

/// The worker's loop: open the file, then count the latest request of each batch.
fn serve(ctx: &Ctx, inbox: &Receiver<Ask>, outbox: &Sender<Answer>, wake: &Wake) {
    let store = ctx.open_plain().map_err(|e| format!("{e:#}"));
    while let Ok(first) = inbox.recv() {
        let mut ask = first;
        let mut taken = 1;
        while let Ok(newer) = inbox.try_recv() {
            ask = newer;
            taken += 1;
        }
        let count = match &store {
            Ok(s) => s
                .queue_count_upto_for(
                    &ask.cfg,
                    ask.now,
                    None,
                    ask.owner.as_deref(),
                    super::app::COUNT_CAP,
                )
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.clone()),
        };
        let gone = outbox
            .send(Answer {
                generation: ask.generation,
                count,
            })
            .is_err();
        wake.land();
        wake.busy.fetch_sub(taken, Ordering::SeqCst);
        if gone {
            return;
        }
    }
}
