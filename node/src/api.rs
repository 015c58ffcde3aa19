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
use ledger::store::{CredentialStatus, IngestResult, Outcome, StoreError, WitnessError};
use ledger::types::{Author, CredentialId};
use ledger::validate::HoldReason;
use libp2p::PeerId;
use nansen_wire::api::{
    BanAnswer, BannedPeer, ChainSize, ChainView, CheckpointSummary, ConsistencyProof,
    CredentialStatusAnswer, Decision, EntryResult, EquivocationView, ErrorBody, GenesisInfo,
    GenesisLimits, Health, InclusionProof, Info, NodeStatus, Peers, PortableProofView, RecordRef,
    SubmitAnswer,
};
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
    verifier_trust: Arc<crate::verifier_page::TrustCache>,
}

impl ApiState {
    /// State over the node's replica, sync driver and witness.
    pub fn new(replica: Replica, driver: SyncDriver, witness: Witness) -> Self {
        ApiState {
            replica,
            driver,
            witness: Arc::new(witness),
            verifier_trust: Arc::default(),
        }
    }

    /// The verifier page's trust file, kept between requests.
    pub(crate) fn verifier_trust(&self) -> &crate::verifier_page::TrustCache {
        &self.verifier_trust
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
    details: Option<Vec<EntryResult>>,
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
        let body = ErrorBody {
            code: self.code.to_owned(),
            message: self.message,
            results: self.details,
        };
        (self.status, Json(body)).into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// The API's OpenAPI 3.1 document, generated from the handlers below and the types of
/// [`nansen_wire::api`] that they answer with (served at `GET /openapi.json`; `specs/api.md`
/// is the prose, and a test holds the two to the same endpoints and fields).
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Nansen node API",
        description = "A Nansen node's HTTP API: ledger reads, submissions, credential status, peers. Prose: specs/api.md."
    ),
    paths(
        health,
        info,
        status,
        chains,
        entry,
        checkpoint,
        inclusion,
        consistency,
        credential_status,
        submit,
        equivocations,
        export,
        metrics,
        openapi_json,
        peers,
        ban_peer,
        unban_peer,
        crate::verifier_page::index,
        crate::verifier_page::file
    )
)]
pub struct ApiDoc;

/// The OpenAPI document as served, made once.
pub fn openapi_document() -> &'static str {
    static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(|| {
        use utoipa::OpenApi as _;
        ApiDoc::openapi()
            .to_pretty_json()
            .unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }).to_string())
    })
}

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
        .route("/openapi.json", get(openapi_json))
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
        .layer(middleware::from_fn_with_state(
            crate::http::guard(),
            crate::http::bounded_body,
        ))
        .layer(middleware::from_fn_with_state(
            crate::http::guard(),
            crate::http::same_origin,
        ))
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

#[utoipa::path(get, path = "/v1/health", tag = "node",
    responses((status = 200, description = "The node runs", body = Health)))]
async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

#[utoipa::path(get, path = "/v1/info", tag = "node",
    responses((status = 200, description = "Who the node is, its network's genesis", body = Info)))]
async fn info(State(state): State<ApiState>) -> ApiResult<Json<Info>> {
    let net = state.driver.network();
    let listen: Vec<String> = net
        .listen_addrs()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.to_string())
        .collect();
    let genesis = state.replica.with(|s| s.genesis().clone()).await?;
    Ok(Json(Info {
        peer_id: net.local_peer_id().to_string(),
        network_id: state.replica.network().to_hex(),
        listen,
        witness_key: state.witness.verifier().to_string(),
        checkpoint_key: state.witness.note_key().verifier().to_string(),
        genesis: GenesisInfo {
            name: genesis.name,
            created_ms: genesis.created_ms,
            governance_keys: genesis.governance_keys.iter().map(|k| k.to_hex()).collect(),
            threshold: genesis.threshold,
            limits: GenesisLimits {
                max_entry_bytes: genesis.limits.max_entry_bytes,
                max_held_entries: genesis.limits.max_held_entries,
            },
        },
    }))
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

#[utoipa::path(get, path = "/v1/status", tag = "node",
    responses((status = 200, description = "Peers, chain sizes, held entries, sync lag", body = NodeStatus)))]
