#!/bin/sh
# kaden import vs sqlite3 .import of the same Salesforce-shaped CSV, in the same run.
#
#   benches/import.sh [ROWS...]        (default: 100000 1000000)
#
# Builds nothing: uses $KADEN (default: $CARGO_TARGET_DIR/release/kaden, else
# target/release/kaden; run `cargo build --release` first). Writes its files in
# $BENCH_DIR (default bench-data/import). For each size: the CSV (benches/salesforce_csv.py),
# then `kaden import` into a fresh file, `sqlite3 .import --csv` into a fresh file and into
# :memory:, each with its wall time and peak RSS (GNU time, `%e s %M KB`), and the ratio.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kaden=${KADEN:-${CARGO_TARGET_DIR:-$here/../target}/release/kaden}
dir=${BENCH_DIR:-$here/../bench-data/import}
mkdir -p "$dir"
[ -x "$kaden" ] || { echo "no kaden binary at $kaden (cargo build --release)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 not installed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time (GNU time) not installed" >&2; exit 1; }
printf 'time_zone = "Asia/Tokyo"\nphone_region = "JP"\n' > "$dir/config.toml"
export KADEN_NOW=2026-12-02T10:00:00+09:00

measure() { # label, command...
    label=$1; shift
    /usr/bin/time -o "$dir/time.out" -f '%e %M' "$@" >/dev/null 2>"$dir/stderr.out" ||
        { cat "$dir/stderr.out" >&2; exit 1; }
    echo "$label $(tail -1 "$dir/time.out")"
}

[ $# -gt 0 ] || set -- 100000 1000000
for rows in "$@"; do
    csv=$dir/salesforce-$rows.csv
    [ -f "$csv" ] || python3 "$here/salesforce_csv.py" "$rows" "$csv"
    db=$dir/kaden-$rows.db; lite=$dir/sqlite-$rows.db
    rm -f "$db" "$db-wal" "$db-shm" "$lite"
    k=$(measure kaden "$kaden" --db "$db" --config "$dir/config.toml" import "$csv")
    s=$(measure sqlite3 sqlite3 "$lite" ".import --csv $csv leads")
    m=$(measure memory sqlite3 :memory: ".import --csv $csv leads")
    leads=$(sqlite3 "$db" 'SELECT count(*) FROM leads')
    echo "$k" "$s" "$m" | awk -v rows="$rows" -v leads="$leads" '{
        printf "%d rows (%d leads): kaden import %.2f s, %.0f MB peak | sqlite3 .import file %.2f s, %.0f MB | :memory: %.2f s, %.0f MB | kaden/.import file %.1fx\n",
            rows, leads, $2, $3/1024, $5, $6/1024, $8, $9/1024, $2/$5 }'
    rm -f "$db" "$db-wal" "$db-shm" "$lite"
done
