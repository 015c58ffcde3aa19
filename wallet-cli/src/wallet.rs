//! The holder's wallet file: one file, encrypted at rest.
//!
//! Layout (all integers little-endian), format version 2:
//!
//! | bytes | what |
//! | --- | --- |
//! | 8 | magic `NANSENW\0` |
//! | 1 | format version, `2` |
//! | 4 + 4 + 4 | Argon2id memory (KiB), iterations, parallelism |
//! | 16 | Argon2 salt |
//! | 24 | XChaCha20-Poly1305 nonce |
//! | 16 | key check: first 16 bytes of SHA-256(`nansen/wallet/keycheck/v1` ‖ key) |
//! | 32 | the holder's Ed25519 public key (its did:key), in the clear |
//! | rest | ciphertext and tag of the JSON payload, the 109 header bytes as associated data |
//!
//! Version 1 (wallets written before the public key was added, and every backup) is the same
//! without the 32-byte public key: a 77-byte header. Both versions are read; wallets are written
//! as version 2, so a version-1 wallet becomes version 2 at its next change. The public key is
//! there so that `nansen did` can show the holder's identifier without the passphrase
//! ([`Wallet::read_holder_key`]); it is authenticated (associated data) and checked against the
//! decrypted seed whenever the wallet is opened with its passphrase.
//!
//! The key is Argon2id(passphrase, salt) with the header's parameters (32 bytes, Argon2 v0x13).
//! The key check tells a wrong passphrase ([`WalletError::WrongPassphrase`]) from a damaged
//! file ([`WalletError::Corrupted`]): the passphrase is right when the check matches, and the
//! file is then damaged if decryption fails. It helps no attacker: a guess costs one Argon2id
//! either way.
//!
//! An encrypted backup (`nansen backup export`) has the version-1 layout and the same payload
//! (holder seed and credentials), with its own magic `NANSENB\0` and key-check label
//! `nansen/backup/keycheck/v1`, encrypted under a separate backup passphrase ([`seal_backup`],
//! [`open_backup`]): a backup is never mistaken for a wallet, nor a wallet for a backup, and a
//! backup does not show the holder's identifier.
//!
//! Writes are atomic: the new file is written to a temporary file next to the wallet, flushed
//! to disk (fsync), the current wallet is copied to `<file>.bak`, then the temporary file is
//! renamed over the wallet and the directory is synced. Opening never writes.
//!
//! Two processes on one wallet lose nothing: every change (create, [`Wallet::open_for_update`]
//! then [`Wallet::save`]) holds the wallet's cross-process lock ([`FileLock`] on
//! `<file>.lock`) from before it reads the file until after it has replaced it; a wallet opened
//! only to read ([`Wallet::open`]) cannot be saved.

use std::fs;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::file_lock::FileLock;

/// The file magic.
pub const MAGIC: &[u8; 8] = b"NANSENW\0";
/// The format version this code writes for wallets (with the holder's public key).
pub const FORMAT_VERSION: u8 = 2;
/// The format version of backups, and of wallets written before version 2 (still read).
pub const FORMAT_VERSION_1: u8 = 1;
/// Header length of version 1, in bytes.
pub const HEADER_LEN_V1: usize = 8 + 1 + 12 + 16 + 24 + 16;
/// Header length of a wallet as written (version 2: version 1's and the holder's public key).
pub const HEADER_LEN: usize = HEADER_LEN_V1 + 32;
const TAG_LEN: usize = 16;
const KEY_CHECK_LABEL: &[u8] = b"nansen/wallet/keycheck/v1";
/// The magic of an encrypted backup file.
pub const BACKUP_MAGIC: &[u8; 8] = b"NANSENB\0";
const BACKUP_KEY_CHECK_LABEL: &[u8] = b"nansen/backup/keycheck/v1";
/// The magic of a backup keyed by the recovery phrase (the wallet's automatic backup).
pub const RECOVERY_BACKUP_MAGIC: &[u8; 8] = b"NANSENR\0";
const RECOVERY_BACKUP_KEY_CHECK_LABEL: &[u8] = b"nansen/recovery-backup/keycheck/v1";
/// The Argon2id parameters of a backup keyed by the recovery phrase: the smallest the header
/// allows, since its "passphrase" is already a 256-bit key ([`crate::recovery_backup`]).
pub const RECOVERY_BACKUP_KDF: KdfParams = KdfParams {
    memory_kib: 8,
    iterations: 1,
    parallelism: 1,
};

