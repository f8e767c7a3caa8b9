//! Command-line definitions (clap). `--db`, `--config`, `--lang` and `--as` are global.

use crate::i18n::Lang;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// kaden (架電) — a terminal call queue for inside sales. Without a command, opens the queue.
#[derive(Debug, Parser)]
#[command(name = "kaden", version, about, long_about = None)]
pub struct Cli {
    /// Database file (default: the platform data dir, e.g. ~/.local/share/kaden/kaden.db), or a
    /// shared PostgreSQL database for a team: postgres://rep@host/sales.
    #[arg(long, global = true, env = "KADEN_DB", value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
    /// Config file (default: the platform config dir, e.g. ~/.config/kaden/config.toml).
    #[arg(long, global = true, env = "KADEN_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Display language (default: config, then the system locale).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
    /// Act as this rep (owner of next actions, author of activities).
    #[arg(long = "as", global = true, value_name = "REP")]
    pub rep: Option<String>,
    /// With --as: the queue shows everyone's leads, not only the rep's and the unassigned ones.
    #[arg(long, global = true)]
    pub all: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the TUI on a demo database built from the sample in assets/ (or N synthetic leads).
    Demo(DemoArgs),
    /// Print the queue, in the TUI's order.
    Queue(QueueArgs),
    /// Record a call result for a lead (the same transaction as the TUI).
    Log(LogArgs),
    /// Record a touch on another channel: an email sent or answered, a LinkedIn or SMS
    /// message, a letter, an inbound call. It counts in the cadence and shows in the history.
    Touch(TouchArgs),
    /// Import leads from a CSV (Salesforce, HubSpot, Japanese Excel, kaden's own export).
    Import(ImportArgs),
    /// Export leads, activities or a calendar.
    Export(ExportArgs),
    /// Close out a lead's meeting: held, no-show, won or lost.
    Meeting(MeetingArgs),
    /// Mark a lead, or a number, do-not-call: never offered again (`--clear` lifts a lead's).
    Dnc(DncArgs),
    /// Funnel numbers for a day, week or month.
    Report(ReportArgs),
    /// The reverse funnel: what pipeline, SQL, SAL and conversations a revenue target needs.
    Plan(PlanArgs),
    /// Check the database: integrity, schema, counts, permissions.
    Doctor,
    /// A consistent copy of the database, safe while kaden is open on it.
    Backup(BackupArgs),
    /// Team mode: create the schema on a PostgreSQL database, or move a solo file into one.
    #[command(subcommand)]
    Team(TeamCommand),
    /// List the actions of the key binding table and the keys bound to them.
    Keys,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the manual page kaden(1), or write every page into a directory.
    Man(ManArgs),
}

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Create kaden's schema on a PostgreSQL database (or bring it up to date).
    Init {
        /// The database, e.g. postgres://kaden@db.example.com/sales?sslmode=require
        #[arg(value_name = "URL")]
        url: String,
    },
    /// Copy a solo SQLite database (every lead, activity, appointment, note) into a new team
    /// database, in one transaction; refuses a target that already has leads.
    Move {
        /// The SQLite file to copy.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The PostgreSQL database (created with `kaden team init`, or created here if empty).
        #[arg(long, value_name = "URL")]
        to: String,
    },
    /// The load by rep (a manager's view): leads due now, appointments each rep holds, and the
    /// leads each rep is on right now (live claims); the unassigned pool first.
    Load {
        /// Tab-separated columns without the header line (for scripts).
        #[arg(long)]
        plain: bool,
    },
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell, e.g. `kaden completions bash > ~/.local/share/bash-completion/completions/kaden`.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write kaden.1 and one page per command (kaden-import.1, …) into this directory.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Generate N synthetic leads from a fixed seed instead of the sample.
    #[arg(long, value_name = "N")]
    pub leads: Option<u32>,
    /// Build the database and exit without opening the TUI.
    #[arg(long)]
    pub no_tui: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct QueueArgs {
    /// How many rows (at least 1).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct TouchArgs {
    /// The lead, as for `kaden log` (`#12`, an email, a phone number).
    pub lead: String,
    /// email, email-reply, linkedin, linkedin-reply, sms, sms-reply, letter or inbound.
    pub kind: String,
    /// What was said or sent (at most 64 KiB).
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct LogArgs {
    /// The lead: `#12` or `id:12` (always an id), an email, or a phone number (`0345678801`,
    /// `+81345678801`). A bare number like `12` is the lead with that id or that phone,
    /// whichever exists; if both exist it is refused with the candidates listed.
    pub lead: String,
    /// unconnected, recall, appointment, lost or out_of_scope.
    pub result: String,
    /// Next action time (30m, 2h, tomorrow 10:00, 2026-12-01 15:30…); for an appointment,
    /// the meeting time. Default: the cadence's.
    #[arg(long, value_name = "WHEN")]
    pub next: Option<String>,
    /// Channel of the next action (call, email, linkedin, sms, other).
    #[arg(long, value_name = "CHANNEL")]
    pub via: Option<String>,
    /// Channel of this touch (default: call).
    #[arg(long, value_name = "CHANNEL")]
    pub channel: Option<String>,
    /// Reason from the result's pick list.
    #[arg(long)]
    pub reason: Option<String>,
    /// A note on the touch (at most 64 KiB).
    #[arg(long)]
    pub note: Option<String>,
    /// Call duration in seconds.
    #[arg(long)]
    pub duration: Option<u32>,
    /// Appointment: Open SAL axes answered yes (any of budget, consideration, timing).
    #[arg(long, value_delimiter = ',')]
    pub sal: Vec<String>,
    /// Appointment: expected amount (default: the config's deal size).
    #[arg(long)]
    pub amount: Option<f64>,
    /// Recall: the prospect asked for a time outside their calling hours; keep it and offer the
    /// lead at that time (without this, such a time is refused with a warning).
    #[arg(long)]
    pub off_hours: bool,
    /// Lost: nurturing without a next action (no re-approach date).
    #[arg(long, conflicts_with_all = ["next", "via"])]
    pub no_next: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Encoding {
    Auto,
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// UTF-16 (LE or BE by its byte order mark; little-endian without one).
    #[value(name = "utf-16", alias = "utf16")]
    Utf16,
    #[value(name = "shift_jis", alias = "sjis", alias = "cp932")]
    ShiftJis,
    #[value(name = "euc-jp", alias = "eucjp", alias = "euc_jp")]
    EucJp,
    /// Windows-1252, the Western superset of Latin-1.
    #[value(
        name = "windows-1252",
        alias = "cp1252",
        alias = "latin1",
        alias = "latin-1"
    )]
    Windows1252,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    pub file: PathBuf,
    /// Lead source for rows without one.
    #[arg(long)]
    pub source: Option<String>,
    /// Owner for rows without one.
    #[arg(long)]
    pub owner: Option<String>,
    /// The file's encoding (default: detected from its bytes).
    #[arg(long, value_enum, default_value_t = Encoding::Auto)]
    pub encoding: Encoding,
    /// Show the column mapping and the counts; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the good rows; write the bad ones to a reject file beside the input.
    #[arg(long)]
    pub skip_bad: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportWhat {
    Leads,
    Activities,
    Calendar,
    /// Touches, next actions and lead statuses for a CRM's import tool (needs --for).
    Results,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(value_enum)]
    pub what: ExportWhat,
    /// Output file (default: standard output).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Only rows on or after this date (YYYY-MM-DD or any time input).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    #[arg(long, value_enum, default_value_t = DataFormat::Csv)]
    pub format: DataFormat,
    /// Do not neutralise formula-like cells (for machine round trips).
    #[arg(long)]
    pub raw: bool,
    /// Calendar: also the scheduled next actions.
    #[arg(long)]
    pub next_actions: bool,
    /// Results: the CRM whose import tool the files are for. `--out` is then a directory
    /// (default: the current one) that gets two files.
    #[arg(long = "for", value_enum, value_name = "CRM")]
    pub target: Option<crate::domain::crm::CrmTarget>,
    /// Results: only what is new since the last export to that CRM.
    #[arg(long, conflicts_with = "since")]
    pub since_last: bool,
    /// Leads: only the leads with a touch of this reason (`no_budget`, `timing`, …; see
    /// `kaden report --by reason`), since `--since` if given: a campaign list.
    #[arg(long, value_name = "REASON")]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct MeetingArgs {
    /// The lead: `#12` or `id:12` (always an id), an email, or a phone number (`0345678801`,
    /// `+81345678801`). A bare number like `12` is the lead with that id or that phone,
    /// whichever exists; if both exist it is refused with the candidates listed.
    pub lead: String,
    /// held, no_show, won or lost. Lost and no_show put the lead back in nurturing with a
    /// re-approach call (`[meetings] reapproach_days`, default 90).
    pub outcome: String,
    /// Won amount.
    #[arg(long)]
    pub amount: Option<f64>,
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct DncArgs {
    /// The lead (`#12`, a phone or an email), or with `--number` a phone number in any format.
    pub target: Option<String>,
    /// Put this number on the do-not-call list: every lead with it, now or imported later, is
    /// never offered.
    #[arg(long, conflicts_with = "clear")]
    pub number: bool,
    /// Why (shown when someone tries to dial the lead).
    #[arg(long)]
    pub reason: Option<String>,
    /// Lift a lead's do-not-call mark.
    #[arg(long)]
    pub clear: bool,
    /// List the numbers on the do-not-call list.
    #[arg(long, conflicts_with_all = ["number", "clear", "target"])]
    pub list: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Period {
    Day,
    Week,
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportBy {
    Source,
    Rep,
    Tier,
    Result,
    /// Counts by reason (unconnected, lost, out of scope) and lead source: the house list.
    Reason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[arg(long, value_enum, default_value_t = Period::Week)]
    pub period: Period,
    /// A date inside the period (default: now).
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    /// Compare with the previous period and name the funnel factor that drove the change.
    #[arg(long)]
    pub compare: bool,
    #[arg(long, value_enum)]
    pub by: Option<ReportBy>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// List notes carrying #tags.
    #[arg(long)]
    pub tags: bool,
}

#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct PlanArgs {
    /// Revenue target.
    #[arg(long)]
    pub target: f64,
    /// Win rate of SQL pipeline (0–1).
    #[arg(long)]
    pub win_rate: f64,
    /// Average deal size.
    #[arg(long)]
    pub deal_size: f64,
    /// SAL → SQL conversion (0–1).
    #[arg(long)]
    pub sal_to_sql: f64,
    /// Qualified conversations needed per SAL.
    #[arg(long)]
    pub calls_per_sal: f64,
    /// Months from pipeline to revenue.
    #[arg(long)]
    pub lead_time: Option<u32>,
    /// Revenue quarter, e.g. 2027Q1 (default: the current quarter).
    #[arg(long)]
    pub quarter: Option<String>,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy.
    pub file: PathBuf,
}
