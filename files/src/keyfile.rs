//! Key files: one Ed25519 seed per file, encrypted with a passphrase
//! (Argon2id, then XChaCha20-Poly1305), with the key's kind and public key
//! in clear so that tools can show which key a file holds without the
//! passphrase. Kind and public key are bound to the ciphertext as
//! associated data, so they cannot be swapped. There is no other form of key
//! file: a plaintext seed is refused like any file of another format.
//!
//! File format (JSON):
//!
//! ```json
//! {"format":"nansen-key/1","kind":"registrar","public_key":"<hex>",
//!  "kdf":{"algorithm":"argon2id","m_cost_kib":19456,"t_cost":2,"p_cost":1,"salt":"<base64>"},
//!  "cipher":"xchacha20poly1305","nonce":"<base64, 24 bytes>","ciphertext":"<base64>"}
//! ```
//!
//! The associated data is `nansen-key/1\n<kind>\n<public key hex>`. A reader refuses a file
//! over 64 KiB and KDF costs over 1 GiB of memory, 16 passes or 16 lanes. Files are written
//! with [`crate::private`] (mode 0600, whole or not at all, never over an existing file).

use std::path::Path;

use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::private::{write_private, Existing};

/// The format tag of key files.
pub const KEY_FILE_FORMAT: &str = "nansen-key/1";

/// What a key is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    /// A node's libp2p identity (and, derived from it, its witness key).
    Node,
    /// One of the governance keys.
    Governance,
    /// A registrar's signing key.
    Registrar,
}

impl KeyKind {
    /// The kind's name, as the file and its associated data write it.
    pub fn name(self) -> &'static str {
        match self {
            KeyKind::Node => "node",
            KeyKind::Governance => "governance",
            KeyKind::Registrar => "registrar",
        }
    }
}