/// Which of the two files of the same layout: the wallet or a backup.
#[derive(Clone, Copy)]
struct Format {
    magic: &'static [u8; 8],
    label: &'static [u8],
    what: &'static str,
    /// The version written.
    version: u8,
}

const WALLET: Format = Format {
    magic: MAGIC,
    label: KEY_CHECK_LABEL,
    what: "wallet",
    version: FORMAT_VERSION,
};
const BACKUP: Format = Format {
    magic: BACKUP_MAGIC,
    label: BACKUP_KEY_CHECK_LABEL,
    what: "backup",
    version: FORMAT_VERSION_1,
};
const RECOVERY_BACKUP: Format = Format {
    magic: RECOVERY_BACKUP_MAGIC,
    label: RECOVERY_BACKUP_KEY_CHECK_LABEL,
    what: "recovery-keyed backup",
    version: FORMAT_VERSION_1,
};

/// Upper bounds accepted when reading a header (a damaged header must not make us allocate
/// gigabytes or spin for hours): 1 GiB of Argon2 memory, 16 times the default, already more
/// than a cheap phone has; `NANSEN_KDF_MEMORY_KIB` is capped to it so that no wallet is
/// written that this reader would refuse.
pub const MAX_MEMORY_KIB: u32 = 1024 * 1024;
const MAX_ITERATIONS: u32 = 64;
const MAX_PARALLELISM: u32 = 16;

/// Everything that can go wrong with the wallet file.
#[derive(Debug, thiserror::Error)]
pub enum WalletError {
    /// The passphrase does not open this wallet.
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// The file is not a readable wallet: truncated, altered or not a wallet at all.
    #[error("wallet file is corrupted: {0}")]
    Corrupted(String),
    /// The file is a wallet of a format version this program does not read.
    #[error("unsupported wallet format version {0}")]
    UnsupportedVersion(u8),
    /// No wallet at this path.
    #[error("no wallet at {0}")]
    NotFound(PathBuf),
    /// A wallet already exists at this path (refusing to overwrite it).
    #[error("a wallet already exists at {0}")]
    AlreadyExists(PathBuf),
    /// Key derivation failed (bad parameters).
    #[error("key derivation failed: {0}")]
    Kdf(String),
    /// The operating system's random source failed.
    #[error("random source failed")]
    Randomness,
    /// A wallet opened only to read ([`Wallet::open`]) was asked to save: changes go through
    /// [`Wallet::open_for_update`], which holds the wallet's lock.
    #[error("the wallet was opened read-only and cannot be saved")]
    NotOpenForUpdate,
    /// Reading or writing the file failed.
    #[error("wallet I/O error: {0}")]
    Io(#[from] std::io::Error),
}

impl WalletError {
    /// The variant's name (`WrongPassphrase`, ...), as messages and JSON name the error: one
    /// name per variant, matched exhaustively.
    pub fn name(&self) -> &'static str {
        match self {
            WalletError::WrongPassphrase => "WrongPassphrase",
            WalletError::Corrupted(..) => "Corrupted",
            WalletError::UnsupportedVersion(..) => "UnsupportedVersion",
            WalletError::NotFound(..) => "NotFound",
            WalletError::AlreadyExists(..) => "AlreadyExists",
            WalletError::Kdf(..) => "Kdf",
            WalletError::Randomness => "Randomness",
            WalletError::NotOpenForUpdate => "NotOpenForUpdate",
            WalletError::Io(..) => "Io",
        }
    }
}

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Iterations.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl Default for KdfParams {
    /// 64 MiB, 3 iterations, 1 lane (RFC 9106's second recommended option with less memory,
    /// sized for a low-end phone).
    fn default() -> Self {
        KdfParams {
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 1,
        }
    }
}

