//! Civil-status events and the claims a civil registry records for each.
//!
//! A credential attests one event. Its claims are a flat JSON object of named values (strings
//! only), validated against the event kind's list of required and optional claims, so that every
//! claim is defined in the project's JSON-LD context and can be disclosed on its own in an
//! SD-JWT presentation.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{ClaimProblem, CredentialError};

pub use ledger::types::EventKind;

/// URL of the project's civil-status JSON-LD context (the wallet bundles the document); the
/// SD-JWT VC type of a kind is this URL with the credential type as fragment.
pub const CIVIL_STATUS_CONTEXT_URL: &str = "https://w3id.org/nansen/civil-status/v1";

/// How a claim value is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimValue {
    /// Free text, 1 to 256 characters.
    Text,
    /// A calendar date `YYYY-MM-DD` (xsd:date).
    Date,
    /// A country: written as its ISO 3166-1 alpha-2 code, e.g. `SY` ([`ledger::country`]).
    /// An issuer writes the code of an assigned country, given as alpha-2 or alpha-3 in any
    /// case ([`EventClaims::for_issuance`]); a reader also accepts three upper-case letters,
    /// as credentials issued before this rule carry (alpha-3).
    Country,
    /// `female`, `male`, `other` or `unknown`.
    Sex,
    /// A small photograph of the holder's face for a verifier to compare: a `data:` URI of a
    /// JPEG or WebP image in standard base64, at most [`MAX_PORTRAIT_BYTES`] of image
    /// ([`PortraitImage::from_claim`]).
    Portrait,
}

/// Largest portrait image, in bytes (before base64).
pub const MAX_PORTRAIT_BYTES: usize = 8 * 1024;

/// A portrait claim's image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortraitImage {
    /// `image/jpeg` or `image/webp`.
    pub media_type: &'static str,
    /// The image file's bytes.
    pub bytes: Vec<u8>,
}

impl PortraitImage {
    /// The image of a portrait claim's value, `data:image/jpeg;base64,<base64>` or
    /// `data:image/webp;base64,<base64>`: canonical standard base64 with padding, at most
    /// [`MAX_PORTRAIT_BYTES`] of image, which starts as the media type says (JPEG `FF D8 FF`;
    /// WebP `RIFF`, four bytes, `WEBP`). `None` for anything else.
    pub fn from_claim(text: &str) -> Option<PortraitImage> {
        use base64::Engine as _;
        let (media_type, b64) = [
            ("image/jpeg", "data:image/jpeg;base64,"),
            ("image/webp", "data:image/webp;base64,"),
        ]
        .into_iter()
        .find_map(|(t, prefix)| text.strip_prefix(prefix).map(|rest| (t, rest)))?;
        if b64.len() > MAX_PORTRAIT_BYTES.div_ceil(3) * 4 {
            return None;
        }
        let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
        let magic = match media_type {
            "image/jpeg" => bytes.starts_with(&[0xff, 0xd8, 0xff]),
            _ => bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
        };
        (magic && bytes.len() <= MAX_PORTRAIT_BYTES).then_some(PortraitImage { media_type, bytes })
    }
}

impl ClaimValue {
    /// What a value must be to pass the check, in English (the `nansen` command line has it
    /// in every language under `claim-rule-<name>`).
    pub fn rule(self) -> &'static str {
        match self {
            ClaimValue::Text => "text of 1 to 256 characters without control characters",
            ClaimValue::Date => "a date YYYY-MM-DD (a real calendar day)",
            ClaimValue::Country => {
                "an ISO 3166-1 alpha-2 country code, e.g. SY (the alpha-3 code, SYR, is \
                 accepted and written as SY)"
            }
            ClaimValue::Sex => "female, male, other or unknown",
            ClaimValue::Portrait => {
                "a JPEG or WebP image of at most 8 KB as a data: URI \
                 (data:image/jpeg;base64,... or data:image/webp;base64,...)"
            }
        }
    }

    /// The check's name, as `--help` and `specs/credentials.md` mark a claim: `text`, `date`,
    /// `country` or `sex`.
    pub fn name(self) -> &'static str {
        match self {
            ClaimValue::Text => "text",
            ClaimValue::Date => "date",
            ClaimValue::Country => "country",
            ClaimValue::Sex => "sex",
            ClaimValue::Portrait => "portrait",
        }
    }
}

