//! The config file (TOML): calling hours, holidays, SLA, ranking weights, cadence, reasons,
//! zones, dialing, language, theme, keys, targets. A missing file means the defaults; an
//! unknown key or a bad value is an error naming the file, line and key.

use crate::domain::Tier;
use crate::domain::assignment::Assignment;
use crate::domain::cadence::{Cadence, Step};
use crate::domain::hours::{BusinessCalendar, CallingHours};
use crate::domain::ranking::Weights;
use crate::i18n::Lang;
use chrono::{NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The commented default config shipped in assets/.
pub const DEFAULT_CONFIG: &str = include_str!("../assets/config.toml");
const HOLIDAYS_JP: &str = include_str!("../assets/holidays-jp.toml");

/// A config file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: String,
        line: usize,
        message: String,
    },
    #[error(
        "{path} holds a database password but others may read it (mode {mode:o}): chmod 600 {path}"
    )]
    NotPrivate { path: String, mode: u32 },
    #[error("cannot read config {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

macro_rules! parsed {
    ($name:ident, $inner:ty, $parse:expr) => {
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name(pub $inner);
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                let f: fn(&str) -> Result<$inner, String> = $parse;
                f(&s).map($name).map_err(serde::de::Error::custom)
            }
        }
    };
}

parsed!(ZoneName, Tz, |s| s.parse::<Tz>().map_err(|_| format!(
    "unknown time zone '{s}' (use an IANA name like Asia/Tokyo)"
)));
parsed!(ClockTime, NaiveTime, |s| NaiveTime::parse_from_str(
    s, "%H:%M"
)
.map_err(|_| format!("bad time '{s}' (use HH:MM)")));
parsed!(StepValue, Step, |s| s.parse::<Step>());
parsed!(DayName, Weekday, |s| s
    .parse::<Weekday>()
    .map_err(|_| format!("unknown weekday '{s}' (use mon, tue, …)")));

/// One key or several.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    pub fn keys(&self) -> Vec<String> {
        match self {
            KeyList::One(k) => vec![k.clone()],
            KeyList::Many(v) => v.clone(),
        }
    }
}

/// Colour handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeName {
    /// Colour unless `NO_COLOR` is set.
    #[default]
    Auto,
    Color,
    /// No colour: selection by reverse video and a marker.
    Mono,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct HoursFile {
    start: ClockTime,
    end: ClockTime,
    workdays: Vec<DayName>,
}