/// Why a key file could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    /// Reading or writing the file failed.
    #[error("key file I/O: {0}")]
    Io(#[from] std::io::Error),
    /// The file is not a key file of this format.
    #[error("not a Nansen key file: {0}")]
    Format(String),
    /// The file is not JSON, or not the JSON of a key file: serde_json's error, which says
    /// where (line and column) for a message in the reader's language.
    #[error("not a Nansen key file: {0}")]
    NotJson(#[source] serde_json::Error),
    /// The passphrase is wrong or the file was altered.
    #[error("wrong passphrase, or the key file was altered")]
    Decrypt,
    /// The file holds another kind of key.
    #[error("the file holds a {found} key, not a {expected} key")]
    WrongKind {
        /// What the caller wanted.
        expected: &'static str,
        /// What the file holds.
        found: &'static str,
    },
    /// No randomness could be had.
    #[error("no randomness: {0}")]
    Random(String),
    /// The key derivation failed.
    #[error("key derivation: {0}")]
    Kdf(String),
    /// An empty passphrase was given.
    #[error("the passphrase is empty")]
    EmptyPassphrase,
    /// Something is already at the path a new key file was to be written to.
    #[error("{0} exists; a key file is never written over another file")]
    Exists(std::path::PathBuf),
}

/// The texts of [`KeyFileError::message`]: (key, English, French, Arabic).
pub const CATALOGUE: &nansen_i18n::Catalogue = &[
    (
        "keyfile-io",
        "key file I/O: {0}",
        "entrée-sortie du fichier de clé : {0}",
        "قراءة أو كتابة ملف المفتاح: {0}",
    ),
    (
        "keyfile-format",
        "not a Nansen key file: {0}",
        "ce n'est pas un fichier de clé Nansen : {0}",
        "ليس ملف مفتاح نانسن: {0}",
    ),
    (
        "keyfile-decrypt",
        "wrong passphrase, or the key file was altered",
        "mauvaise phrase de passe, ou fichier de clé modifié",
        "عبارة مرور خاطئة، أو أن ملف المفتاح عُدِّل",
    ),
    (
        "keyfile-wrong-kind",
        "the file holds a {0} key, not a {1} key",
        "le fichier contient une clé {0}, pas une clé {1}",
        "يحتوي الملف على مفتاح {0} لا مفتاح {1}",
    ),
    (
        "keyfile-no-randomness",
        "no randomness: {0}",
        "pas d'aléa : {0}",
        "لا يتوفر مصدر عشوائية: {0}",
    ),
    (
        "keyfile-kdf",
        "key derivation: {0}",
        "dérivation de la clé : {0}",
        "اشتقاق المفتاح: {0}",
    ),
    (
        "keyfile-empty-passphrase",
        "the passphrase is empty",
        "la phrase de passe est vide",
        "عبارة المرور فارغة",
    ),
    (
        "keyfile-exists",
        "{0} exists; a key file is never written over another file",
        "{0} existe ; un fichier de clé n'est jamais écrit par-dessus un autre fichier",
        "{0} موجود؛ لا يُكتب ملف مفتاح فوق ملف آخر",
    ),
];

impl KeyFileError {
    /// The error in `lang`, the one rendering every binary prints: a system error told by
    /// [`nansen_i18n::io_error`], a file that is not JSON by [`nansen_i18n::json_error`]. The
    /// detail of `Format`, `Random` and `Kdf` (a library's words) stays as it is.
    pub fn message(&self, lang: nansen_i18n::Lang) -> String {
        let t = |key: &str, args: &[&str]| nansen_i18n::tr(CATALOGUE, lang, key, args);
        match self {
            KeyFileError::Io(cause) => t("keyfile-io", &[&nansen_i18n::io_error(lang, cause)]),
            KeyFileError::Format(why) => t("keyfile-format", &[why]),
            KeyFileError::NotJson(e) => t("keyfile-format", &[&nansen_i18n::json_error(lang, e)]),
            KeyFileError::Decrypt => t("keyfile-decrypt", &[]),
            KeyFileError::WrongKind { expected, found } => {
                t("keyfile-wrong-kind", &[found, expected])
            }
            KeyFileError::Random(why) => t("keyfile-no-randomness", &[why]),
            KeyFileError::Kdf(why) => t("keyfile-kdf", &[why]),
            KeyFileError::EmptyPassphrase => t("keyfile-empty-passphrase", &[]),
            KeyFileError::Exists(path) => t("keyfile-exists", &[&path.display().to_string()]),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct KdfParams {
    algorithm: String,
    m_cost_kib: u32,
    t_cost: u32,
    p_cost: u32,
    salt: String,
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    format: String,
    kind: KeyKind,
    public_key: String,
    kdf: KdfParams,
    cipher: String,
    nonce: String,
    ciphertext: String,
}

/// Argon2id cost: 19 MiB, 2 passes (OWASP's minimum recommendation).
const M_COST_KIB: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

fn derive(passphrase: &str, salt: &[u8], m: u32, t: u32, p: u32) -> Result<[u8; 32], KeyFileError> {
    let params = Params::new(m, t, p, Some(32)).map_err(|e| KeyFileError::Kdf(e.to_string()))?;
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut out)
        .map_err(|e| KeyFileError::Kdf(e.to_string()))?;
    Ok(out)
}

fn aad(kind: KeyKind, public_hex: &str) -> Vec<u8> {
    format!("{KEY_FILE_FORMAT}\n{}\n{public_hex}", kind.name()).into_bytes()
}

/// Encrypts `seed` under `passphrase` and writes it to `path`, which must not exist yet
/// ([`KeyFileError::Exists`]).
pub fn write_key_file(
    path: &Path,
    kind: KeyKind,
    seed: &[u8; 32],
    passphrase: &str,
) -> Result<(), KeyFileError> {
    if passphrase.is_empty() {
        return Err(KeyFileError::EmptyPassphrase);
    }
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut salt).map_err(|e| KeyFileError::Random(e.to_string()))?;
    getrandom::fill(&mut nonce).map_err(|e| KeyFileError::Random(e.to_string()))?;
    let public_hex = public_key_hex(seed);
    let mut key = derive(passphrase, &salt, M_COST_KIB, T_COST, P_COST)?;
    let cipher = XChaCha20Poly1305::new((&key).into());
    key.fill(0);
    let aad = aad(kind, &public_hex);
    let ciphertext = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: seed,
                aad: &aad,
            },
        )
        .map_err(|_| KeyFileError::Kdf("encryption failed".into()))?;
    let file = KeyFile {
        format: KEY_FILE_FORMAT.into(),
        kind,
        public_key: public_hex,
        kdf: KdfParams {
            algorithm: "argon2id".into(),
            m_cost_kib: M_COST_KIB,
            t_cost: T_COST,
            p_cost: P_COST,
            salt: STANDARD.encode(salt),
        },
        cipher: "xchacha20poly1305".into(),
        nonce: STANDARD.encode(nonce),
        ciphertext: STANDARD.encode(ciphertext),
    };
    let text =
        serde_json::to_string_pretty(&file).map_err(|e| KeyFileError::Format(e.to_string()))?;
    write_private(path, text.as_bytes(), Existing::Refuse).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            KeyFileError::Exists(path.to_path_buf())
        } else {
            KeyFileError::Io(e)
        }
    })
}

/// The public key (hex) of an Ed25519 seed.
fn public_key_hex(seed: &[u8; 32]) -> String {
    hex::encode(
        ed25519_dalek::SigningKey::from_bytes(seed)
            .verifying_key()
            .as_bytes(),
    )
}

/// The kind and public key (hex) a key file declares, without decrypting.
pub fn key_file_info(path: &Path) -> Result<(KeyKind, String), KeyFileError> {
    let file = read(path)?;
    Ok((file.kind, file.public_key))
}

/// Largest key file read.
const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

fn read(path: &Path) -> Result<KeyFile, KeyFileError> {
    use std::io::Read as _;
    // Read at most one byte past the bound: a device or a huge file is refused, not read whole.
    let mut text = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_KEY_FILE_BYTES + 1)
        .read_to_end(&mut text)?;
    if text.len() as u64 > MAX_KEY_FILE_BYTES {
        return Err(KeyFileError::Format("file too large".into()));
    }
    let file: KeyFile = serde_json::from_slice(&text).map_err(KeyFileError::NotJson)?;
    if file.format != KEY_FILE_FORMAT
        || file.cipher != "xchacha20poly1305"
        || file.kdf.algorithm != "argon2id"
    {
        return Err(KeyFileError::Format("unknown format, cipher or KDF".into()));
    }
    Ok(file)
}

