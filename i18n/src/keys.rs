//! The message keys a program's source uses, found by a simple scan: for the tests that fail
//! when a message has no translation (a key used in the source but missing from the
//! catalogue).

use std::path::Path;

/// The keys given as a string literal to calls of `function` in `source`, after `before`
/// simple arguments (a name or a field, no call): `tr(ctx.lang, "key", ...)` for
/// `function` = `tr` and `before` = 1, `t("key", ...)` for `t` and 0, formatted on one line
/// or several. A call whose key is not a literal is not seen (those keys need a test of their
/// own).
pub fn literal_keys(source: &str, function: &str, before: usize) -> Vec<String> {
    let opening = format!("{function}(");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = source[from..].find(&opening) {
        let start = from + at;
        from = start + opening.len();
        // A call of `function` itself, not of a longer name ending the same way (`as_str(`).
        let previous = source[..start].chars().next_back();
        if previous.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let mut rest = &source[from..];
        // The arguments before the key: each up to a comma, with no parenthesis or quote.
        let mut simple = true;
        for _ in 0..before {
            match rest.find(',') {
                Some(comma) if !rest[..comma].contains(['(', ')', '"', ';', '{']) => {
                    rest = &rest[comma + 1..];
                }
                _ => simple = false,
            }
        }
        if !simple {
            continue;
        }
        if let Some(literal) = rest.trim_start().strip_prefix('"') {
            if let Some(end) = literal.find('"') {
                out.push(literal[..end].to_owned());
            }
        }
    }
    out
}

/// [`literal_keys`] of every `.rs` file under `dir` (recursively), with the file each key
/// was found in: (key, file).
pub fn literal_keys_under(
    dir: &Path,
    function: &str,
    before: usize,
) -> std::io::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path)?;
                for key in literal_keys(&source, function, before) {
                    out.push((key, path.display().to_string()));
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_calls_on_one_line_or_several_are_found() {
        let source = r#"
            fn tr(lang: Lang, key: &str) {}
            let a = tr(ctx.lang, "first", &[]);
            let b = tr(
                lang,
                "second",
                &[&x],
            );
            let c = s.as_str("not-a-key");
            let d = tr(lang, key("third-not-seen"), &[]);
            let e = str(lang, "no");
            let f = tr(lang(), "fourth-not-seen");
        "#;
        assert_eq!(literal_keys(source, "tr", 1), ["first", "second"]);
        let node = r#"eprintln!("{}", t("status-line", &[&url])); t(
            "other", &[]); let x = format!("{}", t(key, &[]));"#;
        assert_eq!(literal_keys(node, "t", 0), ["status-line", "other"]);
    }
}