impl ClaimSpec {
    /// The claim as the claim lists write it: its name, then its check in brackets unless it
    /// is text (`birthDate (date)`, `givenName`).
    pub fn described(&self) -> String {
        match self.value {
            ClaimValue::Text => self.name.to_owned(),
            other => format!("{} ({})", self.name, other.name()),
        }
    }
}

/// One claim an event kind may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimSpec {
    /// The claim name (a term of the civil-status context).
    pub name: &'static str,
    /// How its value is checked.
    pub value: ClaimValue,
    /// Whether every credential of the kind must carry it.
    pub required: bool,
}

const fn req(name: &'static str, value: ClaimValue) -> ClaimSpec {
    ClaimSpec {
        name,
        value,
        required: true,
    }
}

const fn opt(name: &'static str, value: ClaimValue) -> ClaimSpec {
    ClaimSpec {
        name,
        value,
        required: false,
    }
}

use ClaimValue::{Country, Date, Portrait, Sex, Text};

/// Claims every event kind carries: the registry's own record of the registration.
const REGISTRATION: [ClaimSpec; 3] = [
    req("registrationNumber", Text),
    req("registrationDate", Date),
    opt("registrationPlace", Text),
];

const BIRTH: &[ClaimSpec] = &[
    req("givenName", Text),
    req("familyName", Text),
    req("birthDate", Date),
    req("birthPlace", Text),
    opt("sex", Sex),
    opt("nationality", Country),
    opt("motherName", Text),
    opt("fatherName", Text),
];

const DEATH: &[ClaimSpec] = &[
    req("givenName", Text),
    req("familyName", Text),
    req("deathDate", Date),
    req("deathPlace", Text),
    opt("birthDate", Date),
    opt("nationality", Country),
];

const MARRIAGE: &[ClaimSpec] = &[
    req("givenName", Text),
    req("familyName", Text),
    req("spouseGivenName", Text),
    req("spouseFamilyName", Text),
    req("marriageDate", Date),
    req("marriagePlace", Text),
    opt("birthDate", Date),
    opt("spouseBirthDate", Date),
];

const DIVORCE: &[ClaimSpec] = &[
    req("givenName", Text),
    req("familyName", Text),
    req("spouseGivenName", Text),
    req("spouseFamilyName", Text),
    req("divorceDate", Date),
    req("divorcePlace", Text),
    opt("marriageDate", Date),
];

const ADOPTION: &[ClaimSpec] = &[
    req("givenName", Text),
    req("familyName", Text),
    req("birthDate", Date),
    req("adoptionDate", Date),
    req("adoptionPlace", Text),
    req("adoptiveParentName", Text),
    opt("secondAdoptiveParentName", Text),
    opt("previousFamilyName", Text),
];

const NAME_CHANGE: &[ClaimSpec] = &[
    req("previousFamilyName", Text),
    opt("previousGivenName", Text),
    req("givenName", Text),
    req("familyName", Text),
    req("nameChangeDate", Date),
    opt("birthDate", Date),
];

const IDENTITY_REGISTRATION: &[ClaimSpec] = &[
    req("givenName", Text),
    req("familyName", Text),
    req("birthDate", Date),
    opt("birthPlace", Text),
    opt("sex", Sex),
    opt("nationality", Country),
    opt("portrait", Portrait),
];

const REFUGEE_STATUS: &[ClaimSpec] = &[
    req("givenName", Text),
    req("familyName", Text),
    req("birthDate", Date),
    req("countryOfOrigin", Country),
    req("hostCountry", Country),
    req("statusGrantedDate", Date),
    opt("nationality", Country),
    opt("caseNumber", Text),
    opt("portrait", Portrait),
];

/// What a credential needs of an event kind beyond the ledger's
/// [`EventKind`] (whose `name()` is the snake_case name used everywhere).
pub trait CredentialKind: Sized {
    /// The credential type term (`BirthCredential`, ...), defined in the civil-status context.
    fn credential_type(self) -> &'static str;
    /// The kind whose credential type term is `credential_type`, if any.
    fn from_credential_type(credential_type: &str) -> Option<Self>;
    /// The SD-JWT VC type (`vct`) of this kind's credentials.
    fn vct(self) -> String;
    /// Every claim this kind may carry: its own claims, then the registration claims.
    fn claim_specs(
        self,
    ) -> std::iter::Chain<std::slice::Iter<'static, ClaimSpec>, std::slice::Iter<'static, ClaimSpec>>;
}

