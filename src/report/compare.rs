//! Period-over-period change, and the funnel driver: appointments = calls × connect_rate ×
//! appointment_rate, with the change in appointments attributed to the three factors by the
//! log-mean Divisia index (LMDI).
//!
//! LMDI: with weight L = (A1 − A0) / (ln A1 − ln A0) (L = A when A1 = A0), factor f contributes
//! L × ln(f1 / f0), and the contributions add up exactly to A1 − A0. The driver is the factor
//! with the largest absolute contribution.
//!
//! Zeros: the logarithms need every factor positive in both periods. When any factor is 0 (or
//! undefined: no calls, no connects) in either period, the driver is instead the factor with the
//! largest relative change |f1 − f0| / f0, where a change from 0 counts as infinite; ties go to
//! the factor earlier in the funnel (calls, then connect rate, then conversion). When nothing
//! changed at all there is no driver.

use super::metrics::{Metrics, Value};
use crate::i18n::Lang;
use serde::Serialize;

/// The change of one metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    /// current − previous (`None` when either rate is undefined).
    pub abs: Option<f64>,
    /// (current − previous) / previous (`None` when previous is 0 or undefined).
    pub rel: Option<f64>,
}

/// The change between two values of a metric.
pub fn change(prev: Value, cur: Value) -> Change {
    match (prev.num(), cur.num()) {
        (Some(p), Some(c)) => Change {
            abs: Some(c - p),
            rel: (p != 0.0).then(|| (c - p) / p),
        },
        _ => Change {
            abs: None,
            rel: None,
        },
    }
}

/// A factor of the appointment identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    Calls,
    ConnectRate,
    AppointmentRate,
}

impl Factor {
    pub const ALL: [Factor; 3] = [Factor::Calls, Factor::ConnectRate, Factor::AppointmentRate];

    pub fn key(self) -> &'static str {
        match self {
            Factor::Calls => "calls",
            Factor::ConnectRate => "connect_rate",
            Factor::AppointmentRate => "appointment_rate",
        }
    }

    /// The factor's value in a period (an undefined rate counts as 0).
    pub fn of(self, m: &Metrics) -> f64 {
        match self {
            Factor::Calls => m.calls as f64,
            Factor::ConnectRate => m.connect_rate.unwrap_or(0.0),
            Factor::AppointmentRate => m.appointment_rate.unwrap_or(0.0),
        }
    }

    fn name(self, lang: Lang) -> &'static str {
        match self {
            Factor::Calls => lang.pick("call volume", "架電数"),
            Factor::ConnectRate => lang.pick("connect rate", "接続率"),
            Factor::AppointmentRate => lang.pick("conversion", "アポ率"),
        }
    }

    fn show(self, v: f64) -> String {
        match self {
            Factor::Calls => format!("{v:.0}"),
            _ => pct(v),
        }
    }
}

/// How the driver was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Lmdi,
    /// A factor was 0 in a period: the largest relative change.
    RelativeChange,
}

/// The factor that explains the change in appointments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Driver {
    pub factor: Factor,
    pub method: Method,
    /// LMDI contributions (in appointments) of calls, connect rate, conversion; with
    /// `RelativeChange`, the relative changes instead.
    pub contributions: [f64; 3],
}

/// The LMDI weight of two positive values.
fn log_mean(a0: f64, a1: f64) -> f64 {
    if (a1 - a0).abs() < 1e-12 {
        a0
    } else {
        (a1 - a0) / (a1.ln() - a0.ln())
    }
}

/// Find the driver of the change from `prev` to `cur`; `None` when no factor changed.
pub fn driver(prev: &Metrics, cur: &Metrics) -> Option<Driver> {
    let f0 = Factor::ALL.map(|f| f.of(prev));
    let f1 = Factor::ALL.map(|f| f.of(cur));
    let positive = f0.iter().chain(f1.iter()).all(|v| *v > 0.0);
    let (method, scores) = if positive {
        let a0: f64 = f0.iter().product();
        let a1: f64 = f1.iter().product();
        let l = log_mean(a0, a1);
        let c = [0, 1, 2].map(|i| l * (f1[i] / f0[i]).ln());
        (Method::Lmdi, c)
    } else {
        let c = [0, 1, 2].map(|i| {
            let (a, b) = (f0[i], f1[i]);
            if a == 0.0 {
                if b == 0.0 { 0.0 } else { f64::INFINITY }
            } else {
                (b - a) / a
            }
        });
        (Method::RelativeChange, c)
    };
    let mut best: Option<usize> = None;
    for i in 0..3 {
        let s = scores[i].abs();
        if s > 1e-12 && best.is_none_or(|b| s > scores[b].abs() + 1e-12) {
            best = Some(i);
        }
    }
    best.map(|i| Driver {
        factor: Factor::ALL[i],
        method,
        contributions: scores,
    })
}

