//! The TUI on a TestBackend: a demo database in a temp dir at the fixed "now", an App on it,
//! key presses, and the screen as text.

#[allow(unused_imports)]
pub use super::{NOW, at, now};

use chrono::{DateTime, Utc};
use kaden::clock::Clock;
use kaden::commands::Ctx;
use kaden::config::Config;
use kaden::i18n::Lang;
use kaden::store::Store;
use kaden::tui::{App, ui};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;

/// The test config with the colour theme (whatever NO_COLOR says), plus `extra`.
pub fn config(extra: &str) -> Config {
    super::config_with(&format!("theme = \"color\"\n{extra}"))
}

pub struct Env {
    pub dir: TempDir,
    pub app: App,
}

impl Env {
    pub fn db_path(&self) -> std::path::PathBuf {
        self.dir.path().join("demo.db")
    }
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db_path()).unwrap()
    }
    pub fn count(&self, sql: &str) -> i64 {
        super::db::count(&self.db_path(), sql)
    }
    /// The first column of the first row of `sql` with `params`.
    pub fn one<T: rusqlite::types::FromSql>(&self, sql: &str, params: impl rusqlite::Params) -> T {
        super::db::one(&self.db_path(), sql, params)
    }
}

/// A demo database built at `now`, with `prepare` run on the store before the app opens it.
pub fn env_with(
    cfg: Config,
    lang: Lang,
    now: DateTime<Utc>,
    prepare: impl FnOnce(&mut Store),
) -> Env {
    env_at(cfg, lang, now, prepare, None)
}

fn env_at(
    cfg: Config,
    lang: Lang,
    now: DateTime<Utc>,
    prepare: impl FnOnce(&mut Store),
    first_window: Option<u32>,
) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let mut store = Store::open(&path).unwrap();
    store.ensure_rank_keys(&cfg).unwrap();
    kaden::demo::build_sample(&mut store, &cfg, now).unwrap();
    prepare(&mut store);
    let ctx = Ctx {
        cfg,
        clock: Clock::Fixed(now),
        lang,
        rep: "me".into(),
        db: path,
        db_explicit: true,
        db_url: None,
        mine_only: false,
    };
    let mut app = App::with_count_worker(store, &ctx, None, first_window).unwrap();
    app.use_clipboard = false;
    Env { dir, app }
}

/// [`env_with`] with the first queue window cut to `rows` (as on a terminal that tall).
#[allow(dead_code)]
pub fn env_cut(rows: u32) -> Env {
    env_at(config(""), Lang::En, now(), |_| {}, Some(rows))
}

pub fn env(lang: Lang) -> Env {
    env_with(config(""), lang, now(), |_| {})
}

pub fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// Type each character as a key press.
pub fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

pub fn terminal(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| ui::render(app, f)).unwrap();
    t
}

/// The screen as text, one line per row (wide characters take their two cells).
pub fn screen(app: &App, w: u16, h: u16) -> String {
    let t = terminal(app, w, h);
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut skip = 0;
        for x in 0..w {
            let cell = &buf[(x, y)];
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = cell.symbol();
            out.push_str(sym);
            skip = kaden::domain::text::width(sym).saturating_sub(1);
        }
        out.push('\n');
    }
    out
}