impl CredentialKind for EventKind {
    fn credential_type(self) -> &'static str {
        match self {
            EventKind::Birth => "BirthCredential",
            EventKind::Death => "DeathCredential",
            EventKind::Marriage => "MarriageCredential",
            EventKind::Divorce => "DivorceCredential",
            EventKind::Adoption => "AdoptionCredential",
            EventKind::NameChange => "NameChangeCredential",
            EventKind::IdentityRegistration => "IdentityRegistrationCredential",
            EventKind::RefugeeStatus => "RefugeeStatusCredential",
        }
    }

    fn from_credential_type(credential_type: &str) -> Option<EventKind> {
        EventKind::ALL
            .into_iter()
            .find(|k| k.credential_type() == credential_type)
    }

    fn vct(self) -> String {
        format!("{}#{}", CIVIL_STATUS_CONTEXT_URL, self.credential_type())
    }

    fn claim_specs(
        self,
    ) -> std::iter::Chain<std::slice::Iter<'static, ClaimSpec>, std::slice::Iter<'static, ClaimSpec>>
    {
        own_claims(self).iter().chain(REGISTRATION.iter())
    }
}

/// The claims specific to a kind (the registration claims common to all
/// kinds come with them in [`CredentialKind::claim_specs`]).
pub fn own_claims(kind: EventKind) -> &'static [ClaimSpec] {
    match kind {
        EventKind::Birth => BIRTH,
        EventKind::Death => DEATH,
        EventKind::Marriage => MARRIAGE,
        EventKind::Divorce => DIVORCE,
        EventKind::Adoption => ADOPTION,
        EventKind::NameChange => NAME_CHANGE,
        EventKind::IdentityRegistration => IDENTITY_REGISTRATION,
        EventKind::RefugeeStatus => REFUGEE_STATUS,
    }
}

/// The claims every kind carries besides its own (`registrationNumber`, ...).
pub fn registration_claims() -> &'static [ClaimSpec] {
    &REGISTRATION
}

/// `specs` described and comma-separated, those with `required` equal to `required` only.
pub fn claim_list(specs: impl IntoIterator<Item = &'static ClaimSpec>, required: bool) -> String {
    specs
        .into_iter()
        .filter(|s| s.required == required)
        .map(ClaimSpec::described)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The claims table of `specs/credentials.md` section 2, made from the claim lists above: the
/// sentence naming the registration claims, then one row per kind of its own claims. A test
/// checks that the specification holds exactly this text.
pub fn claims_table_markdown() -> String {
    let registration = registration_claims();
    let mut out = format!(
        "Every kind also carries, required: {}; optional: {}.\n\n",
        claim_list(registration, true),
        claim_list(registration, false)
    );
    out.push_str("| kind (ledger name) | `type` term | required | optional |\n");
    out.push_str("| --- | --- | --- | --- |\n");
    for kind in EventKind::ALL {
        out.push_str(&format!(
            "| `{}` | `{}` | {} | {} |\n",
            kind.name(),
            kind.credential_type(),
            claim_list(own_claims(kind), true),
            claim_list(own_claims(kind), false)
        ));
    }
    out
}

/// Parses an event kind's snake_case name, with the wallet's error.
pub fn parse_event_kind(name: &str) -> Result<EventKind, CredentialError> {
    EventKind::from_name(name).map_err(|_| CredentialError::UnknownEventKind(name.to_owned()))
}

/// The validated claims of one event: claim name to string value, sorted by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventClaims {
    kind: EventKind,
    claims: BTreeMap<String, String>,
}

impl EventClaims {
    /// Validates `claims` (a JSON object of strings) against `kind`'s claim list.
    pub fn new(kind: EventKind, claims: &Value) -> Result<Self, CredentialError> {
        let object = claims
            .as_object()
            .ok_or(CredentialError::ClaimsNotAnObject)?;
        Self::from_map(kind, object)
    }

