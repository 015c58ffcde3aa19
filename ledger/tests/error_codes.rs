//! Error codes: what an API or a log shows for the ledger's failures. Each
//! error enum's `code()` names the variant; an entry's decoding error has
//! the code of the rejection it becomes. Runs on the core alone (no sled).

use ledger::checkpoint::SignedCheckpoint;
use ledger::entry::{Entry, EntryError};
use ledger::fixtures::TestNetwork;
use ledger::merkle;
use ledger::rejection::Rejection;
use ledger::signing::check_public_key;
use ledger::store::{Ledger, MemoryKv, MemoryLedger, StoreError};
use ledger::types::{Author, PublicKeyBytes, RegistrarId};

fn is_snake_case(code: &str) -> bool {
    !code.is_empty()
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// One entry decoding error of each variant.
fn every_entry_error() -> [EntryError; 6] {
    [
        EntryError::TooLarge { size: 9, max: 8 },
        EntryError::Malformed("x".into()),
        EntryError::NonCanonical,
        EntryError::UnsupportedVersion(9),
        EntryError::SignatureList,
        EntryError::PrevShape,
    ]
}

#[test]
fn an_entry_error_has_the_code_of_the_rejection_it_becomes() {
    for e in every_entry_error() {
        assert!(is_snake_case(e.code()), "{}", e.code());
        assert_eq!(Rejection::from(e.clone()).code(), e.code(), "{e:?}");
    }
}

#[test]
fn failures_met_in_use_carry_their_named_codes() {
    let garbage = Entry::decode(b"\xff\x00garbage", 1000).expect_err("garbage");
    assert_eq!(garbage.code(), "malformed");
    let big = Entry::decode(&[0u8; 64], 10).expect_err("too large");
    assert_eq!(big.code(), "too_large");

    let mut identity = [0u8; 32];
    identity[0] = 1;
    let weak = check_public_key(&PublicKeyBytes(identity)).expect_err("small order");
    assert_eq!(weak.code(), "small_order");

    let bad_id = RegistrarId::new("Not An Id!").expect_err("invalid id");
    assert_eq!(bad_id.code(), "registrar_id");

    let wrong_root =
        merkle::verify_inclusion(&[1; 32], 0, 2, &[[2; 32]], &[3; 32]).expect_err("wrong root");
    assert_eq!(wrong_root.code(), "root_mismatch");

    let unsigned = SignedCheckpoint::parse(b"example.com/log\n1\nAAAA\n").expect_err("unsigned");
    assert_eq!(unsigned.code(), "missing_signatures");
}

#[test]
fn store_failures_carry_their_named_codes() {
    let no_genesis = Ledger::from_kv(MemoryKv::new(), None)
        .err()
        .expect("an empty store needs a genesis");
    assert!(matches!(no_genesis, StoreError::NoGenesis));
    assert_eq!(no_genesis.code(), "no_genesis");

    let a = TestNetwork::new(3, 2);
    let b = TestNetwork::new(4, 2);
    let ledger = MemoryLedger::new(&a.genesis).expect("ledger");
    let mismatch = Ledger::from_kv(ledger.kv().clone(), Some(&b.genesis))
        .err()
        .expect("another network's genesis");
    assert_eq!(mismatch.code(), "genesis_mismatch");

    let beyond = ledger
        .root(&Author::Governance, 5)
        .expect_err("no such size");
    assert_eq!(beyond.code(), "out_of_range");
}

#[test]
fn only_bytes_no_honest_relay_sends_blame_the_sender() {
    // Every entry decoding error is the sender's fault: no replica relays
    // bytes that are not a canonical entry.
    for e in every_entry_error() {
        assert!(Rejection::from(e.clone()).sender_at_fault(), "{e:?}");
    }
    let registrar = RegistrarId::new("registrar-1").expect("id");
    let author = Author::Registrar(registrar.clone());
    assert!(Rejection::BadSignature {
        author: author.clone(),
        seq: 0
    }
    .sender_at_fault());
    // What a sender may simply not have seen yet blames nobody.
    for r in [
        Rejection::UnknownAuthor(author.clone()),
        Rejection::UnknownRegistrar(registrar),
        Rejection::SequenceGap {
            author,
            expected: 1,
            found: 3,
        },
        Rejection::HoldFull { limit: 1 },
        Rejection::GovernanceFrozen,
    ] {
        assert!(!r.sender_at_fault(), "{r:?}");
    }
}
