//! No personal data on the ledger: credentials with distinctive claims are
//! attested, then every byte of the store (its keys and values, and its
//! files on disk) and of the exported entries is searched for the claims.

use ledger::fixtures::{TestNetwork, T0_MS};
use ledger::payload::{Attestation, Payload};
use ledger::store::{Outcome, Store};
use ledger::types::{sha256, CredentialId, EventKind, Jurisdiction};

/// Claims a civil registry records, with values that cannot appear by chance.
const CLAIMS: [(&str, &str); 8] = [
    ("givenName", "Zainab-Qwertyuiop"),
    ("familyName", "Al-Xylophonica"),
    ("birthDate", "1987-03-14"),
    ("birthPlace", "Deir ez-Zor Quarantine Ward 7"),
    ("motherName", "Mariam Zzyzx-Oultremer"),
    ("fatherName", "Yusuf Qqbarnacle"),
    ("nationality", "Syrian Arab Republic (SYR)"),
    ("registrationNumber", "REG-4417-ZQX-0099"),
];

fn needles() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (_, value) in CLAIMS {
        out.push(value.as_bytes().to_vec());
        // Also as UTF-16, as hex and with the first word alone (>= 6 bytes).
        out.push(value.encode_utf16().flat_map(|u| u.to_le_bytes()).collect());
        out.push(hex::encode(value).into_bytes());
        if let Some(word) = value.split([' ', '-']).find(|w| w.len() >= 6) {
            out.push(word.as_bytes().to_vec());
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn store_and_export_hold_no_personal_data() {
    let mut net = TestNetwork::new(3, 2);
    let dir = std::env::temp_dir().join(format!("nansen-privacy-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut store = Store::open(&dir, Some(&net.genesis)).expect("store");
    let (mut reg, accreditation) = net
        .accredit(
            1,
            &[EventKind::Birth, EventKind::IdentityRegistration],
            &["JO"],
        )
        .expect("accredit");
    let mut batch = vec![accreditation.bytes().to_vec()];
    for (i, salt) in [[1u8; 16], [2u8; 16], [3u8; 16]].iter().enumerate() {
        // A credential document holding the claims and a random salt: only
        // its digests and a random id reach the ledger.
        let mut document = serde_json::Map::new();
        for (name, value) in CLAIMS {
            document.insert(name.into(), value.into());
        }
        document.insert("salt".into(), hex::encode(salt).into());
        let document = serde_json::to_vec(&document).expect("json");
        let attestation = Attestation {
            credential_id: CredentialId([i as u8 + 10; 16]),
            di_digest: sha256(&document),
            sd_digest: sha256(&[b"sd".as_slice(), &document].concat()),
            kind: EventKind::Birth,
            jurisdiction: Jurisdiction::new("JO").expect("jurisdiction"),
        };
        let entry = reg
            .append(Payload::Attest(attestation), T0_MS + 10 + i as u64)
            .expect("sign");
        batch.push(entry.bytes().to_vec());
    }
    let results = store.ingest(&batch).expect("ingest");
    assert!(results.iter().all(|r| r.outcome == Outcome::Accepted));
    store.flush().expect("flush");

    let mut stored = Vec::new();
    for kv in store.raw_entries() {
        let (k, v) = kv.expect("read");
        stored.extend_from_slice(&k);
        stored.extend_from_slice(&v);
    }
    let exported: Vec<u8> = store.all_entries().expect("export").concat();
    assert!(exported.len() > 500, "export is not empty");
    drop(store);
    let mut on_disk = Vec::new();
    for file in walk(&dir) {
        on_disk.extend(std::fs::read(file).expect("read store file"));
    }
    assert!(!on_disk.is_empty());
    for needle in needles() {
        let shown = String::from_utf8_lossy(&needle).to_string();
        assert!(!find(&stored, &needle), "store holds {shown:?}");
        assert!(!find(&exported, &needle), "export holds {shown:?}");
        assert!(!find(&on_disk, &needle), "store files hold {shown:?}");
    }
    // The search itself works: the document we hashed does contain them.
    assert!(find(b"xx Al-Xylophonica xx", CLAIMS[1].1.as_bytes()));
    let _ = std::fs::remove_dir_all(&dir);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
