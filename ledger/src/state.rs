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

/// A registrar key and the entries it signs: those at `from_seq` or later
/// that name a governance size of at least `from_governance`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyPeriod {
    /// First registrar seq this key signs.
    pub from_seq: u64,
    /// Smallest governance size an entry signed by this key names: one past
    /// the governance entry that set the key (accreditation, recovery), or
    /// the governance size the registrar's own rotation entry named.
    pub from_governance: u64,
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

/// One scope a registrar was given, and from where it binds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeRecord {
    /// Governance seq of the accreditation or scope change that set it.
    pub governance_seq: u64,
    /// First registrar seq it binds whatever governance size an entry names
    /// (0 for the accreditation's scope).
    pub from_seq: u64,
    /// The scope.
    pub scope: Scope,
}

/// Why an entry in a registrar's log has no effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VoidCause {
    /// A suspension voids the chain from `from_seq` on (until entries rely on
    /// a reinstatement).
    Suspended {
        /// The suspension's `keep`.
        from_seq: u64,
    },
    /// A scope change binds from `from_seq` on and the entry named a
    /// governance size before it.
    ScopeChanged {
        /// The change's `from_seq`.
        from_seq: u64,
    },
    /// The registrar's chain forked at `from_seq` (an equivocation).
    Forked {
        /// The first conflicting seq.
        from_seq: u64,
    },
    /// The governance chain forked at `from_gov`: governance entries from it
    /// on, and registrar entries naming a size past it, have no effect.
    GovernanceForked {
        /// The first conflicting governance seq.
        from_gov: u64,
    },
}

impl VoidCause {
    /// A stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            VoidCause::Suspended { .. } => "suspended",
            VoidCause::ScopeChanged { .. } => "scope_changed",
            VoidCause::Forked { .. } => "forked",
            VoidCause::GovernanceForked { .. } => "governance_forked",
        }
    }
    /// The first void position of the chain it concerns (a registrar seq, or
    /// a governance seq for a governance fork).
    pub fn from_seq(&self) -> u64 {
        match *self {
            VoidCause::Suspended { from_seq }
            | VoidCause::ScopeChanged { from_seq }
            | VoidCause::Forked { from_seq } => from_seq,
            VoidCause::GovernanceForked { from_gov } => from_gov,
        }
    }
}

impl std::fmt::Display for VoidCause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VoidCause::Suspended { from_seq } => write!(f, "suspended from #{from_seq}"),
            VoidCause::ScopeChanged { from_seq } => {
                write!(f, "scope changed from #{from_seq}")
            }
            VoidCause::Forked { from_seq } => write!(f, "chain forked at #{from_seq}"),
            VoidCause::GovernanceForked { from_gov } => {
                write!(f, "governance chain forked at #{from_gov}")
            }
        }
    }
}

/// Everything known about one registrar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrarState {
    /// Display name of the office.
    pub display_name: String,
    /// Governance seq of the accreditation.
    pub accredited_at: u64,
    /// Scope history, in governance order.
    pub scopes: Vec<ScopeRecord>,
    /// Key schedule, sorted by (`from_governance`, `from_seq`).
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
            .find(|r| r.governance_seq < governance_size)
            .map(|r| &r.scope)
    }
    /// The key period that signs registrar entry `seq` naming
    /// `governance_size`: the last of the schedule (ordered by
    /// `from_governance`, then `from_seq`) that covers both.
    pub fn key_for(&self, seq: u64, governance_size: u64) -> Option<&KeyPeriod> {
        self.keys
            .iter()
            .rev()
            .find(|p| p.from_seq <= seq && p.from_governance <= governance_size)
    }
    /// Adds a key period, keeping the schedule's order: by
    /// `from_governance`, then `from_seq`, and at a tie a period set by
    /// governance after the registrar's own (so governance wins the tie).
    pub fn add_key(&mut self, period: KeyPeriod) {
        self.keys.push(period);
        self.keys
            .sort_by_key(|p| (p.from_governance, p.from_seq, p.by_governance));
    }
    /// The suspension in force now (not reinstated), if any.
    pub fn current_suspension(&self) -> Option<&SuspensionRecord> {
        self.suspensions
            .last()
            .filter(|s| s.reinstated_at.is_none())
    }
    /// Why registrar entry `seq` naming `governance_size` has no effect, if
    /// it has none: the chain forked at or before it; a suspension voids it
    /// (it is at or past the `keep` and does not rely on the reinstatement);
    /// or a scope change binds it (at or past its `from_seq`) although the
    /// entry names a governance size before the change. Once void, an entry
    /// stays void whatever governance entries come later.
    pub fn void_from(&self, seq: u64, governance_size: u64) -> Option<VoidCause> {
        if let Some(fork) = self.fork_at.filter(|f| seq >= *f) {
            return Some(VoidCause::Forked { from_seq: fork });
        }
        if let Some(s) = self
            .suspensions
            .iter()
            .filter(|s| seq >= s.keep)
            .find(|s| !matches!(s.reinstated_at, Some(r) if r < governance_size))
        {
            return Some(VoidCause::Suspended { from_seq: s.keep });
        }
        self.scopes
            .iter()
            .skip(1)
            .find(|r| seq >= r.from_seq && r.governance_seq >= governance_size)
            .map(|r| VoidCause::ScopeChanged {
                from_seq: r.from_seq,
            })
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
    /// Log heads of chains whose registrar the state does not know: a
    /// governance fork voided the accreditation after this replica had logged
    /// some of the registrar's entries. Those entries stay in the log, void,
    /// so the chain keeps its size; nothing is ever appended to it again. A
    /// replica that saw the fork first never logged them: like the branch a
    /// replica keeps after a fork, this is a fact of its log, not of the
    /// ledger's state.
    pub orphan_logs: BTreeMap<RegistrarId, ChainHead>,
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
            orphan_logs: BTreeMap::new(),
        }
    }
    /// The head of `author`'s chain (empty for an unknown registrar).
    pub fn chain(&self, author: &Author) -> ChainHead {
        match author {
            Author::Governance => self.governance.chain.clone(),
            Author::Registrar(id) => self
                .registrars
                .get(id)
                .map(|r| &r.chain)
                .or_else(|| self.orphan_logs.get(id))
                .cloned()
                .unwrap_or_default(),
        }
    }
    /// Every chain with its head: governance first, then registrars by id,
    /// then the orphan logs by id.
    pub fn chains(&self) -> Vec<(Author, ChainHead)> {
        std::iter::once((Author::Governance, self.governance.chain.clone()))
            .chain(
                self.registrars
                    .iter()
                    .map(|(id, r)| (id, &r.chain))
                    .chain(self.orphan_logs.iter())
                    .map(|(id, chain)| (Author::Registrar(id.clone()), chain.clone())),
            )
            .collect()
    }
    /// The key that signs `registrar`'s entry `seq` naming
    /// `governance_size`.
    pub fn registrar_key(
        &self,
        registrar: &RegistrarId,
        seq: u64,
        governance_size: u64,
    ) -> Option<PublicKeyBytes> {
        self.registrars
            .get(registrar)
            .and_then(|r| r.key_for(seq, governance_size))
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