/// Reads and decrypts a key file, checking it holds a key of `expected`
/// kind, and returns its seed.
pub fn read_key_file(
    path: &Path,
    expected: KeyKind,
    passphrase: &str,
) -> Result<Zeroizing<[u8; 32]>, KeyFileError> {
    let file = read(path)?;
    if file.kind != expected {
        return Err(KeyFileError::WrongKind {
            expected: expected.name(),
            found: file.kind.name(),
        });
    }
    let bad = |what: &str| KeyFileError::Format(format!("bad {what}"));
    let salt = STANDARD.decode(&file.kdf.salt).map_err(|_| bad("salt"))?;
    let nonce: [u8; 24] = STANDARD
        .decode(&file.nonce)
        .ok()
        .and_then(|n| n.try_into().ok())
        .ok_or_else(|| bad("nonce"))?;
    let ciphertext = STANDARD
        .decode(&file.ciphertext)
        .map_err(|_| bad("ciphertext"))?;
    // Bounds on the costs a file may ask for, so a hostile file cannot
    // make us allocate gigabytes.
    if file.kdf.m_cost_kib > 1024 * 1024 || file.kdf.t_cost > 16 || file.kdf.p_cost > 16 {
        return Err(bad("KDF parameters"));
    }
    let mut key = derive(
        passphrase,
        &salt,
        file.kdf.m_cost_kib,
        file.kdf.t_cost,
        file.kdf.p_cost,
    )?;
    let cipher = XChaCha20Poly1305::new((&key).into());
    key.fill(0);
    let aad = aad(file.kind, &file.public_key);
    let mut plain = cipher
        .decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &ciphertext,
                aad: &aad,
            },
        )
        .map_err(|_| KeyFileError::Decrypt)?;
    let seed: Result<[u8; 32], _> = plain.as_slice().try_into();
    plain.fill(0);
    let seed = Zeroizing::new(seed.map_err(|_| bad("seed length"))?);
    if public_key_hex(&seed) != file.public_key {
        return Err(KeyFileError::Decrypt);
    }
    Ok(seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_its_texts_in_every_language_and_english_says_what_display_says() {
        let problems = nansen_i18n::problems(CATALOGUE);
        assert!(problems.is_empty(), "{problems:#?}");
        let errors = [
            KeyFileError::Format("bad nonce".into()),
            KeyFileError::Decrypt,
            KeyFileError::WrongKind {
                expected: "registrar",
                found: "node",
            },
            KeyFileError::Random("none".into()),
            KeyFileError::Kdf("bad params".into()),
            KeyFileError::EmptyPassphrase,
            KeyFileError::Exists("k.key".into()),
        ];
        for e in &errors {
            assert_eq!(e.message(nansen_i18n::Lang::En), e.to_string());
            let fr = e.message(nansen_i18n::Lang::Fr);
            let ar = e.message(nansen_i18n::Lang::Ar);
            assert_ne!(fr, e.to_string(), "{e:?} in French");
            assert_ne!(ar, e.to_string(), "{e:?} in Arabic");
        }
        assert_eq!(
            KeyFileError::Decrypt.message(nansen_i18n::Lang::Fr),
            "mauvaise phrase de passe, ou fichier de clé modifié"
        );
    }

    #[test]
    fn key_file_round_trips_and_refuses_wrong_passphrase_and_kind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("reg.key");
        let seed = [42u8; 32];
        write_key_file(&path, KeyKind::Registrar, &seed, "correct horse").expect("write");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(!text.contains(&hex::encode(seed)));
        assert_eq!(
            *read_key_file(&path, KeyKind::Registrar, "correct horse").expect("read"),
            seed
        );
        assert!(matches!(
            write_key_file(&path, KeyKind::Registrar, &[1; 32], "correct horse"),
            Err(KeyFileError::Exists(_))
        ));
        // A plaintext seed is not a key file.
        let plain = dir.path().join("plain.hex");
        std::fs::write(&plain, hex::encode(seed)).expect("write");
        assert!(matches!(
            read_key_file(&plain, KeyKind::Registrar, "correct horse"),
            Err(KeyFileError::NotJson(_))
        ));
        assert!(matches!(
            read_key_file(&path, KeyKind::Registrar, "wrong"),
            Err(KeyFileError::Decrypt)
        ));
        assert!(matches!(
            read_key_file(&path, KeyKind::Node, "correct horse"),
            Err(KeyFileError::WrongKind { .. })
        ));
        // A device that never ends is refused after 64 KiB, not read forever.
        if Path::new("/dev/zero").exists() {
            assert!(matches!(
                key_file_info(Path::new("/dev/zero")),
                Err(KeyFileError::Format(_))
            ));
        }
        let (kind, public) = key_file_info(&path).expect("info");
        assert_eq!(kind, KeyKind::Registrar);
        assert_eq!(public, public_key_hex(&seed));
    }
}
