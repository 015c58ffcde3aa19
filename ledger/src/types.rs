//! Small value types shared by every part of the ledger: hashes, keys,
//! identifiers, event kinds and jurisdictions. Each validates itself when it
//! is decoded, so a value of one of these types is always well formed.

use serde::{de::Error as _, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

macro_rules! fixed_bytes {
    ($(#[$doc:meta])* $name:ident, $len:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub [u8; $len]);

        impl $name {
            /// The bytes.
            pub fn as_bytes(&self) -> &[u8; $len] {
                &self.0
            }
            /// Lower-case hexadecimal form.
            pub fn to_hex(&self) -> String {
                hex::encode(self.0)
            }
            /// Parses the lower- or upper-case hexadecimal form.
            pub fn from_hex(text: &str) -> Option<Self> {
                let bytes = hex::decode(text).ok()?;
                Some(Self(bytes.try_into().ok()?))
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.to_hex())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.to_hex())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let bytes: serde_bytes::ByteBuf = Deserialize::deserialize(d)?;
                let array: [u8; $len] = bytes.into_vec().try_into().map_err(|v: Vec<u8>| {
                    D::Error::custom(format!(
                        "expected {} bytes for {}, got {}",
                        $len,
                        stringify!($name),
                        v.len()
                    ))
                })?;
                Ok(Self(array))
            }
        }
    };
}

fixed_bytes!(
    /// A SHA-256 digest.
    Hash32,
    32
);
fixed_bytes!(
    /// An Ed25519 public key as its 32-byte compressed encoding.
    PublicKeyBytes,
    32
);
fixed_bytes!(
    /// An Ed25519 signature (R || S), 64 bytes.
    SignatureBytes,
    64
);
fixed_bytes!(
    /// A credential id: 16 random bytes (the credential's `urn:uuid:` id).
    CredentialId,
    16
);

/// The network id: SHA-256 of the canonical genesis document.
pub type NetworkId = Hash32;

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> Hash32 {
    use sha2::Digest;
    Hash32(sha2::Sha256::digest(data).into())
}

/// Why an identifier is not acceptable.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum IdError {
    /// Registrar ids are 1 to 63 characters of `a-z`, `0-9` and `-`, starting
    /// with a letter or digit, and are not the word `governance`.
    #[error("invalid registrar id {0:?}: use 1-63 of a-z, 0-9 and '-', not starting with '-', not 'governance'")]
    RegistrarId(String),
    /// Jurisdictions are an ISO 3166-1 alpha-2 code, optionally followed by
    /// `-` and a 1-3 character ISO 3166-2 subdivision code.
    #[error(
        "invalid jurisdiction {0:?}: a jurisdiction is an ISO 3166-1 alpha-2 country code \
         (JO), optionally followed by '-' and an ISO 3166-2 subdivision code (JO-MA); an \
         alpha-3 country code (JOR) is accepted and written as alpha-2"
    )]
    Jurisdiction(String),
    /// Unknown event kind name.
    #[error("unknown event kind {0:?}")]
    EventKind(String),
}

impl IdError {
    /// A stable snake_case code naming the variant, for APIs, logs and
    /// metrics (one per variant, never derived from `Debug` output).
    pub fn code(&self) -> &'static str {
        match self {
            IdError::RegistrarId(..) => "registrar_id",
            IdError::Jurisdiction(..) => "jurisdiction",
            IdError::EventKind(..) => "event_kind",
        }
    }
}

/// The stable identifier of a registrar (an office, never a person), such as
/// `camp-azraq-01`. It names the registrar's chain.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct RegistrarId(String);

impl RegistrarId {
    /// Validates and wraps an id.
    pub fn new(id: &str) -> Result<Self, IdError> {
        let ok = !id.is_empty()
            && id.len() <= 63
            && id != GOVERNANCE
            && !id.starts_with('-')
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Self(id.to_owned()))
        } else {
            Err(IdError::RegistrarId(id.to_owned()))
        }
    }
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RegistrarId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for RegistrarId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RegistrarId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        RegistrarId::new(&text).map_err(D::Error::custom)
    }
}

const GOVERNANCE: &str = "governance";

/// The author of a chain: governance, or one registrar. Encoded as the text
/// `governance` or the registrar id.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Author {
    /// The governance chain, signed by a threshold of governance keys.
    Governance,
    /// A registrar's chain.
    Registrar(RegistrarId),
}

impl Author {
    /// Parses `governance` or a registrar id.
    pub fn parse(text: &str) -> Result<Self, IdError> {
        if text == GOVERNANCE {
            Ok(Author::Governance)
        } else {
            RegistrarId::new(text).map(Author::Registrar)
        }
    }
    /// The text form.
    pub fn as_str(&self) -> &str {
        match self {
            Author::Governance => GOVERNANCE,
            Author::Registrar(id) => id.as_str(),
        }
    }
    /// The registrar id, if this is a registrar.
    pub fn registrar(&self) -> Option<&RegistrarId> {
        match self {
            Author::Governance => None,
            Author::Registrar(id) => Some(id),
        }
    }
}

