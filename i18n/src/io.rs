//! A file or network error (`std::io::Error`) told in the run's language, by its kind: the
//! one place both binaries and `nansen-vc-api` turn an operating-system error into words.
//!
//! The kinds a person meets (a missing file, a folder where a file was expected, a file that
//! may not be read, a full disk, a data directory in use...) have a sentence in English,
//! French and Arabic ([`IO_KINDS`]). A kind without one keeps the system's English text,
//! given as the detail after a translated "system error" ([`io_error`]): the words are then
//! honest about being the system's, not ours.

use std::io::ErrorKind;

use crate::{tr, Catalogue, Lang};

/// The sentence of each translated error kind: (kind, English, French, Arabic).
pub const IO_KINDS: &[(ErrorKind, &str, &str, &str)] = &[
    (
        ErrorKind::NotFound,
        "no such file or folder",
        "fichier ou dossier introuvable",
        "الملف أو المجلد غير موجود",
    ),
    (
        ErrorKind::PermissionDenied,
        "permission denied (this user may not read or write it)",
        "accès refusé (cet utilisateur ne peut ni le lire ni l'écrire)",
        "الإذن مرفوض (لا يحق لهذا المستخدم قراءته أو كتابته)",
    ),
    (
        ErrorKind::AlreadyExists,
        "it already exists",
        "il existe déjà",
        "موجود مسبقًا",
    ),
    (
        ErrorKind::IsADirectory,
        "it is a folder, not a file",
        "c'est un dossier, pas un fichier",
        "هذا مجلد وليس ملفًا",
    ),
    (
        ErrorKind::NotADirectory,
        "a part of the path is a file, not a folder",
        "une partie du chemin est un fichier, pas un dossier",
        "جزء من المسار ملف وليس مجلدًا",
    ),
    (
        ErrorKind::DirectoryNotEmpty,
        "the folder is not empty",
        "le dossier n'est pas vide",
        "المجلد ليس فارغًا",
    ),
    (
        ErrorKind::InvalidData,
        "the data is not valid",
        "les données ne sont pas valides",
        "البيانات غير صالحة",
    ),
    (
        ErrorKind::InvalidInput,
        "invalid value",
        "valeur invalide",
        "قيمة غير صالحة",
    ),
    (
        ErrorKind::InvalidFilename,
        "the file name is not valid (too long, or a character not allowed)",
        "le nom de fichier n'est pas valide (trop long, ou un caractère interdit)",
        "اسم الملف غير صالح (طويل جدًا أو فيه حرف غير مسموح)",
    ),
    (
        ErrorKind::UnexpectedEof,
        "the file ends too early (cut short?)",
        "le fichier se termine trop tôt (tronqué ?)",
        "ينتهي الملف قبل أوانه (مقطوع؟)",
    ),
    (
        ErrorKind::WouldBlock,
        "in use by another process",
        "utilisé par un autre processus",
        "تستخدمه عملية أخرى",
    ),
    (
        ErrorKind::ResourceBusy,
        "in use (busy)",
        "occupé (en cours d'utilisation)",
        "مشغول (قيد الاستخدام)",
    ),
    (
        ErrorKind::StorageFull,
        "the disk is full",
        "le disque est plein",
        "القرص ممتلئ",
    ),
    (
        ErrorKind::QuotaExceeded,
        "the disk quota is exceeded",
        "le quota de disque est dépassé",
        "تم تجاوز حصة القرص",
    ),
    (
        ErrorKind::FileTooLarge,
        "the file is too large",
        "le fichier est trop grand",
        "الملف كبير جدًا",
    ),
    (
        ErrorKind::ReadOnlyFilesystem,
        "the disk is read-only",
        "le disque est en lecture seule",
        "القرص للقراءة فقط",
    ),
    (
        ErrorKind::CrossesDevices,
        "it cannot be moved to another disk",
        "impossible de le déplacer vers un autre disque",
        "لا يمكن نقله إلى قرص آخر",
    ),
    (
        ErrorKind::Interrupted,
        "interrupted",
        "interrompu",
        "توقف قبل انتهائه",
    ),
    (
        ErrorKind::TimedOut,
        "timed out",
        "délai dépassé",
        "انتهت المهلة",
    ),
    (
        ErrorKind::ConnectionRefused,
        "connection refused (nothing listens there)",
        "connexion refusée (rien n'écoute à cette adresse)",
        "رُفض الاتصال (لا شيء يستمع هناك)",
    ),
    (
        ErrorKind::ConnectionReset,
        "the connection was reset by the other side",
        "la connexion a été réinitialisée par l'autre côté",
        "أعاد الطرف الآخر ضبط الاتصال",
    ),
    (
        ErrorKind::ConnectionAborted,
        "the connection was aborted",
        "la connexion a été interrompue",
        "أُلغي الاتصال",
    ),
    (
        ErrorKind::NotConnected,
        "not connected",
        "non connecté",
        "غير متصل",
    ),
    (
        ErrorKind::BrokenPipe,
        "the other side closed the connection",
        "l'autre côté a fermé la connexion",
        "أغلق الطرف الآخر الاتصال",
    ),
    (
        ErrorKind::AddrInUse,
        "the address is already in use (another program listens there)",
        "l'adresse est déjà utilisée (un autre programme y écoute)",
        "العنوان مستخدم مسبقًا (يستمع عليه برنامج آخر)",
    ),
    (
        ErrorKind::AddrNotAvailable,
        "the address is not available on this machine",
        "l'adresse n'est pas disponible sur cette machine",
        "العنوان غير متاح على هذا الجهاز",
    ),
    (
        ErrorKind::HostUnreachable,
        "the host cannot be reached",
        "l'hôte est injoignable",
        "لا يمكن الوصول إلى المضيف",
    ),
    (
        ErrorKind::NetworkUnreachable,
        "the network cannot be reached",
        "le réseau est injoignable",
        "لا يمكن الوصول إلى الشبكة",
    ),
    (
        ErrorKind::NetworkDown,
        "the network is down",
        "le réseau est coupé",
        "الشبكة معطلة",
    ),
    (
        ErrorKind::OutOfMemory,
        "out of memory",
        "mémoire insuffisante",
        "الذاكرة غير كافية",
    ),
    (
        ErrorKind::Unsupported,
        "not supported on this system",
        "non pris en charge sur ce système",
        "غير مدعوم على هذا النظام",
    ),
];