/// A credential's status as last checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedStatus {
    /// `not-checked` (signatures and holder checked, ledger not asked), else the ledger status
    /// as last asked: `active`, `revoked`, `superseded`, `disputed`, `ambiguous`, `unknown`.
    pub state: String,
    /// When, Unix seconds.
    pub checked_at: i64,
}

/// One credential held in the wallet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredCredential {
    /// Credential id, lower-case hex of the 16 bytes.
    pub id: String,
    /// Event kind (ledger name).
    pub kind: String,
    /// Issuer did:key.
    pub issuer: String,
    /// The Data Integrity credential.
    pub data_integrity: Value,
    /// The issued SD-JWT VC.
    pub sd_jwt: String,
    /// When it was received, Unix seconds.
    pub received_at: i64,
    /// Status as last checked.
    pub status: CheckedStatus,
}

/// The decrypted content of a wallet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WalletData {
    /// The holder's Ed25519 seed, hex.
    pub holder_seed: String,
    /// Credentials held.
    pub credentials: Vec<StoredCredential>,
    /// The folder where the wallet keeps its automatic backup (`nansen backup auto`), if the
    /// holder chose one. Absent in wallets that never had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_dir: Option<PathBuf>,
}

impl Drop for WalletData {
    fn drop(&mut self) {
        self.holder_seed.zeroize();
    }
}

impl WalletData {
    /// A new wallet holding only a seed.
    pub fn new(holder_seed: &[u8; 32]) -> Self {
        WalletData {
            holder_seed: hex::encode(holder_seed),
            credentials: Vec::new(),
            backup_dir: None,
        }
    }

    /// The holder's seed.
    pub fn seed(&self) -> Result<Zeroizing<[u8; 32]>, WalletError> {
        let mut out = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(&self.holder_seed, out.as_mut())
            .map_err(|_| WalletError::Corrupted("holder seed".into()))?;
        Ok(out)
    }
}

/// An open wallet: the decrypted data and the key it was opened with.
pub struct Wallet {
    path: PathBuf,
    params: KdfParams,
    salt: [u8; 16],
    key: Zeroizing<[u8; 32]>,
    /// The wallet's cross-process lock, held from before the read until the wallet is dropped;
    /// `None` for a wallet opened only to read.
    lock: Option<FileLock>,
    /// The decrypted content.
    pub data: WalletData,
}

impl std::fmt::Debug for Wallet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wallet")
            .field("path", &self.path)
            .field("credentials", &self.data.credentials.len())
            .finish_non_exhaustive()
    }
}

fn random<const N: usize>() -> Result<[u8; N], WalletError> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|_| WalletError::Randomness)?;
    Ok(out)
}

fn derive_key(
    passphrase: &[u8],
    salt: &[u8; 16],
    params: KdfParams,
) -> Result<Zeroizing<[u8; 32]>, WalletError> {
    let p = argon2::Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        Some(32),
    )
    .map_err(|e| WalletError::Kdf(e.to_string()))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, p);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase, salt, key.as_mut())
        .map_err(|e| WalletError::Kdf(e.to_string()))?;
    Ok(key)
}

fn key_check(f: Format, key: &[u8; 32]) -> [u8; 16] {
    let mut h = Sha256::new();
    h.update(f.label);
    h.update(key);
    let d = h.finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&d[..16]);
    out
}

fn header(
    f: Format,
    params: KdfParams,
    salt: &[u8; 16],
    nonce: &[u8; 24],
    key: &[u8; 32],
    holder_key: Option<&[u8; 32]>,
) -> Vec<u8> {
    let mut h = Vec::with_capacity(HEADER_LEN);
    h.extend_from_slice(f.magic);
    h.push(f.version);
    h.extend_from_slice(&params.memory_kib.to_le_bytes());
    h.extend_from_slice(&params.iterations.to_le_bytes());
    h.extend_from_slice(&params.parallelism.to_le_bytes());
    h.extend_from_slice(salt);
    h.extend_from_slice(nonce);
    h.extend_from_slice(&key_check(f, key));
    if let Some(k) = holder_key {
        h.extend_from_slice(k);
    }
    h
}

