//! `nansen status`: asks a node for the ledger status of the credentials held and stores it,
//! so that `list` and `show` say whether a credential was revoked or superseded and when that
//! was last checked.

use super::*;

/// Checks the credential `id` (all when `None`) against the node at `node` and stores each
/// status found. The node is asked without holding the wallet's lock; the statuses are then
/// written under it, into the wallet as it is by then. Exit 0 when every credential checked is
/// active, 1 when one is not, 2 when one could not be checked (the others are still stored).
pub(super) fn status(ctx: &Ctx, id: Option<&str>, node: &str) -> Result<i32, CliError> {
    let w = ctx.open()?;
    let chosen: Vec<StoredCredential> = match id {
        Some(id) => vec![find(&w, id)?.clone()],
        None => w.data.credentials.clone(),
    };
    drop(w);
    if chosen.is_empty() {
        println!("{}", tr(ctx.lang, "no-credentials", &[]));
        return Ok(0);
    }
    let now = now();
    let mut found: Vec<(String, String)> = Vec::new();
    let mut code = 0;
    for c in &chosen {
        match ledger_status_of(c, node, now) {
            Ok(word) => {
                if word != "active" {
                    code = code.max(1);
                }
                found.push((c.id.clone(), word));
            }
            Err(e) => {
                code = 2;
                eprintln!(
                    "{}",
                    tr(ctx.lang, "status-failed", &[&c.id, &error_text(ctx, &e)])
                );
            }
        }
    }
    if !found.is_empty() {
        let mut w = ctx.open_for_update()?;
        for (id, word) in &found {
            if let Some(c) = w.data.credentials.iter_mut().find(|c| &c.id == id) {
                c.status = CheckedStatus {
                    state: word.clone(),
                    checked_at: now,
                };
            }
        }
        save(ctx, &w)?;
    }
    for (id, word) in &found {
        let kind = chosen
            .iter()
            .find(|c| &c.id == id)
            .map(|c| c.kind.as_str())
            .unwrap_or_default();
        if word == "active" {
            println!("{}", tr(ctx.lang, "status-active", &[id, kind, node]));
        } else {
            println!(
                "{}",
                tr(
                    ctx.lang,
                    "status-not-active",
                    &[
                        id,
                        kind,
                        &state_label(ctx.lang, word).to_uppercase(),
                        status_error_name(word),
                    ]
                )
            );
        }
    }
    Ok(code)
}
