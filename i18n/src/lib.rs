//! The language machinery of Nansen's two binaries, `nansen` and `nansen-node`: which
//! language a run speaks, messages from a catalogue with their arguments filled in (Arabic
//! isolated right to left), and the clap command tree's help and usage errors in French and
//! Arabic ([`help`]).
//!
//! What it is for: one implementation of the rules both binaries follow. What it is not for:
//! the texts themselves. Each binary keeps its own message catalogue (a [`Catalogue`]) and
//! its own help table (a [`help::HelpTable`]); only the words clap itself prints (headings,
//! `[default: ...]`, usage errors, the help and version flags) are here, in [`help`].
//!
//! The language comes from `--lang`, else `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`
//! ([`Lang::resolve`]), else English; a language asked for but not available is named once on
//! standard error with the program's name ([`Lang::choose`]).

pub mod help;
pub mod io;
pub mod keys;
pub mod parse;

pub use io::io_error;
pub use parse::json_error;

/// A supported language (English by default, as [`Lang::resolve`] falls back to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
    /// Arabic (right to left).
    Ar,
}

impl Lang {
    /// Picks the language from an explicit choice (`--lang`) or the environment (see
    /// [`Lang::resolve`]). A language asked for but not available is named once per process on
    /// standard error, as `PROGRAM: language "de" is not available; ...`, and English is used.
    pub fn choose(program: &str, explicit: Option<&str>) -> Lang {
        let (lang, unavailable) = Lang::resolve(explicit, |name| std::env::var(name).ok());
        if let Some(tag) = unavailable {
            static NAMED: std::sync::Once = std::sync::Once::new();
            NAMED.call_once(|| {
                eprintln!(
                    "{program}: language {tag:?} is not available; using English (available: en, fr, ar)"
                )
            });
        }
        lang
    }

    /// The language, and the tag of a language asked for but not available. Candidates in
    /// order: the explicit choice alone when given; else each entry of `LANGUAGE` (a
    /// colon-separated list, as gettext reads it), then the first non-empty of `LC_ALL`,
    /// `LC_MESSAGES`, `LANG`. The first candidate whose language part (before `_`, `-`, `.`
    /// or `@`, any case) is `en`, `fr` or `ar` wins. `C` and `POSIX` mean English and are
    /// never named as unavailable; with no candidate at all, English.
    pub fn resolve(
        explicit: Option<&str>,
        env: impl Fn(&str) -> Option<String>,
    ) -> (Lang, Option<String>) {
        let mut candidates: Vec<String> = Vec::new();
        match explicit {
            Some(tag) => candidates.push(tag.to_owned()),
            None => {
                if let Some(list) = env("LANGUAGE") {
                    candidates.extend(list.split(':').filter(|t| !t.is_empty()).map(str::to_owned));
                }
                if let Some(locale) = ["LC_ALL", "LC_MESSAGES", "LANG"]
                    .iter()
                    .filter_map(|name| env(name))
                    .find(|v| !v.is_empty())
                {
                    candidates.push(locale);
                }
            }
        }
        let mut unavailable = None;
        for tag in &candidates {
            let language = tag
                .split(['_', '-', '.', '@'])
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            match language.as_str() {
                "en" | "c" | "posix" => return (Lang::En, None),
                "fr" => return (Lang::Fr, None),
                "ar" => return (Lang::Ar, None),
                _ => {
                    unavailable.get_or_insert_with(|| tag.clone());
                }
            }
        }
        (Lang::En, unavailable)
    }

    /// The language asked for on a command line (`--lang X` or `--lang=X`) before clap parses
    /// it, so that the help and usage errors themselves can be translated; else the
    /// environment's ([`Lang::choose`], which names an unavailable language as `program`).
    pub fn of_args(program: &str, args: &[String]) -> Lang {
        let explicit = args.iter().enumerate().find_map(|(i, a)| {
            a.strip_prefix("--lang=")
                .map(str::to_owned)
                .or_else(|| (a == "--lang").then(|| args.get(i + 1).cloned()).flatten())
        });
        Lang::choose(program, explicit.as_deref())
    }
}

/// A message catalogue: (key, English, French, Arabic). `{0}`, `{1}`... in a text are
/// replaced by the message's arguments.
pub type Catalogue = [(&'static str, &'static str, &'static str, &'static str)];

