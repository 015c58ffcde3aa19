//! The browser verifier served by the node at `/verify/` on the API's address
//! (`specs/api.md`, `specs/credentials.md` section 15): the same files `nansen verifier-page`
//! writes, and a `trust.js` made for this node's network at each request: its genesis, its
//! own witness key, the default freshness policy and, when the ledger is small enough
//! ([`MAX_SERVED_EXPORT_BYTES`]), its export, so that the page loaded here verifies with no
//! further request.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use http_body_util::{BodyExt as _, Limited};
use nansen_verifier::trust::TrustFile;
use nansen_verifier_page as page;

use crate::api::{ApiError, ApiState};

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
    params(("file" = String, Path, description = "`page.js`, `style.css`, `labels.js`, `verifier-wasm.js`, `index.html`, or `trust.js` (made for this node at each request)")),
    responses(
        (status = 200, description = "A file of the browser verifier", content_type = "text/javascript; charset=utf-8", body = String),
        (status = 404, description = "`not_found`", body = nansen_wire::api::ErrorBody)))]
pub(crate) async fn file(State(state): State<ApiState>, Path(name): Path<String>) -> Response {
    if name != "trust.js" {
        return file_response(&name);
    }
    match trust(&state).await {
        Ok(trust) => typed("text/javascript; charset=utf-8", page::trust_script(&trust)),
        Err(e) => e.into_response(),
    }
}

/// This node's trust file: genesis, witness key, default policy, and the export when it fits.
async fn trust(state: &ApiState) -> Result<TrustFile, ApiError> {
    let replica = state.replica();
    let genesis = replica
        .with(|s| s.genesis().to_bytes())
        .await?
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    let plan = crate::export::plan(replica, None).await?;
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
