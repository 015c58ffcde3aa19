//! Whole flows: issue a credential, present it, verify it, and fail on tampering by name.

use nansen_wallet::credential::id_to_urn;
use nansen_wallet::data_integrity::{self, Cryptosuite};
use nansen_wallet::{did, digest, issue, CredentialError, EventKind, KeyBindingRequest};
use serde_json::{json, Value};

const REGISTRAR_SEED: [u8; 32] = [0x11; 32];
const HOLDER_SEED: [u8; 32] = [0x22; 32];
const NOW: i64 = 1_764_410_400; // 2025-11-29T10:00:00Z

fn birth_claims() -> Value {
    json!({
        "givenName": "Amal",
        "familyName": "Haddad",
        "birthDate": "2024-02-29",
        "birthPlace": "Zaatari camp, Mafraq",
        "sex": "female",
        "motherName": "Rana Haddad",
        "fatherName": "Omar Haddad",
        "registrationNumber": "JO-ZA-2024-000123",
        "registrationDate": "2024-03-04"
    })
}

fn issue_birth() -> nansen_wallet::IssuedCredential {
    let holder = did::did_key_from_seed(&HOLDER_SEED);
    issue(
        EventKind::Birth,
        &birth_claims(),
        &holder,
        &REGISTRAR_SEED,
        NOW,
    )
    .unwrap()
}

fn request<'a>(nonce: &'a str, audience: &'a str) -> KeyBindingRequest<'a> {
    KeyBindingRequest {
        nonce,
        audience,
        now: NOW + 60,
        max_age_secs: 300,
    }
}