/// The message `key` of `catalogue` in `lang`, with `{0}`, `{1}`... replaced by `args`. In
/// Arabic the message is isolated right to left and each argument (a path, an identifier, a
/// URL) keeps its own direction. A key not in the catalogue is returned as it is (the tests of
/// each binary make sure that never happens: [`problems`], [`keys::used_in`]).
pub fn tr(catalogue: &Catalogue, lang: Lang, key: &str, args: &[&str]) -> String {
    let entry = catalogue.iter().find(|e| e.0 == key);
    let template = match (entry, lang) {
        (Some(e), Lang::Fr) => e.2,
        (Some(e), Lang::Ar) => e.3,
        (Some(e), Lang::En) => e.1,
        (None, _) => key,
    };
    let mut out = fill(template, args, lang);
    if lang == Lang::Ar && entry.is_some() {
        out = format!("{RIGHT_TO_LEFT_ISOLATE}{out}{POP_DIRECTIONAL_ISOLATE}");
    }
    out
}

/// `template` with `{0}`, `{1}`... replaced by `args` (each isolated in Arabic).
fn fill(template: &str, args: &[&str], lang: Lang) -> String {
    let mut out = template.to_owned();
    for (i, a) in args.iter().enumerate() {
        let arg = if lang == Lang::Ar {
            isolate(FIRST_STRONG_ISOLATE, a)
        } else {
            (*a).to_owned()
        };
        out = out.replace(&format!("{{{i}}}"), &arg);
    }
    out
}

/// U+2067 RIGHT-TO-LEFT ISOLATE: the Arabic message is laid out right to left even when the
/// terminal's paragraph direction is left to right.
const RIGHT_TO_LEFT_ISOLATE: char = '\u{2067}';
/// U+2068 FIRST STRONG ISOLATE: an argument (a DID, a path, a check name) keeps its own
/// direction and does not reorder the Arabic around it.
const FIRST_STRONG_ISOLATE: char = '\u{2068}';
/// U+2069 POP DIRECTIONAL ISOLATE: ends an isolate.
const POP_DIRECTIONAL_ISOLATE: char = '\u{2069}';

/// `text` between `opening` and POP DIRECTIONAL ISOLATE (Unicode Bidirectional Algorithm,
/// UAX #9, section 2.7). Isolates inside `text` that are balanced (a message already
/// translated, with its own arguments isolated) are kept; a stray closing one is dropped and
/// one left open is closed, so that a message cannot unbalance the text around it.
fn isolate(opening: char, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 6);
    out.push(opening);
    let mut open = 0usize;
    for c in text.chars() {
        match c {
            '\u{2066}'..='\u{2068}' => {
                open += 1;
                out.push(c);
            }
            POP_DIRECTIONAL_ISOLATE if open == 0 => {}
            POP_DIRECTIONAL_ISOLATE => {
                open -= 1;
                out.push(c);
            }
            c => out.push(c),
        }
    }
    for _ in 0..open {
        out.push(POP_DIRECTIONAL_ISOLATE);
    }
    out.push(POP_DIRECTIONAL_ISOLATE);
    out
}

