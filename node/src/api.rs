//! The node's HTTP API (axum), documented in `specs/api.md`.
//!
//! JSON unless stated; errors are `{"code": ..., "message": ...}` with a
//! stable snake_case code; bad input gets a 4xx, never a 5xx. Request
//! bodies are bounded ([`MAX_BODY_BYTES`]). The API binds to loopback by
//! default: it has no authentication, and submission only ever accepts
//! entries the ledger validates, so what it protects is the node's
//! resources, not the ledger's integrity.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{ConnectInfo, DefaultBodyLimit, MatchedPath, Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ledger::credential::CredentialState;
use ledger::store::{CredentialStatus, IngestResult, Outcome, StoreError, WitnessError};
use ledger::types::{Author, CredentialId};
use ledger::validate::HoldReason;
use libp2p::PeerId;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::net::SocketAddr;

/// Splits a whole CBOR sequence (a request body, a small export) into its
/// items, exactly as given: at most [`MAX_ENTRIES_PER_POST`] items, each no
/// longer than the sequence itself.
pub fn split_cbor_sequence(bytes: &[u8]) -> Result<Vec<Vec<u8>>, crate::cbor_seq::SeqError> {
    crate::cbor_seq::split(bytes, MAX_ENTRIES_PER_POST, bytes.len())
}
use crate::metrics::StoreFigures;
use crate::replica::{Origin, Replica, ReplicaError};
use crate::sync::driver::SyncDriver;
use crate::witness::Witness;

/// Largest request body, in bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Most entries accepted in one `POST /v1/entries`.
pub const MAX_ENTRIES_PER_POST: usize = 50_000;

/// What the handlers share.
#[derive(Clone)]
pub struct ApiState {
    replica: Replica,
    driver: SyncDriver,
    witness: Arc<Witness>,
}

impl ApiState {
    /// State over the node's replica, sync driver and witness.
    pub fn new(replica: Replica, driver: SyncDriver, witness: Witness) -> Self {
        ApiState {
            replica,
            driver,
            witness: Arc::new(witness),
        }
    }

    /// The node's replica (for the verifier page's trust file).
    pub(crate) fn replica(&self) -> &Replica {
        &self.replica
    }

    /// The node's witness (for the verifier page's trust file).
    pub(crate) fn witness(&self) -> &Witness {
        &self.witness
    }
}

/// An API error: HTTP status, stable code, human message.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    details: Option<Value>,
}

impl ApiError {
    /// An error answer with `status`, the stable `code` and a message.
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            details: None,
        }
    }

    fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }
}

impl From<ReplicaError> for ApiError {
    fn from(e: ReplicaError) -> Self {
        match e {
            ReplicaError::Store(e) => e.into(),
            ReplicaError::Witness(e) => e.into(),
            other => {
                tracing::error!(error = %other, "API request failed");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    other.to_string(),
                )
            }
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::OutOfRange(m) => ApiError::bad_request("out_of_range", m),
            StoreError::Merkle(m) => ApiError::bad_request("out_of_range", m),
            StoreError::InvalidProof(p) => ApiError::bad_request("invalid_proof", p.to_string()),
            other => {
                tracing::error!(error = %other, "store failed");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    other.to_string(),
                )
            }
        }
    }
}

