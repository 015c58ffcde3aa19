//! Issues a birth credential with fixed keys, id and salt, presents it both ways, verifies the
//! presentations and prints every artefact (the worked example of `specs/credentials.md`);
//! with `--time N`, also times N rounds of each step.

use std::time::Instant;

use nansen_wallet::{did, issue_with, EventKind, KeyBindingRequest};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let registrar_seed = [0x11u8; 32];
    let holder_seed = [0x22u8; 32];
    let now = 1_764_410_400; // 2025-11-29T10:00:00Z
    let holder = did::did_key_from_seed(&holder_seed);
    let claims = json!({
        "givenName": "Amal", "familyName": "Haddad", "birthDate": "2024-02-29",
        "birthPlace": "Zaatari camp, Mafraq", "sex": "female",
        "registrationNumber": "JO-ZA-2024-000123", "registrationDate": "2024-03-04"
    });
    let id = nansen_wallet::credential::uuid_v4([0xa5; 16]);
    let salt = [0x5a; 16];
    let issued = issue_with(
        EventKind::Birth,
        &claims,
        &holder,
        &registrar_seed,
        now,
        id,
        salt,
    )?;
    println!("issuer  {}", did::did_key_from_seed(&registrar_seed));
    println!("holder  {holder}");
    println!(
        "DI credential:\n{}",
        serde_json::to_string_pretty(&issued.data_integrity)?
    );
    println!("di_digest {}", hex::encode(issued.di_digest));
    println!("SD-JWT issued:\n{}", issued.sd_jwt);
    println!("sd_digest {}", hex::encode(issued.sd_digest));
    let mut unsigned = issued.data_integrity.clone();
    if let Some(m) = unsigned.as_object_mut() {
        m.remove("proof");
    }
    let jcs_signed = nansen_wallet::data_integrity::sign_jcs(&unsigned, &registrar_seed, now)?;
    println!(
        "JCS proof:\n{}",
        serde_json::to_string_pretty(&jcs_signed["proof"])?
    );

    let vp = nansen_wallet::present_data_integrity(
        &issued.data_integrity,
        &holder_seed,
        "8f1c2e",
        "school.example",
        now + 60,
    )?;
    println!(
        "DI presentation proof:\n{}",
        serde_json::to_string_pretty(&vp["proof"])?
    );
    nansen_wallet::verify_data_integrity_presentation(&vp, "8f1c2e", "school.example", now + 90)?;

    let sd = nansen_wallet::present_sd_jwt(
        &issued.sd_jwt,
        &["givenName", "birthDate"],
        &holder_seed,
        "8f1c2e",
        "school.example",
        now + 60,
    )?;
    println!("SD-JWT presentation:\n{sd}");
    let request = KeyBindingRequest {
        nonce: "8f1c2e",
        audience: "school.example",
        now: now + 90,
        max_age_secs: 300,
    };
    let disclosed = nansen_wallet::verify_sd_jwt_presentation(&sd, &request)?;
    println!("disclosed: {:?}", disclosed.claims);

    let rounds: u32 = match std::env::args().skip_while(|a| a != "--time").nth(1) {
        Some(n) => n.parse()?,
        None => return Ok(()),
    };
    let t = Instant::now();
    for _ in 0..rounds {
        nansen_wallet::issue(EventKind::Birth, &claims, &holder, &registrar_seed, now)?;
    }
    println!("issue (both forms): {:?} each", t.elapsed() / rounds);
    let t = Instant::now();
    for _ in 0..rounds {
        nansen_wallet::data_integrity::verify_credential(&issued.data_integrity, now)?;
    }
    println!(
        "verify DI credential (rdfc): {:?} each",
        t.elapsed() / rounds
    );
    let t = Instant::now();
    for _ in 0..rounds {
        nansen_wallet::verify_data_integrity_presentation(
            &vp,
            "8f1c2e",
            "school.example",
            now + 90,
        )?;
    }
    println!("verify DI presentation: {:?} each", t.elapsed() / rounds);
    let t = Instant::now();
    for _ in 0..rounds {
        nansen_wallet::present_sd_jwt(
            &issued.sd_jwt,
            &["givenName", "birthDate"],
            &holder_seed,
            "8f1c2e",
            "school.example",
            now + 60,
        )?;
    }
    println!("build SD presentation: {:?} each", t.elapsed() / rounds);
    let t = Instant::now();
    for _ in 0..rounds {
        nansen_wallet::verify_sd_jwt_presentation(&sd, &request)?;
    }
    println!("verify SD presentation: {:?} each", t.elapsed() / rounds);
    Ok(())
}
