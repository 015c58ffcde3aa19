//! A clap command tree's help and usage errors in French and Arabic.
//!
//! The English help is the doc comments of the binary's clap definitions (clap derives it).
//! For another language, [`localize`] replaces, on the command tree, each command's summary
//! and each argument's help with the binary's [`HelpTable`] texts, clap's own words (the help
//! and version flags, `[default: ...]`, `[possible values: ...]`, `[env: ...]`) and the
//! section headings with the ones below; [`usage_error`] tells clap's usage errors in the
//! language, with clap's suggestion. What has no translation stays in English ([`missing`]
//! lists it, for the binaries' tests).
//!
//! Keys: `cmd:<name>` for a command's summary, `arg:<id>` for an argument in any command;
//! a more precise key is looked up first, made of the command's path below the root joined
//! with dots: `cmd:genesis.show`, then `arg:genesis.show.file`, `arg:show.file`, `arg:file`.

use clap::Command;

use crate::Lang;

/// A binary's help texts: (key, French, Arabic).
pub type HelpTable = [(&'static str, &'static str, &'static str)];

/// clap's own words, shared by every binary: (key, French, Arabic).
const CLAP: &HelpTable = &[
    (
        "cmd:help",
        "Afficher cette aide ou celle d'une commande.",
        "عرض هذه المساعدة أو مساعدة أمر معيّن.",
    ),
    ("arg:help", "Afficher l'aide.", "عرض المساعدة."),
    ("arg:version", "Afficher la version.", "عرض الإصدار."),
    ("clap:env", "variable :", "متغير البيئة:"),
    ("clap:default", "par défaut :", "افتراضيًا:"),
    ("clap:possible", "valeurs possibles :", "القيم الممكنة:"),
    (
        "clap-error:subcommand",
        "erreur : la commande « {0} » n'existe pas",
        "خطأ: الأمر «{0}» غير موجود",
    ),
    (
        "clap-error:argument",
        "erreur : l'option « {0} » n'existe pas ici",
        "خطأ: الخيار «{0}» غير موجود هنا",
    ),
    (
        "clap-error:missing",
        "erreur : il manque {0}",
        "خطأ: ينقص {0}",
    ),
    (
        "clap-error:value",
        "erreur : « {0} » n'est pas une valeur possible de {1}",
        "خطأ: «{0}» ليست قيمة ممكنة لـ {1}",
    ),
    (
        "clap-error:conflict",
        "erreur : {0} ne peut pas être donné avec {1}",
        "خطأ: لا يمكن إعطاء {0} مع {1}",
    ),
    (
        "clap-error:suggestion",
        " (suggestion : {0})",
        " (اقتراح: {0})",
    ),
    (
        "clap-error:more",
        "Pour plus d'informations : --help",
        "لمزيد من المعلومات: ‎--help",
    ),
    ("heading:usage", "Utilisation", "الاستخدام"),
    ("heading:commands", "Commandes", "الأوامر"),
    ("heading:arguments", "Arguments", "المعاملات"),
    ("heading:options", "Options", "الخيارات"),
];

/// The text of `key` in `lang`: the binary's, else clap's; `None` in English.
fn text(table: &HelpTable, lang: Lang, key: &str) -> Option<&'static str> {
    let (_, fr, ar) = table.iter().chain(CLAP).find(|e| e.0 == key)?;
    match lang {
        Lang::Fr => Some(fr),
        Lang::Ar => Some(ar),
        Lang::En => None,
    }
}

/// The keys to look up for `kind` (`cmd` or `arg`) and `name` at `path` (the command's path
/// below the root), most precise first.
fn candidates(kind: &str, path: &[String], name: &str) -> Vec<String> {
    // `help` lists the commands beside it again (`nansen-node key help generate`): those
    // are the commands themselves.
    let mut path = path.to_vec();
    if let Some(at) = path.iter().rposition(|p| p == "help") {
        path.remove(at);
    }
    (0..=path.len())
        .map(|skip| {
            let mut parts: Vec<&str> = path[skip..].iter().map(String::as_str).collect();
            parts.push(name);
            format!("{kind}:{}", parts.join("."))
        })
        .collect()
}

/// The first of `keys` that `table` (or clap's words) has, in `lang`.
fn first(table: &HelpTable, lang: Lang, keys: &[String]) -> Option<&'static str> {
    keys.iter().find_map(|k| text(table, lang, k))
}

