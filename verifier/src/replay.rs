//! The replay record: each challenge a verifier issues verifies one presentation, once.
//!
//! The record is text, one line per spent challenge: the challenge in lower-case hex (so any
//! text fits on a line), a space, and the verifier's clock when it was spent (Unix seconds).
//! `nansen verify` keeps one record file per audience (`used-nonces-<name>.txt` in its state
//! directory, under a lock); the browser verifier keeps the same text in its storage under
//! the same name. Lines older than the retention (2 × the key-binding window + 1 day) are
//! dropped when a challenge is spent: a replay that late fails the freshness check anyway.

use sha2::{Digest as _, Sha256};

/// The record's name for `audience`: 16 hex digits of SHA-256 of the audience.
pub fn record_name(audience: &str) -> String {
    let h = Sha256::digest(audience.as_bytes());
    hex::encode(&h[..8])
}

/// Spends `challenge` at `now` against `record` (key-binding window `max_age` seconds): the
/// new record when the challenge was not spent before, `None` when it was (a replay; the
/// record is then left as it is). Lines that do not read as `<hex> <seconds>` are dropped.
pub fn spend(record: &str, challenge: &str, now: i64, max_age: i64) -> Option<String> {
    let nonce = hex::encode(challenge.as_bytes());
    let retention = 2 * max_age.max(0) + 86_400;
    let mut kept = String::new();
    for line in record.lines() {
        let mut it = line.split(' ');
        let (Some(n), Some(t)) = (it.next(), it.next().and_then(|t| t.parse::<i64>().ok())) else {
            continue;
        };
        if n == nonce {
            return None;
        }
        if now - t <= retention {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept.push_str(&format!("{nonce} {now}\n"));
    Some(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_challenge_is_spent_once_and_old_lines_are_dropped() {
        let first = spend("", "abc", 1_000_000, 300).expect("fresh");
        assert_eq!(first, "616263 1000000\n");
        assert_eq!(spend(&first, "abc", 1_000_001, 300), None);
        // Past the retention (2 × 300 + 86,400 s) the old line goes when another is spent.
        let later = spend(&first, "def", 1_000_000 + 87_001, 300).expect("fresh");
        assert_eq!(later, "646566 1087001\n");
        assert_eq!(record_name("border-post").len(), 16);
    }
}
