//! The JSON-LD contexts a civil-status credential uses, bundled in the binary.
//!
//! `eddsa-rdfc-2022` turns a credential into RDF, which needs every `@context` the credential
//! names. A verifier at a border post may be fully offline, so no context is ever fetched:
//! the project's own civil-status context and the W3C contexts it relies on are compiled in,
//! and any other context URL fails with an "unknown context" error.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use ssi_json_ld::ContextLoader;

/// URL of the W3C Verifiable Credentials Data Model 2.0 context.
pub const CREDENTIALS_V2_CONTEXT_URL: &str = "https://www.w3.org/ns/credentials/v2";

/// URL of the project's civil-status context.
pub use nansen_verifier::event::CIVIL_STATUS_CONTEXT_URL;

/// The project's civil-status context document: every claim term of every event kind, the
/// credential types and `salt`.
pub const CIVIL_STATUS_CONTEXT: &str = include_str!("../contexts/civil-status-v1.jsonld");

/// The bundled context documents, as (URL, JSON text).
pub const BUNDLED_CONTEXTS: [(&str, &str); 5] = [
    (
        CREDENTIALS_V2_CONTEXT_URL,
        include_str!("../contexts/credentials-v2.jsonld"),
    ),
    (
        DATA_INTEGRITY_V2_CONTEXT_URL,
        include_str!("../contexts/data-integrity-v2.jsonld"),
    ),
    (
        "https://w3id.org/security/multikey/v1",
        include_str!("../contexts/multikey-v1.jsonld"),
    ),
    (
        "https://www.w3.org/ns/did/v1",
        include_str!("../contexts/did-v1.jsonld"),
    ),
    (CIVIL_STATUS_CONTEXT_URL, CIVIL_STATUS_CONTEXT),
];

/// URL of the W3C Verifiable Credentials Data Model 1.1 context.
pub const CREDENTIALS_V1_CONTEXT_URL: &str = "https://www.w3.org/2018/credentials/v1";

/// URL of the W3C examples context (VCDM 2.0 and the W3C test suites use it).
pub const EXAMPLES_V2_CONTEXT_URL: &str = "https://www.w3.org/ns/credentials/examples/v2";

/// URL of the Data Integrity context, which defines `DataIntegrityProof` for documents whose
/// base context does not (VCDM 1.1).
pub const DATA_INTEGRITY_V2_CONTEXT_URL: &str = "https://w3id.org/security/data-integrity/v2";

/// W3C contexts that only the VC API server (`nansen-vc-api`) accepts besides
/// [`BUNDLED_CONTEXTS`]: the VCDM 1.1 base context and the examples context, which the W3C
/// `vc-di-eddsa` and VCDM 2.0 test suites send. Civil-status verification never loads them.
pub const VC_API_EXTRA_CONTEXTS: [(&str, &str); 2] = [
    (
        CREDENTIALS_V1_CONTEXT_URL,
        include_str!("../contexts/credentials-v1.jsonld"),
    ),
    (
        EXAMPLES_V2_CONTEXT_URL,
        include_str!("../contexts/credentials-examples-v2.jsonld"),
    ),
];

/// A loader serving the bundled contexts and nothing else.
pub fn context_loader() -> &'static ContextLoader {
    static LOADER: OnceLock<ContextLoader> = OnceLock::new();
    LOADER.get_or_init(|| {
        // The bundled documents are fixed at compile time and checked by a unit test, so
        // parsing them cannot fail at run time.
        #[allow(clippy::expect_used)]
        context_loader_with(&[]).expect("bundled JSON-LD contexts parse")
    })
}

/// The VC API server's loader: the bundled contexts plus [`VC_API_EXTRA_CONTEXTS`].
pub fn vc_api_context_loader() -> &'static ContextLoader {
    static LOADER: OnceLock<ContextLoader> = OnceLock::new();
    LOADER.get_or_init(|| {
        // Fixed at compile time and checked by a unit test, like `context_loader`.
        #[allow(clippy::expect_used)]
        context_loader_with(&VC_API_EXTRA_CONTEXTS).expect("bundled JSON-LD contexts parse")
    })
}