/// A rate as a percentage: "50 %", "12.5 %".
pub fn pct(r: f64) -> String {
    let v = (r * 1000.0).round() / 10.0;
    if (v - v.round()).abs() < 1e-9 {
        format!("{:.0} %", v)
    } else {
        format!("{v:.1} %")
    }
}

/// A signed relative change: "+25 %", "−60 %" (a true minus sign), "±0 %".
pub fn signed_pct(r: f64) -> String {
    let p = pct(r.abs());
    if r.abs() < 0.0005 {
        "±0 %".into()
    } else if r < 0.0 {
        format!("−{p}")
    } else {
        format!("+{p}")
    }
}

/// The driver sentence, e.g. "Appointments 5 → 2 (−60 %): connect rate 50 % → 20 % explains
/// most of it; call volume and conversion held." A factor "held" when it moved less than 5 %.
pub fn sentence(prev: &Metrics, cur: &Metrics, d: Option<&Driver>, lang: Lang) -> String {
    let (a0, a1) = (prev.appointments, cur.appointments);
    let head = match lang {
        Lang::En => format!("Appointments {a0} → {a1}"),
        Lang::Ja => format!("アポ {a0} → {a1}"),
    };
    let head = if a0 > 0 {
        let r = (a1 as f64 - a0 as f64) / a0 as f64;
        format!("{head} ({})", signed_pct(r))
    } else {
        head
    };
    let Some(d) = d else {
        return match lang {
            Lang::En => format!("{head}: no change in calls, connect rate or conversion."),
            Lang::Ja => format!("{head}: 架電数・接続率・アポ率に変化なし。"),
        };
    };
    let moved = |f: Factor| {
        format!(
            "{} {} → {}",
            f.name(lang),
            f.show(f.of(prev)),
            f.show(f.of(cur))
        )
    };
    let mut held = Vec::new();
    let mut other = Vec::new();
    for f in Factor::ALL {
        if f == d.factor {
            continue;
        }
        let (x0, x1) = (f.of(prev), f.of(cur));
        let small = if x0 == 0.0 {
            x1 == 0.0
        } else {
            ((x1 - x0) / x0).abs() < 0.05
        };
        if small {
            held.push(f.name(lang));
        } else {
            other.push(moved(f));
        }
    }
    match lang {
        Lang::En => {
            let mut s = format!("{head}: {} explains most of it", moved(d.factor));
            if !held.is_empty() {
                s.push_str(&format!("; {} held", held.join(" and ")));
            }
            if !other.is_empty() {
                s.push_str(&format!("; {} moved less", other.join(", ")));
            }
            s.push('.');
            s
        }
        Lang::Ja => {
            let mut s = format!("{head}: 主因は{}。", moved(d.factor));
            if !held.is_empty() {
                s.push_str(&format!("{}は横ばい。", held.join("と")));
            }
            if !other.is_empty() {
                s.push_str(&format!("{}の影響は小さい。", other.join("、")));
            }
            s
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn m(calls: u64, connects: u64, appts: u64) -> Metrics {
        let mut m = Metrics {
            calls,
            connects,
            appointments: appts,
            ..Metrics::default()
        };
        m.connect_rate = (calls > 0).then(|| connects as f64 / calls as f64);
        m.appointment_rate = (connects > 0).then(|| appts as f64 / connects as f64);
        m
    }

    #[test]
    fn lmdi_contributions_add_up() {
        let (p, c) = (m(100, 40, 8), m(120, 30, 3));
        let d = driver(&p, &c).unwrap();
        assert_eq!(d.method, Method::Lmdi);
        let sum: f64 = d.contributions.iter().sum();
        assert!((sum - (3.0 - 8.0)).abs() < 1e-9, "{sum}");
    }

    #[test]
    fn connect_rate_drop_drives() {
        let (p, c) = (m(20, 10, 5), m(20, 4, 2));
        let d = driver(&p, &c).unwrap();
        assert_eq!(d.factor, Factor::ConnectRate);
        assert_eq!(
            sentence(&p, &c, Some(&d), Lang::En),
            "Appointments 5 → 2 (−60 %): connect rate 50 % → 20 % explains most of it; call volume and conversion held."
        );
    }

    #[test]
    fn zero_falls_back_to_relative_change() {
        let (p, c) = (m(0, 0, 0), m(10, 5, 1));
        let d = driver(&p, &c).unwrap();
        assert_eq!(d.method, Method::RelativeChange);
        assert_eq!(d.factor, Factor::Calls);
        let (p, c) = (m(10, 5, 0), m(10, 5, 2));
        assert_eq!(driver(&p, &c).unwrap().factor, Factor::AppointmentRate);
        assert!(driver(&m(10, 5, 1), &m(10, 5, 1)).is_none());
    }

    #[test]
    fn percentages() {
        assert_eq!(pct(0.5), "50 %");
        assert_eq!(pct(0.125), "12.5 %");
        assert_eq!(signed_pct(-0.6), "−60 %");
        assert_eq!(signed_pct(0.0), "±0 %");
    }
}
