//! The API contract: the OpenAPI document a real node serves at `GET /openapi.json` is the one
//! generated from the handlers and the types of `nansen_wire::api`, and `specs/api.md` (the
//! prose) describes the same endpoints with the same fields. A field added to a type, or an
//! endpoint added to the router, without the spec fails here, and so does the reverse.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{birth_network, NodeProcess};
use serde_json::Value;

const SPEC: &str = include_str!("../../specs/api.md");

/// `/v1/chains/{author}/entries/{seq}` and `/v1/chains/{author}/entries/{seq}?x=1` both become
/// `/v1/chains/{}/entries/{}`: the spec names parameters in words (`{id hex}`, `{peer id}`).
fn shape(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// Every `METHOD /path` named in an endpoint heading of the spec, with the text of its section.
fn spec_endpoints() -> BTreeMap<(String, String), String> {
    let mut endpoints = BTreeMap::new();
    let mut lines = SPEC.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(heading) = line.strip_prefix("### ") else {
            continue;
        };
        let mut section = String::new();
        while let Some(next) = lines.peek() {
            if next.starts_with("## ") || next.starts_with("### ") {
                break;
            }
            section.push_str(next);
            section.push('\n');
            lines.next();
        }
        // Code spans of the heading: `GET /v1/info`, or `POST` and `DELETE /v1/peers/...`.
        let spans: Vec<&str> = heading.split('`').skip(1).step_by(2).collect();
        let mut pending: Vec<String> = Vec::new();
        for span in spans {
            let (first, path) = span.split_once(' ').unwrap_or((span, ""));
            if first.is_empty() || !first.chars().all(|c| c.is_ascii_uppercase()) {
                continue;
            }
            pending.push(first.to_lowercase());
            if path.starts_with('/') {
                for method in pending.drain(..) {
                    endpoints.insert((method, shape(path.trim())), section.clone());
                }
            }
        }
    }
    endpoints
}

/// Follows `$ref`s of `schema` in `document` and gathers every property name, nested ones too.
fn property_names(document: &Value, schema: &Value, names: &mut BTreeSet<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or_default();
        let target = &document["components"]["schemas"][name];
        property_names(document, target, names, depth + 1);
        return;
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, inner) in properties {
            names.insert(name.clone());
            property_names(document, inner, names, depth + 1);
        }
    }
    for key in ["items"] {
        if let Some(inner) = schema.get(key) {
            property_names(document, inner, names, depth + 1);
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        for inner in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            property_names(document, inner, names, depth + 1);
        }
    }
}

/// The keys of the JSON objects a spec section shows (`"name":`).
fn example_keys(section: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for (i, _) in section.match_indices("\":") {
        let before = &section[..i];
        if let Some(start) = before.rfind('"') {
            let key = &before[start + 1..];
            if !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                keys.insert(key.to_owned());
            }
        }
    }
    keys
}

fn document() -> Value {
    serde_json::from_str(nansen_node::api::openapi_document()).expect("the document is JSON")
}

/// `(method, path shape)` of every operation of the document.
fn document_endpoints(document: &Value) -> BTreeMap<(String, String), Value> {
    let mut endpoints = BTreeMap::new();
    for (path, operations) in document["paths"].as_object().expect("paths") {
        for (method, operation) in operations.as_object().expect("operations") {
            endpoints.insert((method.clone(), shape(path)), operation.clone());
        }
    }
    endpoints
}

#[test]
fn the_spec_and_the_openapi_document_name_the_same_endpoints() {
    let document = document();
    assert!(document["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.")));
    let in_spec: BTreeSet<_> = spec_endpoints().into_keys().collect();
    let served: BTreeSet<_> = document_endpoints(&document).into_keys().collect();
    assert!(served.len() >= 17, "too few operations: {served:?}");
    let only_spec: Vec<_> = in_spec.difference(&served).collect();
    let only_code: Vec<_> = served.difference(&in_spec).collect();
    assert!(
        only_spec.is_empty() && only_code.is_empty(),
        "specs/api.md and the router disagree: in the spec only {only_spec:?}; \
         served but not in the spec {only_code:?}"
    );
}

#[test]
fn every_field_of_a_json_answer_is_in_the_spec_and_every_example_field_is_served() {
    let document = document();
    let spec = spec_endpoints();
    let operations = document_endpoints(&document);
    // The fields of every JSON answer described in one section (peer management shares one).
    let mut section_fields: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (key, operation) in &operations {
        if let (Some(section), Some(schema)) = (
            spec.get(key),
            operation.pointer("/responses/200/content/application~1json/schema"),
        ) {
            let names = section_fields.entry(section.as_str()).or_default();
            property_names(&document, schema, names, 0);
        }
    }
    let mut problems = Vec::new();
    for (key, operation) in operations.iter() {
        let Some(section) = spec.get(key) else {
            continue; // the other test names it
        };
        let Some(schema) = operation
            .pointer("/responses/200/content/application~1json/schema")
            .cloned()
        else {
            continue;
        };
        if key.1 == "/openapi.json" {
            continue;
        }
        let mut names = BTreeSet::new();
        property_names(&document, &schema, &mut names, 0);
        for name in &names {
            let quoted = format!("\"{name}\"");
            let code = format!("`{name}`");
            if !section.contains(&quoted) && !section.contains(&code) {
                problems.push(format!(
                    "{} {}: field {name} is not in the spec",
                    key.0, key.1
                ));
            }
        }
        let shared = &section_fields[section.as_str()];
        for example in example_keys(section) {
            if !shared.contains(&example) {
                problems.push(format!(
                    "{} {}: the spec shows {example}, the answer has no such field",
                    key.0, key.1
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_serves_the_generated_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let network = birth_network(dir.path(), 1, 1);
    let node = NodeProcess::start(&dir.path().join("node"), &network.genesis, &[]);
    let served = node
        .api
        .get("/openapi.json")
        .await
        .expect("GET /openapi.json");
    assert_eq!(
        String::from_utf8(served).expect("UTF-8"),
        nansen_node::api::openapi_document()
    );
    // Every JSON answer of the running node reads back into its contract type unchanged.
    let info: Value = node.api.get_json("/v1/info").await.expect("info");
    let typed: nansen_wire::api::Info = serde_json::from_value(info.clone()).expect("Info");
    assert_eq!(serde_json::to_value(typed).expect("JSON"), info);
    let chains: Value = node.api.get_json("/v1/chains").await.expect("chains");
    let typed: Vec<nansen_wire::api::ChainView> =
        serde_json::from_value(chains.clone()).expect("chains");
    assert_eq!(serde_json::to_value(typed).expect("JSON"), chains);
}
