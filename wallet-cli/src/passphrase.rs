//! The strength rule for new passphrases (a wallet's, a backup's).
//!
//! A passphrase guards everything in the wallet file: a stolen file is attacked offline, one
//! Argon2id per guess. The rule is the zxcvbn estimate (Dropbox's estimator, the `zxcvbn`
//! crate): a new passphrase is refused when its score is below [`MIN_SCORE`], i.e. when
//! zxcvbn estimates that fewer than 10^8 guesses find it (common words, names, dates, keyboard
//! patterns and repeats count for little; only the first 100 characters are looked at). The
//! rule applies to passphrases being chosen (`init`, `recover`, `backup export`), never to
//! opening an existing wallet.

/// The lowest accepted zxcvbn score (0 to 4): 3, "safely unguessable: moderate protection from
/// offline slow-hash scenario" (more than 10^8 guesses).
pub const MIN_SCORE: u8 = 3;

/// Words a guesser would try first for this program, counted as known words by the estimator.
const PROGRAM_WORDS: &[&str] = &["nansen", "wallet", "passphrase", "password", "backup"];

/// A passphrase the estimator finds too easy to guess.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the passphrase is too easy to guess (strength {score} of 4, at least {min} needed){}. \
     Choose a longer one: four or more unrelated words, or a sentence only you would write",
    advice.as_ref().map(|a| format!(": {a}")).unwrap_or_default(),
    min = MIN_SCORE
)]
pub struct WeakPassphrase {
    /// The zxcvbn score, 0 to 4.
    pub score: u8,
    /// The estimator's warning and suggestions, in English, if it has any.
    pub advice: Option<String>,
}

/// Checks a new passphrase against the strength rule.
pub fn check_new(passphrase: &str) -> Result<(), WeakPassphrase> {
    let estimate = zxcvbn::zxcvbn(passphrase, PROGRAM_WORDS);
    let score = u8::from(estimate.score());
    if score >= MIN_SCORE {
        return Ok(());
    }
    let advice = estimate.feedback().map(|f| {
        let mut parts: Vec<String> = f.warning().map(|w| w.to_string()).into_iter().collect();
        parts.extend(f.suggestions().iter().map(|s| s.to_string()));
        parts.join(" ")
    });
    Err(WeakPassphrase {
        score,
        advice: advice.filter(|a| !a.trim().is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passphrases_are_refused_with_their_score() {
        for weak in [
            "",
            "a",
            "password",
            "nansen123",
            "qwertyuiop",
            "aaaaaaaaaaaa",
        ] {
            let e = check_new(weak).expect_err(weak);
            assert!(e.score < MIN_SCORE, "{weak}: {e:?}");
            assert!(e.to_string().contains("too easy to guess"), "{e}");
        }
    }

    #[test]
    fn long_unrelated_words_are_accepted() {
        for strong in [
            "correct horse battery staple",
            "olive tractor lantern seventeen",
            "my grandmother's goat ate the radio in Homs",
        ] {
            assert_eq!(check_new(strong), Ok(()), "{strong}");
        }
    }
}