#[test]
fn issued_birth_credential_verifies_in_both_forms() {
    let issued = issue_birth();
    let vc = &issued.data_integrity;
    assert_eq!(vc["id"], id_to_urn(&issued.id));
    assert_eq!(
        vc["type"],
        json!(["VerifiableCredential", "BirthCredential"])
    );
    assert_eq!(vc["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    let verified = data_integrity::verify_credential(vc, NOW).unwrap();
    assert_eq!(verified.contents.claims.get("givenName"), Some("Amal"));
    assert_eq!(verified.di_digest, issued.di_digest);

    let presentation = nansen_wallet::present_sd_jwt(
        &issued.sd_jwt,
        &[
            "givenName",
            "familyName",
            "birthDate",
            "birthPlace",
            "sex",
            "motherName",
            "fatherName",
            "registrationNumber",
            "registrationDate",
        ],
        &HOLDER_SEED,
        "n-1",
        "did:example:verifier",
        NOW + 30,
    )
    .unwrap();
    let disclosed = nansen_wallet::verify_sd_jwt_presentation(
        &presentation,
        &request("n-1", "did:example:verifier"),
    )
    .unwrap();
    assert_eq!(disclosed.kind, EventKind::Birth);
    assert_eq!(disclosed.id, issued.id);
    assert_eq!(disclosed.claims.len(), 9);
    assert_eq!(disclosed.sd_digest, issued.sd_digest);
    assert_eq!(
        disclosed.issuer_did,
        did::did_key_from_seed(&REGISTRAR_SEED)
    );
}

#[test]
fn two_issuances_of_the_same_claims_have_different_ids_and_digests() {
    let a = issue_birth();
    let b = issue_birth();
    assert_ne!(a.id, b.id);
    assert_ne!(a.di_digest, b.di_digest);
    assert_ne!(a.sd_digest, b.sd_digest);
    assert_ne!(a.data_integrity["salt"], b.data_integrity["salt"]);
}

#[test]
fn tampered_claim_fails_data_integrity_signature() {
    let issued = issue_birth();
    let mut vc = issued.data_integrity.clone();
    vc["credentialSubject"]["birthDate"] = json!("2020-01-01");
    let err = data_integrity::verify_credential(&vc, NOW).unwrap_err();
    assert!(matches!(err, CredentialError::InvalidSignature), "{err:?}");
    assert_ne!(digest::di_digest(&vc).unwrap(), issued.di_digest);
}

#[test]
fn jcs_suite_signs_and_detects_tampering() {
    let issued = issue_birth();
    let mut unsigned = issued.data_integrity.clone();
    unsigned.as_object_mut().unwrap().remove("proof");
    let signed = data_integrity::sign_jcs(&unsigned, &REGISTRAR_SEED, NOW).unwrap();
    let verified = data_integrity::verify_credential(&signed, NOW).unwrap();
    assert_eq!(verified.cryptosuite, Cryptosuite::EddsaJcs2022);
    let mut tampered = signed.clone();
    tampered["credentialSubject"]["familyName"] = json!("Other");
    assert!(matches!(
        data_integrity::verify_credential(&tampered, NOW),
        Err(CredentialError::InvalidSignature)
    ));
}

#[test]
fn credential_signed_by_a_key_other_than_the_issuer_is_rejected() {
    let issued = issue_birth();
    let mut unsigned = issued.data_integrity.clone();
    unsigned.as_object_mut().unwrap().remove("proof");
    let forged = data_integrity::sign_jcs(&unsigned, &[0x33; 32], NOW).unwrap();
    assert!(matches!(
        data_integrity::verify_credential(&forged, NOW),
        Err(CredentialError::VerificationMethodMismatch { .. })
    ));
}

#[test]
fn credential_is_not_valid_before_valid_from() {
    let issued = issue_birth();
    assert!(matches!(
        data_integrity::verify_credential(&issued.data_integrity, NOW - 1),
        Err(CredentialError::NotYetValid { .. })
    ));
}

#[test]
fn data_integrity_presentation_checks_challenge_domain_and_holder() {
    let issued = issue_birth();
    let vp = nansen_wallet::present_data_integrity(
        &issued.data_integrity,
        &HOLDER_SEED,
        "c-42",
        "school.example",
        NOW + 10,
    )
    .unwrap();
    let ok =
        nansen_wallet::verify_data_integrity_presentation(&vp, "c-42", "school.example", NOW + 20)
            .unwrap();
    assert_eq!(ok.holder_did, did::did_key_from_seed(&HOLDER_SEED));
    assert_eq!(ok.credential.di_digest, issued.di_digest);

    assert!(matches!(
        nansen_wallet::verify_data_integrity_presentation(&vp, "c-43", "school.example", NOW + 20),
        Err(CredentialError::ChallengeMismatch)
    ));
    assert!(matches!(
        nansen_wallet::verify_data_integrity_presentation(&vp, "c-42", "bank.example", NOW + 20),
        Err(CredentialError::DomainMismatch)
    ));

    // Someone else presenting the holder's credential.
    let stolen = nansen_wallet::present_data_integrity(
        &issued.data_integrity,
        &[0x44; 32],
        "c-42",
        "school.example",
        NOW + 10,
    )
    .unwrap();
    assert!(matches!(
        nansen_wallet::verify_data_integrity_presentation(
            &stolen,
            "c-42",
            "school.example",
            NOW + 20
        ),
        Err(CredentialError::HolderMismatch { .. })
    ));

    // Changing the challenge after signing breaks the holder's signature.
    let mut replayed = vp.clone();
    replayed["proof"]["challenge"] = json!("c-99");
    assert!(matches!(
        nansen_wallet::verify_data_integrity_presentation(
            &replayed,
            "c-99",
            "school.example",
            NOW + 20
        ),
        Err(CredentialError::InvalidSignature)
    ));
}

#[test]
fn sd_presentation_of_two_claims_carries_no_other_claim() {
    let issued = issue_birth();
    let presentation = nansen_wallet::present_sd_jwt(
        &issued.sd_jwt,
        &["givenName", "birthDate"],
        &HOLDER_SEED,
        "n-7",
        "clinic.example",
        NOW,
    )
    .unwrap();
    for hidden in [
        "Haddad",
        "Zaatari",
        "female",
        "Rana",
        "Omar",
        "JO-ZA-2024-000123",
        "2024-03-04",
    ] {
        assert!(
            !presentation.contains(hidden),
            "{hidden} leaked in the raw presentation"
        );
    }
    // Nor in the base64url-decoded parts.
    use base64::Engine as _;
    let decoded: String = presentation
        .split(['~', '.'])
        .filter_map(|p| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p)
                .ok()
        })
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    assert!(decoded.contains("Amal") && decoded.contains("2024-02-29"));
    for hidden in [
        "Haddad",
        "Zaatari",
        "female",
        "Rana",
        "Omar",
        "JO-ZA-2024-000123",
        "2024-03-04",
    ] {
        assert!(
            !decoded.contains(hidden),
            "{hidden} leaked in the decoded presentation"
        );
    }
    let disclosed =
        nansen_wallet::verify_sd_jwt_presentation(&presentation, &request("n-7", "clinic.example"))
            .unwrap();
    let names: Vec<&str> = disclosed.claims.keys().map(String::as_str).collect();
    assert_eq!(names, ["birthDate", "givenName"]);
}