    /// The claims of a credential about to be issued: each country claim written as the
    /// ISO 3166-1 alpha-2 code of an assigned country (`SYR`, `syr` and `SY` give `SY`; an
    /// unassigned code is a problem), then validated as [`EventClaims::from_map`] does.
    pub fn for_issuance(kind: EventKind, claims: &Value) -> Result<Self, CredentialError> {
        let mut object = claims
            .as_object()
            .ok_or(CredentialError::ClaimsNotAnObject)?
            .clone();
        for spec in kind.claim_specs().filter(|s| s.value == Country) {
            if let Some(Value::String(code)) = object.get_mut(spec.name) {
                if let Some(alpha2) = ledger::country::alpha2(code) {
                    *code = alpha2.to_owned();
                }
            }
        }
        Self::checked(kind, &object, Reading::Issuing)
    }

    /// Validates a JSON map of claims against `kind`'s claim list, reporting every problem at
    /// once ([`CredentialError::InvalidClaims`]).
    pub fn from_map(kind: EventKind, object: &Map<String, Value>) -> Result<Self, CredentialError> {
        Self::checked(kind, object, Reading::Credential)
    }

    fn checked(
        kind: EventKind,
        object: &Map<String, Value>,
        reading: Reading,
    ) -> Result<Self, CredentialError> {
        let mut claims = BTreeMap::new();
        let mut problems = Vec::new();
        for (name, value) in object {
            match checked_claim(kind, name, value, reading) {
                Ok(text) => {
                    claims.insert(name.clone(), text.to_owned());
                }
                Err(problem) => problems.push(problem),
            }
        }
        problems.extend(
            kind.claim_specs()
                .filter(|s| s.required && !object.contains_key(s.name))
                .map(|s| ClaimProblem::Missing(s.name)),
        );
        if !problems.is_empty() {
            return Err(CredentialError::InvalidClaims { kind, problems });
        }
        Ok(EventClaims { kind, claims })
    }

    /// Checks claims that may be a subset of the kind's claims (a selective disclosure):
    /// every claim must belong to the kind and be well formed; none is required.
    pub fn check_partial(
        kind: EventKind,
        object: &Map<String, Value>,
    ) -> Result<(), CredentialError> {
        for (name, value) in object {
            checked_claim(kind, name, value, Reading::Credential).map_err(
                |problem| match problem {
                    ClaimProblem::Unknown { claim, .. } => {
                        CredentialError::UnknownClaim { kind, claim }
                    }
                    other => CredentialError::InvalidClaimValue {
                        claim: other.claim().to_owned(),
                        reason: match other {
                            ClaimProblem::BadValue { check, .. } => check.rule(),
                            _ => "must be a string",
                        },
                    },
                },
            )?;
        }
        Ok(())
    }

    /// The event kind.
    pub fn kind(&self) -> EventKind {
        self.kind
    }

    /// The value of one claim.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.claims.get(name).map(String::as_str)
    }

    /// The claims in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.claims.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The claims as a JSON object.
    pub fn to_json(&self) -> Map<String, Value> {
        self.claims
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect()
    }
}

/// Whose claims are checked: an issuer's, about to be written, or a credential's, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Claims to write: a country must be an assigned alpha-2 code.
    Issuing,
    /// Claims of a signed credential: a country is two upper-case letters, or three for a
    /// credential issued before the alpha-2 rule.
    Credential,
}

/// One claim of `kind`, checked: a claim the kind has, with a well-formed string value.
fn checked_claim<'a>(
    kind: EventKind,
    name: &str,
    value: &'a Value,
    reading: Reading,
) -> Result<&'a str, ClaimProblem> {
    let spec =
        kind.claim_specs()
            .find(|s| s.name == name)
            .ok_or_else(|| ClaimProblem::Unknown {
                claim: name.to_owned(),
                suggestion: close_name(kind, name),
            })?;
    let text = value.as_str().ok_or(ClaimProblem::NotText(spec.name))?;
    if !value_passes(spec.value, text, reading) {
        return Err(ClaimProblem::BadValue {
            claim: spec.name,
            check: spec.value,
            given: text.to_owned(),
        });
    }
    Ok(text)
}

/// The claim of `kind` that `name` was probably meant to be: the same but for case, or at
/// most two edits away.
fn close_name(kind: EventKind, name: &str) -> Option<&'static str> {
    let specs = || kind.claim_specs().map(|s| s.name);
    specs()
        .find(|s| s.eq_ignore_ascii_case(name))
        .or_else(|| specs().find(|s| edit_distance(s, name) <= 2))
}

/// Levenshtein distance between two short names, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substituted = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substituted.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

