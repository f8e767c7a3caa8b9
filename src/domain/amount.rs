//! Money amounts and counts typed by a user (`--amount`, `plan --target`, config values):
//! finite, positive and within a range where every report still prints them exactly.

/// The largest amount kaden accepts: 10^15 (a thousand trillion yen). Every sum of a report
/// stays exact in an `f64` and printable as a whole number.
pub const MAX_AMOUNT: f64 = 1e15;

/// `v` as an amount for `what` (a flag or config key): finite, above zero, at most
/// [`MAX_AMOUNT`]. The error says which and why.
pub fn check_amount(what: &str, v: f64) -> Result<f64, String> {
    if !v.is_finite() {
        return Err(format!("{what} {v} is not a number"));
    }
    if v <= 0.0 {
        return Err(format!("{what} {v} must be more than 0"));
    }
    if v > MAX_AMOUNT {
        return Err(format!(
            "{what} {v} is too large (at most 1,000,000,000,000,000)"
        ));
    }
    Ok(v)
}

/// `v` as a number between `min` and `max` (inclusive) for `what`.
pub fn check_range(what: &str, v: f64, min: f64, max: f64) -> Result<f64, String> {
    if !v.is_finite() {
        return Err(format!("{what} {v} is not a number"));
    }
    if v < min || v > max {
        return Err(format!("{what} {v} is out of range ({min} to {max})"));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_finite_positive_and_bounded() {
        assert_eq!(check_amount("--amount", 1_500_000.0), Ok(1_500_000.0));
        for bad in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.0,
            -5.0,
            1e308,
            1e16,
        ] {
            assert!(check_amount("--amount", bad).is_err(), "{bad}");
        }
        assert!(
            check_amount("--amount", f64::NAN)
                .unwrap_err()
                .contains("not a number")
        );
        assert!(check_range("w", 0.5, 0.0, 1.0).is_ok());
        assert!(check_range("w", f64::NAN, 0.0, 1.0).is_err());
        assert!(check_range("w", -1.0, 0.0, 1.0).is_err());
    }
}
