//! The claims of each event kind, shown after the options of `nansen issue --help` and
//! `nansen supersede --help`. Made from the claim lists of [`crate::event`], the one table that
//! defines them (as is the table of `specs/credentials.md` section 2), with the headings in the
//! chosen language; claim names are identifiers and stay as they are.

use super::*;
use crate::error::ClaimProblem;
use crate::event::claim_list;

/// The commands whose help lists the claims.
const COMMANDS: [&str; 2] = ["issue", "supersede"];

/// The claims of every kind, in `lang`: a heading, then per kind its required and optional
/// claims (`birthDate (date)` names a claim's value check), then the value checks.
pub(super) fn text(lang: Lang) -> String {
    let mut out = tr(lang, "claims-help-header", &[]);
    out.push('\n');
    let required = tr(lang, "claims-help-required", &[]);
    let optional = tr(lang, "claims-help-optional", &[]);
    for kind in EventKind::ALL {
        out.push_str(&format!("  {}\n", kind.name()));
        out.push_str(&format!(
            "    {required}: {}\n",
            claim_list(kind.claim_specs(), true)
        ));
        out.push_str(&format!(
            "    {optional}: {}\n",
            claim_list(kind.claim_specs(), false)
        ));
    }
    out.push_str(&tr(lang, "claims-help-values", &[]));
    out
}

/// `command` with the claims listed after the help of `issue` and `supersede`.
pub(super) fn attach(mut command: clap::Command, lang: Lang) -> clap::Command {
    let listing = text(lang);
    for name in COMMANDS {
        command = command.mut_subcommand(name, |c| c.after_help(listing.clone()));
    }
    command
}

/// [`CredentialError::InvalidClaims`] as the registrar reads it, in `lang`: one line naming the
/// error and how many problems, one line per problem, then the kind's allowed claims.
pub(super) fn invalid_claims(lang: Lang, kind: EventKind, problems: &[ClaimProblem]) -> String {
    let mut out = tr(
        lang,
        "claims-invalid",
        &[kind.name(), &problems.len().to_string()],
    );
    for problem in problems {
        out.push('\n');
        out.push_str(&match problem {
            ClaimProblem::Unknown {
                claim,
                suggestion: Some(close),
            } => tr(
                lang,
                "claim-problem-unknown-close",
                &[claim, kind.name(), close],
            ),
            ClaimProblem::Unknown { claim, .. } => {
                tr(lang, "claim-problem-unknown", &[claim, kind.name()])
            }
            ClaimProblem::Missing(claim) => tr(lang, "claim-problem-missing", &[claim]),
            ClaimProblem::NotText(claim) => tr(lang, "claim-problem-not-text", &[claim]),
            ClaimProblem::BadValue {
                claim,
                check,
                given,
            } => tr(
                lang,
                "claim-problem-bad-value",
                &[
                    claim,
                    &format!("{given:?}"),
                    &tr(lang, &format!("claim-rule-{}", check.name()), &[]),
                ],
            ),
        });
    }
    out.push('\n');
    out.push_str(&tr(
        lang,
        "claims-allowed",
        &[
            kind.name(),
            &claim_list(kind.claim_specs(), true),
            &claim_list(kind.claim_specs(), false),
        ],
    ));
    out
}
