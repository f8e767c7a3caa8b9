//! Team mode from the command line, as a new team would use it (SPEC §5): `team init`, `team
//! move` with matching counts and equal exports, refusals that change nothing, passwords never
//! printed, a config holding one must be private, and a dropped connection during saves.
#![allow(clippy::unwrap_used)]

mod support;

use support::Ws;
use support::pg::{self, PgSchema};

fn ok(ws: &Ws, args: &[&str]) -> String {
    let (success, out, err) = ws.run(args);
    assert!(success, "{args:?} failed: {err}");
    out
}

fn on(ws: &Ws, url: &str, args: &[&str]) -> (bool, String, String) {
    let mut c = support::command(ws.dir.path());
    c.arg("--db")
        .arg(url)
        .arg("--config")
        .arg(&ws.config)
        .args(args);
    let out = c.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn team_move_copies_everything_and_the_exports_are_equal() {
    let Some(schema) = PgSchema::new() else {
        return;
    };
    let ws = Ws::new();
    ok(&ws, &["demo", "--no-tui"]);
    ok(&ws, &["log", "3", "unconnected"]);
    let leads = ok(&ws, &["export", "leads"]);
    let acts = ok(&ws, &["export", "activities"]);
    let (s, out, err) = on(
        &ws,
        &schema.url,
        &[
            "team",
            "move",
            "--from",
            ws.db.to_str().unwrap(),
            "--to",
            &schema.url,
        ],
    );
    assert!(s, "{err}");
    for table in ["companies", "leads", "activities", "appointments"] {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(table))
            .unwrap_or_else(|| panic!("no {table} count in {out}"));
        assert!(line.contains(" = "), "counts differ: {line}");
    }
    assert!(!out.contains('≠'), "{out}");
    let (_, pleads, _) = on(&ws, &schema.url, &["export", "leads"]);
    let (_, pacts, _) = on(&ws, &schema.url, &["export", "activities"]);
    assert_eq!(pleads, leads, "leads export differs after the move");
    assert_eq!(pacts, acts, "activities export differs after the move");
    // New rows after the move get new ids (the identity columns moved past the copied ones).
    let (s, out, err) = on(&ws, &schema.url, &["log", "5", "unconnected"]);
    assert!(s, "{err}");
    assert!(out.contains("activity"), "{out}");
    // A second move into the now non-empty database is refused and changes nothing.
    let (s, _, err) = on(
        &ws,
        &schema.url,
        &[
            "team",
            "move",
            "--from",
            ws.db.to_str().unwrap(),
            "--to",
            &schema.url,
        ],
    );
    assert!(!s);
    assert!(err.contains("not empty"), "{err}");
    let (_, again, _) = on(&ws, &schema.url, &["export", "leads"]);
    assert_ne!(again, "", "still readable");
    let mut c = schema.client();
    let n = pg::rows(&mut c, "SELECT count(*) FROM activities", &[]);
    assert_eq!(n[0][0], pg::PgVal::Int(acts.lines().count() as i64 - 1 + 1));
}

#[test]
fn a_database_without_the_schema_says_to_run_team_init_and_init_refuses_other_tables() {
    let Some(schema) = PgSchema::new() else {
        return;
    };
    let ws = Ws::new();
    let (s, _, err) = on(&ws, &schema.url, &["queue"]);
    assert!(!s);
    assert!(err.contains("kaden team init"), "{err}");
    let mut c = schema.client();
    c.batch_execute("CREATE TABLE invoices (id int)").unwrap();
    let (s, _, err) = on(&ws, &schema.url, &["team", "init", &schema.url]);
    assert!(!s);
    assert!(
        err.contains("invoices") && err.contains("nothing was changed"),
        "{err}"
    );
    let tables = pg::rows(
        &mut c,
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
        &[],
    );
    assert_eq!(tables[0][0], pg::PgVal::Int(1), "only the foreign table");
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let Some(schema) = PgSchema::init() else {
        return;
    };
    let ws = Ws::new();
    let mut c = schema.client();
    c.batch_execute("UPDATE kaden_schema SET version = 99")
        .unwrap();
    let (s, _, err) = on(&ws, &schema.url, &["queue"]);
    assert!(!s);
    assert!(err.contains("newer kaden"), "{err}");
    let v = pg::rows(&mut c, "SELECT version FROM kaden_schema", &[]);
    assert_eq!(v[0][0], pg::PgVal::Int(99));
}

