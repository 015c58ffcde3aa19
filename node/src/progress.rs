//! Progress bars (indicatif) for long operations of the `nansen-node`
//! command and the node: shown on standard error, and only when it is a
//! terminal, so logs and pipes never receive bar drawings.
//!
//! The bar's words (the unit, "left", the rate and duration units, the byte
//! units) are in the run's language; indicatif's own `{per_sec}`, `{eta}` and
//! `{bytes}` are English (`/s`, `5m`, `MiB`), so the bar renders its numbers
//! itself ([`style`]). In Arabic the line is isolated right to left and every
//! number (a count, a rate, a duration) is isolated left to right, so that
//! `1200/5000` is never read `5000/1200`.

use std::io::IsTerminal as _;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressState, ProgressStyle};

use crate::i18n::{tr, Lang};

/// What a bar counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Ledger entries.
    Entries,
    /// Bytes (of a file).
    Bytes,
}

/// U+2066 LEFT-TO-RIGHT ISOLATE: a number inside an Arabic bar.
const LTR: char = '\u{2066}';
/// U+2069 POP DIRECTIONAL ISOLATE.
const POP: char = '\u{2069}';

/// The small words of a bar in one language.
struct Words {
    /// After a rate: `/s`.
    per_second: &'static str,
    /// Duration units: seconds, minutes, hours.
    seconds: &'static str,
    minutes: &'static str,
    hours: &'static str,
    /// Byte units, from bytes to gibibytes.
    bytes: [&'static str; 4],
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            per_second: "/s",
            seconds: "s",
            minutes: "min",
            hours: "h",
            bytes: ["B", "KiB", "MiB", "GiB"],
        },
        Lang::Fr => Words {
            per_second: "/s",
            seconds: "s",
            minutes: "min",
            hours: "h",
            bytes: ["o", "Kio", "Mio", "Gio"],
        },
        Lang::Ar => Words {
            per_second: "/ث",
            seconds: "ث",
            minutes: "د",
            hours: "س",
            bytes: ["بايت", "كيلوبايت", "ميغابايت", "غيغابايت"],
        },
    }
}

/// `text` as a number of the bar: isolated left to right in Arabic.
fn number(lang: Lang, text: String) -> String {
    if lang == Lang::Ar {
        format!("{LTR}{text}{POP}")
    } else {
        text
    }
}

/// A count of bytes with the language's binary unit (`1.5 MiB`, `1,5 Mio`).
fn human_bytes(lang: Lang, n: u64) -> String {
    let units = words(lang).bytes;
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    let figure = if unit == 0 {
        n.to_string()
    } else {
        decimal(lang, &format!("{value:.1}"))
    };
    format!("{figure} {}", units[unit])
}

/// A decimal written `1.5` in English and Arabic (as the digits are), `1,5` in French.
fn decimal(lang: Lang, text: &str) -> String {
    if lang == Lang::Fr {
        text.replace('.', ",")
    } else {
        text.to_owned()
    }
}

/// A duration to come, rounded to the language's unit: `40 s`, `3 min`, `2 h`.
fn human_duration(lang: Lang, d: Duration) -> String {
    let w = words(lang);
    let s = d.as_secs();
    if s < 60 {
        format!("{s} {}", w.seconds)
    } else if s < 3600 {
        format!("{} {}", s / 60, w.minutes)
    } else {
        format!("{} {}", s / 3600, w.hours)
    }
}

/// The style of a bar of `unit` in `lang`: the template from the catalogue (`bar-entries`,
/// `bar-bytes`) and the keys it uses, `{progress}` (done/total), `{rate}` and `{left}`,
/// rendered in the language; in Arabic each is one left-to-right isolate (`done/total` as a
/// whole: two isolates side by side would be laid out right to left, total first).
pub fn style(lang: Lang, unit: Unit) -> ProgressStyle {
    let key = match unit {
        Unit::Entries => "bar-entries",
        Unit::Bytes => "bar-bytes",
    };
    let template = tr(lang, key, &[]);
    let count = move |n: u64| match unit {
        Unit::Entries => n.to_string(),
        Unit::Bytes => human_bytes(lang, n),
    };
    ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key(
            "progress",
            move |state: &ProgressState, out: &mut dyn std::fmt::Write| {
                let total = state.len().map(count).unwrap_or_else(|| "?".into());
                let done = count(state.pos());
                let _ = out.write_str(&number(lang, format!("{done}/{total}")));
            },
        )
        .with_key(
            "rate",
            move |state: &ProgressState, out: &mut dyn std::fmt::Write| {
                let per_second = state.per_sec();
                let figure = match unit {
                    Unit::Entries => decimal(lang, &format!("{per_second:.0}")),
                    Unit::Bytes => human_bytes(lang, per_second as u64),
                };
                let _ = write!(
                    out,
                    "{}",
                    number(lang, format!("{figure}{}", words(lang).per_second))
                );
            },
        )
        .with_key(
            "left",
            move |state: &ProgressState, out: &mut dyn std::fmt::Write| {
                let _ = out.write_str(&number(lang, human_duration(lang, state.eta())));
            },
        )
        .progress_chars("=> ")
}

