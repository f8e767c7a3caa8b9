//! Values to and from the server: parameters bound by the type it inferred, columns back as
//! engine-neutral [`Col`]s (`numeric` included).

use super::*;

impl ToSql for Value<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> std::result::Result<IsNull, BoxError> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(n) => match *ty {
                Type::INT8 => n.to_sql(ty, out),
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::FLOAT8 => (*n as f64).to_sql(ty, out),
                Type::FLOAT4 => (*n as f32).to_sql(ty, out),
                Type::BOOL => (*n != 0).to_sql(ty, out),
                _ => n.to_string().as_str().to_sql(ty, out),
            },
            Value::Real(x) => match *ty {
                Type::FLOAT8 => x.to_sql(ty, out),
                Type::FLOAT4 => (*x as f32).to_sql(ty, out),
                Type::INT8 if x.fract() == 0.0 => (*x as i64).to_sql(ty, out),
                _ => x.to_string().as_str().to_sql(ty, out),
            },
            Value::Text(s) => match *ty {
                Type::INT8 => s.parse::<i64>()?.to_sql(ty, out),
                Type::INT4 => s.parse::<i32>()?.to_sql(ty, out),
                Type::FLOAT8 => s.parse::<f64>()?.to_sql(ty, out),
                _ => s.as_ref().to_sql(ty, out),
            },
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A column of any type kaden's schema has, read as the engine-neutral [`Col`].
pub(crate) struct PgCol<'a>(pub Col<'a>);

impl<'a> FromSql<'a> for PgCol<'a> {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, BoxError> {
        Ok(PgCol(match *ty {
            Type::INT8 => Col::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Col::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Col::Int(i16::from_sql(ty, raw)?.into()),
            Type::OID => Col::Int(u32::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Col::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Col::Real(f32::from_sql(ty, raw)?.into()),
            Type::BOOL => Col::Int(bool::from_sql(ty, raw)?.into()),
            Type::NUMERIC => numeric(raw)?,
            _ => Col::Text(<&str>::from_sql(&Type::TEXT, raw)?),
        }))
    }

    fn from_sql_null(_ty: &Type) -> std::result::Result<Self, BoxError> {
        Ok(PgCol(Col::Null))
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }
}

/// A `numeric` in PostgreSQL's binary form: an integer when it has no fraction digits and fits
/// an i64, a float otherwise.
pub(super) fn numeric(raw: &[u8]) -> std::result::Result<Col<'static>, BoxError> {
    let word = |i: usize| -> std::result::Result<i16, BoxError> {
        raw.get(i..i + 2)
            .map(|b| i16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| "a short numeric".into())
    };
    let ndigits = usize::try_from(word(0)?)?;
    let weight = i32::from(word(2)?);
    let sign = word(4)? as u16;
    let dscale = word(6)?;
    if sign == 0xC000 {
        return Ok(Col::Real(f64::NAN));
    }
    let mut f = 0f64;
    let mut int: Option<i128> = Some(0);
    for i in 0..ndigits {
        let d = i32::from(word(8 + 2 * i)?);
        let power = weight - i32::try_from(i)?;
        f += f64::from(d) * 10000f64.powi(power);
        int = match (int, power >= 0) {
            (Some(acc), true) => u32::try_from(power)
                .ok()
                .and_then(|p| 10000i128.checked_pow(p))
                .and_then(|m| acc.checked_add(i128::from(d) * m)),
            (acc, false) if d == 0 => acc,
            _ => None,
        };
    }
    let negative = sign == 0x4000;
    if dscale == 0
        && let Some(n) = int.and_then(|n| i64::try_from(if negative { -n } else { n }).ok())
    {
        return Ok(Col::Int(n));
    }
    Ok(Col::Real(if negative { -f } else { f }))
}