#[test]
fn sd_presentation_with_wrong_nonce_or_audience_is_rejected() {
    let issued = issue_birth();
    let presentation = nansen_wallet::present_sd_jwt(
        &issued.sd_jwt,
        &["givenName"],
        &HOLDER_SEED,
        "n-1",
        "border.example",
        NOW,
    )
    .unwrap();
    assert!(matches!(
        nansen_wallet::verify_sd_jwt_presentation(&presentation, &request("n-2", "border.example")),
        Err(CredentialError::NonceMismatch)
    ));
    assert!(matches!(
        nansen_wallet::verify_sd_jwt_presentation(&presentation, &request("n-1", "bank.example")),
        Err(CredentialError::AudienceMismatch)
    ));
    let late = KeyBindingRequest {
        now: NOW + 3600,
        ..request("n-1", "border.example")
    };
    assert!(matches!(
        nansen_wallet::verify_sd_jwt_presentation(&presentation, &late),
        Err(CredentialError::StaleKeyBinding { .. })
    ));
}

#[test]
fn sd_presentation_signed_by_another_key_is_rejected() {
    let issued = issue_birth();
    let presentation = nansen_wallet::present_sd_jwt(
        &issued.sd_jwt,
        &["givenName"],
        &[0x55; 32],
        "n-1",
        "border.example",
        NOW,
    )
    .unwrap();
    assert!(matches!(
        nansen_wallet::verify_sd_jwt_presentation(&presentation, &request("n-1", "border.example")),
        Err(CredentialError::InvalidKeyBindingSignature)
    ));
}

#[test]
fn sd_presentation_without_key_binding_is_rejected() {
    let issued = issue_birth();
    assert!(matches!(
        nansen_wallet::verify_sd_jwt_presentation(
            &issued.sd_jwt,
            &request("n-1", "border.example")
        ),
        Err(CredentialError::MissingKeyBinding)
    ));
}