#[test]
fn a_password_is_never_printed() {
    let ws = Ws::new();
    // Nothing listens on port 1: the connection fails, and the message names the URL.
    let url = "postgres://rep:s3cret-pw@127.0.0.1:1/sales";
    for args in [
        &["queue"][..],
        &["doctor"],
        &["backup", "x.db"],
        &["report"],
    ] {
        let (s, out, err) = on(&ws, url, args);
        assert!(!s, "{args:?}");
        assert!(
            !out.contains("s3cret") && !err.contains("s3cret"),
            "{args:?}: {err}"
        );
    }
    let (_, _, err) = on(&ws, url, &["queue"]);
    assert!(
        err.contains("postgres://rep:***@127.0.0.1:1/sales"),
        "{err}"
    );
    let (_, _, err) = on(&ws, url, &["team", "init", url]);
    assert!(!err.contains("s3cret"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_config_holding_a_password_must_be_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Ws::with_config("db = \"postgres://rep:s3cret@127.0.0.1:1/sales\"\n");
    std::fs::set_permissions(&ws.config, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut c = support::command(ws.dir.path());
    c.arg("--config").arg(&ws.config).arg("queue");
    let out = c.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("chmod 600"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
    std::fs::set_permissions(&ws.config, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut c = support::command(ws.dir.path());
    c.arg("--config").arg(&ws.config).arg("queue");
    let out = c.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("chmod"), "private now: {err}");
    assert!(
        err.contains("cannot connect"),
        "the config's db is used: {err}"
    );
}

#[test]
fn backup_of_a_postgres_database_points_to_pg_dump() {
    let Some(schema) = PgSchema::init() else {
        return;
    };
    let ws = Ws::new();
    let (s, _, err) = on(&ws, &schema.url, &["backup", "copy.db"]);
    assert!(!s);
    assert!(err.contains("pg_dump"), "{err}");
    assert!(!ws.path("copy.db").exists());
}

/// A team sharing one database deals an import round-robin (by task) and the manager's
/// `team load` shows each rep's part, the pool first; the same on PostgreSQL.
#[test]
fn an_import_is_dealt_to_the_reps_and_team_load_shows_each_reps_part() {
    let ws = Ws::with_config("[team]\nassignment = \"task\"\nreps = [\"aki\", \"ben\"]\n");
    let csv = ws.path("new.csv");
    std::fs::write(
        &csv,
        "company,name,phone\nA,a,03-1111-0001\nB,b,03-1111-0002\nC,c,03-1111-0003\n",
    )
    .unwrap();
    ok(&ws, &["import", csv.to_str().unwrap()]);
    let load = ok(&ws, &["team", "load", "--plain"]);
    // Three new leads, due now: aki gets the first and third, ben the second.
    assert_eq!(
        load,
        "(unassigned pool)\t0\t0\t0\naki\t2\t0\t0\nben\t1\t0\t0\n"
    );
    let table = ok(&ws, &["--lang", "ja", "team", "load"]);
    assert!(table.starts_with("担当"), "{table}");
    assert!(table.contains("(未割当プール)"), "{table}");
    let Some(schema) = PgSchema::new() else {
        return;
    };
    let (s, _, err) = on(&ws, &schema.url, &["team", "init", &schema.url]);
    assert!(s, "{err}");
    let (s, _, err) = on(&ws, &schema.url, &["import", csv.to_str().unwrap()]);
    assert!(s, "{err}");
    let (s, out, err) = on(&ws, &schema.url, &["team", "load", "--plain"]);
    assert!(s, "{err}");
    assert_eq!(out, load, "the same on PostgreSQL");
}

/// `sslmode` is honoured through rustls (SPEC §5): `require` encrypts, `disable` does not (and
/// `doctor` says so), `verify-full` checks the certificate's chain and name, `verify-ca` the
/// chain only, and a root file that is no certificate is refused in one line.
#[test]
fn sslmode_is_honoured_with_tls_and_certificates_are_checked() {
    let Some(schema) = PgSchema::init() else {
        return;
    };
    let mut admin = schema.client();
    let ssl = support::pg::rows(&mut admin, "SHOW ssl", &[])[0][0].clone();
    if ssl != support::pg::PgVal::Text("on".into()) {
        eprintln!(
            "kaden tests: TLS test skipped: the server at {} has ssl off",
            pg::base_url()
        );
        return;
    }
    let ws = Ws::new();
    let with = |extra: &str| format!("{}&{extra}", schema.url);
    let doctor = |url: &str| on(&ws, url, &["doctor"]);
    let (_, out, err) = doctor(&with("sslmode=require"));
    assert!(out.contains("encrypted (TLS)"), "{out}{err}");
    let (_, out, err) = doctor(&with("sslmode=disable"));
    assert!(out.contains("not encrypted"), "{out}{err}");
    let (_, out, _) = doctor(&schema.url);
    assert!(
        out.contains("encrypted (TLS)"),
        "prefer is the default and takes TLS: {out}"
    );
    // A root file that holds no certificate.
    let bogus = ws.path("ca.pem");
    std::fs::write(&bogus, "not a certificate\n").unwrap();
    let (s, _, err) = on(
        &ws,
        &with(&format!(
            "sslmode=verify-full&sslrootcert={}",
            bogus.display()
        )),
        &["queue"],
    );
    assert!(!s);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("sslrootcert="), "{err}");
    assert!(err.contains("no PEM certificate"), "{err}");
    // Debian's server certificate (issued for "localhost"), as the trusted root.
    let snakeoil = "/etc/ssl/certs/ssl-cert-snakeoil.pem";
    if !std::path::Path::new(snakeoil).exists() {
        eprintln!("kaden tests: certificate checks skipped: no {snakeoil}");
        return;
    }
    let root = format!("sslrootcert={snakeoil}");
    // 127.0.0.1 is not the name on the certificate: verify-full refuses, verify-ca accepts.
    let (s, _, err) = on(
        &ws,
        &with(&format!("sslmode=verify-full&{root}")),
        &["queue"],
    );
    assert!(!s);
    assert!(err.contains("not valid for name"), "{err}");
    let (_, out, err) = doctor(&with(&format!("sslmode=verify-ca&{root}")));
    assert!(out.contains("encrypted (TLS)"), "{out}{err}");
    let by_name = with(&format!("sslmode=verify-full&{root}")).replace("127.0.0.1", "localhost");
    let (_, out, err) = doctor(&by_name);
    assert!(out.contains("encrypted (TLS)"), "{out}{err}");
}
