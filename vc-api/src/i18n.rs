//! What `nansen-vc-api` says to a person, in English, French and Arabic, by the rules of the
//! `nansen-i18n` crate (the language from `--lang`, `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`,
//! `LANG`; Arabic isolated right to left). The API's JSON answers are for programs and stay as
//! `specs/credentials.md` section 13 gives them.

pub use nansen_i18n::Lang;

/// The program's name, in the line that names an unavailable language.
pub const PROGRAM: &str = "nansen-vc-api";

/// (key, English, French, Arabic).
pub const CATALOGUE: &nansen_i18n::Catalogue = &[
    ("error", "nansen-vc-api: error: {0}", "nansen-vc-api : erreur : {0}", "nansen-vc-api: خطأ: {0}"),
    ("not-loopback", "NotLoopback: --listen {0}: only a loopback address is served (127.0.0.1:PORT or [::1]:PORT); put a reverse proxy with authentication in front to serve others", "NotLoopback : --listen {0} : seule une adresse de boucle locale est servie (127.0.0.1:PORT ou [::1]:PORT) ; placez devant un mandataire inverse avec authentification pour servir d'autres machines", "NotLoopback: ‎--listen {0}: لا يُخدم إلا عنوان محلي (127.0.0.1:PORT أو [::1]:PORT)؛ ضع أمامه وكيلًا عكسيًا بمصادقة لخدمة غيره"),
    ("registrar-key", "RegistrarKey: the registrar key file {0}: {1}", "RegistrarKey : le fichier de clé de l'officier d'état civil {0} : {1}", "RegistrarKey: ملف مفتاح المسجِّل {0}: {1}"),
    ("no-passphrase", "NoPassphrase: the registrar key file's passphrase was not given and there is no terminal to ask for it ({0}); set {1}", "NoPassphrase : la phrase de passe du fichier de clé n'a pas été donnée et aucun terminal ne permet de la demander ({0}) ; définissez {1}", "NoPassphrase: لم تُعطَ عبارة مرور ملف المفتاح ولا توجد طرفية لطلبها ({0})؛ عرّف {1}"),
    ("passphrase-file", "PassphraseFile: {0}", "PassphraseFile : {0}", "PassphraseFile: {0}"),
    ("passphrase-file-unreadable", "cannot read the passphrase file {0}: {1}", "impossible de lire le fichier de phrase de passe {0} : {1}", "تعذّرت قراءة ملف عبارة المرور {0}: {1}"),
    ("listen", "Listen: cannot listen on {0}: {1}", "Listen : impossible d'écouter sur {0} : {1}", "Listen: تعذّر الاستماع على {0}: {1}"),
    ("runtime", "Runtime: cannot start the async runtime: {0}", "Runtime : impossible de démarrer l'environnement d'exécution asynchrone : {0}", "Runtime: تعذّر تشغيل بيئة التنفيذ غير المتزامن: {0}"),
    ("passphrase-prompt", "Registrar key passphrase: ", "Phrase de passe de la clé de l'officier d'état civil : ", "عبارة مرور مفتاح المسجِّل: "),
];

/// The message `key` in `lang`, with `{0}`, `{1}`... replaced by `args`.
pub fn tr(lang: Lang, key: &str, args: &[&str]) -> String {
    nansen_i18n::tr(CATALOGUE, lang, key, args)
}

/// The help in French and Arabic: (key, French, Arabic), as `nansen-i18n` reads it.
pub const HELP: &nansen_i18n::help::HelpTable = &[
    ("cmd:nansen-vc-api", "Servir le sous-ensemble de l'API W3C VC d'un officier d'état civil sur une adresse locale : POST /credentials/issue, /credentials/verify et /presentations/verify. Affiche `listening on http://ADRESSE` et `issuer=DID`.", "تقديم جزء من واجهة W3C VC لمسجِّل على عنوان محلي: POST /credentials/issue و/credentials/verify و/presentations/verify. يطبع `listening on http://ADDR` و`issuer=DID`."),
    ("arg:lang", "Langue des messages : en, fr ou ar (par défaut : LANGUAGE / LC_ALL / LC_MESSAGES / LANG).", "لغة الرسائل: en أو fr أو ar (الافتراضي: من LANGUAGE / LC_ALL / LC_MESSAGES / LANG)."),
    ("arg:registrar_key", "Le fichier de clé de l'officier d'état civil (comme pour nansen issue) ; les attestations sont délivrées sous son did:key. Sa phrase de passe vient de NANSEN_REGISTRAR_PASSPHRASE (ou NANSEN_PASSPHRASE, leurs formes _FILE, l'identifiant systemd nansen-passphrase), sinon du terminal.", "ملف مفتاح المسجِّل (كما في nansen issue)؛ وتصدر الوثائق باسم معرّف did:key الخاص به. تأتي عبارة مروره من NANSEN_REGISTRAR_PASSPHRASE (أو NANSEN_PASSPHRASE، أو صيغتيهما _FILE، أو اعتماد systemd باسم nansen-passphrase)، وإلا فمن الطرفية."),
    ("arg:listen", "Adresse locale et port (127.0.0.1:PORT ou [::1]:PORT ; le port 0 en choisit un).", "العنوان المحلي والمنفذ (127.0.0.1:PORT أو [::1]:PORT؛ المنفذ 0 يختار منفذًا)."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_and_help_text_is_in_three_languages() {
        let problems = nansen_i18n::problems(CATALOGUE);
        assert!(problems.is_empty(), "{problems:#?}");
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let used = nansen_i18n::keys::literal_keys_under(&src, "tr", 1).expect("read src");
        assert!(!used.is_empty());
        for (key, file) in used {
            assert!(
                CATALOGUE.iter().any(|e| e.0 == key),
                "{file} uses {key:?}, which the catalogue lacks"
            );
        }
    }
}
