//! Command help in French and Arabic.
//!
//! The English help is the doc comments of [`Cli`] and its commands (clap derives it). For
//! another language, [`localize`] replaces, on the clap command tree, each command's summary and
//! the help of its common arguments with the texts below, and the section headings (usage,
//! commands, arguments, options) through a help template. What has no translation stays in
//! English. Keys: `cmd:<name>` for a command summary, `arg:<id>` for an argument, in any
//! command, `arg:<command>.<id>` for one command's argument (checked first).

use clap::Command;

use crate::i18n::Lang;

/// (key, French, Arabic).
const HELP: &[(&str, &str, &str)] = &[
    ("cmd:nansen", "Nansen : attestations d'état civil pour les personnes déplacées (portefeuille du titulaire, délivrance par l'officier d'état civil, vérification hors ligne).", "نانسن: وثائق الأحوال المدنية للنازحين (محفظة صاحب الوثائق، إصدار المسجِّل، تحقق دون اتصال)."),
    ("cmd:init", "Créer un portefeuille : une nouvelle clé de titulaire et sa phrase de récupération de 24 mots, affichée une seule fois.", "إنشاء محفظة: مفتاح جديد لصاحب الوثائق وعبارة استرداد من 24 كلمة تُعرض مرة واحدة."),
    ("cmd:recover", "Recréer le portefeuille à partir de la phrase de récupération (entrée standard ou photo de la fiche).", "إعادة إنشاء المحفظة من عبارة الاسترداد (من الإدخال القياسي أو من صورة الورقة)."),
    ("cmd:backup", "Sauvegardes chiffrées de tout le portefeuille : tenue à jour dans un dossier et ouverte par la phrase de récupération (auto), ou écrite une fois sous une phrase de passe de sauvegarde distincte (export, import).", "نسخ احتياطية مشفرة من المحفظة كاملة: نسخة تُحدَّث في مجلد وتفتحها عبارة الاسترداد (auto)، أو نسخة تُكتب مرة واحدة بعبارة مرور خاصة بها (export وimport)."),
    ("cmd:export", "Écrire tout le portefeuille, chiffré sous la phrase de passe de sauvegarde, dans un fichier.", "حفظ المحفظة كاملة، مشفرة بعبارة مرور النسخة الاحتياطية، في ملف."),
    ("cmd:import", "Fusionner les attestations d'une sauvegarde dans ce portefeuille (même clé de titulaire).", "دمج وثائق نسخة احتياطية في هذه المحفظة (بنفس مفتاح صاحب الوثائق)."),
    ("cmd:did", "Afficher l'identifiant did:key du titulaire (en texte ou en code QR pour l'officier d'état civil).", "عرض معرّف did:key لصاحب الوثائق (نصًا أو رمز QR يمسحه المسجِّل)."),
    ("cmd:receive", "Vérifier et enregistrer une attestation délivrée à ce titulaire (fichier ou codes QR).", "التحقق من وثيقة صادرة لصاحب هذه المحفظة وحفظها (من ملف أو من رموز QR)."),
    ("cmd:list", "Lister les attestations détenues, avec leur statut lors de la dernière vérification.", "عرض الوثائق المحفوظة مع حالتها عند آخر تحقق."),
    ("cmd:show", "Afficher une attestation (identifiant en hexadécimal, urn:uuid:… ou préfixe unique).", "عرض وثيقة واحدة (المعرّف بالست عشري أو urn:uuid:… أو بادئة فريدة)."),
    ("cmd:issue", "(Officier d'état civil) délivrer une attestation à un titulaire et l'ancrer dans le registre.", "(المسجِّل) إصدار وثيقة لصاحبها وتثبيتها في السجل."),
    ("cmd:revoke", "(Officier d'état civil) révoquer une attestation dans le registre.", "(المسجِّل) إلغاء وثيقة في السجل."),
    ("cmd:supersede", "(Officier d'état civil) corriger une attestation : délivrer la version corrigée et l'ancrer en remplacement.", "(المسجِّل) تصحيح وثيقة: إصدار النسخة المصححة وتثبيتها بديلًا عن القديمة."),
    ("cmd:serve-vc-api", "(Officier d'état civil) servir l'API W3C VC sur une adresse locale.", "(المسجِّل) تشغيل واجهة W3C VC على عنوان محلي."),
    ("cmd:challenge", "(Vérificateur) afficher un nouveau défi aléatoire ; avec --qr ou --qr-png, aussi en code de défi que lit present --challenge-qr.", "(المُحقِّق) عرض تحدٍّ عشوائي جديد؛ ومع ‎--qr أو ‎--qr-png أيضًا كرمز تحدٍّ يقرؤه present --challenge-qr."),
    ("cmd:present", "Présenter une attestation : les informations choisies, liées au défi et à l'identité du vérificateur.", "تقديم وثيقة: البيانات المختارة، مرتبطة بتحدي المُحقِّق وهويته."),
    ("cmd:verify", "(Vérificateur) vérifier une présentation avec le défi qu'il a émis, ou une attestation seule.", "(المُحقِّق) التحقق من عرض باستخدام التحدي الذي أصدره، أو من وثيقة وحدها."),
    ("cmd:verifier-page", "(Vérificateur) écrire le vérificateur pour navigateur dans un dossier (ouvrir son index.html dans un navigateur, depuis un disque, sans réseau) : la page, son module WebAssembly (les contrôles de verify) et un fichier de confiance pour le réseau de --genesis. Sans --genesis, ses verdicts sont « signature seule ».", "(المُحقِّق) كتابة مُحقِّق المتصفح في مجلد (افتح ملف index.html في أي متصفح، من قرص، دون شبكة): الصفحة ووحدة WebAssembly الخاصة بها (فحوص verify) وملف ثقة لشبكة ‎--genesis. بدون ‎--genesis تكون أحكامه «التوقيع فقط»."),
    ("cmd:status", "Demander à un nœud le statut des attestations détenues (active, révoquée, remplacée…) et l'enregistrer.", "سؤال عقدة عن حالة الوثائق المحفوظة (سارية، ملغاة، مستبدلة…) وحفظها."),
    ("cmd:auto", "Garder une sauvegarde chiffrée dans un dossier (clé USB), réécrite à chaque modification ; la phrase de récupération suffit à l'ouvrir.", "الاحتفاظ بنسخة احتياطية مشفرة في مجلد (ذاكرة USB) تُعاد كتابتها عند كل تغيير؛ عبارة الاسترداد وحدها تفتحها."),
    ("arg:backup", "Restaurer les attestations depuis la sauvegarde automatique : le fichier, ou le dossier qui le contient.", "استعادة الوثائق من النسخة الاحتياطية التلقائية: الملف أو المجلد الذي يحتويه."),
    ("arg:dir", "Le dossier de la sauvegarde automatique (il doit exister).", "مجلد النسخة الاحتياطية التلقائية (يجب أن يكون موجودًا)."),
    ("arg:off", "Arrêter la sauvegarde automatique (le fichier déjà écrit reste).", "إيقاف النسخ الاحتياطي التلقائي (يبقى الملف المكتوب)."),
    ("arg:yes", "Ne pas demander avant de divulguer (pour les scripts).", "عدم السؤال قبل الكشف (للبرامج النصية)."),
    ("arg:revoke.yes", "Révoquer sans demander (pour les scripts). Sans cette option, revoke montre ce qu'il va faire et demande confirmation ; sans terminal, rien n'est révoqué.", "الإلغاء دون سؤال (للبرامج النصية). بدونه يعرض revoke ما سيفعله ويطلب التأكيد؛ وبلا طرفية لا يُلغى شيء."),
    ("cmd:help", "Afficher cette aide ou celle d'une commande.", "عرض هذه المساعدة أو مساعدة أمر معيّن."),
    ("arg:wallet", "Fichier du portefeuille (par défaut : <données>/nansen/wallet.nansen).", "ملف المحفظة (افتراضيًا: <البيانات>/nansen/wallet.nansen)."),
    ("arg:lang", "Langue des messages : en, fr ou ar (par défaut : LANGUAGE / LC_ALL / LC_MESSAGES / LANG).", "لغة الرسائل: en أو fr أو ar (افتراضيًا: LANGUAGE / LC_ALL / LC_MESSAGES / LANG)."),
    ("arg:help", "Afficher l'aide.", "عرض المساعدة."),
    ("arg:version", "Afficher la version.", "عرض الإصدار."),
    ("arg:force", "Remplacer un portefeuille existant (l'ancien est gardé en <fichier>.bak).", "استبدال محفظة موجودة (تُحفظ القديمة باسم <الملف>.bak)."),
    ("arg:recovery_sheet", "Écrire aussi une fiche de récupération imprimable : FICHIER.png (code QR et mots numérotés) et FICHIER.txt (les mots et les instructions).", "كتابة ورقة استرداد قابلة للطباعة أيضًا: FILE.png (رمز QR والكلمات مرقّمة) وFILE.txt (الكلمات والتعليمات)."),
    ("arg:sheet_image", "Lire la phrase sur une photo du code QR de la fiche de récupération (PNG ou JPEG).", "قراءة العبارة من صورة رمز QR في ورقة الاسترداد (PNG أو JPEG)."),
    ("arg:id", "Identifiant de l'attestation.", "معرّف الوثيقة."),
    ("arg:file", "Fichier à lire.", "الملف المراد قراءته."),
    ("arg:out", "Fichier à écrire.", "الملف المراد كتابته."),
    ("arg:qr", "Afficher aussi en codes QR dans le terminal.", "العرض أيضًا كرموز QR في الطرفية."),
    ("arg:qr_png", "Écrire aussi les codes QR en PNG (nom-1.png, nom-2.png, …).", "حفظ رموز QR أيضًا كصور PNG (name-1.png، name-2.png، …)."),
    ("arg:qr_text", "Texte des codes QR (une partie NS1:i/n:… par ligne).", "نص رموز QR (جزء NS1:i/n:… في كل سطر)."),
    ("arg:qr_image", "Lire depuis des photos ou scans de codes QR (PNG ou JPEG, dans n'importe quel ordre).", "القراءة من صور أو مسح لرموز QR (PNG أو JPEG، بأي ترتيب)."),
    ("arg:kind", "Type d'événement : birth, death, marriage, divorce, adoption, name_change, identity_registration, refugee_status.", "نوع الواقعة: birth أو death أو marriage أو divorce أو adoption أو name_change أو identity_registration أو refugee_status."),
    ("arg:claims", "Les informations (fichier JSON pour issue ; noms séparés par des virgules pour present).", "البيانات (ملف JSON عند الإصدار؛ أسماء مفصولة بفواصل عند التقديم)."),
    ("arg:claim", "Une information NOM=VALEUR (répéter pour chacune), au lieu d'un fichier.", "بيان واحد بصيغة NAME=VALUE (يُكرَّر لكل بيان)، بدلًا من ملف."),
    ("arg:holder", "Le did:key du titulaire.", "معرّف did:key لصاحب الوثيقة."),
    ("arg:holder_qr", "Lire le did:key du titulaire sur une image de code QR.", "قراءة معرّف did:key لصاحب الوثيقة من صورة رمز QR."),
    ("arg:registrar_key", "Fichier de clé (chiffré) de l'officier d'état civil, celle qu'accrédite le registre.", "ملف مفتاح المسجِّل (مشفر)، وهو المفتاح المعتمد في السجل."),
    ("arg:node", "L'API d'un nœud (http://hôte:port) ; ou la variable NANSEN_NODE, comme pour nansen-node.", "واجهة العقدة (http://host:port)؛ أو المتغير NANSEN_NODE، كما في nansen-node."),
    ("arg:registrar", "L'identifiant de l'officier d'état civil (sa chaîne dans le registre).", "معرّف المسجِّل (سلسلته في السجل)."),
    ("arg:jurisdiction", "La juridiction de l'enregistrement : le code pays ISO 3166-1 alpha-2 (JO), éventuellement suivi d'une subdivision ISO 3166-2 (JO-MA). Un code alpha-3 (JOR, JOR-MA) est accepté et écrit en alpha-2.", "الولاية القضائية للتسجيل: رمز البلد ISO 3166-1 alpha-2 (JO)، وقد يليه تقسيم فرعي ISO 3166-2 (JO-MA). يُقبل رمز alpha-3 (JOR، JOR-MA) ويُكتب alpha-2."),
    ("arg:reason", "Motif : issued_in_error, fraud, holder_request, annulled, other.", "السبب: issued_in_error أو fraud أو holder_request أو annulled أو other."),
    ("arg:old_id", "L'identifiant de l'attestation corrigée.", "معرّف الوثيقة التي يجري تصحيحها."),
    ("arg:profile", "Un ensemble nommé d'informations : border (noms, nationalité, statut de réfugié).", "مجموعة بيانات مسمّاة: border (الأسماء، الجنسية، صفة اللاجئ)."),
    ("arg:challenge", "Le défi du vérificateur.", "تحدي المُحقِّق."),
    ("arg:audience", "L'identité du vérificateur.", "هوية المُحقِّق."),
    ("arg:challenge_qr", "Lire le défi et l'identité du vérificateur sur une photo ou un scan de son code de défi (nansen challenge --qr-png), au lieu de --challenge et --audience.", "قراءة التحدي وهوية المُحقِّق من صورة أو مسح لرمز التحدي الخاص به (nansen challenge --qr-png)، بدلًا من ‎--challenge و‎--audience."),
    ("arg:challenge.qr", "Afficher aussi le défi et l'identité du vérificateur en code QR dans le terminal.", "عرض التحدي وهوية المُحقِّق أيضًا كرمز QR في الطرفية."),
    ("arg:challenge.qr_png", "Écrire aussi le défi et l'identité du vérificateur en code QR (PNG).", "حفظ التحدي وهوية المُحقِّق أيضًا كرمز QR (PNG)."),
    ("arg:form", "Forme de la présentation : sd-jwt (informations choisies) ou di (tout est divulgué).", "شكل العرض: sd-jwt (بيانات مختارة) أو di (كشف كل البيانات)."),
    ("arg:max_age", "Âge maximal (secondes) de la signature du titulaire.", "أقصى عمر (بالثواني) لتوقيع صاحب الوثيقة."),
    ("arg:max_evidence_age", "Âge maximal (secondes) des preuves de statut : un fichier du registre plus ancien est périmé (7 jours par défaut).", "أقصى عمر (بالثواني) لأدلة الحالة: ملف السجل الأقدم منه منتهي الصلاحية (7 أيام افتراضيًا)."),
    ("arg:state_dir", "Répertoire des défis déjà utilisés par ce vérificateur.", "مجلد التحديات التي استخدمها هذا المُحقِّق."),
    ("arg:json", "Résultat en JSON.", "النتيجة بصيغة JSON."),
    ("arg:witnesses", "Clé d'un témoin de confiance (nansen-witness-…) ; répétable.", "مفتاح شاهد موثوق (nansen-witness-…)؛ يمكن تكراره."),
    ("arg:ledger", "Un registre exporté (nansen-node export), pour vérifier hors ligne.", "سجل مُصدَّر (nansen-node export) للتحقق دون اتصال."),
    ("arg:genesis", "Le fichier genesis du réseau (avec --ledger).", "ملف التكوين الأولي (genesis) للشبكة (مع --ledger)."),
    ("arg:listen", "Adresse locale et port (127.0.0.1:PORT ; le port 0 en choisit un).", "العنوان المحلي والمنفذ (127.0.0.1:PORT؛ المنفذ 0 يختار منفذًا)."),
    ("heading:usage", "Utilisation", "الاستخدام"),
    ("heading:commands", "Commandes", "الأوامر"),
    ("heading:arguments", "Arguments", "المعاملات"),
    ("heading:options", "Options", "الخيارات"),
];