/// Encrypts `data` into the bytes of a wallet file.
fn seal(
    f: Format,
    data: &WalletData,
    params: KdfParams,
    salt: &[u8; 16],
    key: &[u8; 32],
) -> Result<Vec<u8>, WalletError> {
    let nonce: [u8; 24] = random()?;
    let holder_key = match f.version {
        FORMAT_VERSION_1 => None,
        _ => Some(crate::did::public_key_from_seed(&*data.seed()?)),
    };
    let head = header(f, params, salt, &nonce, key, holder_key.as_ref());
    let plaintext = Zeroizing::new(
        serde_json::to_vec(data).map_err(|e| WalletError::Corrupted(e.to_string()))?,
    );
    let cipher = XChaCha20Poly1305::new(key.into());
    let ct = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &plaintext,
                aad: &head,
            },
        )
        .map_err(|_| WalletError::Kdf("encryption failed".into()))?;
    let mut out = head;
    out.extend_from_slice(&ct);
    Ok(out)
}

struct Header {
    /// The header's length (the associated data): by version.
    len: usize,
    params: KdfParams,
    salt: [u8; 16],
    nonce: [u8; 24],
    check: [u8; 16],
    /// The holder's public key (version 2).
    holder_key: Option<[u8; 32]>,
}

fn parse_header(f: Format, bytes: &[u8]) -> Result<Header, WalletError> {
    if bytes.len() < f.magic.len() || &bytes[..f.magic.len()] != f.magic {
        return Err(WalletError::Corrupted(format!(
            "not a Nansen {} (bad magic)",
            f.what
        )));
    }
    let truncated = |at_least: usize| {
        WalletError::Corrupted(format!(
            "truncated: {} bytes, a {} has at least {at_least}",
            bytes.len(),
            f.what,
        ))
    };
    let Some(&version) = bytes.get(8) else {
        return Err(truncated(HEADER_LEN_V1 + TAG_LEN));
    };
    let len = match version {
        FORMAT_VERSION_1 => HEADER_LEN_V1,
        FORMAT_VERSION => HEADER_LEN,
        other => return Err(WalletError::UnsupportedVersion(other)),
    };
    if bytes.len() < len + TAG_LEN {
        return Err(truncated(len + TAG_LEN));
    }
    let u32_at =
        |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    let params = KdfParams {
        memory_kib: u32_at(9),
        iterations: u32_at(13),
        parallelism: u32_at(17),
    };
    if params.memory_kib > MAX_MEMORY_KIB
        || params.iterations == 0
        || params.iterations > MAX_ITERATIONS
        || params.parallelism == 0
        || params.parallelism > MAX_PARALLELISM
        || params.memory_kib < 8 * params.parallelism
    {
        return Err(WalletError::Corrupted("implausible KDF parameters".into()));
    }
    let mut salt = [0u8; 16];
    salt.copy_from_slice(&bytes[21..37]);
    let mut nonce = [0u8; 24];
    nonce.copy_from_slice(&bytes[37..61]);
    let mut check = [0u8; 16];
    check.copy_from_slice(&bytes[61..77]);
    let holder_key = (len == HEADER_LEN).then(|| {
        let mut k = [0u8; 32];
        k.copy_from_slice(&bytes[HEADER_LEN_V1..HEADER_LEN]);
        k
    });
    Ok(Header {
        len,
        params,
        salt,
        nonce,
        check,
        holder_key,
    })
}

/// Decrypts the bytes of a wallet file (no I/O; see [`Wallet::open`]).
pub fn open_bytes(bytes: &[u8], passphrase: &[u8]) -> Result<WalletData, WalletError> {
    decrypt(WALLET, bytes, passphrase).map(|d| d.data)
}