impl From<WitnessError> for ApiError {
    fn from(e: WitnessError) -> Self {
        match e {
            WitnessError::Store(e) => e.into(),
            WitnessError::Inconsistent { .. } => {
                ApiError::new(StatusCode::CONFLICT, "inconsistent_chain", e.to_string())
            }
            other => ApiError::new(StatusCode::CONFLICT, "checkpoint", other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({ "code": self.code, "message": self.message });
        if let (Some(details), Some(map)) = (self.details, body.as_object_mut()) {
            map.insert("results".into(), details);
        }
        (self.status, Json(body)).into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// The API's routes over `state`.
pub fn router(state: ApiState) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/info", get(info))
        .route("/v1/status", get(status))
        .route("/v1/chains", get(chains))
        .route("/v1/chains/{author}/entries/{seq}", get(entry))
        .route("/v1/chains/{author}/checkpoint", get(checkpoint))
        .route("/v1/chains/{author}/proof/inclusion", get(inclusion))
        .route("/v1/chains/{author}/proof/consistency", get(consistency))
        .route("/v1/credentials/{id}/status", get(credential_status))
        .route("/v1/entries", post(submit))
        .route("/v1/equivocations", get(equivocations))
        .route("/v1/export", get(export))
        .route("/metrics", get(metrics))
        .merge(crate::verifier_page::routes())
        .merge(
            Router::new()
                .route("/v1/peers", get(peers))
                .route("/v1/peers/{peer_id}/ban", post(ban_peer).delete(unban_peer))
                .route_layer(middleware::from_fn(loopback_only)),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(crate::http::bounded_body))
        .layer(middleware::from_fn(crate::http::same_origin))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

async fn observe(State(state): State<ApiState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let started = Instant::now();
    let response = next.run(request).await;
    state
        .replica
        .metrics()
        .observe_request(&route, started.elapsed());
    response
}

/// Lets through only requests from a loopback address (operator actions:
/// the API has no authentication). The server must be run with connection
/// info (`crate::http::serve` records it); without it every request is
/// refused.
async fn loopback_only(request: Request, next: Next) -> Response {
    let loopback = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|ConnectInfo(addr)| addr.ip().is_loopback());
    if loopback {
        next.run(request).await
    } else {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "not_loopback",
            "peer management is only served to loopback clients",
        )
        .into_response()
    }
}

async fn not_found() -> ApiError {
    ApiError::not_found("not_found", "no such endpoint")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "method not allowed here",
    )
}

fn bad_path(e: PathRejection) -> ApiError {
    ApiError::bad_request("bad_path", e.body_text())
}

fn parse_author(text: &str) -> ApiResult<Author> {
    Author::parse(text).map_err(|e| ApiError::bad_request("bad_author", e.to_string()))
}

fn parse_u64(text: &str, what: &str) -> ApiResult<u64> {
    text.parse::<u64>().map_err(|_| {
        ApiError::bad_request(
            "bad_number",
            format!("{what} must be a non-negative integer"),
        )
    })
}

fn query_u64(query: &HashMap<String, String>, name: &str) -> ApiResult<Option<u64>> {
    query.get(name).map(|v| parse_u64(v, name)).transpose()
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

async fn info(State(state): State<ApiState>) -> ApiResult<Json<Value>> {
    let net = state.driver.network();
    let listen: Vec<String> = net
        .listen_addrs()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.to_string())
        .collect();
    let genesis = state.replica.with(|s| s.genesis().clone()).await?;
    Ok(Json(json!({
        "peer_id": net.local_peer_id().to_string(),
        "network_id": state.replica.network().to_hex(),
        "listen": listen,
        "witness_key": state.witness.verifier().to_string(),
        "checkpoint_key": state.witness.note_key().verifier().to_string(),
        "genesis": {
            "name": genesis.name,
            "created_ms": genesis.created_ms,
            "governance_keys": genesis.governance_keys.iter().map(|k| k.to_hex()).collect::<Vec<_>>(),
            "threshold": genesis.threshold,
            "limits": {
                "max_entry_bytes": genesis.limits.max_entry_bytes,
                "max_held_entries": genesis.limits.max_held_entries,
            },
        },
    })))
}

async fn store_figures(replica: &Replica) -> ApiResult<StoreFigures> {
    let figures = replica
        .with(|s| -> Result<StoreFigures, StoreError> {
            Ok(StoreFigures {
                chain_sizes: s
                    .heads()
                    .into_iter()
                    .map(|(a, h)| (a.as_str().to_owned(), h.size))
                    .collect(),
                held: s.held_count() as u64,
                equivocation_proofs: s.equivocation_proofs()?.len() as u64,
            })
        })
        .await??;
    Ok(figures)
}

async fn status(State(state): State<ApiState>) -> ApiResult<Json<Value>> {
    let figures = store_figures(&state.replica).await?;
    let peers: Vec<String> = state
        .driver
        .connected_peers()
        .into_iter()
        .map(|p| p.to_string())
        .collect();
    let lag = state.replica.metrics().sync_lag(&figures.chain_sizes);
    Ok(Json(json!({
        "peer_id": state.driver.network().local_peer_id().to_string(),
        "network_id": state.replica.network().to_hex(),
        "peers": peers,
        "chains": figures.chain_sizes.iter().map(|(a, s)| json!({"author": a, "size": s})).collect::<Vec<_>>(),
        "held": figures.held,
        "equivocation_proofs": figures.equivocation_proofs,
        "sync_lag": lag,
    })))
}

#[derive(Serialize)]
struct ChainView {
    author: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keys: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    threshold: Option<u8>,
    size: u64,
    head: Option<String>,
    frozen_at: Option<u64>,
    checkpoint: Option<Value>,
}

async fn chains(State(state): State<ApiState>) -> ApiResult<Json<Vec<ChainView>>> {
    let views = state
        .replica
        .with(|s| -> Result<Vec<ChainView>, WitnessError> {
            let st = s.state();
            let mut out = Vec::new();
            for (author, head) in s.heads() {
                let checkpoint = s.best_checkpoint(&author)?.map(|c| {
                    json!({
                        "size": c.checkpoint().size,
                        "root": STANDARD.encode(c.checkpoint().root),
                        "cosignatures": c.signatures().len(),
                    })
                });
                let view = match &author {
                    Author::Governance => ChainView {
                        author: author.as_str().to_owned(),
                        kind: "governance",
                        display_name: None,
                        key: None,
                        keys: Some(st.governance.keys.iter().map(|k| k.to_hex()).collect()),
                        threshold: Some(st.governance.threshold),
                        size: head.size,
                        head: head.head.map(|h| h.to_hex()),
                        frozen_at: st.governance.frozen_at,
                        checkpoint,
                    },
                    Author::Registrar(id) => {
                        let reg = st.registrars.get(id);
                        ChainView {
                            author: author.as_str().to_owned(),
                            kind: "registrar",
                            display_name: reg.map(|r| r.display_name.clone()),
                            key: reg
                                .and_then(|r| r.key_for(head.size, st.governance.chain.size))
                                .map(|p| p.key.to_hex()),
                            keys: None,
                            threshold: None,
                            size: head.size,
                            head: head.head.map(|h| h.to_hex()),
                            frozen_at: reg
                                .and_then(|r| r.void_from(head.size, u64::MAX))
                                .map(|c| c.from_seq()),
                            checkpoint,
                        }
                    }
                };
                out.push(view);
            }
            Ok(out)
        })
        .await??;
    Ok(Json(views))
}

async fn entry(
    State(state): State<ApiState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> ApiResult<Response> {
    let Path((author, seq)) = path.map_err(bad_path)?;
    let author = parse_author(&author)?;
    let seq = parse_u64(&seq, "seq")?;
    let bytes = state
        .replica
        .with(move |s| s.entry(&author, seq))
        .await??
        .ok_or_else(|| ApiError::not_found("unknown_entry", "no entry at that position"))?;
    Ok(([(header::CONTENT_TYPE, "application/cbor")], bytes).into_response())
}

async fn known_chain(replica: &Replica, author: &Author) -> ApiResult<u64> {
    let who = author.clone();
    let found = replica
        .with(move |s| {
            s.heads()
                .into_iter()
                .find(|(a, _)| *a == who)
                .map(|(_, h)| h.size)
        })
        .await?;
    found.ok_or_else(|| ApiError::not_found("unknown_chain", format!("no chain by {author}")))
}

async fn checkpoint(
    State(state): State<ApiState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<Response> {
    let Path(author) = path.map_err(bad_path)?;
    let author = parse_author(&author)?;
    let witness = Arc::clone(&state.witness);
    let who = author.clone();
    // Read only: the note was cosigned and signed when the batch that grew
    // the chain was written (`crate::replica`).
    let served = state
        .replica
        .with(move |s| -> Result<Option<Served>, WitnessError> {
            if !s.heads().iter().any(|(a, _)| *a == author) {
                return Ok(None);
            }
            let size = s.state().chain(&author).size;
            if size == 0 {
                return Ok(Some(Served::Empty));
            }
            Ok(Some(
                match crate::replica::own_note(s, &witness, &author)? {
                    Some(note) => Served::Note(note.to_bytes()),
                    None => Served::NotWitnessed,
                },
            ))
        })
        .await??;
    match served {
        None => Err(ApiError::not_found(
            "unknown_chain",
            format!("no chain by {who}"),
        )),
        Some(Served::Empty) => Err(ApiError::not_found(
            "empty_chain",
            "the chain has no entry yet",
        )),
        Some(Served::NotWitnessed) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_witnessed",
            "this node has not cosigned the chain (see its log)",
        )),
        Some(Served::Note(bytes)) => {
            Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], bytes).into_response())
        }
    }
}

