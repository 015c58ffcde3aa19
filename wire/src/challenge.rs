//! A verifier's request for a presentation as the text of one QR code: the
//! challenge the presentation must answer and the audience (the verifier's
//! identity) it must name, so that the holder scans them instead of typing
//! them (`specs/credentials.md`, "challenge code").
//!
//! The text is `NSC1:<challenge>:<audience>`: the challenge is 1 to
//! [`MAX_CHALLENGE`] characters of `A-Z a-z 0-9 - _` (no colon, so the first
//! colon after the prefix ends it); the audience is the rest of the text,
//! 1 to [`MAX_AUDIENCE`] bytes of UTF-8 with no control character.

/// The prefix of a challenge code's text.
pub const CHALLENGE_PREFIX: &str = "NSC1:";
/// Longest challenge, in characters.
pub const MAX_CHALLENGE: usize = 128;
/// Longest audience, in bytes.
pub const MAX_AUDIENCE: usize = 256;

/// A verifier's challenge and audience.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeRequest {
    /// The challenge (nonce) the presentation must carry.
    pub challenge: String,
    /// The verifier's identity, the presentation's audience.
    pub audience: String,
}

/// Why a text is not a challenge code, or a challenge or audience cannot be one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChallengeCodeError {
    /// The text does not start with [`CHALLENGE_PREFIX`].
    #[error("not a challenge code (it does not start with {CHALLENGE_PREFIX})")]
    NotAChallengeCode,
    /// The challenge is empty, too long, or has a character outside `A-Z a-z 0-9 - _`.
    #[error("the challenge must be 1 to {MAX_CHALLENGE} characters of A-Z, a-z, 0-9, '-' and '_'")]
    BadChallenge,
    /// The audience is empty, too long, or has a control character.
    #[error("the audience must be 1 to {MAX_AUDIENCE} bytes with no control character")]
    BadAudience,
}

impl ChallengeCodeError {
    /// A stable snake_case code naming the variant.
    pub fn code(&self) -> &'static str {
        match self {
            ChallengeCodeError::NotAChallengeCode => "not_a_challenge_code",
            ChallengeCodeError::BadChallenge => "bad_challenge",
            ChallengeCodeError::BadAudience => "bad_audience",
        }
    }
}

impl ChallengeRequest {
    /// A request, checked against the rules above.
    pub fn new(challenge: &str, audience: &str) -> Result<Self, ChallengeCodeError> {
        check_challenge(challenge)?;
        check_audience(audience)?;
        Ok(ChallengeRequest {
            challenge: challenge.to_owned(),
            audience: audience.to_owned(),
        })
    }

    /// The code's text, `NSC1:<challenge>:<audience>`.
    pub fn to_text(&self) -> String {
        format!("{CHALLENGE_PREFIX}{}:{}", self.challenge, self.audience)
    }

    /// Reads a code's text (a trailing newline or carriage return, as some scanners add, is
    /// ignored; nothing else is trimmed).
    pub fn from_text(text: &str) -> Result<Self, ChallengeCodeError> {
        let text = text.strip_suffix('\n').unwrap_or(text);
        let text = text.strip_suffix('\r').unwrap_or(text);
        let rest = text
            .strip_prefix(CHALLENGE_PREFIX)
            .ok_or(ChallengeCodeError::NotAChallengeCode)?;
        let (challenge, audience) = rest
            .split_once(':')
            .ok_or(ChallengeCodeError::BadAudience)?;
        ChallengeRequest::new(challenge, audience)
    }
}

fn check_challenge(challenge: &str) -> Result<(), ChallengeCodeError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if challenge.is_empty() || challenge.len() > MAX_CHALLENGE || !challenge.chars().all(allowed) {
        return Err(ChallengeCodeError::BadChallenge);
    }
    Ok(())
}

fn check_audience(audience: &str) -> Result<(), ChallengeCodeError> {
    if audience.is_empty()
        || audience.len() > MAX_AUDIENCE
        || audience.chars().any(char::is_control)
    {
        return Err(ChallengeCodeError::BadAudience);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_code_names_its_challenge_and_audience() {
        let request = ChallengeRequest::new("8f1c2e", "https://border.example:8443/jaber").unwrap();
        let text = request.to_text();
        assert_eq!(text, "NSC1:8f1c2e:https://border.example:8443/jaber");
        assert_eq!(ChallengeRequest::from_text(&text), Ok(request.clone()));
        assert_eq!(ChallengeRequest::from_text(&(text + "\r\n")), Ok(request));
    }

    #[test]
    fn what_is_not_a_code_is_named() {
        use ChallengeCodeError::*;
        for (text, error) in [
            ("NS1:1/1:abc", NotAChallengeCode),
            ("nsc1:ab:cd", NotAChallengeCode),
            ("NSC1:abc", BadAudience),
            ("NSC1::border", BadChallenge),
            ("NSC1:a b:border", BadChallenge),
            ("NSC1:ab:", BadAudience),
            ("NSC1:ab:bor\u{7}der", BadAudience),
            ("NSC1:ab:two\nlines", BadAudience),
        ] {
            assert_eq!(ChallengeRequest::from_text(text), Err(error), "{text:?}");
        }
        let long = "a".repeat(MAX_CHALLENGE + 1);
        assert_eq!(
            ChallengeRequest::new(&long, "border"),
            Err(ChallengeCodeError::BadChallenge)
        );
        let wide = "é".repeat(MAX_AUDIENCE / 2 + 1);
        assert_eq!(
            ChallengeRequest::new("ab", &wide),
            Err(ChallengeCodeError::BadAudience)
        );
    }

    proptest! {
        #[test]
        fn any_text_reads_without_panic_and_what_reads_writes_back(text in ".{0,400}") {
            if let Ok(request) = ChallengeRequest::from_text(&text) {
                prop_assert_eq!(ChallengeRequest::from_text(&request.to_text()), Ok(request));
            }
        }

        #[test]
        fn valid_requests_round_trip(
            challenge in "[A-Za-z0-9_-]{1,128}",
            audience in "[^\\p{Cc}]{1,60}",
        ) {
            let request = ChallengeRequest::new(&challenge, &audience).unwrap();
            prop_assert_eq!(ChallengeRequest::from_text(&request.to_text()), Ok(request));
        }
    }
}