fn value_passes(check: ClaimValue, text: &str, reading: Reading) -> bool {
    match check {
        Text => {
            let chars = text.chars().count();
            (1..=256).contains(&chars) && !text.chars().any(char::is_control)
        }
        Date => is_date(text),
        Country => match reading {
            Reading::Issuing => ledger::country::is_assigned_alpha2(text),
            Reading::Credential => {
                (2..=3).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_uppercase())
            }
        },
        Sex => matches!(text, "female" | "male" | "other" | "unknown"),
        Portrait => PortraitImage::from_claim(text).is_some(),
    }
}

/// Whether `text` is a valid proleptic Gregorian date `YYYY-MM-DD`.
pub(crate) fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn birth() -> Value {
        json!({
            "givenName": "Amal", "familyName": "Haddad", "birthDate": "2024-02-29",
            "birthPlace": "Zaatari camp", "registrationNumber": "JO-ZA-2024-000123",
            "registrationDate": "2024-03-04"
        })
    }

    #[test]
    fn valid_birth_claims_are_accepted() {
        let claims = EventClaims::new(EventKind::Birth, &birth()).unwrap();
        assert_eq!(claims.get("givenName"), Some("Amal"));
    }

    #[test]
    fn missing_required_claim_is_named() {
        let mut c = birth();
        c.as_object_mut().unwrap().remove("birthPlace");
        let err = EventClaims::new(EventKind::Birth, &c).unwrap_err();
        assert!(
            matches!(&err, CredentialError::InvalidClaims { problems, .. }
                if problems == &[ClaimProblem::Missing("birthPlace")]),
            "{err:?}"
        );
    }

    #[test]
    fn claim_of_another_kind_is_rejected() {
        let mut c = birth();
        c["deathDate"] = json!("2024-01-01");
        let err = EventClaims::new(EventKind::Birth, &c).unwrap_err();
        assert!(matches!(err, CredentialError::InvalidClaims { .. }));
    }

    #[test]
    fn impossible_date_is_rejected() {
        let mut c = birth();
        c["birthDate"] = json!("2023-02-29");
        assert!(matches!(
            EventClaims::new(EventKind::Birth, &c),
            Err(CredentialError::InvalidClaims { .. })
        ));
    }

    #[test]
    fn countries_are_written_alpha2_and_older_alpha3_credentials_still_read() {
        let mut c = birth();
        c["nationality"] = json!("syr");
        let issued = EventClaims::for_issuance(EventKind::Birth, &c).unwrap();
        assert_eq!(issued.get("nationality"), Some("SY"));
        c["nationality"] = json!("XYZ");
        assert!(matches!(
            EventClaims::for_issuance(EventKind::Birth, &c),
            Err(CredentialError::InvalidClaims { .. })
        ));
        c["nationality"] = json!("SYR");
        let read = EventClaims::new(EventKind::Birth, &c).unwrap();
        assert_eq!(read.get("nationality"), Some("SYR"));
    }

    #[test]
    fn every_claim_problem_is_reported_at_once() {
        let mut c = birth();
        let object = c.as_object_mut().unwrap();
        object.remove("birthPlace");
        object.remove("registrationNumber");
        object.insert("givenname".into(), json!("Amal"));
        object.insert("birthDate".into(), json!("2023-02-30"));
        object.insert("sex".into(), json!(1));
        let Err(CredentialError::InvalidClaims { kind, problems }) =
            EventClaims::new(EventKind::Birth, &c)
        else {
            panic!("not InvalidClaims");
        };
        assert_eq!(kind, EventKind::Birth);
        assert_eq!(
            problems,
            vec![
                ClaimProblem::BadValue {
                    claim: "birthDate",
                    check: Date,
                    given: "2023-02-30".into()
                },
                ClaimProblem::Unknown {
                    claim: "givenname".into(),
                    suggestion: Some("givenName")
                },
                ClaimProblem::NotText("sex"),
                ClaimProblem::Missing("birthPlace"),
                ClaimProblem::Missing("registrationNumber"),
            ]
        );
    }

    #[test]
    fn kind_names_round_trip() {
        for kind in EventKind::ALL {
            assert_eq!(parse_event_kind(kind.name()).unwrap(), kind);
            assert_eq!(
                EventKind::from_credential_type(kind.credential_type()),
                Some(kind)
            );
        }
    }
}