/// `command` (and its subcommands) with help texts and headings in `lang` from `table`,
/// clap's own parts included (the help and version flags, `[default: ...]`,
/// `[possible values: ...]`, `[env: ...]`). English returns `command` unchanged.
pub fn localize(mut command: Command, lang: Lang, table: &'static HelpTable) -> Command {
    if lang == Lang::En {
        return command;
    }
    // Builds the tree, so that the help and version flags clap adds are there to translate.
    command.build();
    localize_one(command, lang, table, &[], true)
}

/// What clap appends to an argument's help (`[default: ...]`, `[possible values: ...]`,
/// `[env: ...]`), in `lang`, for the argument `arg` (empty when it has none of them).
fn clap_suffix(arg: &clap::Arg, lang: Lang) -> String {
    let word = |key: &'static str| text(&[], lang, key).unwrap_or(key);
    let mut parts = Vec::new();
    if let Some(env) = arg.get_env().filter(|_| !arg.is_hide_env_set()) {
        parts.push(format!("[{} {}]", word("clap:env"), env.to_string_lossy()));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !arg.is_hide_default_value_set() && arg.get_action().takes_values() {
        parts.push(format!(
            "[{} {}]",
            word("clap:default"),
            defaults.join(", ")
        ));
    }
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    if !possible.is_empty() && !arg.is_hide_possible_values_set() {
        parts.push(format!(
            "[{} {}]",
            word("clap:possible"),
            possible.join(", ")
        ));
    }
    parts.join(" ")
}

fn localize_one(
    mut command: Command,
    lang: Lang,
    table: &'static HelpTable,
    parent: &[String],
    root: bool,
) -> Command {
    let name = command.get_name().to_owned();
    if let Some(about) = first(table, lang, &candidates("cmd", parent, &name)) {
        command = command.about(about).long_about(None);
    }
    // The path of this command's arguments: below the root, this command included.
    let mut path = parent.to_vec();
    if !root {
        path.push(name);
    }
    let ids: Vec<String> = command
        .get_arguments()
        .map(|a| a.get_id().as_str().to_owned())
        .collect();
    for id in ids {
        let help = first(table, lang, &candidates("arg", &path, &id));
        command = command.mut_arg(id.as_str(), |a| {
            let suffix = clap_suffix(&a, lang);
            let english = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            let body = help.map_or(english, str::to_owned);
            let text = if suffix.is_empty() {
                body
            } else {
                format!("{body} {suffix}")
            };
            a.help(text)
                .long_help(None)
                .hide_env(true)
                .hide_default_value(true)
                .hide_possible_values(true)
        });
    }
    // Arguments under a heading of their own (`help_heading`) are listed with the options:
    // the template below names only the sections it can translate.
    let help_template = template(&command, lang);
    command = command.help_template(help_template);
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for sub in subcommands {
        command =
            command.mut_subcommand(sub.as_str(), |s| localize_one(s, lang, table, &path, false));
    }
    command
}

/// What a binary does when its command line does not parse: prints clap's error `e` (in
/// `lang` when [`usage_error`] translates it, else clap's own text: help and version go to
/// standard output) and returns the exit status, 2 for a usage error and 0 for help or
/// version.
pub fn report_usage_error(e: &clap::Error, lang: Lang) -> u8 {
    match usage_error(e, lang) {
        Some(line) => eprintln!("{line}"),
        None => {
            let _ = e.print();
        }
    }
    if e.use_stderr() {
        2
    } else {
        0
    }
}

/// clap's usage error `e` in `lang` (an unknown command or option, a missing or bad value, a
/// conflict), with clap's suggestion; `None` for English, for what is not a usage error (help,
/// version), and for kinds not translated here (clap's English is printed then).
pub fn usage_error(e: &clap::Error, lang: Lang) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if lang == Lang::En || !e.use_stderr() {
        return None;
    }
    let value = |kind: ContextKind| -> Option<String> {
        match e.get(kind)? {
            ContextValue::String(s) => Some(s.clone()),
            ContextValue::Strings(v) => Some(v.join(", ")),
            ContextValue::StyledStr(s) => Some(s.to_string()),
            ContextValue::StyledStrs(v) => Some(
                v.iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ContextValue::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let fill = |key: &str, args: &[String]| -> Option<String> {
        let mut out = text(&[], lang, key)?.to_owned();
        for (i, a) in args.iter().enumerate() {
            out = out.replace(&format!("{{{i}}}"), a);
        }
        Some(out)
    };
    let arg = || value(ContextKind::InvalidArg).unwrap_or_default();
    let mut line = match e.kind() {
        ErrorKind::InvalidSubcommand => fill(
            "clap-error:subcommand",
            &[value(ContextKind::InvalidSubcommand).unwrap_or_default()],
        )?,
        ErrorKind::UnknownArgument => fill("clap-error:argument", &[arg()])?,
        ErrorKind::MissingRequiredArgument => fill("clap-error:missing", &[arg()])?,
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => fill(
            "clap-error:value",
            &[value(ContextKind::InvalidValue).unwrap_or_default(), arg()],
        )?,
        ErrorKind::ArgumentConflict => fill(
            "clap-error:conflict",
            &[arg(), value(ContextKind::PriorArg).unwrap_or_default()],
        )?,
        _ => return None,
    };
    let suggestion =
        value(ContextKind::SuggestedSubcommand).or_else(|| value(ContextKind::SuggestedArg));
    if let Some(s) = suggestion {
        line.push_str(&fill("clap-error:suggestion", &[s])?);
    } else if let Some(valid) = value(ContextKind::ValidValue) {
        line.push_str(&format!(" [{} {valid}]", text(&[], lang, "clap:possible")?));
    }
    line.push('\n');
    line.push_str(text(&[], lang, "clap-error:more")?);
    Some(line)
}

/// A help template with the section headings in `lang`; a section appears only when the
/// command has something to put in it.
fn template(command: &Command, lang: Lang) -> String {
    let heading = |key: &str| text(&[], lang, key).map_or_else(|| key.to_owned(), |t| t.to_owned());
    let mut out = format!(
        "{{about-with-newline}}\n{}: {{usage}}\n",
        heading("heading:usage")
    );
    if command.has_subcommands() {
        out.push_str(&format!(
            "\n{}:\n{{subcommands}}\n",
            heading("heading:commands")
        ));
    }
    if command.get_positionals().next().is_some() {
        out.push_str(&format!(
            "\n{}:\n{{positionals}}\n",
            heading("heading:arguments")
        ));
    }
    if command.get_opts().next().is_some() || command.get_arguments().any(|a| !a.is_positional()) {
        out.push_str(&format!("\n{}:\n{{options}}\n", heading("heading:options")));
    }
    if command.get_after_help().is_some() {
        out.push_str("\n{after-help}\n");
    }
    out
}

/// Every command and argument (not hidden) of `command` without a French
/// or an Arabic text in `table` (or among clap's words), named by its most precise key:
/// empty when everything a user can read in the help is translated.
pub fn missing(command: &Command, table: &HelpTable) -> Vec<String> {
    let mut out = Vec::new();
    for (path, own, command) in tree(command) {
        let mut wanted = vec![candidates("cmd", &path, command.get_name())];
        for arg in command.get_arguments().filter(|a| !a.is_hide_set()) {
            wanted.push(candidates("arg", &own, arg.get_id().as_str()));
        }
        for keys in wanted {
            if [Lang::Fr, Lang::Ar]
                .iter()
                .any(|lang| first(table, *lang, &keys).is_none())
            {
                let key = keys.first().cloned().unwrap_or_default();
                if !out.contains(&key) {
                    out.push(key);
                }
            }
        }
    }
    out
}

/// The arguments whose translation is a shared key (`arg:ID`, `arg:CMD.ID`, not the most
/// precise one) while their English helps differ: the translation would say something else
/// than the English for some of them. One line per key, with the differing helps; empty when
/// every shared translation serves arguments that mean the same.
pub fn shared_key_conflicts(command: &Command, table: &HelpTable) -> Vec<String> {
    let mut by_key: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for (_, own, command) in tree(command) {
        for arg in command.get_arguments() {
            let keys = candidates("arg", &own, arg.get_id().as_str());
            // The binary's own texts (clap's words are one per key by design).
            let found = keys
                .iter()
                .enumerate()
                .find(|(_, k)| table.iter().any(|e| e.0 == k.as_str()));
            if let Some((_, key)) = found.filter(|(i, _)| *i > 0) {
                by_key
                    .entry(key.clone())
                    .or_default()
                    .insert(arg.get_help().map(|h| h.to_string()).unwrap_or_default());
            }
        }
    }
    by_key
        .into_iter()
        .filter(|(_, helps)| helps.len() > 1)
        .map(|(key, helps)| format!("{key}: {helps:#?}"))
        .collect()
}

/// Every command of the built tree `command`: (its path below the root, the path of its
/// arguments, the command).
fn tree(command: &Command) -> Vec<(Vec<String>, Vec<String>, Command)> {
    fn walk(
        command: &Command,
        path: &[String],
        root: bool,
        out: &mut Vec<(Vec<String>, Vec<String>, Command)>,
    ) {
        let mut own = path.to_vec();
        if !root {
            own.push(command.get_name().to_owned());
        }
        out.push((path.to_vec(), own.clone(), command.clone()));
        for sub in command.get_subcommands() {
            walk(sub, &own, false, out);
        }
    }
    let mut built = command.clone();
    built.build();
    let mut out = Vec::new();
    walk(&built, &[], true, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Arg, Command};

    /// A small tree: `tool key show FILE`, `tool genesis show FILE`, each FILE its own help.
    fn tool() -> Command {
        Command::new("tool")
            .about("A tool.")
            .subcommand(
                Command::new("key").about("Keys.").subcommand(
                    Command::new("show")
                        .about("Show a key.")
                        .arg(Arg::new("file").help("The key file.")),
                ),
            )
            .subcommand(
                Command::new("genesis").about("Genesis.").subcommand(
                    Command::new("show")
                        .about("Show a genesis.")
                        .arg(Arg::new("file").help("The genesis file.")),
                ),
            )
    }

    const TABLE: &HelpTable = &[
        ("cmd:tool", "Un outil.", "أداة."),
        ("cmd:key", "Clés.", "مفاتيح."),
        ("cmd:key.show", "Afficher une clé.", "عرض مفتاح."),
        ("cmd:genesis", "Genesis.", "التكوين."),
        ("cmd:genesis.show", "Afficher une genesis.", "عرض التكوين."),
        ("arg:key.show.file", "Le fichier de clé.", "ملف المفتاح."),
        ("arg:file", "Le fichier genesis.", "ملف التكوين."),
    ];

    #[test]
    fn precise_keys_are_found_first_and_help_lists_the_commands_themselves() {
        let mut fr = localize(tool(), Lang::Fr, TABLE);
        let key = fr
            .find_subcommand_mut("key")
            .and_then(|k| k.find_subcommand_mut("show"))
            .map(|s| s.render_help().to_string())
            .unwrap_or_default();
        assert!(
            key.contains("Afficher une clé.") && key.contains("Le fichier de clé."),
            "{key}"
        );
        assert!(
            key.contains("Utilisation") && key.contains("Afficher l'aide."),
            "{key}"
        );
        let genesis = fr
            .find_subcommand_mut("genesis")
            .and_then(|k| k.find_subcommand_mut("show"))
            .map(|s| s.render_help().to_string())
            .unwrap_or_default();
        assert!(genesis.contains("Le fichier genesis."), "{genesis}");
        // Everything has its texts, `tool help key show` included.
        assert_eq!(missing(&tool(), TABLE), Vec::<String>::new());
        assert_eq!(
            candidates("cmd", &["key".into(), "help".into()], "show"),
            ["cmd:key.show", "cmd:show"]
        );
    }

    #[test]
    fn what_lacks_a_text_and_a_shared_text_that_says_two_things_are_named() {
        let partial: &HelpTable = &TABLE[..6];
        assert_eq!(missing(&tool(), partial), ["arg:genesis.show.file"]);
        // `arg:file` would serve both FILE arguments, whose English differs.
        let shared: &HelpTable = &[("arg:file", "Le fichier.", "الملف.")];
        let conflicts = shared_key_conflicts(&tool(), shared);
        assert_eq!(conflicts.len(), 1, "{conflicts:?}");
        assert!(conflicts[0].starts_with("arg:file"), "{conflicts:?}");
        assert!(shared_key_conflicts(&tool(), TABLE).is_empty());
    }

    #[test]
    fn a_usage_error_keeps_clap_s_suggestion() {
        let e = localize(tool(), Lang::Fr, TABLE)
            .try_get_matches_from(["tool", "genesi"])
            .expect_err("a usage error");
        let line = usage_error(&e, Lang::Fr).expect("translated");
        assert!(
            line.contains("« genesi »") && line.contains("suggestion : genesis"),
            "{line}"
        );
        assert!(usage_error(&e, Lang::En).is_none());
    }
}
