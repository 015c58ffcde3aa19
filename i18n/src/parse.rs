//! Why a JSON input could not be read, in the run's language: where (line and column, as
//! serde_json gives them) and what kind of fault. The caller names the input (a file, a
//! credential bundle, a key file) in a sentence of its own around this one.
//!
//! What is kept of serde_json's English: for a syntax fault or a text cut short, nothing (its
//! words, `expected value`, `EOF while parsing an object`, say no more than the translated
//! sentence and the position); for JSON of the wrong form, its words after the sentence, as
//! the detail, since they name the field (`missing field `format``, `unknown field `a`,
//! expected one of ...`), which no sentence of ours could.

use crate::{io_error, tr, Catalogue, Lang};

/// The sentences of [`json_error`].
pub const PARSE_CATALOGUE: &Catalogue = &[
    (
        "json-syntax",
        "not JSON (line {0}, column {1})",
        "ce n'est pas du JSON (ligne {0}, colonne {1})",
        "ليس JSON (السطر {0}، العمود {1})",
    ),
    (
        "json-eof",
        "the JSON ends too early (line {0}, column {1}): cut short?",
        "le JSON se termine trop tôt (ligne {0}, colonne {1}) : tronqué ?",
        "ينتهي JSON قبل اكتماله (السطر {0}، العمود {1}): هل هو مقطوع؟",
    ),
    (
        "json-data",
        "JSON, but not of the expected form at line {0}, column {1}: {2}",
        "du JSON, mais pas de la forme attendue à la ligne {0}, colonne {1} : {2}",
        "JSON لكن ليس بالشكل المتوقع عند السطر {0}، العمود {1}: {2}",
    ),
];

/// `error` in `lang`: a syntax fault or a text cut short by its position alone, JSON of the
/// wrong form by its position and serde_json's words (see the module's notes), a failed read
/// by [`io_error`].
pub fn json_error(lang: Lang, error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let line = error.line().to_string();
    let column = error.column().to_string();
    match error.classify() {
        Category::Io => {
            let kind = error.io_error_kind().unwrap_or(std::io::ErrorKind::Other);
            io_error(lang, &std::io::Error::from(kind))
        }
        Category::Syntax => tr(PARSE_CATALOGUE, lang, "json-syntax", &[&line, &column]),
        Category::Eof => tr(PARSE_CATALOGUE, lang, "json-eof", &[&line, &column]),
        Category::Data => {
            // serde_json's words without the position it appends (" at line L column C").
            let text = error.to_string();
            let suffix = format!(" at line {line} column {column}");
            let words = text.strip_suffix(&suffix).unwrap_or(&text);
            tr(PARSE_CATALOGUE, lang, "json-data", &[&line, &column, words])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error of reading `text` as a map of strings.
    fn error_of(text: &str) -> serde_json::Error {
        match serde_json::from_str::<std::collections::BTreeMap<String, String>>(text) {
            Err(e) => e,
            Ok(map) => panic!("{text} parsed: {map:?}"),
        }
    }

    #[test]
    fn json_faults_by_position_with_the_field_kept() {
        assert!(crate::problems(PARSE_CATALOGUE).is_empty());
        let syntax = json_error(Lang::Fr, &error_of("hello"));
        assert_eq!(syntax, "ce n'est pas du JSON (ligne 1, colonne 1)");
        let cut = json_error(Lang::Fr, &error_of("{\"format\":\n"));
        assert_eq!(
            cut,
            "le JSON se termine trop tôt (ligne 2, colonne 0) : tronqué ?"
        );
        let form = json_error(Lang::Fr, &error_of("{\"a\": 1}"));
        assert!(
            form.starts_with("du JSON, mais pas de la forme attendue à la ligne 1"),
            "{form}"
        );
        assert!(form.contains("invalid type: integer `1`"), "{form}");
        assert!(!form.contains(" at line "), "{form}");
        for text in ["hello", "{\"format\":", "{\"a\": 1}"] {
            let ar = json_error(Lang::Ar, &error_of(text));
            assert!(ar.contains("JSON") && ar.contains("السطر"), "{ar}");
            assert!(
                !ar.contains("EOF") && !ar.contains("expected value"),
                "{ar}"
            );
        }
    }
}