impl Default for HoursFile {
    fn default() -> Self {
        let h = CallingHours::default();
        HoursFile {
            start: ClockTime(h.start),
            end: ClockTime(h.end),
            workdays: h.calendar.workdays.into_iter().map(DayName).collect(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidaysFile {
    #[serde(default = "default_holiday_zones")]
    zones: Vec<String>,
    #[serde(default = "default_holidays")]
    dates: Vec<NaiveDate>,
}

fn default_holiday_zones() -> Vec<String> {
    vec!["Asia/Tokyo".into()]
}

#[derive(Deserialize)]
struct HolidayList {
    dates: Vec<NaiveDate>,
}

fn default_holidays() -> Vec<NaiveDate> {
    toml::from_str::<HolidayList>(HOLIDAYS_JP)
        .map(|h| h.dates)
        .unwrap_or_default()
}

impl Default for HolidaysFile {
    fn default() -> Self {
        HolidaysFile {
            zones: default_holiday_zones(),
            dates: default_holidays(),
        }
    }
}

/// `[team]`: team mode on a shared PostgreSQL database (SPEC §5).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct TeamFile {
    lease_minutes: u32,
    assignment: Assignment,
    reps: Vec<String>,
}

impl Default for TeamFile {
    fn default() -> Self {
        TeamFile {
            lease_minutes: 10,
            assignment: Assignment::Task,
            reps: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct QueueFile {
    sla_minutes: u32,
    window: u32,
    promise_grace_minutes: u32,
    with_unassigned: bool,
    power_mode: bool,
}

impl Default for QueueFile {
    fn default() -> Self {
        QueueFile {
            sla_minutes: 5,
            window: 300,
            promise_grace_minutes: 60,
            with_unassigned: true,
            power_mode: false,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct CadenceFile {
    unconnected: Vec<StepValue>,
    attempt_cap: u32,
    lost_nurture: StepValue,
    scheduling_follow_up: StepValue,
}

impl Default for CadenceFile {
    fn default() -> Self {
        let c = Cadence::default();
        CadenceFile {
            unconnected: c.unconnected.into_iter().map(StepValue).collect(),
            attempt_cap: c.attempt_cap,
            lost_nurture: StepValue(c.lost_nurture),
            scheduling_follow_up: StepValue(c.scheduling_follow_up),
        }
    }
}

mod sections;
use sections::{FunnelFile, MeetingsFile, RecycleFile};
pub use sections::{FunnelTargets, Reasons, SalConfig, Targets, TierRule};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct ConfigFile {
    lang: Option<Lang>,
    rep: Option<String>,
    time_zone: Option<ZoneName>,
    default_time_zone: Option<ZoneName>,
    phone_region: Option<String>,
    dial_command: Option<String>,
    theme: ThemeName,
    ascii_borders: bool,
    default_tier: Option<Tier>,
    hours: HoursFile,
    holidays: HolidaysFile,
    queue: QueueFile,
    ranking: Weights,
    cadence: CadenceFile,
    reasons: Reasons,
    keys: BTreeMap<String, KeyList>,
    targets: Targets,
    sal: SalConfig,
    tier_rules: Vec<TierRule>,
    stale_days: Option<u32>,
    /// The database: a file path or a `postgres://` URL (`--db` and `KADEN_DB` win).
    db: Option<String>,
    team: TeamFile,
    salesforce: crm::SalesforceFile,
    hubspot: crm::HubspotFile,
    funnel: FunnelFile,
    meetings: MeetingsFile,
    recycle: RecycleFile,
}

/// The resolved configuration every part of kaden reads.
#[derive(Debug, Clone)]
pub struct Config {
    /// Language from the file (the CLI flag and the system locale are applied by the caller).
    pub lang: Option<Lang>,
    /// The rep's name: owner of next actions and activities ("me" by default: $USER).
    pub rep: String,
    /// The rep's own zone (reports, time input).
    pub time_zone: Tz,
    /// The zone of leads without one that their phone cannot tell.
    pub default_time_zone: Tz,
    /// Default phone region for numbers without a country code (ISO 3166 code, e.g. JP).
    pub phone_region: String,
    pub dial_command: Option<String>,
    pub theme: ThemeName,
    pub ascii_borders: bool,
    pub default_tier: Tier,
    pub hours: CallingHours,
    pub sla_minutes: u32,
    /// How long after its time a callback promised outside calling hours is still offered
    /// while the lead's zone is closed (then it waits for the next opening).
    pub promise_grace_minutes: u32,
    /// `--as REP`'s queue includes unassigned leads (no owner) besides the rep's own.
    pub queue_with_unassigned: bool,
    /// `[queue] power_mode`: the TUI starts in power mode (dial the next lead after a save).
    pub power_mode: bool,
    /// Rows of the queue kept on screen (the visible window's query LIMIT).
    pub queue_window: u32,
    pub weights: Weights,
    pub cadence: Cadence,
    pub reasons: Reasons,
    /// Key rebindings: action name → keys.
    pub keys: BTreeMap<String, Vec<String>>,
    pub targets: Targets,
    pub sal: SalConfig,
    pub tier_rules: Vec<TierRule>,
    /// Leads past due by more than this many days are flagged stale in the load balance.
    pub stale_days: u32,
    /// The config's `db` (a path or a `postgres://` URL), if it names one.
    pub db: Option<String>,
    /// `[team] lease_minutes`: how long a claim on a lead lasts unless renewed.
    pub lease_minutes: u32,
    /// `[team] assignment`: by task or by stage (seed 002; see `domain::assignment`).
    pub assignment: Assignment,
    /// `[team] reps`: the reps new leads are dealt to round-robin (by task).
    pub team_reps: Vec<String>,
    /// `kaden export results --for salesforce`.
    pub salesforce: crm::SalesforceConfig,
    /// `kaden export results --for hubspot`.
    pub hubspot: crm::HubspotConfig,
    /// `[funnel.targets]`: step-conversion targets.
    pub funnel_targets: FunnelTargets,
    /// A meeting lost or not held is re-approached after this many days (`[meetings]`).
    pub meeting_reapproach_days: u32,
    /// A `pending` lead comes back to the queue after this many days (`[recycle]`).
    pub pending_rest_days: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config::from_file(ConfigFile::default())
    }
}

/// The rep's zone when the config does not name one: `TZ`, then the system's, then UTC.
pub fn system_zone() -> Tz {
    std::env::var("TZ")
        .ok()
        .and_then(|z| z.trim_start_matches(':').parse::<Tz>().ok())
        .or_else(|| {
            iana_time_zone::get_timezone()
                .ok()
                .and_then(|z| z.parse::<Tz>().ok())
        })
        .unwrap_or(chrono_tz::UTC)
}

fn default_rep() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "me".into())
}

impl Config {
    fn from_file(f: ConfigFile) -> Config {
        let tz = f.time_zone.map(|z| z.0).unwrap_or_else(system_zone);
        let holiday_zones = if f.holidays.zones.iter().any(|z| z == "*") {
            None
        } else {
            Some(
                f.holidays
                    .zones
                    .iter()
                    .filter_map(|z| z.parse::<Tz>().ok())
                    .collect(),
            )
        };
        Config {
            lang: f.lang,
            rep: f
                .rep
                .filter(|r| !r.trim().is_empty())
                .unwrap_or_else(default_rep),
            time_zone: tz,
            default_time_zone: f.default_time_zone.map(|z| z.0).unwrap_or(tz),
            phone_region: f
                .phone_region
                .unwrap_or_else(|| "JP".into())
                .to_ascii_uppercase(),
            dial_command: f.dial_command.filter(|c| !c.trim().is_empty()),
            theme: f.theme,
            ascii_borders: f.ascii_borders,
            default_tier: f.default_tier.unwrap_or(Tier::T3),
            hours: CallingHours {
                start: f.hours.start.0,
                end: f.hours.end.0,
                calendar: BusinessCalendar {
                    workdays: f.hours.workdays.into_iter().map(|d| d.0).collect(),
                    holidays: f.holidays.dates.into_iter().collect::<BTreeSet<_>>(),
                    holiday_zones,
                },
            },
            sla_minutes: f.queue.sla_minutes,
            promise_grace_minutes: f.queue.promise_grace_minutes,
            queue_with_unassigned: f.queue.with_unassigned,
            power_mode: f.queue.power_mode,
            queue_window: f.queue.window.clamp(20, 5000),
            weights: f.ranking,
            cadence: Cadence {
                unconnected: f.cadence.unconnected.into_iter().map(|s| s.0).collect(),
                attempt_cap: f.cadence.attempt_cap.max(1),
                lost_nurture: f.cadence.lost_nurture.0,
                scheduling_follow_up: f.cadence.scheduling_follow_up.0,
            },
            reasons: f.reasons,
            keys: f.keys.into_iter().map(|(k, v)| (k, v.keys())).collect(),
            targets: f.targets,
            sal: f.sal,
            tier_rules: f.tier_rules,
            stale_days: f.stale_days.unwrap_or(7),
            db: f.db.clone().filter(|d| !d.trim().is_empty()),
            lease_minutes: f.team.lease_minutes,
            assignment: f.team.assignment,
            team_reps: f
                .team
                .reps
                .iter()
                .map(|r| crate::domain::text::sanitize_line(r.trim()))
                .filter(|r| !r.is_empty())
                .collect(),
            salesforce: crm::SalesforceConfig::default(),
            hubspot: crm::HubspotConfig::default(),
            funnel_targets: f.funnel.targets,
            meeting_reapproach_days: f.meetings.reapproach_days,
            pending_rest_days: f.recycle.pending_rest_days,
        }
    }

    /// Parse config text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Config, ConfigError> {
        let f: ConfigFile = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(0);
            ConfigError::Invalid {
                path: path.into(),
                line,
                message: e.message().trim().to_string(),
            }
        })?;
        checks::values(&f, text, path)?;
        let salesforce = crm::salesforce(&f.salesforce, text, path)?;
        let hubspot = crm::hubspot(&f.hubspot, text, path)?;
        let mut cfg = Config::from_file(f);
        cfg.salesforce = salesforce;
        cfg.hubspot = hubspot;
        // Key bindings are checked here, so a bad one names its line like any other error.
        if let Err(e) = crate::tui::keymap::Keymap::from_config(&cfg) {
            return Err(checks::bad_in(text, path, "keys", e.action(), e.reason()));
        }
        Ok(cfg)
    }

    /// Load `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        match crate::files::read_to_string(path) {
            Ok(text) => {
                let cfg = Config::parse(&text, &path.display().to_string())?;
                if cfg.db.as_deref().is_some_and(has_password) {
                    must_be_private(path)?;
                }
                Ok(cfg)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(ConfigError::Io {
                path: path.display().to_string(),
                source: e,
            }),
        }
    }
}

/// Whether a database URL carries a password (`user:pw@` or `password=`).
pub fn has_password(url: &str) -> bool {
    crate::store::pg::is_url(url) && crate::store::pg::redact(url) != url
}

/// A config holding a password must be readable by its owner only (SPEC §5).
fn must_be_private(path: &Path) -> Result<(), ConfigError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| ConfigError::Io {
                path: path.display().to_string(),
                source: e,
            })?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            return Err(ConfigError::NotPrivate {
                path: path.display().to_string(),
                mode,
            });
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Where the config lives by default (the platform config dir).
pub fn default_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "kaden").map(|d| d.config_dir().join("config.toml"))
}

mod checks;
pub use checks::MAX_WEIGHT;
mod crm;
pub use crm::{HubspotConfig, SalesforceConfig, is_guid};

#[cfg(test)]
mod tests;
