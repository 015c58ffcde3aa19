//! The browser verifier served by the node at `/verify/` on the API's address
//! (`specs/api.md`, `specs/credentials.md` section 15): the same files `nansen verifier-page`
//! writes, and a `trust.js` made for this node's network: its genesis, its own witness key,
//! the default freshness policy and, when the ledger is small enough
//! ([`MAX_SERVED_EXPORT_BYTES`]), its export, so that the page loaded here verifies with no
//! further request. The trust file is made once and kept ([`TrustCache`]) until the export
//! would hold something else: genesis, witness key and policy are fixed for the node's life,
//! and the export is fixed by its plan (each chain's size and the evidence entries: chains
//! only grow), which each request reads (the chain heads, no entry) to compare.

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use http_body_util::{BodyExt as _, Limited};
use nansen_verifier::trust::TrustFile;
use nansen_verifier_page as page;

use crate::api::{ApiError, ApiState};
use crate::export::Plan;

/// The largest ledger export put in the served trust file (bytes before base64); a larger
/// ledger is left out and the page's verdicts are at best signature only, unless the officer
/// loads a trust file with an export.
pub const MAX_SERVED_EXPORT_BYTES: usize = 16 * 1024 * 1024;

/// The routes: `/verify` (redirects to `/verify/`), `/verify/` and `/verify/{file}`.
pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/verify", get(|| async { Redirect::permanent("/verify/") }))
        .route("/verify/", get(index))
        .route("/verify/{file}", get(file))
}

#[utoipa::path(get, path = "/verify/", tag = "verifier",
    responses((status = 200, description = "The browser verifier's page (specs/credentials.md section 15)", content_type = "text/html; charset=utf-8", body = String)))]
pub(crate) async fn index() -> Response {
    file_response("index.html")
}

fn typed(content_type: &'static str, bytes: impl Into<Body>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        bytes.into(),
    )
        .into_response()
}

fn file_response(name: &str) -> Response {
    match name {
        "index.html" => typed("text/html; charset=utf-8", page::INDEX_HTML),
        "page.js" => typed("text/javascript; charset=utf-8", page::PAGE_JS),
        "style.css" => typed("text/css; charset=utf-8", page::STYLE_CSS),
        "labels.js" => typed("text/javascript; charset=utf-8", page::LABELS_JS),
        "verifier-wasm.js" => typed("text/javascript; charset=utf-8", page::wasm_script()),
        _ => ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such file of the verifier page",
        )
        .into_response(),
    }
}

#[utoipa::path(get, path = "/verify/{file}", tag = "verifier",
    params(("file" = String, Path, description = "`page.js`, `style.css`, `labels.js`, `verifier-wasm.js`, `index.html`, or `trust.js` (made for this node, again when its ledger changed)")),
    responses(
        (status = 200, description = "A file of the browser verifier", content_type = "text/javascript; charset=utf-8", body = String),
        (status = 404, description = "`not_found`", body = nansen_wire::api::ErrorBody)))]
pub(crate) async fn file(State(state): State<ApiState>, Path(name): Path<String>) -> Response {
    if name != "trust.js" {
        return file_response(&name);
    }
    match state.verifier_trust().script(&state).await {
        Ok(script) => typed("text/javascript; charset=utf-8", script),
        Err(e) => e.into_response(),
    }
}

/// What the served trust file's export holds: each chain's size (in export order) and the
/// evidence entries. Equal plans give equal exports.
type PlanKey = (Vec<(ledger::types::Author, u64)>, Vec<Vec<u8>>);

fn plan_key(plan: &Plan) -> PlanKey {
    (plan.chains.clone(), plan.evidence.clone())
}

/// The served `trust.js`, made at the first request and again only when the ledger's export
/// would differ (an entry added to a chain, new evidence): two requests with no change between
/// them get the same bytes, `ledger_written` included (the time that export was made).
#[derive(Default)]
pub struct TrustCache {
    made: tokio::sync::Mutex<Option<(PlanKey, Bytes)>>,
}

impl TrustCache {
    /// The `trust.js` of this node's ledger as it is now: the one kept when the export's plan
    /// is unchanged, else made anew (one request makes it; others wait for it).
    pub async fn script(&self, state: &ApiState) -> Result<Bytes, ApiError> {
        let plan = crate::export::plan(state.replica(), None).await?;
        let key = plan_key(&plan);
        let mut made = self.made.lock().await;
        if let Some((kept, script)) = made.as_ref() {
            if *kept == key {
                return Ok(script.clone());
            }
        }
        let script = Bytes::from(page::trust_script(&trust(state, plan).await?));
        *made = Some((key, script.clone()));
        Ok(script)
    }
}

/// This node's trust file: genesis, witness key, default policy, and the export of `plan`
/// when it fits.
async fn trust(state: &ApiState, plan: Plan) -> Result<TrustFile, ApiError> {
    let replica = state.replica();
    let genesis = replica
        .with(|s| s.genesis().to_bytes())
        .await?
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    let export = Limited::new(
        crate::export::body(replica.clone(), plan),
        MAX_SERVED_EXPORT_BYTES,
    )
    .collect()
    .await
    .ok()
    .map(|collected| collected.to_bytes());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    Ok(TrustFile::unchecked(
        &genesis,
        replica.network().to_hex(),
        vec![state.witness().verifier().to_string()],
        None,
        export.as_deref().map(|bytes| (bytes, now)),
    ))
}
