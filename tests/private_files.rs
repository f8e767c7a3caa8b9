//! Issue 9, point 6: nothing half-written or world-readable outside the database. Exports, reject
//! files and backups are owner-only (0600) whatever the umask, written to a temporary file in the
//! target directory and renamed; a failed one leaves nothing behind and never touches an
//! unrelated file. `import --dry-run` creates no database; a new database on a full disk leaves no
//! empty file behind; `doctor` checks the directory that really holds the file.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::process::{Command, Output};
use support::db::*;
use support::faults::*;
use support::*;

fn kaden_in(dir: &Path, db: &Path, umask: &str, args: &[&str]) -> Output {
    let config = write_config(dir, "");
    let mut c = Command::new("bash");
    test_env(&mut c, dir)
        .arg("-c")
        .arg(format!("umask {umask}; exec \"$K\" \"$@\""))
        .arg("kaden")
        .arg("--db")
        .arg(db)
        .arg("--config")
        .arg(&config)
        .args(args)
        .env("K", env!("CARGO_BIN_EXE_kaden"));
    c.output().unwrap()
}

fn ok(out: &Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    err
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn every_file_kaden_writes_is_owner_only_whatever_the_umask() {
    for umask in ["000", "022", "277"] {
        let dir = tempfile::tempdir().unwrap();
        let db = make_db(dir.path(), 20);
        let out_dir = dir.path().join("out");
        std::fs::create_dir(&out_dir).unwrap();
        let csv = out_dir.join("in.csv");
        std::fs::write(&csv, "company,name,phone\nGood,Gil,03-1111-2222\nBad,,\n").unwrap();
        // An earlier export, world-readable: replaced by an owner-only one.
        let leads = out_dir.join("leads.csv");
        std::fs::write(&leads, "old").unwrap();
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&leads, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        let p = |n: &str| out_dir.join(n).to_str().unwrap().to_string();
        for args in [
            vec!["export", "leads", "--out", &p("leads.csv")],
            vec![
                "export",
                "activities",
                "--format",
                "json",
                "--out",
                &p("acts.json"),
            ],
            vec!["export", "calendar", "--out", &p("cal.ics")],
            vec!["backup", &p("copy.db")],
            vec!["import", csv.to_str().unwrap(), "--skip-bad"],
        ] {
            ok(&kaden_in(dir.path(), &db, umask, &args));
        }
        for f in [
            "leads.csv",
            "acts.json",
            "cal.ics",
            "copy.db",
            "in.csv.rejects.csv",
        ] {
            assert_eq!(mode(&out_dir.join(f)), 0o600, "{f} under umask {umask}");
        }
        assert_ne!(std::fs::read(&leads).unwrap(), b"old");
        // Only the files asked for: no temporary file left beside them.
        assert_eq!(
            listing(&out_dir),
            [
                "acts.json",
                "cal.ics",
                "copy.db",
                "in.csv",
                "in.csv.rejects.csv",
                "leads.csv"
            ],
            "umask {umask}"
        );
        // A new database too.
        let fresh = out_dir.join("fresh.db");
        ok(&kaden_in(dir.path(), &fresh, umask, &["queue"]));
        assert_eq!(mode(&fresh), 0o600, "new database under umask {umask}");
    }
}

#[test]
fn an_export_never_overwrites_an_unrelated_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 10);
    // Files that happen to sit where a careless exporter puts its temporary file.
    for f in ["leads.kaden-tmp", ".leads.csv.tmp", "leads.tmp"] {
        std::fs::write(dir.path().join(f), "precious").unwrap();
    }
    let out = dir.path().join("leads.csv");
    ok(&kaden_in(
        dir.path(),
        &db,
        "077",
        &["export", "leads", "--out", out.to_str().unwrap()],
    ));
    for f in ["leads.kaden-tmp", ".leads.csv.tmp", "leads.tmp"] {
        assert_eq!(
            std::fs::read(dir.path().join(f)).unwrap(),
            b"precious",
            "{f}"
        );
    }
    // The database itself, or another SQLite file, is never an export's target.
    let before = content(&db);
    for target in [db.clone(), dir.path().join("copy.db")] {
        if !target.exists() {
            ok(&kaden_in(
                dir.path(),
                &db,
                "077",
                &["backup", target.to_str().unwrap()],
            ));
        }
        let was = content(&target);
        let r = kaden_in(
            dir.path(),
            &db,
            "077",
            &["export", "leads", "--out", target.to_str().unwrap()],
        );
        let err = String::from_utf8_lossy(&r.stderr).into_owned();
        assert_eq!(r.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&target.display().to_string()) && err.contains("SQLite database"),
            "{err}"
        );
        assert_eq!(content(&target), was, "{}", target.display());
    }
    assert_eq!(content(&db), before);
    // A failing export (its directory does not exist) creates nothing anywhere.
    let before = listing(dir.path());
    let r = kaden_in(
        dir.path(),
        &db,
        "077",
        &[
            "export",
            "leads",
            "--out",
            dir.path().join("no/such/dir/x.csv").to_str().unwrap(),
        ],
    );
    assert_eq!(r.status.code(), Some(1));
    assert_eq!(listing(dir.path()), before);
}