/// What `GET .../checkpoint` found.
enum Served {
    Empty,
    NotWitnessed,
    Note(Vec<u8>),
}

fn b64_hashes(hashes: &[ledger::types::Hash32]) -> Vec<String> {
    hashes.iter().map(|h| STANDARD.encode(h.0)).collect()
}

/// The chain, query and current chain size of a proof request.
async fn proof_request(
    state: &ApiState,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> ApiResult<(Author, HashMap<String, String>, u64)> {
    let Path(author) = path.map_err(bad_path)?;
    let Query(query) = query.map_err(|e| ApiError::bad_request("bad_query", e.body_text()))?;
    let author = parse_author(&author)?;
    let current = known_chain(&state.replica, &author).await?;
    Ok((author, query, current))
}

/// A query parameter that must be there, as a number.
fn required_u64(query: &HashMap<String, String>, name: &str) -> ApiResult<u64> {
    query_u64(query, name)?
        .ok_or_else(|| ApiError::bad_request("missing_parameter", format!("{name} is required")))
}

async fn inclusion(
    State(state): State<ApiState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let (author, query, current) = proof_request(&state, path, query).await?;
    let seq = required_u64(&query, "seq")?;
    let size = query_u64(&query, "size")?.unwrap_or(current);
    if seq >= size || size > current {
        return Err(ApiError::bad_request(
            "out_of_range",
            format!("need seq < size <= {current}"),
        ));
    }
    let hashes = state
        .replica
        .with(move |s| s.inclusion_proof(&author, seq, size))
        .await??;
    Ok(Json(json!({
        "leaf_index": seq,
        "tree_size": size,
        "hashes": b64_hashes(&hashes),
    })))
}

async fn consistency(
    State(state): State<ApiState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let (author, query, current) = proof_request(&state, path, query).await?;
    let old = required_u64(&query, "old")?;
    let new = query_u64(&query, "new")?.unwrap_or(current);
    if old == 0 || old > new || new > current {
        return Err(ApiError::bad_request(
            "out_of_range",
            format!("need 0 < old <= new <= {current}"),
        ));
    }
    let hashes = state
        .replica
        .with(move |s| s.consistency_proof(&author, old, new))
        .await??;
    Ok(Json(json!({
        "old_size": old,
        "new_size": new,
        "hashes": b64_hashes(&hashes),
    })))
}

async fn credential_status(
    State(state): State<ApiState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<Value>> {
    let Path(id) = path.map_err(bad_path)?;
    let id = CredentialId::from_hex(&id).ok_or_else(|| {
        ApiError::bad_request("bad_credential_id", "a credential id is 32 hex digits")
    })?;
    let answer = state
        .replica
        .with(move |s| -> Result<Value, WitnessError> {
            match s.credential_status(&id)? {
                CredentialStatus::Unknown => Ok(json!({ "credential_id": id.to_hex(), "status": "unknown" })),
                CredentialStatus::Ambiguous { records } => Ok(json!({
                    "credential_id": id.to_hex(),
                    "status": "ambiguous",
                    "records": records.iter().map(|r| json!({"registrar": r.registrar.as_str(), "seq": r.seq})).collect::<Vec<_>>(),
                })),
                CredentialStatus::Disputed { records } => Ok(json!({
                    "credential_id": id.to_hex(),
                    "status": "disputed",
                    "records": records.iter().map(|r| json!({"registrar": r.registrar.as_str(), "seq": r.seq})).collect::<Vec<_>>(),
                })),
                CredentialStatus::Attested {
                    record,
                    attestation,
                    decided_by,
                } => {
                    let author = Author::Registrar(record.registrar.clone());
                    let mut value = json!({
                        "credential_id": id.to_hex(),
                        "registrar": record.registrar.as_str(),
                        "seq": record.seq,
                        "attestation": STANDARD.encode(&attestation),
                        "decided_by": decided_by.map(|d| STANDARD.encode(d)),
                        "replaces": record.replaces.map(|r| r.to_hex()),
                    });
                    let (status, extra) = match &record.state {
                        CredentialState::Active => ("active", json!(null)),
                        CredentialState::Revoked { seq, reason } => {
                            ("revoked", json!({"seq": seq, "reason": reason.name()}))
                        }
                        CredentialState::Superseded { seq, by } => {
                            ("superseded", json!({"seq": seq, "by": by.to_hex()}))
                        }
                        CredentialState::Disputed { fork_seq } => {
                            ("disputed", json!({"fork_seq": fork_seq}))
                        }
                    };
                    if let Some(map) = value.as_object_mut() {
                        map.insert("status".into(), json!(status));
                        map.insert("decision".into(), extra);
                    }
                    // Against the checkpoint cosigned when the chain last
                    // grew (read only; absent if it was not cosigned).
                    if let Some(proof) = s.portable_proof(&author, record.seq)? {
                        if let Some(map) = value.as_object_mut() {
                            map.insert(
                                "portable_proof".into(),
                                json!({
                                    "entry": STANDARD.encode(&proof.entry),
                                    "tree_size": proof.tree_size,
                                    "inclusion": b64_hashes(&proof.inclusion),
                                    "checkpoint": proof.checkpoint,
                                }),
                            );
                        }
                    }
                    Ok(value)
                }
            }
        })
        .await??;
    Ok(Json(answer))
}

async fn submit(
    State(state): State<ApiState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let body = body.map_err(|e| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("{e} (limit {MAX_BODY_BYTES} bytes)"),
        )
    })?;
    if let Some(kind) = headers.get(header::CONTENT_TYPE) {
        let kind = kind.to_str().unwrap_or("");
        if !kind.starts_with("application/cbor") && !kind.starts_with("application/octet-stream") {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send application/cbor (one entry) or application/cbor-seq",
            ));
        }
    }
    if body.is_empty() {
        return Err(ApiError::bad_request("empty_body", "no entry in the body"));
    }
    let entries = split_cbor_sequence(&body)
        .map_err(|e| ApiError::bad_request("malformed", e.to_string()))?;
    let results = state.replica.ingest(entries, Origin::Local).await?;
    let views: Vec<EntryResultView> = results
        .iter()
        .enumerate()
        .map(|(index, result)| EntryResultView::new(index, result))
        .collect();
    let accepted = views.iter().filter(|v| v.outcome == "accepted").count();
    let first_rejection = results.iter().find_map(|r| match &r.outcome {
        Outcome::Rejected(r) => Some((r.code(), r.to_string())),
        _ => None,
    });
    let all_rejected = results
        .iter()
        .all(|r| matches!(r.outcome, Outcome::Rejected(_)));
    if let (true, Some((code, message))) = (all_rejected, first_rejection) {
        let mut error = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message);
        error.details = serde_json::to_value(&views).ok();
        return Err(error);
    }
    Ok(Json(SubmitAnswer {
        accepted,
        results: views,
    })
    .into_response())
}

