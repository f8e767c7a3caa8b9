#!/usr/bin/env python3
"""A Salesforce Lead report export (labels, UTF-8 with BOM, CRLF) of N rows, for the import
benchmark (benches/import.sh). Deterministic: the same N gives the same bytes.

Every row has a 15-character Lead id, a Japanese or English contact, a company shared by three
leads, a landline in one of the shapes Salesforce users type, a mobile on every other row, an
email, a lead source, a Salesforce status, a rating and a create date. One row in 100 repeats an
earlier lead's email with a new phone (a duplicate that merges into it).

usage: salesforce_csv.py ROWS OUT.csv
"""
import sys

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
LAST = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "Smith", "Tanaka"]
FIRST = ["太郎", "花子", "一郎", "美咲", "健", "陽菜", "翔", "さくら", "John", "Yuki"]
TITLES = ["営業部長", "マネージャー", "CEO", "Head of Sales", "情報システム部", ""]
SOURCES = ["Web", "Seminar", "Partner Referral", "Purchased List", "展示会"]
STATUSES = ["Open - Not Contacted", "Open - Not Contacted", "Working - Contacted", "Qualified",
            "Closed - Not Converted"]
RATINGS = ["Hot", "Warm", "Cold", ""]
INDUSTRIES = ["Technology", "Manufacturing", "Finance", "Retail", "Healthcare"]
OWNERS = ["Aiko Sato", "Ken Mori", "Mika Ito"]


def sf_id(i):
    s = ""
    for _ in range(5):
        s = ALNUM[i % 62] + s
        i //= 62
    return "00Q5g00000" + s


def phone(i):
    a, b = (i // 10000) % 10000, i % 10000
    shape = i % 4
    if shape == 0:
        return f"03-{a:04d}-{b:04d}"
    if shape == 1:
        return f"(03) {a:04d}-{b:04d}"
    if shape == 2:
        return f"+81 3-{a:04d}-{b:04d}"
    return f"03{a:04d}{b:04d}"


def quote(v):
    if any(c in v for c in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    head = ["Lead ID", "Lead Owner", "First Name", "Last Name", "Title", "Company / Account",
            "Phone", "Mobile Phone", "Email", "Lead Source", "Lead Status", "Industry",
            "No. of Employees", "Rating", "Create Date"]
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("\ufeff" + ",".join(quote(h) for h in head) + "\r\n")
        for i in range(rows):
            dup = i % 100 == 99
            lead = i - 50 if dup else i
            mobile = f"090-{(i // 10000) % 10000:04d}-{i % 10000:04d}" if i % 2 else ""
            day = 1 + i % 28
            hour = 9 + i % 9
            rec = [
                sf_id(i),
                OWNERS[i % 3],
                FIRST[i % 10],
                LAST[(i // 10) % 10],
                TITLES[i % 6],
                f"株式会社サンプル{lead // 3}, Inc." if lead % 7 == 0 else f"株式会社サンプル{lead // 3}",
                phone(i + 10_000_000) if dup else phone(i),
                mobile,
                f"lead{lead}@sample{lead // 3}.co.jp",
                SOURCES[i % 5],
                STATUSES[i % 5],
                INDUSTRIES[(lead // 3) % 5],
                str(10 * (1 + (lead // 3) % 500)),
                RATINGS[i % 4],
                f"2026/10/{day:02d} {hour:02d}:{i % 60:02d}",
            ]
            f.write(",".join(quote(v) for v in rec) + "\r\n")


main()