#[test]
fn sd_disclosure_added_by_the_holder_is_rejected() {
    let issued = issue_birth();
    let presentation = nansen_wallet::present_sd_jwt(
        &issued.sd_jwt,
        &["givenName"],
        &HOLDER_SEED,
        "n-1",
        "border.example",
        NOW,
    )
    .unwrap();
    // A forged disclosure ["salt", "familyName", "Smith"] spliced in before the KB-JWT.
    use base64::Engine as _;
    let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(br#"["c2FsdHNhbHRzYWx0","familyName","Smith"]"#);
    let (head, kb) = presentation.rsplit_once('~').unwrap();
    let tampered = format!("{head}~{forged}~{kb}");
    assert!(matches!(
        nansen_wallet::verify_sd_jwt_presentation(&tampered, &request("n-1", "border.example")),
        Err(CredentialError::UnknownDisclosure(_))
    ));
}

#[test]
fn sd_presentation_with_tampered_issuer_payload_is_rejected() {
    let issued = issue_birth();
    let presentation = nansen_wallet::present_sd_jwt(
        &issued.sd_jwt,
        &["givenName"],
        &HOLDER_SEED,
        "n-1",
        "border.example",
        NOW,
    )
    .unwrap();
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut parts: Vec<String> = presentation.splitn(2, '~').map(str::to_owned).collect();
    let jwt: Vec<&str> = parts[0].split('.').collect();
    let mut payload: Value = serde_json::from_slice(&engine.decode(jwt[1]).unwrap()).unwrap();
    payload["sub"] = json!(did::did_key_from_seed(&[0x66; 32]));
    parts[0] = format!(
        "{}.{}.{}",
        jwt[0],
        engine.encode(payload.to_string()),
        jwt[2]
    );
    let tampered = parts.join("~");
    assert!(matches!(
        nansen_wallet::verify_sd_jwt_presentation(&tampered, &request("n-1", "border.example")),
        Err(CredentialError::InvalidIssuerSignature)
    ));
}

#[test]
fn every_event_kind_issues_and_verifies() {
    let holder = did::did_key_from_seed(&HOLDER_SEED);
    let cases = [
        (
            EventKind::Death,
            json!({"givenName": "Yusuf", "familyName": "Ali", "deathDate": "2025-06-01",
            "deathPlace": "Gaziantep", "registrationNumber": "TR-GA-1", "registrationDate": "2025-06-03"}),
        ),
        (
            EventKind::Marriage,
            json!({"givenName": "Nour", "familyName": "Saleh", "spouseGivenName": "Karim",
            "spouseFamilyName": "Aziz", "marriageDate": "2025-05-05", "marriagePlace": "Amman",
            "registrationNumber": "JO-AM-7", "registrationDate": "2025-05-06"}),
        ),
        (
            EventKind::Divorce,
            json!({"givenName": "Nour", "familyName": "Saleh", "spouseGivenName": "Karim",
            "spouseFamilyName": "Aziz", "divorceDate": "2025-09-09", "divorcePlace": "Amman",
            "registrationNumber": "JO-AM-8", "registrationDate": "2025-09-10"}),
        ),
        (
            EventKind::Adoption,
            json!({"givenName": "Sami", "familyName": "Nasser", "birthDate": "2019-01-02",
            "adoptionDate": "2025-01-01", "adoptionPlace": "Beirut", "adoptiveParentName": "Layla Nasser",
            "registrationNumber": "LB-BE-3", "registrationDate": "2025-01-02"}),
        ),
        (
            EventKind::NameChange,
            json!({"previousFamilyName": "Hadad", "givenName": "Amal", "familyName": "Haddad",
            "nameChangeDate": "2025-02-02", "registrationNumber": "JO-ZA-9", "registrationDate": "2025-02-03"}),
        ),
        (
            EventKind::IdentityRegistration,
            json!({"givenName": "Amal", "familyName": "Haddad",
            "birthDate": "1990-07-15", "nationality": "SYR", "registrationNumber": "UNHCR-1",
            "registrationDate": "2025-03-03"}),
        ),
        (
            EventKind::RefugeeStatus,
            json!({"givenName": "Amal", "familyName": "Haddad", "birthDate": "1990-07-15",
            "countryOfOrigin": "SYR", "hostCountry": "JOR", "statusGrantedDate": "2025-04-04",
            "registrationNumber": "UNHCR-2", "registrationDate": "2025-04-04"}),
        ),
    ];
    for (kind, claims) in cases {
        let issued = issue(kind, &claims, &holder, &REGISTRAR_SEED, NOW).unwrap();
        let verified = data_integrity::verify_credential(&issued.data_integrity, NOW).unwrap();
        assert_eq!(verified.contents.claims.kind(), kind);
        let p = nansen_wallet::present_sd_jwt(
            &issued.sd_jwt,
            &["givenName"],
            &HOLDER_SEED,
            "n",
            "v",
            NOW,
        )
        .unwrap();
        let d = nansen_wallet::verify_sd_jwt_presentation(&p, &request("n", "v")).unwrap();
        assert_eq!(d.kind, kind);
    }
}