/// System errors whose kind Rust does not name in a stable way but a person meets: (the
/// Unix error number, English, French, Arabic), numbers that are the same on Linux, the BSDs
/// and macOS. EIO (5) is what a failing disk or a USB stick pulled out gives; ENXIO (6) is
/// what opening the terminal gives a process that has none (a service, a script).
#[cfg(unix)]
pub const IO_CODES: &[(i32, &str, &str, &str)] = &[
    (
        5,
        "input/output error (a failing disk or device?)",
        "erreur d'entrée-sortie (disque ou périphérique défaillant ?)",
        "خطأ في الإدخال أو الإخراج (قرص أو جهاز معطوب؟)",
    ),
    (
        6,
        "no such device (no terminal?)",
        "périphérique introuvable (pas de terminal ?)",
        "الجهاز غير موجود (لا توجد طرفية؟)",
    ),
];
/// System errors told by their number: none outside Unix.
#[cfg(not(unix))]
pub const IO_CODES: &[(i32, &str, &str, &str)] = &[];

/// The words around a kind's sentence: a library's message after it, or the system's own
/// text for a kind without a sentence.
pub const IO_CATALOGUE: &Catalogue = &[
    ("io-detail", "{0} ({1})", "{0} ({1})", "{0} ({1})"),
    (
        "io-system",
        "system error: {0}",
        "erreur du système : {0}",
        "خطأ من النظام: {0}",
    ),
];