/// A loader serving the bundled contexts plus `extra` (URL, JSON text) documents, e.g. the
/// W3C examples context that the published test vectors use.
pub fn context_loader_with(
    extra: &[(&str, &str)],
) -> Result<ContextLoader, ssi_json_ld::FromContextMapError> {
    let map: HashMap<String, String> = BUNDLED_CONTEXTS
        .iter()
        .chain(extra.iter())
        .map(|(url, doc)| ((*url).to_owned(), (*doc).to_owned()))
        .collect();
    ContextLoader::empty().with_context_map_from(map)
}

/// A processed JSON-LD context (the active context after a document's `@context`).
pub type ProcessedContext = ssi_json_ld::Context<ssi_json_ld::IriBuf, ssi_json_ld::BlankIdBuf>;

/// Most processed `@context` values kept; past it the cache starts again empty, so documents
/// that each bring a different inline context cost what they cost without a cache.
const MAX_PROCESSED_CONTEXTS: usize = 64;

type ProcessedCache = HashMap<(usize, String), Arc<ProcessedContext>>;

fn processed_cache() -> &'static Mutex<ProcessedCache> {
    static CACHE: OnceLock<Mutex<ProcessedCache>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The active context that a document's `@context` value (`context`) gives, processed with
/// `loader` against the empty context and no base URL, as JSON-LD expansion does at the top of
/// a document. Every civil-status credential, presentation and proof configuration names the
/// same contexts, so the result is kept per (`loader`, `context`) and processed once per
/// process; a loader is one of the `'static` loaders of this module, whose documents never
/// change. Errors are JSON-LD processing errors, in words.
pub async fn processed_context(
    context: &serde_json::Value,
    loader: &'static ContextLoader,
) -> Result<Arc<ProcessedContext>, String> {
    use ssi_json_ld::syntax::TryFromJson as _;
    use ssi_json_ld::Process as _;
    let key = (
        std::ptr::from_ref(loader) as usize,
        serde_json::to_string(context).map_err(|e| e.to_string())?,
    );
    if let Some(found) = processed_cache()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&key)
    {
        return Ok(Arc::clone(found));
    }
    let json: ssi_json_ld::syntax::Value =
        serde_json::from_value(context.clone()).map_err(|e| e.to_string())?;
    let local =
        ssi_json_ld::syntax::context::Context::try_from_json(json).map_err(|e| e.to_string())?;
    let processed = local
        .process_with(
            &mut (),
            &ProcessedContext::default(),
            loader,
            None,
            ssi_json_ld::context_processing::Options::default(),
        )
        .await
        .map_err(|e| e.to_string())?
        .into_processed();
    let processed = Arc::new(processed);
    let mut cache = processed_cache()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if cache.len() >= MAX_PROCESSED_CONTEXTS {
        cache.clear();
    }
    cache.insert(key, Arc::clone(&processed));
    Ok(processed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::CredentialKind as _;
    use crate::event::EventKind;

    #[test]
    fn bundled_contexts_parse() {
        assert!(context_loader_with(&[]).is_ok());
        assert!(context_loader_with(&VC_API_EXTRA_CONTEXTS).is_ok());
    }

    #[test]
    fn civil_status_context_defines_every_term() {
        let doc: serde_json::Value = serde_json::from_str(CIVIL_STATUS_CONTEXT).unwrap();
        let terms = doc["@context"].as_object().unwrap();
        assert!(terms.contains_key("salt"));
        for kind in EventKind::ALL {
            assert!(terms.contains_key(kind.credential_type()), "{kind}");
            for spec in kind.claim_specs() {
                assert!(terms.contains_key(spec.name), "{kind}: {}", spec.name);
            }
        }
    }
}
