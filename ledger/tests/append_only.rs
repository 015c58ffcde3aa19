//! Append-only, forever: a chain driven through suspension, reinstatement,
//! key recovery, a registrar fork, a governance fork, an index rebuild and a
//! restart never loses an entry, and every checkpoint a witness cosigned on
//! the way is RFC 9162-consistent with every later one.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ledger::checkpoint::{KeyType, SignerKey};
use ledger::credential::CredentialState;
use ledger::entry::Entry;
use ledger::fixtures::{credential_id, test_key, TestNetwork, TestRegistrar, T0_MS};
use ledger::merkle;
use ledger::payload::{Accreditation, KeyRecovery, Payload, Reinstatement, Scope, Suspension};
use ledger::signing::{key_commitment, KeyPair};
use ledger::state::VoidCause;
use ledger::store::{CredentialStatus, Outcome, Store};
use ledger::types::{Author, EventKind, Jurisdiction, RegistrarId};
use ledger::writer::ChainWriter;

/// One checkpoint as a witness cosigned it: (size, root).
type Signed = (u64, [u8; 32]);

/// A replica on disk with its witness key, and every checkpoint it ever
/// cosigned, by chain, in the order it cosigned them.
struct Replica {
    dir: PathBuf,
    store: Option<Store>,
    witness: SignerKey,
    cosigned: BTreeMap<Author, Vec<Signed>>,
    now: u64,
}