/// Encrypts `data` into the bytes of a backup file under `passphrase` (fresh salt and nonce).
pub fn seal_backup(
    data: &WalletData,
    passphrase: &[u8],
    params: KdfParams,
) -> Result<Vec<u8>, WalletError> {
    let salt: [u8; 16] = random()?;
    let key = derive_key(passphrase, &salt, params)?;
    seal(BACKUP, data, params, &salt, &key)
}

/// Decrypts the bytes of a backup file. A wrong passphrase is
/// [`WalletError::WrongPassphrase`]; a damaged file (or a wallet file) is
/// [`WalletError::Corrupted`].
pub fn open_backup(bytes: &[u8], passphrase: &[u8]) -> Result<WalletData, WalletError> {
    decrypt(BACKUP, bytes, passphrase).map(|d| d.data)
}

/// Encrypts `data` into the bytes of a backup keyed by the recovery phrase: the backup layout
/// with the magic `NANSENR\0`, the key-check label `nansen/recovery-backup/keycheck/v1` and
/// Argon2id([`RECOVERY_BACKUP_KDF`]) of the 32-byte `backup_key` as passphrase.
pub fn seal_recovery_backup(
    data: &WalletData,
    backup_key: &[u8; 32],
) -> Result<Vec<u8>, WalletError> {
    let salt: [u8; 16] = random()?;
    let key = derive_key(backup_key, &salt, RECOVERY_BACKUP_KDF)?;
    seal(RECOVERY_BACKUP, data, RECOVERY_BACKUP_KDF, &salt, &key)
}

/// Decrypts a backup keyed by the recovery phrase. Another holder's backup is
/// [`WalletError::WrongPassphrase`] (its key check does not match); a damaged file is
/// [`WalletError::Corrupted`].
pub fn open_recovery_backup(
    bytes: &[u8],
    backup_key: &[u8; 32],
) -> Result<WalletData, WalletError> {
    decrypt(RECOVERY_BACKUP, bytes, backup_key).map(|d| d.data)
}

struct Decrypted {
    data: WalletData,
    params: KdfParams,
    salt: [u8; 16],
    key: Zeroizing<[u8; 32]>,
}

fn decrypt(f: Format, bytes: &[u8], passphrase: &[u8]) -> Result<Decrypted, WalletError> {
    let h = parse_header(f, bytes)?;
    let key = derive_key(passphrase, &h.salt, h.params)?;
    if key_check(f, &key) != h.check {
        return Err(WalletError::WrongPassphrase);
    }
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let plaintext = Zeroizing::new(
        cipher
            .decrypt(
                XNonce::from_slice(&h.nonce),
                Payload {
                    msg: &bytes[h.len..],
                    aad: &bytes[..h.len],
                },
            )
            .map_err(|_| {
                WalletError::Corrupted("authentication failed (truncated or altered)".into())
            })?,
    );
    let data: WalletData = serde_json::from_slice(&plaintext)
        .map_err(|e| WalletError::Corrupted(format!("payload: {e}")))?;
    let seed = data.seed()?;
    if let Some(k) = h.holder_key {
        if k != crate::did::public_key_from_seed(&seed) {
            return Err(WalletError::Corrupted(
                "the header's holder key is not the wallet's".into(),
            ));
        }
    }
    Ok(Decrypted {
        data,
        params: h.params,
        salt: h.salt,
        key,
    })
}

/// The path of the backup of the previous version of `path`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".bak");
    PathBuf::from(s)
}

/// Writes `bytes` to `path` atomically, keeping the previous file as `<path>.bak`.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), WalletError> {
    write_durably(path, bytes, true)
}

/// Writes `bytes` to `path` atomically and durably (a private temporary file, fsync, rename,
/// fsync of the directory), keeping no copy of the previous file: for records such as the
/// verifier's replay record, where a backup has no use.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), WalletError> {
    write_durably(path, bytes, false)
}

fn write_durably(path: &Path, bytes: &[u8], keep_backup: bool) -> Result<(), WalletError> {
    use nansen_files::private::{write_private, Existing};
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir)?;
    }
    if keep_backup {
        match fs::read(path) {
            Ok(previous) => write_private(&backup_path(path), &previous, Existing::Replace)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(WalletError::Io(e)),
        }
    }
    write_private(path, bytes, Existing::Replace)?;
    Ok(())
}