fn text(lang: Lang, key: &str) -> Option<&'static str> {
    let (_, fr, ar) = HELP.iter().find(|e| e.0 == key)?;
    match lang {
        Lang::Fr => Some(fr),
        Lang::Ar => Some(ar),
        Lang::En => None,
    }
}

/// The language asked for on the command line (`--lang X` or `--lang=X`) before parsing, so
/// the help itself can be translated; else the environment's.
pub fn language_of_args(args: &[String]) -> Lang {
    let explicit = args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--lang=")
            .map(str::to_owned)
            .or_else(|| (a == "--lang").then(|| args.get(i + 1).cloned()).flatten())
    });
    Lang::choose(explicit.as_deref())
}

/// `command` (and its subcommands) with help texts and headings in `lang`.
pub fn localize(command: Command, lang: Lang) -> Command {
    if lang == Lang::En {
        return command;
    }
    localize_one(command, lang)
}

fn localize_one(mut command: Command, lang: Lang) -> Command {
    let name = command.get_name().to_owned();
    if let Some(about) = text(lang, &format!("cmd:{name}")) {
        command = command.about(about).long_about(None);
    }
    let ids: Vec<String> = command
        .get_arguments()
        .map(|a| a.get_id().as_str().to_owned())
        .collect();
    for id in ids {
        let help =
            text(lang, &format!("arg:{name}.{id}")).or_else(|| text(lang, &format!("arg:{id}")));
        if let Some(help) = help {
            command = command.mut_arg(id.as_str(), |a| a.help(help).long_help(None));
        }
    }
    let help_template = template(&command, lang);
    command = command.help_template(help_template);
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for sub in subcommands {
        command = command.mut_subcommand(sub.as_str(), |s| localize_one(s, lang));
    }
    command
}

