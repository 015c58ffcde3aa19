//! Claims as a person reads them: each claim's name in the chosen language ("Given name",
//! "Prénom", "الاسم الأول"), in the order of its event kind's schema, for `show` and for what
//! `present` will disclose. The labels are in the message catalogue ([`crate::i18n`]) under
//! `claim-<name>`; a claim without one is shown by its name.

use super::*;

/// The label of the claim `name` in `lang`.
pub(super) fn label(lang: Lang, name: &str) -> String {
    let key = format!("claim-{name}");
    let text = tr(lang, &key, &[]);
    if text == key {
        name.to_owned()
    } else {
        text
    }
}

/// The claims of a stored credential (name, value), in its kind's schema order, then any
/// other claim by name.
pub(super) fn claims_of(c: &StoredCredential) -> Vec<(String, String)> {
    let subject = c
        .data_integrity
        .get("credentialSubject")
        .and_then(Value::as_object);
    let Some(subject) = subject else {
        return Vec::new();
    };
    let value = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut out: Vec<(String, String)> = Vec::new();
    if let Ok(kind) = parse_event_kind(&c.kind) {
        for spec in kind.claim_specs() {
            if let Some(v) = subject.get(spec.name) {
                out.push((spec.name.to_owned(), value(v)));
            }
        }
    }
    for (name, v) in subject {
        if name != "id" && !out.iter().any(|(n, _)| n == name) {
            out.push((name.clone(), value(v)));
        }
    }
    out
}

/// `  Label: value` lines of `claims`, in `lang`.
pub(super) fn lines(lang: Lang, claims: &[(String, String)]) -> Vec<String> {
    claims
        .iter()
        .map(|(name, value)| {
            let shown = super::portrait::shown_value(lang, name, value);
            tr(lang, "claim-line", &[&label(lang, name), &shown])
        })
        .collect()
}