#[test]
fn a_reject_file_replaces_a_link_instead_of_writing_through_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 5);
    let csv = dir.path().join("in.csv");
    std::fs::write(&csv, "company,name,phone\nGood,Gil,03-1111-2222\nBad,,\n").unwrap();
    let unrelated = dir.path().join("unrelated.txt");
    std::fs::write(&unrelated, "not yours").unwrap();
    let rejects = dir.path().join("in.csv.rejects.csv");
    std::os::unix::fs::symlink(&unrelated, &rejects).unwrap();
    ok(&kaden_in(
        dir.path(),
        &db,
        "022",
        &["import", csv.to_str().unwrap(), "--skip-bad"],
    ));
    assert_eq!(std::fs::read(&unrelated).unwrap(), b"not yours");
    assert!(
        !std::fs::symlink_metadata(&rejects)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(String::from_utf8_lossy(&std::fs::read(&rejects).unwrap()).contains("Bad"));
    assert_eq!(mode(&rejects), 0o600);
}

#[test]
fn a_dry_run_import_creates_no_database() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("in.csv");
    std::fs::write(
        &csv,
        "company,name,phone\nA,Ann,03-1111-2222\nB,Ben,03-1111-3333\n",
    )
    .unwrap();
    let db = dir.path().join("sub").join("never.db");
    let out = kaden_in(
        dir.path(),
        &db,
        "077",
        &["import", csv.to_str().unwrap(), "--dry-run"],
    );
    ok(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("2 new"), "{text}");
    assert!(!db.exists(), "a dry run created the database");
    assert!(
        !db.parent().unwrap().exists(),
        "a dry run created the directory"
    );
}

#[test]
fn failures_on_a_full_disk_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 300);
    let disk = dir.path().join("disk");
    let out = on_small_disk(
        &disk,
        256,
        &[("DB", &db), ("CFG", &write_config(dir.path(), ""))],
        r#"
        echo precious > "$D/leads.kaden-tmp"; echo "old export" > "$D/leads.csv"
        fill
        run() { "$K" --config "$CFG" "$@" 2>"$D.err"; echo "rc=$?"; echo "err=$(cat "$D.err")"; echo "ls=$(ls -A "$D" | tr '\n' ' ')"; }
        echo "== new"; run --db "$D/new.db" queue
        echo "== in a new directory"; run --db "$D/sub/dir/new.db" queue
        echo "== export"; run --db "$DB" export leads --out "$D/leads.csv"
        echo "old=$(cat "$D/leads.csv")/$(cat "$D/leads.kaden-tmp")"
        echo "== backup"; run --db "$DB" backup "$D/copy.db"
        "#,
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let sections: Vec<&str> = stdout.split("== ").collect();
    let section = |name: &str| {
        *sections
            .iter()
            .find(|s| s.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {stdout}"))
    };
    let expect = ["fill", "fill2", "leads.csv", "leads.kaden-tmp"].join(" ") + " ";
    for name in ["new", "in a new directory", "export", "backup"] {
        let s = section(name);
        assert_eq!(field(s, "rc"), "1", "{name}: {s}");
        assert!(field(s, "err").contains("full"), "{name}: {s}");
        assert_eq!(field(s, "ls"), expect, "{name} left something behind: {s}");
    }
    assert_eq!(field(section("export"), "old"), "old export/precious");
}

#[test]
fn doctor_checks_the_directory_that_really_holds_the_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 5);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    // A bare file name: the directory is the current one.
    let out = kaden_in(dir.path(), Path::new("kaden.db"), "077", &["doctor"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("WARN directory"), "{text}");
    assert!(
        text.contains(&format!(
            "chmod 700 {}",
            dir.path().canonicalize().unwrap().display()
        )),
        "{text}"
    );
    // Through a symbolic link from a private directory: the loose one is where the file is.
    let private = tempfile::tempdir().unwrap();
    std::fs::set_permissions(private.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let link = private.path().join("link.db");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    let out = kaden_in(private.path(), &link, "077", &["doctor"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("WARN directory"), "{text}");
    assert!(
        text.contains(&format!(
            "chmod 700 {}",
            dir.path().canonicalize().unwrap().display()
        )),
        "{text}"
    );
}
