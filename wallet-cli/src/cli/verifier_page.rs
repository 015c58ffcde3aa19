//! `nansen verifier-page`: the browser verifier as a folder that works from a disk, with no
//! server and no network (`specs/credentials.md` section 15): the page, the WebAssembly
//! module, the claim labels of the message catalogue and the verifier's trust file.

use super::output_file::{check_free, write_private};
use super::*;
use nansen_verifier::trust::TrustFile;

/// What `verifier-page` writes.
pub(super) struct VerifierPageArgs {
    pub out: PathBuf,
    pub genesis: Option<PathBuf>,
    pub witnesses: Vec<String>,
    pub ledger: Option<PathBuf>,
    pub max_evidence_age: i64,
    pub existing: Existing,
}

/// Writes the folder; returns the exit code.
pub(super) fn verifier_page(args: VerifierPageArgs) -> Result<i32, CliError> {
    let trust = match &args.genesis {
        None => None,
        Some(genesis) => {
            let genesis_bytes = read(genesis)?;
            let ledger = match &args.ledger {
                Some(l) => Some((read(l)?, now())),
                None => None,
            };
            let trust = TrustFile::new(
                &genesis_bytes,
                args.witnesses.clone(),
                Some(args.max_evidence_age),
                ledger.as_ref().map(|(b, at)| (b.as_slice(), *at)),
            )
            .map_err(|e| CliError::usage("usage-trust", &[e.name(), &e.to_string()]))?;
            Some(trust)
        }
    };
    let files = nansen_verifier_page::folder(trust.as_ref());
    std::fs::create_dir_all(&args.out).map_err(|e| CliError::Io(args.out.clone(), e))?;
    let paths: Vec<PathBuf> = files.iter().map(|(n, _)| args.out.join(n)).collect();
    check_free(&paths, args.existing)?;
    for ((_, bytes), path) in files.iter().zip(&paths) {
        write_private(path, bytes, args.existing)?;
    }
    println!("{}", args.out.join("index.html").display());
    match &trust {
        Some(t) => eprintln!(
            "verifier page for network {} ({} witness key(s){})",
            t.network_id,
            t.witnesses.len(),
            if t.ledger.is_some() {
                ", with the ledger export"
            } else {
                ""
            }
        ),
        None => eprintln!("verifier page without a trust file: its verdicts are signature only"),
    }
    Ok(0)
}
