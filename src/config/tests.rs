//! Config parsing: defaults, shipped file, errors with line and key.
use super::*;

#[test]
fn shipped_default_config_parses_to_the_defaults() {
    let c = Config::parse(DEFAULT_CONFIG, "assets/config.toml").expect("default config");
    let d = Config::default();
    assert_eq!(c.hours, d.hours);
    assert_eq!(c.cadence, d.cadence);
    assert_eq!(c.weights, d.weights);
    assert_eq!(c.reasons, d.reasons);
    assert_eq!(c.sla_minutes, 5);
}

#[test]
fn holidays_ship_for_2026_and_2027() {
    let c = Config::default();
    let h = &c.hours.calendar.holidays;
    assert!(h.contains(&"2026-11-23".parse().expect("d")));
    assert!(h.contains(&"2027-03-22".parse().expect("d")));
    assert!(h.len() >= 34);
}

#[test]
fn unknown_key_names_line_and_key() {
    let e = Config::parse(
        "lang = \"en\"\n\n[hours]\nstart = \"09:00\"\nlunch = \"12:00\"\n",
        "c.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("c.toml:5:"), "{e}");
    assert!(e.contains("lunch"), "{e}");
}

#[test]
fn bad_values_name_line_and_key() {
    let e = Config::parse("[hours]\nstart = \"9am\"\n", "c.toml")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("c.toml:2:") && e.contains("9am"), "{e}");
    let e = Config::parse("time_zone = \"Mars/Olympus\"\n", "c.toml")
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("c.toml:1:") && e.contains("Mars/Olympus"),
        "{e}"
    );
    let e = Config::parse(
        "[cadence]\nunconnected = [\"2h\", \"2parsecs\"]\n",
        "c.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("c.toml:2:") && e.contains("2parsecs"), "{e}");
    let e = Config::parse("[hours]\nstart = \"18:00\"\nend = \"09:00\"\n", "c.toml")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("c.toml:2:"), "{e}");
    let e = Config::parse("lang = \"fr\"\n", "c.toml")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("c.toml:1:"), "{e}");
}

#[test]
fn missing_file_gives_defaults() {
    let c = Config::load(Path::new("/nonexistent/kaden/config.toml")).expect("defaults");
    assert_eq!(c.cadence.attempt_cap, 6);
}

#[test]
fn overrides_apply() {
    let c = Config::parse(
        "rep = \"sato\"\ntime_zone = \"Asia/Tokyo\"\n[queue]\nsla_minutes = 10\n[cadence]\nattempt_cap = 4\nunconnected = [\"1h\", \"1bd\"]\n[ranking]\nper_touch = 5.0\n[keys]\nrecord_unconnected = [\"n\", \"1\"]\nadd_note = \"N\"\n",
        "c.toml",
    )
    .expect("config");
    assert_eq!(c.rep, "sato");
    assert_eq!(c.sla_minutes, 10);
    assert_eq!(c.cadence.attempt_cap, 4);
    assert_eq!(c.cadence.unconnected.len(), 2);
    assert_eq!(c.weights.per_touch, 5.0);
    assert_eq!(
        c.keys["record_unconnected"],
        vec!["n".to_string(), "1".to_string()]
    );
}

#[test]
fn weights_and_amounts_must_be_finite_and_in_range() {
    for (text, line, needle) in [
        (
            "[ranking]\noverdue_per_hour = nan\n",
            2,
            "ranking.overdue_per_hour: weight NaN is not a number",
        ),
        (
            "lang = \"en\"\n[ranking]\nage_per_day = 0.5\nper_touch = inf\n",
            4,
            "ranking.per_touch: weight inf is not a number",
        ),
        (
            "[ranking]\nper_touch = -3.0\n",
            2,
            "ranking.per_touch: weight -3 is out of range",
        ),
        (
            "[sal]\ndeal_size = 1e308\n",
            2,
            "sal.deal_size: amount 100000000",
        ),
        (
            "[targets.week]\ncalls = nan\n",
            2,
            "targets.week.calls: target NaN is not a number",
        ),
    ] {
        let e = Config::parse(text, "c.toml").unwrap_err().to_string();
        assert!(e.starts_with(&format!("c.toml:{line}: ")), "{text}: {e}");
        assert!(e.contains(needle), "{text}: {e}");
    }
}

#[test]
fn key_binding_errors_name_file_and_line() {
    let e = Config::parse(
        "rep = \"sato\"\n\n[keys]\nrecord_unconnected = \"n\"\nfly = \"f\"\n",
        "c.toml",
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "c.toml:5: keys.fly: unknown action (run `kaden keys` for the list)"
    );
    let e = Config::parse("[keys]\nrecord_lost = [\"ctrl-?\"]\n", "c.toml")
        .unwrap_err()
        .to_string();
    assert_eq!(e, "c.toml:2: keys.record_lost: unknown key \"ctrl-?\"");
    let e = Config::parse("[keys]\n\"record_lost\" = []\n", "c.toml")
        .unwrap_err()
        .to_string();
    assert_eq!(e, "c.toml:2: keys.record_lost: no key given");
}

#[test]
fn a_rebinding_that_leaves_an_action_without_a_key_is_an_error_with_its_line() {
    let text = "rep = \"me\"\n[keys]\nrecord_unconnected = [\"n\", \"1\"]\n";
    let e = Config::parse(text, "c.toml").expect_err("add_note would lose its only key");
    assert_eq!(
        e.to_string(),
        "c.toml:3: keys.record_unconnected: \"n\" is add_note's only key; give add_note a key of its own (e.g. add_note = \"N\")"
    );
    let text = "[keys]\nadd_note = \"N\"\nedit_lead = \"N\"\n";
    let e = Config::parse(text, "c.toml").expect_err("two actions on N");
    let msg = e.to_string();
    assert!(msg.starts_with("c.toml:"), "{msg}");
    assert!(msg.contains("\"N\" is also given to"), "{msg}");
}