/// A bar of `total` units labelled `message` (already in `lang`), its words in `lang`, or
/// `None` when standard error is not a terminal.
pub fn progress_bar(
    lang: Lang,
    total: u64,
    unit: Unit,
    message: impl Into<String>,
) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(total);
    bar.set_style(style(lang, unit));
    bar.set_message(message.into());
    Some(bar)
}

#[cfg(test)]
mod tests {
    use super::*;
    use indicatif::{ProgressDrawTarget, TermLike};
    use std::sync::{Arc, Mutex};

    /// A terminal that keeps what is written to it.
    #[derive(Debug, Clone, Default)]
    struct Screen(Arc<Mutex<String>>);

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            200
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.write_str(s)
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            let mut screen = self.0.lock().map_err(|_| std::io::ErrorKind::Other)?;
            screen.push_str(s);
            screen.push('\n');
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// The last line a bar of `unit` in `lang` draws at `pos` of `len`.
    fn drawn(lang: Lang, unit: Unit, message: &str, pos: u64, len: u64) -> String {
        let screen = Screen::default();
        let bar = ProgressBar::with_draw_target(
            Some(len),
            ProgressDrawTarget::term_like(Box::new(screen.clone())),
        );
        bar.set_style(style(lang, unit));
        bar.set_message(message.to_owned());
        bar.set_position(pos);
        bar.abandon();
        let text = screen.0.lock().expect("screen").clone();
        text.lines()
            .rfind(|l| !l.trim().is_empty())
            .unwrap_or_default()
            .to_owned()
    }

    #[test]
    fn a_bar_speaks_the_run_s_language() {
        let en = drawn(Lang::En, Unit::Entries, "sync registrar-a", 1200, 5000);
        assert!(en.contains("1200/5000 entries"), "{en}");
        assert!(en.contains("/s") && en.contains(" left"), "{en}");

        let sync = tr(Lang::Fr, "bar-sync", &["registrar-a"]);
        let fr = drawn(Lang::Fr, Unit::Entries, &sync, 1200, 5000);
        assert!(fr.contains("synchronisation registrar-a"), "{fr}");
        assert!(fr.contains("1200/5000 entrées"), "{fr}");
        assert!(fr.contains("reste"), "{fr}");
        for english in ["entries", "left", "eta", "sync "] {
            assert!(!fr.contains(english), "{english} in {fr}");
        }

        let sync = tr(Lang::Ar, "bar-sync", &["registrar-a"]);
        let ar = drawn(Lang::Ar, Unit::Entries, &sync, 1200, 5000);
        // The numbers are isolated left to right inside the right-to-left line.
        assert!(ar.contains("\u{2066}1200/5000\u{2069}"), "{ar:?}");
        assert!(ar.contains("قيود") && ar.contains("مزامنة"), "{ar}");
        assert!(ar.contains("/ث"), "{ar}");
        for english in ["entries", "left", "eta", "sync "] {
            assert!(!ar.contains(english), "{english} in {ar}");
        }
        let opens = ar
            .chars()
            .filter(|c| ('\u{2066}'..='\u{2068}').contains(c))
            .count();
        let closes = ar.chars().filter(|c| *c == '\u{2069}').count();
        assert_eq!(opens, closes, "{ar:?}");
    }

    #[test]
    fn byte_bars_use_the_language_s_units() {
        let import = tr(Lang::Fr, "bar-import", &[]);
        let fr = drawn(
            Lang::Fr,
            Unit::Bytes,
            &import,
            3 * 1024 * 1024 / 2,
            4 * 1024 * 1024,
        );
        assert!(fr.contains("1,5 Mio/4,0 Mio"), "{fr}");
        assert!(!fr.contains("MiB"), "{fr}");
        let en = drawn(
            Lang::En,
            Unit::Bytes,
            "import",
            3 * 1024 * 1024 / 2,
            4 * 1024 * 1024,
        );
        assert!(en.contains("1.5 MiB/4.0 MiB"), "{en}");
        let export = tr(Lang::Ar, "bar-export", &[]);
        let ar = drawn(Lang::Ar, Unit::Bytes, &export, 2048, 4096);
        assert!(
            ar.contains("\u{2066}2.0 كيلوبايت/4.0 كيلوبايت\u{2069}"),
            "{ar:?}"
        );
        assert!(ar.contains("تصدير"), "{ar}");
    }

    #[test]
    fn durations_and_sizes_in_each_language() {
        assert_eq!(human_duration(Lang::En, Duration::from_secs(40)), "40 s");
        assert_eq!(human_duration(Lang::Fr, Duration::from_secs(200)), "3 min");
        assert_eq!(human_duration(Lang::Ar, Duration::from_secs(7300)), "2 س");
        assert_eq!(human_bytes(Lang::Fr, 512), "512 o");
        assert_eq!(human_bytes(Lang::En, 5 * 1024 * 1024 * 1024), "5.0 GiB");
    }
}