/// A help template with the section headings in `lang`; a section appears only when the
/// command has something to put in it.
fn template(command: &Command, lang: Lang) -> String {
    let heading = |key: &str| text(lang, key).map_or_else(|| key.to_owned(), |t| t.to_owned());
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    #[test]
    fn every_command_and_common_argument_has_both_translations() {
        let command = crate::cli::Cli::command();
        let mut names = vec![command.get_name().to_owned()];
        for sub in command.get_subcommands() {
            names.push(sub.get_name().to_owned());
            names.extend(sub.get_subcommands().map(|s| s.get_name().to_owned()));
        }
        for name in names {
            for lang in [Lang::Fr, Lang::Ar] {
                assert!(
                    text(lang, &format!("cmd:{name}")).is_some(),
                    "cmd:{name} in {lang:?}"
                );
            }
        }
        for (key, fr, ar) in HELP {
            assert!(!fr.is_empty() && !ar.is_empty(), "{key}");
        }
    }

    #[test]
    fn help_is_rendered_in_the_chosen_language() {
        let mut fr = localize(crate::cli::Cli::command(), Lang::Fr);
        let help = fr.render_help().to_string();
        assert!(
            help.contains("Utilisation") && help.contains("Commandes"),
            "{help}"
        );
        assert!(help.contains("Vérificateur"), "{help}");
        let mut ar = localize(crate::cli::Cli::command(), Lang::Ar);
        let verify = ar
            .find_subcommand_mut("verify")
            .map(|v| v.render_help().to_string())
            .unwrap_or_default();
        assert!(
            verify.contains("تحدي المُحقِّق") && verify.contains("الخيارات"),
            "{verify}"
        );
        assert_eq!(
            language_of_args(&["nansen".into(), "--lang".into(), "fr".into()]),
            Lang::Fr
        );
        assert_eq!(
            language_of_args(&["nansen".into(), "--lang=ar".into()]),
            Lang::Ar
        );
    }
}