/// The answer to `POST /v1/entries` (2xx); a 422 carries the same
/// `results` in its error object.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubmitAnswer {
    /// Entries accepted into their chains.
    pub accepted: usize,
    /// One result per submitted entry, in order.
    pub results: Vec<EntryResultView>,
}

/// What happened to one submitted entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryResultView {
    /// Its position in the submission.
    pub index: usize,
    /// `accepted`, `duplicate`, `held`, `equivocation`, `disputed` or
    /// `rejected`.
    pub outcome: String,
    /// Its chain, when it could be decoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Its sequence number, when it could be decoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// The hash of its body (hex), when it could be decoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// For `held`: `sequence_gap`, `governance_pending` or `other_history`;
    /// for `rejected`: the ledger's rejection code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// For `held` and `rejected`: what for, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl EntryResultView {
    fn new(index: usize, result: &IngestResult) -> Self {
        let (outcome, code, message) = match &result.outcome {
            Outcome::Accepted => ("accepted", None, None),
            Outcome::Duplicate => ("duplicate", None, None),
            Outcome::Held(HoldReason::Gap { expected }) => (
                "held",
                Some("sequence_gap"),
                Some(format!("waiting for entry {expected} of the chain")),
            ),
            Outcome::Held(HoldReason::Governance { needed }) => (
                "held",
                Some("governance_pending"),
                Some(format!("waiting for {needed} governance entries")),
            ),
            Outcome::Held(HoldReason::OtherHistory) => (
                "held",
                Some("other_history"),
                Some("not linked to the chain held here: waiting for a fork's proof".to_owned()),
            ),
            Outcome::Equivocation => ("equivocation", None, None),
            Outcome::Disputed => ("disputed", None, None),
            Outcome::Void(cause) => ("void", Some(cause.code()), Some(cause.to_string())),
            Outcome::Rejected(r) => ("rejected", Some(r.code()), Some(r.to_string())),
        };
        let (author, seq, hash) = match &result.entry {
            Some((author, seq, hash)) => (
                Some(author.as_str().to_owned()),
                Some(*seq),
                Some(hash.to_hex()),
            ),
            None => (None, None, None),
        };
        EntryResultView {
            index,
            outcome: outcome.to_owned(),
            author,
            seq,
            hash,
            code: code.map(str::to_owned),
            message,
        }
    }
}

