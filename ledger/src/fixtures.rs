//! A small, fully real network for tests, examples and benchmarks:
//! governance keys, a genesis, accreditation of registrars and signed
//! attestations. Keys are derived from fixed seeds so runs are repeatable;
//! never use these keys for anything real.

use crate::entry::{Entry, EntryError};
use crate::genesis::{Genesis, Limits};
use crate::payload::{Accreditation, Attestation, Payload, Scope};
use crate::signing::{key_commitment, KeyPair};
use crate::state::ChainHead;
use crate::types::{Author, CredentialId, EventKind, Hash32, Jurisdiction, NetworkId, RegistrarId};
use crate::writer::ChainWriter;

/// Milliseconds of 2026-01-01T00:00:00Z, the fixtures' clock start.
pub const T0_MS: u64 = 1_767_225_600_000;

/// A key from a fixed seed: `(tag, n)` -> seed.
pub fn test_key(tag: u8, n: u32) -> KeyPair {
    let mut seed = [tag; 32];
    seed[..4].copy_from_slice(&n.to_be_bytes());
    KeyPair::from_seed(&seed)
}

/// A test network: genesis with `n` governance keys and threshold `k`.
pub struct TestNetwork {
    /// Governance key pairs.
    pub governance: Vec<KeyPair>,
    /// The genesis.
    pub genesis: Genesis,
    /// Its id.
    pub network: NetworkId,
    /// Writer of the governance chain.
    pub governance_writer: ChainWriter,
}

/// A registrar of a [`TestNetwork`] with its keys and chain writer.
pub struct TestRegistrar {
    /// The id.
    pub id: RegistrarId,
    /// Current key.
    pub key: KeyPair,
    /// Pre-committed next key.
    pub next_key: KeyPair,
    /// Writer of its chain.
    pub writer: ChainWriter,
    /// Governance size its entries name.
    pub governance_size: u64,
}

/// A credential id from a counter (tests only: real ids are random).
pub fn credential_id(n: u64) -> CredentialId {
    let mut id = [0u8; 16];
    id[8..].copy_from_slice(&n.to_be_bytes());
    CredentialId(id)
}

impl TestNetwork {
    /// A network with `n` governance keys, threshold `k`.
    pub fn new(n: u32, k: u8) -> Self {
        Self::with_limits(n, k, Limits::default())
    }

    /// A network with `n` governance keys, threshold `k` and the given limits.
    pub fn with_limits(n: u32, k: u8, limits: Limits) -> Self {
        let governance: Vec<KeyPair> = (0..n).map(|i| test_key(0xA0, i)).collect();
        let genesis = Genesis::new(
            "nansen-test",
            T0_MS,
            governance.iter().map(KeyPair::public).collect(),
            k,
            limits,
        )
        .expect("fixture genesis is valid");
        let network = genesis.network_id().expect("fixture genesis encodes");
        Self {
            governance_writer: ChainWriter::new(network, Author::Governance, &ChainHead::default()),
            governance,
            genesis,
            network,
        }
    }

    /// The first `k` governance keys, enough to sign.
    pub fn signers(&self) -> Vec<&KeyPair> {
        self.governance
            .iter()
            .take(usize::from(self.genesis.threshold))
            .collect()
    }

    /// Signs the next governance entry with the first `threshold` keys.
    pub fn govern(&mut self, payload: Payload, time_ms: u64) -> Result<Entry, EntryError> {
        let signers: Vec<&KeyPair> = self
            .governance
            .iter()
            .take(usize::from(self.genesis.threshold))
            .collect();
        self.governance_writer.append(payload, time_ms, 0, &signers)
    }

    /// Governance size after the entries written so far.
    pub fn governance_size(&self) -> u64 {
        self.governance_writer.next_seq()
    }

    /// A registrar (keys from `n`) with the given scope, and the signed
    /// accreditation entry.
    pub fn accredit(
        &mut self,
        n: u32,
        kinds: &[EventKind],
        jurisdictions: &[&str],
    ) -> Result<(TestRegistrar, Entry), EntryError> {
        let id = RegistrarId::new(&format!("registrar-{n}")).expect("fixture id is valid");
        let key = test_key(0xB0, n);
        let next_key = test_key(0xC0, n);
        let scope = Scope {
            jurisdictions: jurisdictions
                .iter()
                .map(|j| Jurisdiction::new(j).expect("fixture jurisdiction"))
                .collect(),
            kinds: kinds.to_vec(),
            valid_from_ms: T0_MS,
            valid_until_ms: T0_MS + 10 * 365 * 24 * 3600 * 1000,
        };
        let entry = self.govern(
            Payload::Accredit(Accreditation {
                registrar: id.clone(),
                display_name: format!("Registration office {n}"),
                key: key.public(),
                next_key_commitment: key_commitment(&next_key.public()),
                scope,
            }),
            T0_MS + u64::from(n),
        )?;
        let registrar = TestRegistrar {
            writer: ChainWriter::new(
                self.network,
                Author::Registrar(id.clone()),
                &ChainHead::default(),
            ),
            id,
            key,
            next_key,
            governance_size: self.governance_size(),
        };
        Ok((registrar, entry))
    }
}

impl TestRegistrar {
    /// Signs the next entry of this registrar's chain.
    pub fn append(&mut self, payload: Payload, time_ms: u64) -> Result<Entry, EntryError> {
        let key = KeyPair::from_seed(&self.key.seed());
        self.writer
            .append(payload, time_ms, self.governance_size, &[&key])
    }

    /// Signs an attestation of credential `n` (digests derived from `n`).
    pub fn attest(
        &mut self,
        n: u64,
        kind: EventKind,
        jurisdiction: &str,
        time_ms: u64,
    ) -> Result<Entry, EntryError> {
        self.append(Payload::Attest(attestation(n, kind, jurisdiction)), time_ms)
    }
}

/// The attestation of credential `n` with digests derived from `n`.
pub fn attestation(n: u64, kind: EventKind, jurisdiction: &str) -> Attestation {
    let id = credential_id(n);
    Attestation {
        credential_id: id,
        di_digest: crate::types::sha256(&[b"di".as_slice(), &id.0].concat()),
        sd_digest: crate::types::sha256(&[b"sd".as_slice(), &id.0].concat()),
        kind,
        jurisdiction: Jurisdiction::new(jurisdiction).expect("fixture jurisdiction"),
    }
}

/// A hash that is no entry's.
pub const BOGUS_HASH: Hash32 = Hash32([0x5a; 32]);