/// `error` in `lang`: the sentence of its kind ([`IO_KINDS`]); when the error carries a
/// message of a library rather than the system's (`io::Error::new(kind, message)`), that
/// message follows in parentheses as the detail, in its own words. A kind without a sentence
/// keeps the system's English text: as it is in English, after "system error:" in French and
/// Arabic. Arabic is isolated right to left, with the detail keeping its own direction.
pub fn io_error(lang: Lang, error: &std::io::Error) -> String {
    let kind = error.kind();
    let by_code = error
        .raw_os_error()
        .and_then(|code| IO_CODES.iter().find(|c| c.0 == code))
        .map(|c| (kind, c.1, c.2, c.3));
    let Some(texts) = by_code
        .as_ref()
        .or_else(|| IO_KINDS.iter().find(|k| k.0 == kind))
    else {
        return match lang {
            Lang::En => error.to_string(),
            _ => tr(IO_CATALOGUE, lang, "io-system", &[&error.to_string()]),
        };
    };
    let sentence = match lang {
        Lang::En => texts.1,
        Lang::Fr => texts.2,
        Lang::Ar => texts.3,
    };
    // A library's own message (the system's text is replaced by the sentence: it says the same).
    let detail = error
        .get_ref()
        .map(|inner| inner.to_string())
        .filter(|d| !d.is_empty());
    match (detail, lang) {
        (Some(detail), _) => tr(IO_CATALOGUE, lang, "io-detail", &[sentence, &detail]),
        (None, Lang::Ar) => crate::isolate(crate::RIGHT_TO_LEFT_ISOLATE, sentence),
        (None, _) => sentence.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_translated_kind_has_three_texts_once() {
        for (i, (kind, en, fr, ar)) in IO_KINDS.iter().enumerate() {
            assert!(
                !IO_KINDS[..i].iter().any(|k| k.0 == *kind),
                "{kind:?} twice"
            );
            for text in [en, fr, ar] {
                assert!(!text.trim().is_empty(), "{kind:?} lacks a text");
            }
            assert_ne!(en, fr, "{kind:?}: the French is the English");
            assert!(
                ar.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                "{kind:?}: the Arabic text has no Arabic letter"
            );
            // The sentence is what the three languages print for the kind.
            let error = std::io::Error::from(*kind);
            assert_eq!(io_error(Lang::En, &error), *en);
            assert_eq!(io_error(Lang::Fr, &error), *fr);
            assert!(io_error(Lang::Ar, &error).contains(ar));
        }
        for (code, en, fr, ar) in IO_CODES {
            assert!([en, fr, ar].iter().all(|t| !t.trim().is_empty()), "{code}");
        }
        assert!(crate::problems(IO_CATALOGUE).is_empty());
    }

    #[test]
    fn the_system_s_words_are_replaced_or_kept_as_the_detail() {
        // ENOENT, as the system gives it: no English and no "os error" left in French/Arabic.
        let missing = std::io::Error::from_raw_os_error(2);
        assert_eq!(missing.kind(), ErrorKind::NotFound);
        let fr = io_error(Lang::Fr, &missing);
        assert_eq!(fr, "fichier ou dossier introuvable");
        let ar = io_error(Lang::Ar, &missing);
        assert!(!ar.contains("os error") && !ar.contains("No such"), "{ar}");
        assert!(
            ar.starts_with('\u{2067}') && ar.ends_with('\u{2069}'),
            "{ar:?}"
        );
        // EISDIR, ENOTDIR, EACCES, ENOSPC, EROFS, EAGAIN (a lock held elsewhere).
        for (code, words) in [
            (21, "c'est un dossier"),
            (20, "une partie du chemin est un fichier"),
            (13, "accès refusé"),
            (28, "le disque est plein"),
            (30, "lecture seule"),
            (11, "utilisé par un autre processus"),
        ] {
            let text = io_error(Lang::Fr, &std::io::Error::from_raw_os_error(code));
            assert!(text.contains(words), "{code}: {text}");
            assert!(!text.contains("os error"), "{code}: {text}");
        }
        // EIO and ENXIO, told by their numbers.
        #[cfg(unix)]
        assert!(io_error(Lang::Fr, &std::io::Error::from_raw_os_error(5))
            .starts_with("erreur d'entrée-sortie"));
        #[cfg(unix)]
        assert_eq!(
            io_error(Lang::Fr, &std::io::Error::from_raw_os_error(6)),
            "périphérique introuvable (pas de terminal ?)"
        );
        // A kind without a sentence (EMLINK: too many links) keeps the system's words, said
        // to be the system's.
        let links = std::io::Error::from_raw_os_error(31);
        assert!(!IO_KINDS.iter().any(|k| k.0 == links.kind()));
        assert_eq!(io_error(Lang::En, &links), links.to_string());
        let fr = io_error(Lang::Fr, &links);
        assert_eq!(fr, format!("erreur du système : {links}"));
        // A library's own message is kept after the sentence.
        let invalid =
            std::io::Error::new(ErrorKind::InvalidData, "stream did not contain valid UTF-8");
        assert_eq!(
            io_error(Lang::Fr, &invalid),
            "les données ne sont pas valides (stream did not contain valid UTF-8)"
        );
        let ar = io_error(Lang::Ar, &invalid);
        let opens = ar
            .chars()
            .filter(|c| ('\u{2066}'..='\u{2068}').contains(c))
            .count();
        let closes = ar.chars().filter(|c| *c == '\u{2069}').count();
        assert_eq!(opens, closes, "{ar:?}");
    }
}