fn parse_peer(state: &ApiState, text: &str) -> ApiResult<PeerId> {
    let peer: PeerId = text
        .parse()
        .map_err(|_| ApiError::bad_request("bad_peer_id", "not a libp2p peer id"))?;
    if peer == state.driver.network().local_peer_id() {
        return Err(ApiError::bad_request(
            "own_peer_id",
            "that is this node's own peer id",
        ));
    }
    Ok(peer)
}

fn network_failed(e: crate::network::NetworkError) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "network_stopped",
        e.to_string(),
    )
}

async fn peers(State(state): State<ApiState>) -> ApiResult<Json<Value>> {
    let net = state.driver.network();
    let mut connected: Vec<String> = state
        .driver
        .connected_peers()
        .into_iter()
        .map(|p| p.to_string())
        .collect();
    connected.sort();
    let mut banned: Vec<Value> = net
        .banned_peers()
        .await
        .map_err(network_failed)?
        .into_iter()
        .map(|(peer, left)| {
            json!({
                "peer_id": peer.to_string(),
                "until_lifted": left.is_none(),
                "expires_in_secs": left.map(|d| d.as_secs()),
            })
        })
        .collect();
    banned.sort_by(|a, b| a["peer_id"].as_str().cmp(&b["peer_id"].as_str()));
    Ok(Json(json!({ "connected": connected, "banned": banned })))
}