async fn status(State(state): State<ApiState>) -> ApiResult<Json<NodeStatus>> {
    let figures = store_figures(&state.replica).await?;
    let peers: Vec<String> = state
        .driver
        .connected_peers()
        .into_iter()
        .map(|p| p.to_string())
        .collect();
    let lag = state.replica.metrics().sync_lag(&figures.chain_sizes);
    Ok(Json(NodeStatus {
        peer_id: state.driver.network().local_peer_id().to_string(),
        network_id: state.replica.network().to_hex(),
        peers,
        chains: figures
            .chain_sizes
            .iter()
            .map(|(author, size)| ChainSize {
                author: author.clone(),
                size: *size,
            })
            .collect(),
        held: figures.held,
        equivocation_proofs: figures.equivocation_proofs,
        sync_lag: lag,
    }))
}

#[utoipa::path(get, path = "/v1/chains", tag = "ledger",
    responses((status = 200, description = "Every chain, governance first", body = Vec<ChainView>)))]
async fn chains(State(state): State<ApiState>) -> ApiResult<Json<Vec<ChainView>>> {
    let views = state
        .replica
        .with(|s| -> Result<Vec<ChainView>, WitnessError> {
            let st = s.state();
            let mut out = Vec::new();
            for (author, head) in s.heads() {
                let checkpoint = s.best_checkpoint(&author)?.map(|c| CheckpointSummary {
                    size: c.checkpoint().size,
                    root: STANDARD.encode(c.checkpoint().root),
                    cosignatures: c.signatures().len(),
                });
                let view = match &author {
                    Author::Governance => ChainView {
                        author: author.as_str().to_owned(),
                        kind: "governance".into(),
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
                            kind: "registrar".into(),
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

#[utoipa::path(get, path = "/v1/chains/{author}/entries/{seq}", tag = "ledger",
    params(("author" = String, Path, description = "`governance` or a registrar id"), ("seq" = u64, Path, description = "Position in the chain")),
    responses(
        (status = 200, description = "The signed entry, exactly as stored", content_type = "application/cbor", body = Vec<u8>),
        (status = 404, description = "`unknown_entry`", body = ErrorBody)))]
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

#[utoipa::path(get, path = "/v1/chains/{author}/checkpoint", tag = "ledger",
    params(("author" = String, Path, description = "`governance` or a registrar id")),
    responses(
        (status = 200, description = "The cosigned checkpoint, a C2SP signed note (`specs/checkpoints.md`)", content_type = "text/plain; charset=utf-8", body = String),
        (status = 404, description = "`unknown_chain` or `empty_chain`", body = ErrorBody),
        (status = 503, description = "`not_witnessed`", body = ErrorBody)))]
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

#[utoipa::path(get, path = "/v1/chains/{author}/proof/inclusion", tag = "ledger",
    params(("author" = String, Path, description = "`governance` or a registrar id"),
        ("seq" = u64, Query, description = "The entry's position"),
        ("size" = Option<u64>, Query, description = "Tree size (default: the chain's size)")),
    responses(
        (status = 200, description = "RFC 9162 inclusion proof", body = InclusionProof),
        (status = 400, description = "`out_of_range`, `missing_parameter`, `bad_number`", body = ErrorBody),
        (status = 404, description = "`unknown_chain`", body = ErrorBody)))]
async fn inclusion(
    State(state): State<ApiState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> ApiResult<Json<InclusionProof>> {
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
    Ok(Json(InclusionProof {
        leaf_index: seq,
        tree_size: size,
        hashes: b64_hashes(&hashes),
    }))
}

#[utoipa::path(get, path = "/v1/chains/{author}/proof/consistency", tag = "ledger",
    params(("author" = String, Path, description = "`governance` or a registrar id"),
        ("old" = u64, Query, description = "The older tree size"),
        ("new" = Option<u64>, Query, description = "The newer tree size (default: the chain's size)")),
    responses(
        (status = 200, description = "RFC 9162 consistency proof", body = ConsistencyProof),
        (status = 400, description = "`out_of_range`, `missing_parameter`, `bad_number`", body = ErrorBody),
        (status = 404, description = "`unknown_chain`", body = ErrorBody)))]
async fn consistency(
    State(state): State<ApiState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> ApiResult<Json<ConsistencyProof>> {
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
    Ok(Json(ConsistencyProof {
        old_size: old,
        new_size: new,
        hashes: b64_hashes(&hashes),
    }))
}

#[utoipa::path(get, path = "/v1/credentials/{id}/status", tag = "credentials",
    params(("id" = String, Path, description = "The credential id, 32 hex digits")),
    responses(
        (status = 200, description = "What the ledger says about the credential, with its portable proof", body = CredentialStatusAnswer),
        (status = 400, description = "`bad_credential_id`", body = ErrorBody)))]
