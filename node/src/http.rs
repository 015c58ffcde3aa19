//! The node API on the shared server stack ([`nansen_http`]): its body
//! limit and its error format for the requests the stack refuses
//! (`specs/api.md`, "Limits").

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::api::{ApiError, MAX_BODY_BYTES};

pub use nansen_http::{
    bounded_body, peer_of, same_origin, serve, Guard, BODY_READ_TIMEOUT, HEADER_READ_TIMEOUT,
    LINGER_IDLE, LINGER_TOTAL,
};

/// The node API's guard: [`MAX_BODY_BYTES`], refusals as [`ApiError`] bodies.
pub fn guard() -> Guard {
    Guard {
        max_body_bytes: MAX_BODY_BYTES,
        refuse: api_refusal,
    }
}

fn api_refusal(status: StatusCode, code: &'static str, message: String) -> Response {
    ApiError::new(status, code, message).into_response()
}