impl Wallet {
    /// Creates a new wallet file at `path` (refuses to overwrite one). The wallet's lock is
    /// taken before the check, so two processes cannot both create it.
    pub fn create(
        path: &Path,
        passphrase: &[u8],
        data: WalletData,
        params: KdfParams,
    ) -> Result<Wallet, WalletError> {
        let lock = FileLock::exclusive(path)?;
        if path.exists() {
            return Err(WalletError::AlreadyExists(path.to_path_buf()));
        }
        Self::create_locked(path, lock, passphrase, data, params)
    }

    /// Creates a wallet at `path`, replacing an existing one (kept as `<path>.bak`), under the
    /// wallet's lock.
    pub fn create_replacing(
        path: &Path,
        passphrase: &[u8],
        data: WalletData,
        params: KdfParams,
    ) -> Result<Wallet, WalletError> {
        let lock = FileLock::exclusive(path)?;
        Self::create_locked(path, lock, passphrase, data, params)
    }

    fn create_locked(
        path: &Path,
        lock: FileLock,
        passphrase: &[u8],
        data: WalletData,
        params: KdfParams,
    ) -> Result<Wallet, WalletError> {
        let salt: [u8; 16] = random()?;
        let key = derive_key(passphrase, &salt, params)?;
        let wallet = Wallet {
            path: path.to_path_buf(),
            params,
            salt,
            key,
            lock: Some(lock),
            data,
        };
        wallet.save()?;
        Ok(wallet)
    }

    /// Opens and decrypts the wallet at `path` to read it. Never writes, takes no lock; the
    /// result cannot be saved ([`WalletError::NotOpenForUpdate`]).
    pub fn open(path: &Path, passphrase: &[u8]) -> Result<Wallet, WalletError> {
        Self::open_with(path, passphrase, None)
    }

    /// Takes the wallet's cross-process lock (waiting while another process holds it), then
    /// opens and decrypts the wallet to change it. The lock is held until the returned wallet
    /// is dropped, so that no other process changes the file between this read and
    /// [`Wallet::save`].
    pub fn open_for_update(path: &Path, passphrase: &[u8]) -> Result<Wallet, WalletError> {
        // A wallet that is not there is named before the lock would create its directory and
        // lock file: a mistyped path leaves nothing behind.
        if path.symlink_metadata().is_err() {
            return Err(WalletError::NotFound(path.to_path_buf()));
        }
        let lock = FileLock::exclusive(path)?;
        Self::open_with(path, passphrase, Some(lock))
    }

    fn open_with(
        path: &Path,
        passphrase: &[u8],
        lock: Option<FileLock>,
    ) -> Result<Wallet, WalletError> {
        let bytes = read_wallet_file(path)?;
        let d = decrypt(WALLET, &bytes, passphrase)?;
        Ok(Wallet {
            path: path.to_path_buf(),
            params: d.params,
            salt: d.salt,
            key: d.key,
            lock,
            data: d.data,
        })
    }

    /// The holder's public key from the wallet file's header, without the passphrase: `None`
    /// for a version-1 wallet, which does not hold it in the clear (open it instead). The key
    /// is authenticated only when the wallet is opened with its passphrase.
    pub fn read_holder_key(path: &Path) -> Result<Option<[u8; 32]>, WalletError> {
        let bytes = read_wallet_file(path)?;
        Ok(parse_header(WALLET, &bytes)?.holder_key)
    }

    /// Encrypts the current data (fresh nonce) and writes it atomically. Only a wallet that
    /// holds its lock (created, or opened with [`Wallet::open_for_update`]) can be saved.
    pub fn save(&self) -> Result<(), WalletError> {
        if self.lock.is_none() {
            return Err(WalletError::NotOpenForUpdate);
        }
        let bytes = seal(WALLET, &self.data, self.params, &self.salt, &self.key)?;
        atomic_write(&self.path, &bytes)
    }