async fn ban_peer(
    State(state): State<ApiState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<Value>> {
    let Path(text) = path.map_err(bad_path)?;
    let peer = parse_peer(&state, &text)?;
    let newly = state
        .driver
        .network()
        .ban_peer(peer)
        .await
        .map_err(network_failed)?;
    tracing::info!(%peer, "peer banned by the operator");
    Ok(Json(
        json!({ "peer_id": peer.to_string(), "banned": true, "was_banned": !newly }),
    ))
}

async fn unban_peer(
    State(state): State<ApiState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<Value>> {
    let Path(text) = path.map_err(bad_path)?;
    let peer = parse_peer(&state, &text)?;
    let was = state
        .driver
        .network()
        .unban_peer(peer)
        .await
        .map_err(network_failed)?;
    tracing::info!(%peer, was_banned = was, "ban lifted by the operator");
    Ok(Json(
        json!({ "peer_id": peer.to_string(), "banned": false, "was_banned": was }),
    ))
}

async fn equivocations(State(state): State<ApiState>) -> ApiResult<Json<Value>> {
    let proofs = state.replica.with(|s| s.equivocation_proofs()).await??;
    let views: Vec<Value> = proofs
        .iter()
        .map(|p| {
            let position = p
                .entries()
                .ok()
                .map(|(a, _)| (a.body().author.as_str().to_owned(), a.body().seq));
            json!({
                "author": position.as_ref().map(|(a, _)| a.clone()),
                "seq": position.map(|(_, s)| s),
                "first": STANDARD.encode(&p.first),
                "second": STANDARD.encode(&p.second),
            })
        })
        .collect();
    Ok(Json(Value::Array(views)))
}

async fn export(
    State(state): State<ApiState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(query) = query.map_err(|e| ApiError::bad_request("bad_query", e.body_text()))?;
    // `?authors=governance,camp-1`: only those chains (what a verifier needs for one
    // credential), instead of the whole ledger.
    let authors = match query.get("authors") {
        None => None,
        Some(list) => Some(
            list.split(',')
                .map(|a| parse_author(a.trim()))
                .collect::<Result<Vec<Author>, ApiError>>()?,
        ),
    };
    let plan = crate::export::plan(&state.replica, authors).await?;
    let total = plan.total();
    Ok((
        [
            (header::CONTENT_TYPE, "application/cbor-seq".to_owned()),
            (
                header::HeaderName::from_static(crate::export::ENTRIES_HEADER),
                total.to_string(),
            ),
        ],
        crate::export::body(state.replica.clone(), plan),
    )
        .into_response())
}

async fn metrics(State(state): State<ApiState>) -> ApiResult<Response> {
    let figures = store_figures(&state.replica).await?;
    let text = state.replica.metrics().render(&figures);
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response())
}
