//! The on-screen queue count, off the main thread on a real terminal.
//!
//! The capped count (`queue_count_upto_for`, [`super::app::COUNT_CAP`]) walks `leads_due` but
//! reads each counted lead's row for `do_not_call` and the claim (the index lacks them): up to
//! 999 random table pages, a few milliseconds warm and most of the start with the page cache
//! dropped. Counting is allowed to come after the screen (issue 13), so on a real terminal
//! ([`super::run`]) a [`CountWorker`] thread counts on its own read connection (WAL: it never
//! blocks a write), asked once the frame is drawn; the header shows `…` until the first count lands,
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
    /// The generation of the latest request.
    pub latest: u64,
    /// The latest request, kept until the frame is drawn ([`CountWorker::send_held`]): the
    /// count then never competes with the frame for the disk or a core.
    held: Option<Ask>,
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
            held: None,
        })
    }

    /// Ask for the count as of `now`, to be sent once the frame is drawn (a newer request
    /// replaces one not sent yet).
    pub fn ask(&mut self, cfg: &Config, now: DateTime<Utc>, owner: Option<&str>) {
        self.latest += 1;
        if self.held.is_none() {
            self.wake.busy.fetch_add(1, Ordering::SeqCst);
        }
        self.held = Some(Ask {
            generation: self.latest,
            now,
            owner: owner.map(str::to_string),
            cfg: Box::new(cfg.clone()),
        });
    }

    /// Send the request kept by [`CountWorker::ask`] (after a draw); false when the worker is
    /// gone (the app counts inline then).
    pub fn send_held(&mut self) -> bool {
        let Some(ask) = self.held.take() else {
            return true;
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

/// Lower the calling thread's priority (its nice value, on Linux): a helper thread gives way
/// to the main thread's keys and frames when the cores are busy.
pub fn give_way() {
    #[cfg(target_os = "linux")]
    let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19);
}

/// The worker's loop: open the file, then count the latest request of each batch.
fn serve(ctx: &Ctx, inbox: &Receiver<Ask>, outbox: &Sender<Answer>, wake: &Wake) {
    give_way();
    // Opened at the first request, after the first frame.
    let mut store = None;
    while let Ok(first) = inbox.recv() {
        let store = store.get_or_insert_with(|| {
            let s = ctx.open_plain().map_err(|e| format!("{e:#}"))?;
            let _ = s.set_page_cache_mib(super::PAGE_CACHE_MIB);
            Ok::<_, String>(s)
        });
        let mut ask = first;
        let mut taken = 1;
        while let Ok(newer) = inbox.try_recv() {
            ask = newer;
            taken += 1;
        }
        let count = match store {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::store::Store;
    use std::time::Duration;

    /// Waits for the worker's answer (each wait is woken by the answer; the bound only turns
    /// a hang into a failure).
    fn landed(w: &mut CountWorker) -> Landed {
        for _ in 0..20_000 {
            match w.take() {
                Landed::Nothing => std::thread::sleep(Duration::from_millis(1)),
                l => return l,
            }
        }
        panic!("the count never landed");
    }

    #[test]
    #[allow(clippy::unwrap_used)]
    fn the_worker_counts_what_the_app_would_count_inline_and_only_the_latest_ask() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("k.db");
        let cfg = Config::default();
        let now: DateTime<Utc> = "2026-11-24T01:00:00Z".parse().unwrap();
        let mut store = Store::open(&db).unwrap();
        store.ensure_rank_keys(&cfg).unwrap();
        crate::demo::build_synthetic(&mut store, &cfg, now, 300).unwrap();
        store.set_rep("me");
        let inline = store
            .queue_count_upto_for(&cfg, now, None, None, super::super::app::COUNT_CAP)
            .unwrap();
        assert!(inline.0 > 0, "{inline:?}");
        let ctx = Ctx {
            cfg: cfg.clone(),
            clock: Clock::starting_at(now),
            lang: crate::i18n::Lang::En,
            rep: "me".into(),
            db: db.clone(),
            db_explicit: true,
            db_url: None,
            mine_only: false,
        };
        let wake = Arc::new(Wake::default());
        let mut w = CountWorker::start(&ctx, wake.clone()).unwrap();
        // Held until the frame is drawn: nothing is counted yet.
        w.ask(&cfg, now, None);
        assert!(wake.busy());
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(w.take(), Landed::Nothing);
        assert!(w.send_held());
        assert_eq!(landed(&mut w), Landed::Count(inline.0, inline.1));
        assert!(wake.take_landed());
        // Two asks before a draw: one request, for the latest (a time when nobody is callable).
        let night: DateTime<Utc> = "2026-11-24T16:00:00Z".parse().unwrap();
        let later = store
            .queue_count_upto_for(&cfg, night, None, None, super::super::app::COUNT_CAP)
            .unwrap();
        assert_ne!(later, inline);
        w.ask(&cfg, now, None);
        w.ask(&cfg, night, None);
        assert!(w.send_held());
        assert_eq!(landed(&mut w), Landed::Count(later.0, later.1));
        assert!(!wake.busy());
    }
}