    /// The wallet's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn read_wallet_file(path: &Path) -> Result<Vec<u8>, WalletError> {
    match fs::read(path) {
        Ok(b) => Ok(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(WalletError::NotFound(path.to_path_buf()))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: KdfParams = KdfParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    fn sample() -> WalletData {
        let mut d = WalletData::new(&[7u8; 32]);
        d.credentials.push(StoredCredential {
            id: "00".repeat(16),
            kind: "birth".into(),
            issuer: "did:key:z6Mk".into(),
            data_integrity: serde_json::json!({"a": 1}),
            sd_jwt: "x~y~".into(),
            received_at: 5,
            status: CheckedStatus {
                state: "verified-offline".into(),
                checked_at: 5,
            },
        });
        d
    }

    #[test]
    fn round_trip_and_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.nansen");
        let mut w = Wallet::create(&path, b"correct horse", sample(), FAST).unwrap();
        assert!(!backup_path(&path).exists());
        let first = fs::read(&path).unwrap();
        let opened = Wallet::open(&path, b"correct horse").unwrap();
        assert_eq!(opened.data, sample());
        w.data.credentials.clear();
        w.save().unwrap();
        assert_eq!(fs::read(backup_path(&path)).unwrap(), first);
        let reopened = Wallet::open(&path, b"correct horse").unwrap();
        assert!(reopened.data.credentials.is_empty());
        assert_eq!(*reopened.data.seed().unwrap(), [7u8; 32]);
        // The plaintext is nowhere in the file.
        let bytes = fs::read(&path).unwrap();
        assert!(!bytes.windows(10).any(|w| w == b"holder_see"));
    }

    #[test]
    fn wrong_passphrase_is_named_and_leaves_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.nansen");
        Wallet::create(&path, b"right", sample(), FAST).unwrap();
        let before = fs::read(&path).unwrap();
        let err = Wallet::open(&path, b"wrong").unwrap_err();
        assert!(matches!(err, WalletError::WrongPassphrase), "{err:?}");
        assert_eq!(fs::read(&path).unwrap(), before);
    }

