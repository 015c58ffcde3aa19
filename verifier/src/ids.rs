//! Credential ids (`urn:uuid:` v4) and the one timestamp form credentials use
//! (`YYYY-MM-DDTHH:MM:SSZ`, UTC, whole seconds).

use crate::error::CredentialError;

/// Turns 16 random bytes into a UUID version 4 (sets the version and variant bits).
pub fn uuid_v4(mut bytes: [u8; 16]) -> [u8; 16] {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    bytes
}

/// `urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (lower-case hex) for a credential id.
pub fn id_to_urn(id: &[u8; 16]) -> String {
    let h = hex::encode(id);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Parses a `urn:uuid:` credential id back into its 16 bytes.
pub fn id_from_urn(urn: &str) -> Result<[u8; 16], CredentialError> {
    let bad = || CredentialError::MalformedDocument("id is not a urn:uuid");
    let uuid = urn.strip_prefix("urn:uuid:").ok_or_else(bad)?;
    let groups: Vec<&str> = uuid.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    if lengths != [8, 4, 4, 4, 12] || uuid.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(bad());
    }
    let bytes = hex::decode(groups.concat()).map_err(|_| bad())?;
    bytes.try_into().map_err(|_| bad())
}

/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds).
pub fn format_timestamp(unix_seconds: i64) -> Result<String, CredentialError> {
    // 0000-01-01 .. 9999-12-31
    if !(-62_167_219_200..=253_402_300_799).contains(&unix_seconds) {
        return Err(CredentialError::TimestampOutOfRange(unix_seconds));
    }
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    Ok(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    ))
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` (the form [`format_timestamp`] writes) into Unix seconds.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    if !crate::event::is_date(&text[..10]) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if h > 23 || mi > 59 || s > 59 {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s)
}

// Howard Hinnant's civil calendar algorithms.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
