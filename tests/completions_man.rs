//! `kaden completions SHELL` and `kaden man`: generated from the clap definitions, so every
//! command (the new `export results --for` included) is in them.
#![allow(clippy::unwrap_used)]

mod support;
use support::Ws;

fn out(args: &[&str]) -> String {
    let ws = Ws::for_import();
    let o = ws.kaden(args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!ws.db.exists(), "no database is created for this");
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn completions_for_bash_zsh_and_fish_know_the_commands() {
    let bash = out(&["completions", "bash"]);
    assert!(bash.contains("complete -F _kaden"), "{bash}");
    for word in [
        "import",
        "export",
        "results",
        "salesforce",
        "hubspot",
        "--since-last",
    ] {
        assert!(bash.contains(word), "bash: {word}");
    }
    let zsh = out(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef kaden"), "{zsh}");
    assert!(zsh.contains("--since-last"));
    let fish = out(&["completions", "fish"]);
    assert!(fish.contains("complete -c kaden"), "{fish}");
    assert!(fish.contains("salesforce"));
    let ws = Ws::for_import();
    let bad = ws.kaden(&["completions", "tcsh"]).output().unwrap();
    assert!(!bad.status.success());
}

#[test]
fn the_man_page_is_roff_with_every_command() {
    let man = out(&["man"]);
    assert!(
        man.starts_with(".ie") || man.contains(".TH kaden"),
        "{}",
        &man[..200.min(man.len())]
    );
    assert!(man.contains(".TH kaden 1"));
    for cmd in ["import", "export", "report", "completions"] {
        assert!(man.contains(cmd), "{cmd}");
    }
}

#[test]
fn man_dir_writes_one_owner_only_page_per_command() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Ws::for_import();
    let dir = ws.path("man1");
    std::fs::create_dir(&dir).unwrap();
    ws.kaden(&["man", "--dir", dir.to_str().unwrap()])
        .assert()
        .success();
    for page in [
        "kaden.1",
        "kaden-import.1",
        "kaden-export.1",
        "kaden-completions.1",
    ] {
        let p = dir.join(page);
        let text = std::fs::read_to_string(&p).unwrap_or_else(|_| panic!("{page}"));
        assert!(text.contains(".TH"), "{page}");
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let export = std::fs::read_to_string(dir.join("kaden-export.1")).unwrap();
    assert!(
        export.contains("since\\-last"),
        "the results options are documented"
    );
}