impl Replica {
    fn new(net: &TestNetwork, name: &str, seed: u8) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "nansen-append-only-{name}-{}-{}",
            std::process::id(),
            T0_MS
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir, Some(&net.genesis)).expect("open");
        Self {
            dir,
            store: Some(store),
            witness: SignerKey::from_seed(name, KeyType::Cosignature, [seed; 32]).expect("key"),
            cosigned: BTreeMap::new(),
            now: 1_800_000_000,
        }
    }

    fn store(&mut self) -> &mut Store {
        self.store.as_mut().expect("open store")
    }

    fn deliver(&mut self, entry: &Entry) -> Outcome {
        let results = self
            .store()
            .ingest(std::slice::from_ref(&entry.bytes()))
            .expect("ingest");
        results[0].outcome.clone()
    }

    /// Cosigns the current checkpoint of every chain it holds, as the
    /// node's witness round does;
    /// a refusal (the chain is not consistent with what was cosigned
    /// before) fails the test.
    fn witness_round(&mut self) {
        self.now += 60;
        let chains = self.store().state().chains();
        for (author, _) in &chains {
            let store = self.store.as_mut().expect("open store");
            let signed = store
                .cosign_checkpoint(author, &self.witness, self.now)
                .unwrap_or_else(|e| panic!("{author}: witness refused to cosign: {e}"));
            let verified = signed
                .verify_with(&[self.witness.verifier()])
                .expect("cosignature verifies");
            assert_eq!(verified.len(), 1, "{author}: the witness's cosignature");
            let cp = signed.checkpoint();
            let list = self.cosigned.entry(author.clone()).or_default();
            if list.last() != Some(&(cp.size, cp.root)) {
                list.push((cp.size, cp.root));
            }
        }
    }

    fn restart(&mut self, net: &TestNetwork) {
        drop(self.store.take());
        self.store = Some(Store::open(&self.dir, Some(&net.genesis)).expect("reopen"));
    }

    /// Every cosigned checkpoint of every chain is consistent with every
    /// later one, by a consistency proof from the store as it is now.
    fn assert_all_consistent(&mut self) -> usize {
        let cosigned = self.cosigned.clone();
        let mut checked = 0;
        for (author, list) in &cosigned {
            for (i, (old_size, old_root)) in list.iter().enumerate() {
                for (new_size, new_root) in &list[i + 1..] {
                    assert!(
                        new_size >= old_size,
                        "{author}: shrank {old_size} → {new_size}"
                    );
                    if *old_size == 0 {
                        continue;
                    }
                    let proof: Vec<merkle::Hash> = self
                        .store()
                        .consistency_proof(author, *old_size, *new_size)
                        .expect("proof")
                        .into_iter()
                        .map(|h| h.0)
                        .collect();
                    merkle::verify_consistency(*old_size, *new_size, old_root, new_root, &proof)
                        .unwrap_or_else(|e| {
                            panic!("{author}: {old_size} → {new_size} not consistent: {e:?}")
                        });
                    checked += 1;
                }
            }
        }
        checked
    }

    fn status(&mut self, n: u64) -> String {
        match self
            .store()
            .credential_status(&credential_id(n))
            .expect("status")
        {
            CredentialStatus::Unknown => "unknown".into(),
            CredentialStatus::Disputed { .. } => "disputed".into(),
            CredentialStatus::Ambiguous { .. } => "ambiguous".into(),
            CredentialStatus::Attested { record, .. } => match record.state {
                CredentialState::Active => "active".into(),
                other => format!("{other:?}"),
            },
        }
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        drop(self.store.take());
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A writer that signs a second entry at `at`'s position (an equivocation).
fn writer_at(net: &TestNetwork, reg: &TestRegistrar, at: &Entry) -> ChainWriter {
    let head = ledger::state::ChainHead {
        size: at.body().seq,
        head: at.body().prev,
        ..Default::default()
    };
    ChainWriter::new(net.network, author_of(reg), &head)
}

fn author_of(reg: &TestRegistrar) -> Author {
    Author::Registrar(reg.id.clone())
}

fn read_chain(store: &Store, author: &Author) -> Vec<Vec<u8>> {
    let size = store.state().chain(author).size;
    (0..size)
        .map(|seq| store.entry(author, seq).expect("read").expect("present"))
        .collect()
}

#[test]
fn every_cosigned_checkpoint_stays_consistent_through_suspension_forks_rebuild_and_restart() {
    let mut net = TestNetwork::new(3, 2);
    let mut a = Replica::new(&net, "a", 0xA1);
    let mut b = Replica::new(&net, "b", 0xB1);
    let (mut r1, acc1) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let (mut r2, acc2) = net
        .accredit(2, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let mut delivered: Vec<Entry> = vec![acc1, acc2];
    // R1 attests five births, R2 three; both replicas take them.
    for n in 0..5 {
        delivered.push(
            r1.attest(n, EventKind::Birth, "JO", T0_MS + 10 + n)
                .expect("sign"),
        );
    }
    let r2_entries: Vec<Entry> = (0..3)
        .map(|n| {
            r2.attest(100 + n, EventKind::Birth, "JO", T0_MS + 20 + n)
                .expect("sign")
        })
        .collect();
    delivered.extend(r2_entries.iter().cloned());
    for e in &delivered {
        assert_eq!(a.deliver(e), Outcome::Accepted);
        assert_eq!(b.deliver(e), Outcome::Accepted);
    }
    a.witness_round();
    b.witness_round();

    // Suspension of R1 keeping 3 entries: #3 and #4 become void in place.
    let suspend = net
        .govern(
            Payload::Suspend(Suspension {
                registrar: r1.id.clone(),
                keep: 3,
            }),
            T0_MS + 100,
        )
        .expect("sign");
    let r1_before = read_chain(a.store(), &author_of(&r1));
    assert_eq!(a.deliver(&suspend), Outcome::Accepted);
    assert_eq!(b.deliver(&suspend), Outcome::Accepted);
    assert_eq!(read_chain(a.store(), &author_of(&r1)), r1_before);
    assert_eq!(a.status(3), "unknown");
    // The old key, stolen, signs on: its entry joins the log, void.
    let thief = r1
        .attest(5, EventKind::Birth, "JO", T0_MS + 15)
        .expect("sign");
    for replica in [&mut a, &mut b] {
        assert_eq!(
            replica.deliver(&thief),
            Outcome::Void(VoidCause::Suspended { from_seq: 3 })
        );
    }
    a.witness_round();
    b.witness_round();

    // Recovery with a new key and reinstatement; R1 resumes after the
    // thief's entry with the recovered key.
    let recovered = KeyPair::from_seed(&[0x55; 32]);
    let recover = net
        .govern(
            Payload::RecoverKey(KeyRecovery {
                registrar: r1.id.clone(),
                key: recovered.public(),
                next_key_commitment: key_commitment(&KeyPair::from_seed(&[0x56; 32]).public()),
            }),
            T0_MS + 101,
        )
        .expect("sign");
    let reinstate = net
        .govern(
            Payload::Reinstate(Reinstatement {
                registrar: r1.id.clone(),
            }),
            T0_MS + 102,
        )
        .expect("sign");
    for replica in [&mut a, &mut b] {
        assert_eq!(replica.deliver(&recover), Outcome::Accepted);
        assert_eq!(replica.deliver(&reinstate), Outcome::Accepted);
    }
    r1.key = recovered;
    r1.next_key = KeyPair::from_seed(&[0x56; 32]);
    r1.governance_size = net.governance_size();
    let resumed = r1
        .attest(6, EventKind::Birth, "JO", T0_MS + 150)
        .expect("sign");
    for replica in [&mut a, &mut b] {
        assert_eq!(replica.deliver(&resumed), Outcome::Accepted);
        assert_eq!(replica.status(6), "active");
    }
    a.witness_round();
    b.witness_round();

    // A registrar fork: R2 signs a second #1. A saw the original branch,
    // B sees the fork first; each keeps the branch it had accepted.
    let mut fork_writer = writer_at(&net, &r2, &r2_entries[1]);
    let forked = fork_writer
        .append(
            Payload::Attest(ledger::fixtures::attestation(190, EventKind::Birth, "JO")),
            r2_entries[1].body().time_ms,
            r2_entries[1].body().governance_size,
            &[&r2.key],
        )
        .expect("sign fork");
    let mut c = Replica::new(&net, "c", 0xC1);
    for e in delivered
        .iter()
        .filter(|e| e.body().author != author_of(&r2))
    {
        c.deliver(e);
    }
    for e in [&suspend, &thief, &recover, &reinstate, &resumed] {
        c.deliver(e);
    }
    c.deliver(&r2_entries[0]);
    assert_eq!(c.deliver(&forked), Outcome::Accepted);
    c.witness_round();
    // Each learns of the other branch: the equivocation is proven, and the
    // rest of the other branch is kept aside as evidence.
    assert_eq!(c.deliver(&r2_entries[1]), Outcome::Equivocation);
    assert_eq!(c.deliver(&r2_entries[2]), Outcome::Disputed);
    assert_eq!(a.deliver(&forked), Outcome::Equivocation);
    assert_eq!(
        a.deliver(&r2_entries[2]),
        Outcome::Duplicate,
        "its own branch past the fork, sent again, is held already"
    );
    for replica in [&mut a, &mut c] {
        let fork_at = replica.store().state().registrars[&r2.id].fork_at;
        assert_eq!(fork_at, Some(1));
        assert_eq!(replica.status(100), "active");
        assert_eq!(replica.status(101), "disputed");
    }
    // A keeps its three R2 entries, C its two; neither lost any.
    assert_eq!(read_chain(a.store(), &author_of(&r2)).len(), 3);
    assert_eq!(
        read_chain(c.store(), &author_of(&r2))[1],
        forked.bytes().to_vec()
    );
    a.witness_round();
    c.witness_round();

    // A governance fork. On one branch governance accredits registrar-5,
    // which logs two entries on A and C before they learn of the other
    // branch; B sees the other branch first.
    let gov_before = a.store().state().governance.chain.size;
    let fork_point = net.governance_writer.clone();
    let r5_key = test_key(0xB0, 5);
    let r5_next = test_key(0xC0, 5);
    let r5_id = RegistrarId::new("registrar-5").expect("id");
    let gov_a = net
        .govern(
            Payload::Accredit(Accreditation {
                registrar: r5_id.clone(),
                display_name: "Registration office 5".into(),
                key: r5_key.public(),
                next_key_commitment: key_commitment(&r5_next.public()),
                scope: Scope {
                    jurisdictions: vec![Jurisdiction::new("JO").expect("jo")],
                    kinds: vec![EventKind::Birth],
                    valid_from_ms: T0_MS,
                    valid_until_ms: T0_MS * 2,
                },
            }),
            T0_MS + 200,
        )
        .expect("sign");
    let mut r5 = TestRegistrar {
        writer: ChainWriter::new(
            net.network,
            Author::Registrar(r5_id.clone()),
            &Default::default(),
        ),
        id: r5_id,
        key: r5_key,
        next_key: r5_next,
        governance_size: net.governance_size(),
    };
    net.governance_writer = fork_point;
    let gov_b = net
        .govern(
            Payload::Suspend(Suspension {
                registrar: r1.id.clone(),
                keep: 99,
            }),
            T0_MS + 201,
        )
        .expect("sign");
    let r5_entries: Vec<Entry> = (0..2)
        .map(|n| {
            r5.attest(500 + n, EventKind::Birth, "JO", T0_MS + 210 + n)
                .expect("sign")
        })
        .collect();
    for replica in [&mut a, &mut c] {
        assert_eq!(replica.deliver(&gov_a), Outcome::Accepted);
        for e in &r5_entries {
            assert_eq!(replica.deliver(e), Outcome::Accepted);
        }
        assert_eq!(replica.status(500), "active");
        replica.witness_round();
        assert_eq!(replica.deliver(&gov_b), Outcome::Equivocation);
    }
    assert_eq!(b.deliver(&gov_b), Outcome::Accepted);
    assert_eq!(b.deliver(&gov_a), Outcome::Equivocation);
    for e in &r5_entries {
        assert!(matches!(b.deliver(e), Outcome::Rejected(_)));
    }
    let r5_author = author_of(&r5);
    for replica in [&mut a, &mut b, &mut c] {
        let state = replica.store().state();
        assert_eq!(state.governance.frozen_at, Some(gov_before));
        assert_eq!(state.governance.chain.size, gov_before + 1);
        // registrar-5's accreditation is void: its logged entries stay,
        // without effect.
        assert!(!state.registrars.contains_key(&r5.id));
        assert_eq!(replica.status(500), "unknown");
        replica.witness_round();
    }
    for replica in [&mut a, &mut c] {
        assert_eq!(read_chain(replica.store(), &r5_author).len(), 2);
    }

    // An index rebuild, then a restart: nothing deleted, the witness
    // records kept, and the rounds go on without a refusal.
    let authors = [
        Author::Governance,
        author_of(&r1),
        author_of(&r2),
        r5_author.clone(),
    ];
    let chains_before: Vec<_> = authors.iter().map(|au| read_chain(a.store(), au)).collect();
    let best_before = a.store().best_checkpoint(&author_of(&r1)).expect("best");
    a.store().rebuild_indexes().expect("rebuild");
    let best_after = a.store().best_checkpoint(&author_of(&r1)).expect("best");
    assert_eq!(
        best_before.map(|s| s.to_bytes()),
        best_after.map(|s| s.to_bytes()),
        "the rebuild keeps the witness records"
    );
    a.witness_round();
    a.restart(&net);
    let chains_after: Vec<_> = authors.iter().map(|au| read_chain(a.store(), au)).collect();
    assert_eq!(
        chains_before, chains_after,
        "rebuild and restart delete nothing"
    );
    let more = r1
        .attest(7, EventKind::Birth, "JO", T0_MS + 160)
        .expect("sign");
    assert_eq!(a.deliver(&more), Outcome::Accepted);
    a.witness_round();

    let mut pairs = 0;
    for replica in [&mut a, &mut b, &mut c] {
        pairs += replica.assert_all_consistent();
    }
    assert!(
        pairs >= 20,
        "only {pairs} pairs of cosigned checkpoints were checked"
    );
    // The same state everywhere, whichever branch each log holds.
    for n in [0, 2, 3, 4, 5, 6, 100, 101, 102, 190] {
        let sa = a.status(n);
        assert_eq!(sa, c.status(n), "credential {n}");
    }
}