async fn credential_status(
    State(state): State<ApiState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<CredentialStatusAnswer>> {
    let Path(id) = path.map_err(bad_path)?;
    let id = CredentialId::from_hex(&id).ok_or_else(|| {
        ApiError::bad_request("bad_credential_id", "a credential id is 32 hex digits")
    })?;
    let answer = state
        .replica
        .with(move |s| -> Result<CredentialStatusAnswer, WitnessError> {
            let bare = |status: &str, records: Option<Vec<RecordRef>>| CredentialStatusAnswer {
                credential_id: id.to_hex(),
                status: status.to_owned(),
                records,
                ..CredentialStatusAnswer::default()
            };
            let listed = |records: &[ledger::credential::CredentialRecord]| {
                records
                    .iter()
                    .map(|r| RecordRef {
                        registrar: r.registrar.as_str().to_owned(),
                        seq: r.seq,
                    })
                    .collect()
            };
            Ok(match s.credential_status(&id)? {
                CredentialStatus::Unknown => bare("unknown", None),
                CredentialStatus::Ambiguous { records } => {
                    bare("ambiguous", Some(listed(&records)))
                }
                CredentialStatus::Disputed { records } => bare("disputed", Some(listed(&records))),
                CredentialStatus::Attested {
                    record,
                    attestation,
                    decided_by,
                } => {
                    let author = Author::Registrar(record.registrar.clone());
                    let (status, decision) = Decision::of(&record.state);
                    // Against the checkpoint cosigned when the chain last
                    // grew (read only; absent if it was not cosigned).
                    let portable_proof =
                        s.portable_proof(&author, record.seq)?
                            .map(|proof| PortableProofView {
                                entry: STANDARD.encode(&proof.entry),
                                tree_size: proof.tree_size,
                                inclusion: b64_hashes(&proof.inclusion),
                                checkpoint: proof.checkpoint,
                            });
                    CredentialStatusAnswer {
                        credential_id: id.to_hex(),
                        status: status.to_owned(),
                        registrar: Some(record.registrar.as_str().to_owned()),
                        seq: Some(record.seq),
                        attestation: Some(STANDARD.encode(&attestation)),
                        decided_by: Some(decided_by.map(|d| STANDARD.encode(d))),
                        decision: Some(decision),
                        replaces: Some(record.replaces.map(|r| r.to_hex())),
                        portable_proof,
                        records: None,
                    }
                }
            })
        })
        .await??;
    Ok(Json(answer))
}

#[utoipa::path(post, path = "/v1/entries", tag = "ledger",
    request_body(content = Vec<u8>, description = "One signed entry, or several as a CBOR sequence (RFC 8742)", content_type = "application/cbor-seq"),
    responses(
        (status = 200, description = "At least one entry was not refused; each entry's outcome", body = SubmitAnswer),
        (status = 400, description = "`malformed`, `empty_body`, `bad_body`", body = ErrorBody),
        (status = 403, description = "`cross_origin`", body = ErrorBody),
        (status = 408, description = "`body_timeout`", body = ErrorBody),
        (status = 413, description = "`body_too_large`", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`", body = ErrorBody),
        (status = 422, description = "Every entry refused: the first rejection's code, and `results`", body = ErrorBody)))]
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
    let views: Vec<EntryResult> = results
        .iter()
        .enumerate()
        .map(|(index, result)| entry_result(index, result))
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
        error.details = Some(views);
        return Err(error);
    }
    Ok(Json(SubmitAnswer {
        accepted,
        results: views,
    })
    .into_response())
}

/// What happened to one submitted entry, as `POST /v1/entries` reports it.
pub fn entry_result(index: usize, result: &IngestResult) -> EntryResult {
    {
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
        EntryResult {
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

#[utoipa::path(get, path = "/v1/peers", tag = "peers",
    responses(
        (status = 200, description = "Connected and banned peers", body = Peers),
        (status = 403, description = "`not_loopback`", body = ErrorBody)))]
async fn peers(State(state): State<ApiState>) -> ApiResult<Json<Peers>> {
    let net = state.driver.network();
    let mut connected: Vec<String> = state
        .driver
        .connected_peers()
        .into_iter()
        .map(|p| p.to_string())
        .collect();
    connected.sort();
    let mut banned: Vec<BannedPeer> = net
        .banned_peers()
        .await
        .map_err(network_failed)?
        .into_iter()
        .map(|(peer, left)| BannedPeer {
            peer_id: peer.to_string(),
            until_lifted: left.is_none(),
            expires_in_secs: left.map(|d| d.as_secs()),
        })
        .collect();
    banned.sort_by(|a, b| a.peer_id.cmp(&b.peer_id));
    Ok(Json(Peers { connected, banned }))
}

#[utoipa::path(post, path = "/v1/peers/{peer_id}/ban", tag = "peers",
    params(("peer_id" = String, Path, description = "A libp2p peer id")),
    responses(
        (status = 200, description = "The peer is banned until lifted", body = BanAnswer),
        (status = 400, description = "`bad_peer_id`, `own_peer_id`", body = ErrorBody),
        (status = 403, description = "`not_loopback`, `cross_origin`", body = ErrorBody)))]
async fn ban_peer(
    State(state): State<ApiState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<BanAnswer>> {
    let Path(text) = path.map_err(bad_path)?;
    let peer = parse_peer(&state, &text)?;
    let newly = state
        .driver
        .network()
        .ban_peer(peer)
        .await
        .map_err(network_failed)?;
    tracing::info!(%peer, "peer banned by the operator");
    Ok(Json(BanAnswer {
        peer_id: peer.to_string(),
        banned: true,
        was_banned: !newly,
    }))
}

#[utoipa::path(delete, path = "/v1/peers/{peer_id}/ban", tag = "peers",
    params(("peer_id" = String, Path, description = "A libp2p peer id")),
    responses(
        (status = 200, description = "The ban is lifted", body = BanAnswer),
        (status = 400, description = "`bad_peer_id`, `own_peer_id`", body = ErrorBody),
        (status = 403, description = "`not_loopback`, `cross_origin`", body = ErrorBody)))]
async fn unban_peer(
    State(state): State<ApiState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<BanAnswer>> {
    let Path(text) = path.map_err(bad_path)?;
    let peer = parse_peer(&state, &text)?;
    let was = state
        .driver
        .network()
        .unban_peer(peer)
        .await
        .map_err(network_failed)?;
    tracing::info!(%peer, was_banned = was, "ban lifted by the operator");
    Ok(Json(BanAnswer {
        peer_id: peer.to_string(),
        banned: false,
        was_banned: was,
    }))
}

#[utoipa::path(get, path = "/v1/equivocations", tag = "ledger",
    responses((status = 200, description = "Every equivocation proof recorded", body = Vec<EquivocationView>)))]
async fn equivocations(State(state): State<ApiState>) -> ApiResult<Json<Vec<EquivocationView>>> {
    let proofs = state.replica.with(|s| s.equivocation_proofs()).await??;
    let views: Vec<EquivocationView> = proofs
        .iter()
        .map(|p| {
            let position = p
                .entries()
                .ok()
                .map(|(a, _)| (a.body().author.as_str().to_owned(), a.body().seq));
            EquivocationView {
                author: position.as_ref().map(|(a, _)| a.clone()),
                seq: position.map(|(_, s)| s),
                first: STANDARD.encode(&p.first),
                second: STANDARD.encode(&p.second),
            }
        })
        .collect();
    Ok(Json(views))
}

#[utoipa::path(get, path = "/v1/export", tag = "ledger",
    params(("authors" = Option<String>, Query, description = "Comma-separated chains to export (default: every chain)")),
    responses(
        (status = 200, description = "Every entry as a CBOR sequence, governance first (`specs/api.md`); the count in the `nansen-export-entries` header", content_type = "application/cbor-seq", body = Vec<u8>),
        (status = 400, description = "`bad_author`, `bad_query`", body = ErrorBody)))]
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

#[utoipa::path(get, path = "/openapi.json", tag = "node",
    responses((status = 200, description = "This document", content_type = "application/json", body = Object)))]
async fn openapi_json() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi_document(),
    )
        .into_response()
}

#[utoipa::path(get, path = "/metrics", tag = "node",
    responses((status = 200, description = "Prometheus text exposition", content_type = "text/plain; version=0.0.4; charset=utf-8", body = String)))]
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