/// What is wrong with a catalogue, one line per problem: a key twice, an empty text, or a
/// translation whose placeholders (`{0}`...) are not the English text's. Empty when sound.
pub fn problems(catalogue: &Catalogue) -> Vec<String> {
    let mut out = Vec::new();
    let placeholders = |s: &str| -> Vec<usize> {
        (0..10)
            .filter(|i| s.contains(&format!("{{{i}}}")))
            .collect()
    };
    for (i, (key, en, fr, ar)) in catalogue.iter().enumerate() {
        if catalogue[..i].iter().any(|e| e.0 == *key) {
            out.push(format!("{key}: twice in the catalogue"));
        }
        for (lang, text) in [("en", en), ("fr", fr), ("ar", ar)] {
            if text.trim().is_empty() {
                out.push(format!("{key}: no {lang} text"));
            } else if placeholders(text) != placeholders(en) {
                out.push(format!(
                    "{key}: the {lang} text has other placeholders than the English"
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOGUE: &Catalogue = &[
        ("error", "Error: {0}", "Erreur : {0}", "خطأ: {0}"),
        (
            "holder-did",
            "Your identifier (DID): {0}",
            "Votre identifiant (DID) : {0}",
            "معرّفك (DID): {0}",
        ),
    ];

    #[test]
    fn the_language_follows_gettext_order_and_names_what_is_missing() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let none: &[(&str, &str)] = &[];
        assert_eq!(Lang::resolve(None, env(none)), (Lang::En, None));
        assert_eq!(Lang::resolve(Some("FR"), env(none)), (Lang::Fr, None));
        assert_eq!(
            Lang::resolve(Some("de"), env(&[("LANG", "fr_FR.UTF-8")])),
            (Lang::En, Some("de".into()))
        );
        // LANGUAGE is a list read before the locale; its first available entry wins.
        assert_eq!(
            Lang::resolve(None, env(&[("LANGUAGE", "de:ar"), ("LANG", "fr_FR.UTF-8")])),
            (Lang::Ar, None)
        );
        assert_eq!(
            Lang::resolve(None, env(&[("LANGUAGE", "de"), ("LANG", "fr_FR.UTF-8")])),
            (Lang::Fr, None)
        );
        assert_eq!(
            Lang::resolve(None, env(&[("LC_ALL", "ar_JO.UTF-8"), ("LANG", "fr_FR")])),
            (Lang::Ar, None)
        );
        assert_eq!(
            Lang::resolve(None, env(&[("LANG", "C.UTF-8")])),
            (Lang::En, None)
        );
        assert_eq!(
            Lang::resolve(None, env(&[("LANG", "sv_SE.UTF-8")])),
            (Lang::En, Some("sv_SE.UTF-8".into()))
        );
        assert_eq!(Lang::choose("test", Some("ar_SY.UTF-8")), Lang::Ar);
        assert_eq!(
            Lang::of_args("test", &["x".into(), "--lang".into(), "fr".into()]),
            Lang::Fr
        );
        assert_eq!(
            Lang::of_args("test", &["x".into(), "--lang=ar".into()]),
            Lang::Ar
        );
    }

    #[test]
    fn arabic_is_isolated_right_to_left_with_arguments_kept_whole() {
        let did = "did:key:z6MkExample";
        let line = tr(CATALOGUE, Lang::Ar, "holder-did", &[did]);
        assert!(line.starts_with('\u{2067}') && line.ends_with('\u{2069}'));
        assert!(line.contains(&format!("\u{2068}{did}\u{2069}")));
        assert!(line.contains("معرّفك"));
        // A stray isolate control in an argument cannot unbalance the message.
        let tricky = tr(CATALOGUE, Lang::Ar, "error", &["x\u{2069}\u{2069}y"]);
        let opens = tricky
            .chars()
            .filter(|c| ('\u{2066}'..='\u{2068}').contains(c))
            .count();
        let closes = tricky.chars().filter(|c| *c == '\u{2069}').count();
        assert_eq!(opens, closes, "{tricky:?}");
        let unclosed = tr(CATALOGUE, Lang::Ar, "error", &["x\u{2068}y"]);
        let opens = unclosed
            .chars()
            .filter(|c| ('\u{2066}'..='\u{2068}').contains(c))
            .count();
        let closes = unclosed.chars().filter(|c| *c == '\u{2069}').count();
        assert_eq!(opens, closes, "{unclosed:?}");
        // A message given as an argument of another keeps its own isolates.
        let inner = tr(CATALOGUE, Lang::Ar, "holder-did", &[did]);
        let outer = tr(CATALOGUE, Lang::Ar, "error", &[&inner]);
        assert!(
            outer.contains(&format!("\u{2068}{did}\u{2069}")),
            "{outer:?}"
        );
        // Other languages are untouched.
        assert_eq!(
            tr(CATALOGUE, Lang::En, "holder-did", &[did]),
            format!("Your identifier (DID): {did}")
        );
        assert_eq!(tr(CATALOGUE, Lang::Fr, "error", &["x"]), "Erreur : x");
    }

    #[test]
    fn a_catalogue_with_a_missing_text_or_placeholder_is_named() {
        assert!(problems(CATALOGUE).is_empty());
        let bad: &Catalogue = &[
            ("a", "A {0}", "", "ب {0}"),
            ("b", "B {0}", "B", "ب {0}"),
            ("a", "A", "A", "أ"),
        ];
        let found = problems(bad);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].contains("no fr text"), "{found:?}");
        assert!(found[1].contains("b: the fr text"), "{found:?}");
        assert!(found[2].contains("twice"), "{found:?}");
    }
}