    #[test]
    fn truncated_and_altered_files_are_corrupted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.nansen");
        Wallet::create(&path, b"pw", sample(), FAST).unwrap();
        let bytes = fs::read(&path).unwrap();
        for len in [0, 3, 8, 40, HEADER_LEN, HEADER_LEN + 16, bytes.len() - 1] {
            let err = open_bytes(&bytes[..len], b"pw").unwrap_err();
            assert!(
                matches!(err, WalletError::Corrupted(_)),
                "len {len}: {err:?}"
            );
        }
        let mut flipped = bytes.clone();
        let last = flipped.len() - 20;
        flipped[last] ^= 1;
        assert!(matches!(
            open_bytes(&flipped, b"pw").unwrap_err(),
            WalletError::Corrupted(_)
        ));
        let mut bad_params = bytes.clone();
        bad_params[9..13].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            open_bytes(&bad_params, b"pw").unwrap_err(),
            WalletError::Corrupted(_)
        ));
        let mut version = bytes;
        version[8] = 9;
        assert!(matches!(
            open_bytes(&version, b"pw").unwrap_err(),
            WalletError::UnsupportedVersion(9)
        ));
    }

    #[test]
    fn backup_round_trip_and_formats_kept_apart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.nansen");
        Wallet::create(&path, b"pw", sample(), FAST).unwrap();
        let backup = seal_backup(&sample(), b"backup pw", FAST).unwrap();
        assert!(backup.starts_with(BACKUP_MAGIC));
        assert_eq!(open_backup(&backup, b"backup pw").unwrap(), sample());
        assert!(matches!(
            open_backup(&backup, b"pw").unwrap_err(),
            WalletError::WrongPassphrase
        ));
        let mut flipped = backup.clone();
        let i = flipped.len() - 3;
        flipped[i] ^= 1;
        assert!(matches!(
            open_backup(&flipped, b"backup pw").unwrap_err(),
            WalletError::Corrupted(_)
        ));
        // A wallet is not a backup, and a backup is not a wallet.
        let wallet_bytes = fs::read(&path).unwrap();
        assert!(matches!(
            open_backup(&wallet_bytes, b"pw").unwrap_err(),
            WalletError::Corrupted(_)
        ));
        assert!(matches!(
            open_bytes(&backup, b"backup pw").unwrap_err(),
            WalletError::Corrupted(_)
        ));
    }

    #[test]
    fn the_holder_key_is_in_the_header_and_version_1_wallets_still_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.nansen");
        Wallet::create(&path, b"pw", sample(), FAST).unwrap();
        let bytes = fs::read(&path).unwrap();
        assert_eq!(bytes[8], FORMAT_VERSION);
        let key = crate::did::public_key_from_seed(&[7u8; 32]);
        assert_eq!(&bytes[HEADER_LEN_V1..HEADER_LEN], &key);
        assert_eq!(Wallet::read_holder_key(&path).unwrap(), Some(key));

        // A wallet written before version 2: no key in the clear, still opened, and written
        // as version 2 at its next change.
        let v1 = Format {
            version: FORMAT_VERSION_1,
            ..WALLET
        };
        let salt = [3u8; 16];
        let k = derive_key(b"pw", &salt, FAST).unwrap();
        let old = dir.path().join("old.nansen");
        fs::write(&old, seal(v1, &sample(), FAST, &salt, &k).unwrap()).unwrap();
        assert_eq!(fs::read(&old).unwrap()[8], FORMAT_VERSION_1);
        assert_eq!(Wallet::read_holder_key(&old).unwrap(), None);
        let w = Wallet::open_for_update(&old, b"pw").unwrap();
        assert_eq!(w.data, sample());
        w.save().unwrap();
        drop(w);
        assert_eq!(Wallet::read_holder_key(&old).unwrap(), Some(key));
        assert_eq!(Wallet::open(&old, b"pw").unwrap().data, sample());

        // Another key put in the header is refused: it is authenticated.
        let mut swapped = bytes.clone();
        swapped[HEADER_LEN_V1] ^= 1;
        assert!(matches!(
            open_bytes(&swapped, b"pw").unwrap_err(),
            WalletError::Corrupted(_)
        ));
    }

    #[test]
    fn a_wallet_opened_to_read_cannot_be_saved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.nansen");
        Wallet::create(&path, b"pw", sample(), FAST).unwrap();
        let before = fs::read(&path).unwrap();
        let mut w = Wallet::open(&path, b"pw").unwrap();
        w.data.credentials.clear();
        assert!(matches!(
            w.save().unwrap_err(),
            WalletError::NotOpenForUpdate
        ));
        assert_eq!(fs::read(&path).unwrap(), before);
    }

    #[test]
    fn updating_a_missing_wallet_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-such-dir").join("w.nansen");
        assert!(matches!(
            Wallet::open_for_update(&path, b"pw").unwrap_err(),
            WalletError::NotFound(_)
        ));
        assert!(!dir.path().join("no-such-dir").exists());
    }

    #[test]
    fn concurrent_updates_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.nansen");
        Wallet::create(&path, b"pw", WalletData::new(&[7u8; 32]), FAST).unwrap();
        let threads: Vec<_> = (0..8u8)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let mut w = Wallet::open_for_update(&path, b"pw").unwrap();
                    let mut c = sample().credentials.remove(0);
                    c.id = format!("{i:032x}");
                    w.data.credentials.push(c);
                    w.save().unwrap();
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let mut ids: Vec<_> = Wallet::open(&path, b"pw")
            .unwrap()
            .data
            .credentials
            .iter()
            .map(|c| c.id.clone())
            .collect();
        ids.sort();
        let expected: Vec<_> = (0..8u8).map(|i| format!("{i:032x}")).collect();
        assert_eq!(ids, expected);
    }

    #[test]
    fn create_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.nansen");
        Wallet::create(&path, b"pw", sample(), FAST).unwrap();
        assert!(matches!(
            Wallet::create(&path, b"pw", sample(), FAST).unwrap_err(),
            WalletError::AlreadyExists(_)
        ));
    }
}
