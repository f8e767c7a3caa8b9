//! Issue 9, point 7: messages that say what happened. A full disk, a read-only directory, a file
//! of another user, a directory given as `--db`, a symbolic-link loop and a damaged page each get
//! their own one-line message naming the path and what to do, and no OS error is printed twice.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use support::db::*;
use support::faults::*;
use support::*;

fn kaden(dir: &Path, db: &Path, args: &[&str]) -> Command {
    let mut c = kaden_on(dir, db, &write_config(dir, ""));
    c.args(args);
    c
}

/// The one line kaden printed for a failure.
fn failure(mut c: Command, what: &str) -> String {
    let out = c.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{what}: {err}");
    check_line(&err, what)
}

fn check_line(err: &str, what: &str) -> String {
    let line = err.trim_end();
    assert_eq!(line.lines().count(), 1, "{what}: not one line: {err}");
    assert!(line.starts_with("kaden: "), "{what}: {line}");
    assert!(
        line.matches("os error").count() <= 1,
        "{what}: an OS error twice: {line}"
    );
    line.to_string()
}

fn chmod(p: &Path, m: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

/// Each failure's message, with the paths it must name and the words that say what to do.
#[test]
fn each_failure_has_its_own_message_naming_the_path_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path();
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut check = |what: &str, line: String, path: &Path, todo: &[&str]| {
        assert!(
            line.contains(&path.display().to_string()),
            "{what}: does not name {}: {line}",
            path.display()
        );
        for t in todo {
            assert!(line.contains(t), "{what}: lacks {t:?}: {line}");
        }
        let shape = line.replace(&path.display().to_string(), "PATH");
        for (other, s) in &seen {
            assert_ne!(&shape, s, "{what} and {other} say the same thing");
        }
        seen.push((what.to_string(), shape));
    };

    // A directory given as --db.
    let d = base.join("a-directory");
    std::fs::create_dir(&d).unwrap();
    let line = failure(kaden(base, &d, &["queue"]), "directory");
    check(
        "directory",
        line,
        &d,
        &["is a directory", "--db", "kaden.db"],
    );

    // A symbolic link that points at itself.
    let l = base.join("loop.db");
    std::os::unix::fs::symlink(&l, &l).unwrap();
    let line = failure(kaden(base, &l, &["queue"]), "symlink loop");
    check(
        "symlink loop",
        line,
        &l,
        &["symbolic link", "loop", "fix or remove"],
    );

    // A damaged page, in a copy of a healthy database.
    let sub = base.join("damaged");
    std::fs::create_dir(&sub).unwrap();
    let db = make_db(&sub, 400);
    // The root page of the leads table: every command that reads leads goes through it.
    let root = count(
        &db,
        "SELECT rootpage FROM sqlite_master WHERE name = 'leads'",
    ) as usize;
    let page = count(&db, "PRAGMA page_size") as usize;
    let mut bytes = content(&db);
    for b in &mut bytes[(root - 1) * page..root * page] {
        *b = 0x5A;
    }
    std::fs::write(&db, &bytes).unwrap();
    let mut line = String::new();
    for args in [
        &["queue", "--limit", "500"][..],
        &["export", "leads"],
        &["report", "--by", "tier"],
    ] {
        let out = kaden(base, &db, args).output().unwrap();
        if !out.status.success() {
            line = check_line(&String::from_utf8_lossy(&out.stderr), "damaged");
            break;
        }
    }
    assert!(!line.is_empty(), "no command noticed the damaged page");
    check(
        "damaged page",
        line,
        &db,
        &["damaged", "kaden doctor", "backup"],
    );

    // A read-only directory (by its mode bits, which kaden honours even as root): a new
    // database cannot be created in it, and an existing one cannot get its -wal beside it.
    let ro = base.join("read-only-dir");
    std::fs::create_dir(&ro).unwrap();
    let existing = make_db(&ro, 3);
    chmod(&ro, 0o555);
    let fresh = ro.join("new.db");
    let line = failure(kaden(base, &fresh, &["queue"]), "read-only directory");
    assert!(!fresh.exists());
    check(
        "read-only directory",
        line.clone(),
        &fresh,
        &["read-only", "directory", "chmod u+w"],
    );
    assert!(line.contains(&ro.display().to_string()), "{line}");
    let line = failure(
        kaden(base, &existing, &["queue"]),
        "read-only directory, existing file",
    );
    assert!(
        line.contains(&ro.display().to_string()) && line.contains("-wal"),
        "{line}"
    );
    chmod(&ro, 0o755);

    // A read-only file.
    let rf = base.join("read-only-file");
    std::fs::create_dir(&rf).unwrap();
    let db = make_db(&rf, 3);
    chmod(&db, 0o444);
    let line = failure(
        kaden(base, &db, &["log", "1", "unconnected"]),
        "read-only file",
    );
    check("read-only file", line, &db, &["read-only", "chmod u+w"]);

    // A full disk, for a new database.
    let disk = base.join("disk");
    let cfg = write_config(base, "");
    let out = on_small_disk(
        &disk,
        64,
        &[("CFG", &cfg)],
        r#"fill; "$K" --config "$CFG" --db "$D/new.db" queue 2>&1; echo "rc=$?""#,
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(field(&text, "rc"), "1", "{text}");
    let line = check_line(text.lines().next().unwrap(), "disk full");
    check(
        "disk full",
        line,
        &disk.join("new.db"),
        &["full", "free some space"],
    );

    // Not an SQLite file at all.
    let txt = base.join("notes.txt");
    std::fs::write(&txt, "hello\n".repeat(200)).unwrap();
    let line = failure(kaden(base, &txt, &["queue"]), "not sqlite");
    check(
        "not sqlite",
        line,
        &txt,
        &["not an SQLite database", "--db"],
    );

    // In Japanese too, the store's and the file layer's messages.
    let mut ja = kaden(base, &d, &["queue"]);
    ja.arg("--lang").arg("ja");
    let line = failure(ja, "directory, ja");
    assert!(
        line.contains("ディレクトリ") && line.contains(&d.display().to_string()),
        "{line}"
    );
    let other = base.join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    let fine = base.join("fine");
    std::fs::create_dir(&fine).unwrap();
    let ok_db = make_db(&fine, 2);
    let mut ja = kaden(base, &ok_db, &["export", "leads", "--out"]);
    ja.arg(&other).arg("--lang").arg("ja");
    let line = failure(ja, "export onto a database, ja");
    assert!(
        line.contains("SQLite データベースです") && line.contains("上書きしません"),
        "{line}"
    );
}

/// Tests run as root in CI, where no permission stops kaden: it is run as another user instead
/// (nobody). Run by a normal user, the file of another user is one that always exists.
#[test]
fn a_file_of_another_user_says_whose_it_is() {
    let dir = tempfile::tempdir().unwrap();
    chmod(dir.path(), 0o755);
    let db = make_db(dir.path(), 3);
    let cfg = write_config(dir.path(), "");
    chmod(&cfg, 0o644);
    let me = my_uid();
    for mode in [0o600, 0o644] {
        let (mut c, path, owner) = if me == 0 {
            chmod(&db, mode);
            let mut c = kaden_on(dir.path(), &db, &cfg);
            std::os::unix::process::CommandExt::uid(&mut c, OTHER_UID);
            (c, db.clone(), 0)
        } else {
            let p = Path::new("/etc/passwd").to_path_buf();
            (kaden_on(dir.path(), &p, &cfg), p, 0)
        };
        c.args(["log", "1", "unconnected"]);
        let line = failure(c, "another user's file");
        for want in [
            path.display().to_string(),
            format!("belongs to uid {owner}"),
            "run kaden as".to_string(),
        ] {
            assert!(
                line.contains(&want),
                "mode {mode:o}: lacks {want:?}: {line}"
            );
        }
        assert!(!line.contains("read-only"), "{line}");
    }
}

#[test]
fn a_disk_that_fills_while_recording_names_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 50);
    let disk = dir.path().join("disk");
    let out = on_small_disk(
        &disk,
        1024,
        &[("DB", &db), ("CFG", &write_config(dir.path(), ""))],
        r#"cp "$DB" "$D/kaden.db"; "$K" --config "$CFG" --db "$D/kaden.db" queue >/dev/null || exit 3
        fill
        "$K" --config "$CFG" --db "$D/kaden.db" log 1 unconnected 2>&1; echo "rc=$?""#,
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        field(&text, "rc"),
        "1",
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = check_line(text.lines().next().unwrap(), "full while recording");
    assert!(
        line.contains(&disk.join("kaden.db").display().to_string())
            && line.contains("full")
            && line.contains("nothing was written"),
        "{line}"
    );
}
