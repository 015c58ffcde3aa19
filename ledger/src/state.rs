//! The small derived state every replica keeps in memory: the governance
//! key set and, for each registrar, its scope history, key schedule,
//! suspensions and chain head. It is a pure function of the accepted
//! entries; the store persists a snapshot of it with every batch.

use crate::genesis::Genesis;
use crate::payload::Scope;
use crate::types::{Author, Hash32, NetworkId, PublicKeyBytes, RegistrarId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The head of one chain.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    /// Number of entries.
    pub size: u64,
    /// Hash of the last entry's body, if any.
    pub head: Option<Hash32>,
    /// Time of the last entry.
    pub last_time_ms: u64,
    /// Governance size named by the last entry.
    pub last_governance_size: u64,
}

/// The governance chain's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GovernanceState {
    /// The current governance keys, sorted.
    pub keys: Vec<PublicKeyBytes>,
    /// Signatures required.
    pub threshold: u8,
    /// The chain head.
    pub chain: ChainHead,
    /// Set after a governance equivocation: nothing more is accepted.
    pub frozen_at: Option<u64>,
    /// Key-set history: (first governance seq it signs, keys, threshold).
    pub key_sets: Vec<(u64, Vec<PublicKeyBytes>, u8)>,
}

impl GovernanceState {
    /// The keys and threshold that sign governance entry `seq`.
    pub fn key_set_for(&self, seq: u64) -> (Vec<PublicKeyBytes>, u8) {
        self.key_sets
            .iter()
            .rev()
            .find(|(from, _, _)| *from <= seq)
            .map(|(_, keys, t)| (keys.clone(), *t))
            .unwrap_or_else(|| (self.keys.clone(), self.threshold))
    }
}

/// A registrar key and the registrar seq from which it signs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyPeriod {
    /// First registrar seq this key signs.
    pub from_seq: u64,
    /// The key.
    pub key: PublicKeyBytes,
    /// Commitment to the next key.
    pub next_key_commitment: Hash32,
    /// Set by governance (accreditation or recovery) rather than by the
    /// registrar's own rotation.
    pub by_governance: bool,
}

/// One suspension of a registrar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspensionRecord {
    /// Governance seq of the suspension entry.
    pub governance_seq: u64,
    /// Entries of the registrar kept valid.
    pub keep: u64,
    /// Governance seq of the reinstatement, if any.
    pub reinstated_at: Option<u64>,
}

/// Everything known about one registrar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrarState {
    /// Display name of the office.
    pub display_name: String,
    /// Governance seq of the accreditation.
    pub accredited_at: u64,
    /// Scope history: (governance seq, scope), in governance order.
    pub scopes: Vec<(u64, Scope)>,
    /// Key schedule, sorted by `from_seq`.
    pub keys: Vec<KeyPeriod>,
    /// Suspensions in governance order.
    pub suspensions: Vec<SuspensionRecord>,
    /// Seq at which an equivocation was proven, if any.
    pub fork_at: Option<u64>,
    /// The chain head.
    pub chain: ChainHead,
}

impl RegistrarState {
    /// The scope in force for an entry naming `governance_size`: the last
    /// scope set by a governance entry with seq < `governance_size`.
    pub fn scope_at(&self, governance_size: u64) -> Option<&Scope> {
        self.scopes
            .iter()
            .rev()
            .find(|(seq, _)| *seq < governance_size)
            .map(|(_, s)| s)
    }
    /// The key period that signs registrar entry `seq`.
    pub fn key_for(&self, seq: u64) -> Option<&KeyPeriod> {
        self.keys.iter().rev().find(|p| p.from_seq <= seq)
    }
    /// The suspension in force now (not reinstated), if any.
    pub fn current_suspension(&self) -> Option<&SuspensionRecord> {
        self.suspensions
            .last()
            .filter(|s| s.reinstated_at.is_none())
    }
    /// The first seq refused for an entry naming `governance_size`, if the
    /// entry's `seq` is at or past it: a suspension freezes entries from its
    /// `keep` on unless the entry relies on the reinstatement; an
    /// equivocation freezes entries from the fork on.
    pub fn frozen_from(&self, seq: u64, governance_size: u64) -> Option<u64> {
        if let Some(fork) = self.fork_at.filter(|f| seq >= *f) {
            return Some(fork);
        }
        self.suspensions
            .iter()
            .filter(|s| seq >= s.keep)
            .find(|s| !matches!(s.reinstated_at, Some(r) if r < governance_size))
            .map(|s| s.keep)
    }
}

/// The whole derived state of a replica.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerState {
    /// The network id.
    pub network: NetworkId,
    /// The genesis document.
    pub genesis: Genesis,
    /// Governance.
    pub governance: GovernanceState,
    /// Registrars by id.
    pub registrars: BTreeMap<RegistrarId, RegistrarState>,
}

impl LedgerState {
    /// The state of a network with no entries yet.
    pub fn new(genesis: Genesis, network: NetworkId) -> Self {
        Self {
            network,
            governance: GovernanceState {
                keys: genesis.governance_keys.clone(),
                threshold: genesis.threshold,
                chain: ChainHead::default(),
                frozen_at: None,
                key_sets: vec![(0, genesis.governance_keys.clone(), genesis.threshold)],
            },
            genesis,
            registrars: BTreeMap::new(),
        }
    }
    /// The head of `author`'s chain (empty for an unknown registrar).
    pub fn chain(&self, author: &Author) -> ChainHead {
        match author {
            Author::Governance => self.governance.chain.clone(),
            Author::Registrar(id) => self
                .registrars
                .get(id)
                .map(|r| r.chain.clone())
                .unwrap_or_default(),
        }
    }
    /// Every chain with its head: governance first, then registrars by id.
    pub fn chains(&self) -> Vec<(Author, ChainHead)> {
        std::iter::once((Author::Governance, self.governance.chain.clone()))
            .chain(
                self.registrars
                    .iter()
                    .map(|(id, r)| (Author::Registrar(id.clone()), r.chain.clone())),
            )
            .collect()
    }
    /// The key that signs `author`'s entry `seq` (registrars only).
    pub fn registrar_key(&self, registrar: &RegistrarId, seq: u64) -> Option<PublicKeyBytes> {
        self.registrars
            .get(registrar)
            .and_then(|r| r.key_for(seq))
            .map(|p| p.key)
    }
    /// The registrar whose current key is `key`, if any.
    pub fn registrar_by_key(&self, key: &PublicKeyBytes) -> Option<&RegistrarId> {
        self.registrars
            .iter()
            .find(|(_, r)| r.keys.iter().any(|p| &p.key == key))
            .map(|(id, _)| id)
    }
}
