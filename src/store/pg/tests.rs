use super::types::numeric;
use super::*;

#[test]
fn placeholders_are_renumbered_outside_literals() {
    assert_eq!(
        placeholders("SELECT '?1', \"a?2\", ?1 -- ?3\n, ?12"),
        "SELECT '?1', \"a?2\", $1 -- ?3\n, $12"
    );
}

#[test]
fn passwords_are_never_shown() {
    assert_eq!(
        redact("postgres://rep:s3cret@db.example.com:5432/sales?sslmode=require"),
        "postgres://rep:***@db.example.com:5432/sales?sslmode=require"
    );
    assert_eq!(
        redact("postgresql://rep@host/sales?password=s3cret&sslmode=disable"),
        "postgresql://rep@host/sales?password=***&sslmode=disable"
    );
    assert_eq!(redact("postgres://host/db"), "postgres://host/db");
    assert!(!redact("postgres://a:p@ss@h/d").contains("p@ss"));
}

#[test]
fn numerics_decode_to_integers_or_floats() {
    // 12345678 = [1234, 5678] weight 1; -2.5 = [2, 5000] weight 0, scale 1.
    let enc = |digits: &[i16], weight: i16, sign: u16, scale: i16| {
        let mut v = Vec::new();
        v.extend((digits.len() as i16).to_be_bytes());
        v.extend(weight.to_be_bytes());
        v.extend(sign.to_be_bytes());
        v.extend(scale.to_be_bytes());
        for d in digits {
            v.extend(d.to_be_bytes());
        }
        v
    };
    assert_eq!(
        numeric(&enc(&[1234, 5678], 1, 0, 0)).expect("numeric"),
        Col::Int(12_345_678)
    );
    assert_eq!(
        numeric(&enc(&[2, 5000], 0, 0x4000, 1)).expect("numeric"),
        Col::Real(-2.5)
    );
    assert_eq!(numeric(&enc(&[], 0, 0, 0)).expect("numeric"), Col::Int(0));
    assert_eq!(
        numeric(&enc(&[7], 2, 0, 0)).expect("numeric"),
        Col::Int(700_000_000)
    );
}