impl fmt::Display for Author {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Author {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Author {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Author::parse(&text).map_err(D::Error::custom)
    }
}

/// Where an event was registered: an ISO 3166-1 alpha-2 country code,
/// optionally with an ISO 3166-2 subdivision (`JO`, `JO-MA`).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Jurisdiction(String);

impl Jurisdiction {
    /// Validates and wraps a jurisdiction code.
    pub fn new(code: &str) -> Result<Self, IdError> {
        let bytes = code.as_bytes();
        let country_ok = bytes.len() >= 2 && bytes[..2].iter().all(|b| b.is_ascii_uppercase());
        let rest_ok = match &bytes[2.min(bytes.len())..] {
            [] => true,
            [b'-', sub @ ..] => {
                (1..=3).contains(&sub.len())
                    && sub
                        .iter()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            }
            _ => false,
        };
        if country_ok && rest_ok {
            Ok(Self(code.to_owned()))
        } else {
            Err(IdError::Jurisdiction(code.to_owned()))
        }
    }
    /// A jurisdiction as a person types it, in the form the ledger writes: upper case, the
    /// country as the ISO 3166-1 alpha-2 code of an assigned country (`jor-ma` and `JOR-MA`
    /// give `JO-MA`; see [`crate::country`]). Validation never uses this (it checks only the
    /// syntax, [`Jurisdiction::new`]); the tools that write entries do.
    pub fn from_input(text: &str) -> Result<Self, IdError> {
        let bad = || IdError::Jurisdiction(text.to_owned());
        let upper = text.trim().to_ascii_uppercase();
        let (country, subdivision) = match upper.split_once('-') {
            Some((c, s)) => (c, Some(s)),
            None => (upper.as_str(), None),
        };
        let country = crate::country::alpha2(country).ok_or_else(bad)?;
        let code = match subdivision {
            Some(s) => format!("{country}-{s}"),
            None => country.to_owned(),
        };
        Self::new(&code).map_err(|_| bad())
    }
    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// True if `self` is `other` or a subdivision of it (`JO-MA` is within `JO`).
    pub fn is_within(&self, other: &Jurisdiction) -> bool {
        self.0 == other.0
            || (self.0.len() > other.0.len()
                && self.0.starts_with(&other.0)
                && self.0.as_bytes()[other.0.len()] == b'-')
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Jurisdiction {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Jurisdiction {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Jurisdiction::new(&text).map_err(D::Error::custom)
    }
}

/// The kind of civil-status event an attestation anchors. Encoded as its
/// index (birth = 0 ... refugee status = 7).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
pub enum EventKind {
    /// A birth.
    Birth,
    /// A death.
    Death,
    /// A marriage.
    Marriage,
    /// A divorce.
    Divorce,
    /// An adoption.
    Adoption,
    /// A change of name.
    NameChange,
    /// A registration of identity.
    IdentityRegistration,
    /// A recognition or registration of refugee status.
    RefugeeStatus,
}

impl EventKind {
    /// Every kind, in encoding order.
    pub const ALL: [EventKind; 8] = [
        EventKind::Birth,
        EventKind::Death,
        EventKind::Marriage,
        EventKind::Divorce,
        EventKind::Adoption,
        EventKind::NameChange,
        EventKind::IdentityRegistration,
        EventKind::RefugeeStatus,
    ];
    /// The snake_case name used in files, APIs and the command line.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Birth => "birth",
            EventKind::Death => "death",
            EventKind::Marriage => "marriage",
            EventKind::Divorce => "divorce",
            EventKind::Adoption => "adoption",
            EventKind::NameChange => "name_change",
            EventKind::IdentityRegistration => "identity_registration",
            EventKind::RefugeeStatus => "refugee_status",
        }
    }
    /// Parses a snake_case name.
    pub fn from_name(name: &str) -> Result<Self, IdError> {
        Self::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| IdError::EventKind(name.to_owned()))
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrar_ids_are_checked() {
        assert!(RegistrarId::new("camp-azraq-01").is_ok());
        for bad in ["", "Camp", "-x", "governance", "a b", &"a".repeat(64)] {
            assert!(RegistrarId::new(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn jurisdictions_are_checked_and_nest() {
        let jo = Jurisdiction::new("JO").expect("JO");
        let jo_ma = Jurisdiction::new("JO-MA").expect("JO-MA");
        assert!(jo_ma.is_within(&jo));
        assert!(!jo.is_within(&jo_ma));
        assert!(!Jurisdiction::new("SY").expect("SY").is_within(&jo));
        for bad in ["", "j", "jo", "JOR", "JO-", "JO-ABCD", "J0", "JO_MA"] {
            assert!(Jurisdiction::new(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn typed_jurisdictions_are_written_with_the_alpha2_country_code() {
        for (typed, written) in [
            ("JO", "JO"),
            ("jo-ma", "JO-MA"),
            ("JOR", "JO"),
            ("jor-ma", "JO-MA"),
            (" SYR ", "SY"),
        ] {
            let j = Jurisdiction::from_input(typed).expect(typed);
            assert_eq!(j.as_str(), written, "{typed:?}");
        }
        for bad in ["XX", "XYZ", "JOR-", "JO-ABCD", "", "JORD"] {
            let err = Jurisdiction::from_input(bad).expect_err(bad);
            assert!(err.to_string().contains("ISO 3166-1 alpha-2"), "{err}");
        }
    }

    #[test]
    fn event_kind_names_round_trip() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::from_name(kind.name()), Ok(kind));
        }
    }
}
