//! Asking before an act that cannot be taken back (disclosing claims, revoking a credential):
//! on the terminal unless `--yes`; without a terminal and without `--yes`, nothing is done.

use std::io::{BufRead as _, IsTerminal as _, Read as _, Write as _};
use std::path::PathBuf;

use super::{CliError, Ctx};
use crate::i18n::tr;

/// The message keys of one question: what is asked, and what is said when there is no
/// terminal to ask on or the answer is not yes.
pub(super) struct Question {
    /// The prompt, ending with the expected answers (`[y/N]`).
    pub ask: &'static str,
    /// Why nothing was done without a terminal, naming `--yes`.
    pub no_terminal: &'static str,
    /// Why nothing was done after another answer than yes.
    pub declined: &'static str,
}

/// `Ok` when `yes` was given or the person at the terminal answers yes; otherwise
/// [`CliError::NotConfirmed`] with the question's message in the chosen language.
pub(super) fn confirm(ctx: &Ctx, yes: bool, question: &Question) -> Result<(), CliError> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::NotConfirmed(tr(
            ctx.lang,
            question.no_terminal,
            &[],
        )));
    }
    eprint!("{}", tr(ctx.lang, question.ask, &[]));
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .take(256)
        .read_line(&mut answer)
        .map_err(|e| CliError::Io(PathBuf::from("<stdin>"), e))?;
    if is_yes(&answer) {
        Ok(())
    } else {
        Err(CliError::NotConfirmed(tr(ctx.lang, question.declined, &[])))
    }
}

/// A "yes" in any of the three languages: y, yes, o, oui, ن, نعم (any case).
fn is_yes(answer: &str) -> bool {
    matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "o" | "oui" | "ن" | "نعم"
    )
}

#[cfg(test)]
mod tests {
    use super::is_yes;

    #[test]
    fn yes_in_three_languages_and_nothing_else() {
        for yes in ["y", "YES\n", " oui ", "o", "نعم", "ن"] {
            assert!(is_yes(yes), "{yes:?}");
        }
        for no in ["", "n", "no", "non", "لا", "yes please"] {
            assert!(!is_yes(no), "{no:?}");
        }
    }
}
