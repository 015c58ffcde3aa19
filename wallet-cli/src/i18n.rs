//! The user-facing messages of the `nansen` binary, in English, French and Arabic.
//!
//! A small embedded catalogue: each message has a key and one text per language; `{0}`, `{1}`
//! are replaced by arguments. The language comes from `--lang`, else `LANGUAGE`, `LC_ALL`,
//! `LC_MESSAGES`, `LANG` ([`Lang::resolve`]), else English; a language asked for but not
//! available is named once on standard error. Every key has all three texts (a test checks).

/// A supported language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
    /// Arabic (right to left).
    Ar,
}

impl Lang {
    /// Picks the language from an explicit choice (`--lang`) or the environment (see
    /// [`Lang::resolve`]). A language asked for but not available is named once per process on
    /// standard error, and English is used.
    pub fn choose(explicit: Option<&str>) -> Lang {
        let (lang, unavailable) = Lang::resolve(explicit, |name| std::env::var(name).ok());
        if let Some(tag) = unavailable {
            static NAMED: std::sync::Once = std::sync::Once::new();
            NAMED.call_once(|| {
                eprintln!(
                    "nansen: language {tag:?} is not available; using English (available: en, fr, ar)"
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
}

/// (key, English, French, Arabic).
const CATALOGUE: &[(&str, &str, &str, &str)] = &[
    ("verdict-pass", "VERDICT: VALID presentation", "VERDICT : présentation VALIDE", "الحكم: عرض صالح"),
    ("verdict-fail", "VERDICT: INVALID presentation (failed check: {0})", "VERDICT : présentation INVALIDE (contrôle échoué : {0})", "الحكم: عرض غير صالح (فحص فاشل: {0})"),
    ("verdict-signature-only", "VERDICT: SIGNATURE ONLY: issuer and status not checked (not checked: {0}). Not a valid presentation.", "VERDICT : SIGNATURE SEULEMENT : émetteur et statut non vérifiés (non vérifié : {0}). Ce n'est pas une présentation valide.", "الحكم: التوقيع فقط: لم يتم التحقق من الجهة المصدرة والحالة (لم يُتحقق من: {0}). ليس عرضًا صالحًا."),
    ("verdict-pass-credential", "VERDICT: VALID credential (a credential alone does not show who holds it: ask for a presentation)", "VERDICT : attestation VALIDE (une attestation seule ne montre pas qui la détient : demandez une présentation)", "الحكم: وثيقة صالحة (الوثيقة وحدها لا تُثبت من يحملها: اطلب عرضًا)"),
    ("verdict-fail-credential", "VERDICT: INVALID credential (failed check: {0})", "VERDICT : attestation INVALIDE (contrôle échoué : {0})", "الحكم: وثيقة غير صالحة (فحص فاشل: {0})"),
    ("verdict-signature-only-credential", "VERDICT: SIGNATURE ONLY: issuer and status not checked (not checked: {0}). Not a valid credential.", "VERDICT : SIGNATURE SEULEMENT : émetteur et statut non vérifiés (non vérifié : {0}). Ce n'est pas une attestation valide.", "الحكم: التوقيع فقط: لم يتم التحقق من الجهة المصدرة والحالة (لم يُتحقق من: {0}). ليست وثيقة صالحة."),
    ("evidence-age", "Status evidence age: {0}", "Âge des preuves de statut : {0}", "عمر أدلة الحالة: {0}"),
    ("evidence-none", "Status evidence: none (no node, no ledger file).", "Preuves de statut : aucune (ni nœud, ni fichier du registre).", "أدلة الحالة: لا شيء (لا عقدة ولا ملف سجل)."),
    ("check-pass", "PASS", "RÉUSSI", "ناجح"),
    ("check-fail", "FAIL", "ÉCHEC", "فاشل"),
    ("check-not-run", "NOT RUN", "NON EXÉCUTÉ", "لم يُنفَّذ"),
    ("check-skip", "SKIP", "IGNORÉ", "متجاوز"),
    ("disclosed", "Disclosed claims:", "Informations divulguées :", "البيانات المكشوفة:"),
    ("ledger-unchecked", "Anchoring and accreditation were not checked (no ledger replica).", "L'ancrage et l'accréditation n'ont pas été vérifiés (pas de réplique du registre).", "لم يتم التحقق من التثبيت والاعتماد (لا توجد نسخة من السجل)."),
    ("error", "Error: {0}", "Erreur : {0}", "خطأ: {0}"),
    ("wrong-passphrase", "Error: WrongPassphrase: the passphrase does not open this wallet. Nothing was changed.", "Erreur : WrongPassphrase : cette phrase de passe n'ouvre pas ce portefeuille. Rien n'a été modifié.", "خطأ: WrongPassphrase: عبارة المرور لا تفتح هذه المحفظة. لم يتغير شيء."),
    ("corrupted", "Error: Corrupted: the wallet file is damaged ({0}). It was not changed; try {1}.", "Erreur : Corrupted : le fichier du portefeuille est endommagé ({0}). Il n'a pas été modifié ; essayez {1}.", "خطأ: Corrupted: ملف المحفظة تالف ({0}). لم يتم تغييره؛ جرّب {1}."),
    ("phrase-header", "Your recovery phrase. Write it down on paper and keep it safe; it is shown only once:", "Votre phrase de récupération. Écrivez-la sur papier et gardez-la en lieu sûr ; elle n'est affichée qu'une fois :", "عبارة الاسترداد الخاصة بك. اكتبها على ورق واحفظها بأمان؛ تُعرض مرة واحدة فقط:"),
    ("wallet-created", "Wallet created: {0}", "Portefeuille créé : {0}", "تم إنشاء المحفظة: {0}"),
    ("wallet-recovered", "Wallet recovered: {0}", "Portefeuille restauré : {0}", "تمت استعادة المحفظة: {0}"),
    ("holder-did", "Your identifier (DID): {0}", "Votre identifiant (DID) : {0}", "معرّفك (DID): {0}"),
    ("received", "Credential received and stored: {0} ({1})", "Attestation reçue et enregistrée : {0} ({1})", "تم استلام الوثيقة وحفظها: {0} ({1})"),
    ("no-credentials", "The wallet holds no credentials.", "Le portefeuille ne contient aucune attestation.", "المحفظة لا تحتوي على أي وثائق."),
    ("presentation-written", "Presentation written to {0}", "Présentation écrite dans {0}", "تم حفظ العرض في {0}"),
    ("portrait-value", "{0}, {1} bytes (nansen verify --portrait-out FILE writes it)", "{0}, {1} octets (nansen verify --portrait-out FICHIER l'écrit)", "{0}، {1} بايت (يحفظها nansen verify --portrait-out FILE)"),
    ("portrait-written", "Portrait disclosed: written to {0}; compare it with the person's face", "Portrait divulgué : écrit dans {0} ; comparez-le au visage de la personne", "تم الكشف عن الصورة الشخصية: حُفظت في {0}؛ قارنها بوجه الشخص"),
    ("portrait-none", "No portrait disclosed: nothing written", "Aucun portrait divulgué : rien n'a été écrit", "لم يُكشف عن صورة شخصية: لم يُحفظ شيء"),
    ("qr-written", "QR code {0}/{1} written to {2} (version {3}, error correction {4})", "Code QR {0}/{1} écrit dans {2} (version {3}, correction d'erreur {4})", "تم حفظ رمز QR {0}/{1} في {2} (الإصدار {3}، تصحيح الأخطاء {4})"),
    ("passphrase-prompt", "Wallet passphrase: ", "Phrase de passe du portefeuille : ", "عبارة مرور المحفظة: "),
    ("passphrase-confirm", "Repeat the passphrase: ", "Répétez la phrase de passe : ", "أعد إدخال عبارة المرور: "),
    ("passphrase-mismatch", "The passphrases differ.", "Les phrases de passe diffèrent.", "عبارتا المرور مختلفتان."),
    ("status-warning", "Warning: the node says this credential is {0}; the verifier will see it.", "Attention : selon le nœud, cette attestation est {0} ; le vérificateur le verra.", "تنبيه: تقول العقدة إن هذه الوثيقة {0}؛ وسيرى المُحقِّق ذلك."),
    ("backup-passphrase-prompt", "Backup passphrase: ", "Phrase de passe de la sauvegarde : ", "عبارة مرور النسخة الاحتياطية: "),
    ("backup-written", "Encrypted backup of {0} credentials written to {1}", "Sauvegarde chiffrée de {0} attestations écrite dans {1}", "تم حفظ نسخة احتياطية مشفرة من {0} وثائق في {1}"),
    ("backup-imported", "Backup imported: {0} credentials added, {1} already held", "Sauvegarde importée : {0} attestations ajoutées, {1} déjà présentes", "تم استيراد النسخة الاحتياطية: أضيفت {0} وثائق، و{1} موجودة مسبقًا"),
    ("sheet-written", "Recovery sheet written: {0} (QR code of the phrase and the words) and {1} (the words and instructions). Print them, keep them safe, then delete the files.", "Fiche de récupération écrite : {0} (code QR de la phrase et les mots) et {1} (les mots et les instructions). Imprimez-les, gardez-les en lieu sûr, puis supprimez les fichiers.", "تم حفظ ورقة الاسترداد: {0} (رمز QR للعبارة والكلمات) و{1} (الكلمات والتعليمات). اطبعهما واحفظهما بأمان، ثم احذف الملفين."),
    ("received-anchored", "Anchored on the ledger by an accredited registrar; status: active (checked with {0}).", "Ancrée dans le registre par un officier d'état civil accrédité ; statut : active (vérifié auprès de {0}).", "مثبتة في السجل من قِبل مسجِّل معتمد؛ الحالة: سارية (تم التحقق عبر {0})."),
    ("received-flagged", "Warning: {0}: the ledger says this credential is {1} (checked with {2}). It was stored with that status; verifiers will see it.", "Attention : {0} : selon le registre, cette attestation est {1} (vérifié auprès de {2}). Elle a été enregistrée avec ce statut ; les vérificateurs le verront.", "تنبيه: {0}: يقول السجل إن هذه الوثيقة {1} (تم التحقق عبر {2}). حُفظت بهذه الحالة؛ وسيراها المُحقِّقون."),
    ("received-not-checked", "Its anchoring and status on the ledger were not checked (no --node).", "Son ancrage et son statut dans le registre n'ont pas été vérifiés (pas de --node).", "لم يتم التحقق من تثبيتها وحالتها في السجل (لا يوجد --node)."),
    ("di-full-disclosure", "Note: this Data Integrity presentation shows every claim of the credential (full disclosure). Use the default SD-JWT form to show only some.", "Remarque : cette présentation Data Integrity montre toutes les informations de l'attestation (divulgation complète). Utilisez la forme SD-JWT par défaut pour n'en montrer qu'une partie.", "ملاحظة: يكشف عرض Data Integrity هذا كل بيانات الوثيقة (كشف كامل). استخدم صيغة SD-JWT الافتراضية لكشف بعضها فقط."),
    ("phrase-prompt", "Type your 24-word recovery phrase:", "Saisissez votre phrase de récupération de 24 mots :", "اكتب عبارة الاسترداد المكونة من 24 كلمة:"),
    // Passphrases without a terminal, their strength, private output files, the phrase read
    // line by line.
    ("no-passphrase", "Error: NoPassphrase: no passphrase was given. Set {0} in the environment (or {1} to the name of a file holding it), or run the command in a terminal to be asked for it. Nothing was changed.", "Erreur : NoPassphrase : aucune phrase de passe n'a été donnée. Définissez {0} dans l'environnement (ou {1} avec le nom d'un fichier qui la contient), ou lancez la commande dans un terminal pour qu'elle soit demandée. Rien n'a été modifié.", "خطأ: NoPassphrase: لم تُعطَ عبارة مرور. عرّف {0} في البيئة (أو {1} باسم ملف يحتويها)، أو شغّل الأمر في طرفية ليُطلب منك إدخالها. لم يتغير شيء."),
    ("weak-passphrase", "Error: WeakPassphrase: this passphrase is too easy to guess (strength {0} of 4, at least 3 needed). {1} Choose a longer one: four or more unrelated words, or a sentence only you would write. Nothing was created.", "Erreur : WeakPassphrase : cette phrase de passe est trop facile à deviner (force {0} sur 4, il faut au moins 3). {1} Choisissez-en une plus longue : quatre mots sans rapport entre eux ou plus, ou une phrase que vous seul écririez. Rien n'a été créé.", "خطأ: WeakPassphrase: عبارة المرور هذه سهلة التخمين (القوة {0} من 4، والمطلوب 3 على الأقل). {1} اختر عبارة أطول: أربع كلمات أو أكثر لا علاقة بينها، أو جملة لا يكتبها أحد غيرك. لم يُنشأ شيء."),
    ("output-exists", "Error: OutputExists: {0} already exists and was not overwritten. Give another file name, or --force to replace it. Nothing was written.", "Erreur : OutputExists : {0} existe déjà et n'a pas été remplacé. Donnez un autre nom de fichier, ou --force pour le remplacer. Rien n'a été écrit.", "خطأ: OutputExists: الملف {0} موجود مسبقًا ولم يُستبدل. اختر اسم ملف آخر، أو استخدم --force لاستبداله. لم يُكتب شيء."),
    ("registrar-passphrase-prompt", "Registrar key passphrase: ", "Phrase de passe de la clé de l'officier d'état civil : ", "عبارة مرور مفتاح المسجِّل: "),
    ("phrase-prompt-lines", "Type your 24-word recovery phrase (words separated by spaces, or one word per line):", "Saisissez votre phrase de récupération de 24 mots (séparés par des espaces, ou un mot par ligne) :", "اكتب عبارة الاسترداد المكونة من 24 كلمة (تفصل بينها مسافات، أو كلمة في كل سطر):"),
    // The holder in control: the automatic backup and recovery from it, `status`, labelled
    // claims for `show` and `present`, the translated recovery sheet.
    ("auto-backup-failed", "Warning: {0}: the wallet was saved, but its automatic backup was not updated: {1}. It will be tried again at the next change.", "Attention : {0} : le portefeuille a été enregistré, mais sa sauvegarde automatique n'a pas été mise à jour : {1}. Elle sera retentée à la prochaine modification.", "تنبيه: {0}: تم حفظ المحفظة، لكن نسختها الاحتياطية التلقائية لم تُحدَّث: {1}. ستتم المحاولة مجددًا عند التغيير التالي."),
    ("auto-backup-on", "Automatic backup on: {0} credentials written to {1}. The wallet rewrites it at every change; your recovery phrase alone opens it (nansen recover --backup FOLDER).", "Sauvegarde automatique activée : {0} attestations écrites dans {1}. Le portefeuille la réécrit à chaque modification ; votre phrase de récupération suffit à l'ouvrir (nansen recover --backup DOSSIER).", "تم تفعيل النسخ الاحتياطي التلقائي: كُتبت {0} وثائق في {1}. تعيد المحفظة كتابتها عند كل تغيير؛ عبارة الاسترداد وحدها تفتحها (nansen recover --backup المجلد)."),
    ("auto-backup-off", "Automatic backup off. The backup file already written was left where it is.", "Sauvegarde automatique désactivée. Le fichier de sauvegarde déjà écrit est resté en place.", "تم إيقاف النسخ الاحتياطي التلقائي. بقي ملف النسخة الاحتياطية المكتوب سابقًا في مكانه."),
    ("recovered-from-backup", "{0} credentials restored from the backup; the wallet keeps its automatic backup in {1}.", "{0} attestations restaurées depuis la sauvegarde ; le portefeuille garde sa sauvegarde automatique dans {1}.", "تمت استعادة {0} وثائق من النسخة الاحتياطية؛ تحتفظ المحفظة بنسختها الاحتياطية التلقائية في {1}."),
    ("recovered-no-backup", "The recovery phrase brings back your identity, not your credentials: they come back only from a backup. Run `nansen backup import FILE`, or recover again with `nansen recover --force --backup FOLDER` (the folder or USB stick of your automatic backup). Otherwise ask the registrar to issue them again.", "La phrase de récupération rétablit votre identité, pas vos attestations : elles ne reviennent que d'une sauvegarde. Lancez `nansen backup import FICHIER`, ou restaurez à nouveau avec `nansen recover --force --backup DOSSIER` (le dossier ou la clé USB de votre sauvegarde automatique). Sinon, demandez à l'officier d'état civil de les émettre à nouveau.", "عبارة الاسترداد تعيد هويتك، لا وثائقك: لا تعود الوثائق إلا من نسخة احتياطية. نفّذ `nansen backup import FILE`، أو استرد مجددًا بالأمر `nansen recover --force --backup FOLDER` (مجلد نسختك الاحتياطية التلقائية أو ذاكرة USB). وإلا فاطلب من المسجِّل إصدارها مرة أخرى."),
    ("no-credentials-hint", "If you recovered this wallet, your credentials come back from your backup: `nansen backup import FILE`, or `nansen recover --force --backup FOLDER`.", "Si vous avez restauré ce portefeuille, vos attestations reviennent de votre sauvegarde : `nansen backup import FICHIER`, ou `nansen recover --force --backup DOSSIER`.", "إذا كنت قد استعدت هذه المحفظة، فوثائقك تعود من نسختك الاحتياطية: `nansen backup import FILE` أو `nansen recover --force --backup FOLDER`."),
    ("show-credential", "Credential {0} ({1})", "Attestation {0} ({1})", "الوثيقة {0} ({1})"),
    ("show-issuer", "Issued by: {0}", "Émise par : {0}", "أصدرها: {0}"),
    ("show-valid-from", "Valid from: {0}", "Valable à partir du : {0}", "صالحة اعتبارًا من: {0}"),
    ("status-not-checked", "Status: not checked on the ledger (received {0})", "Statut : non vérifié dans le registre (reçue le {0})", "الحالة: لم يُتحقق منها في السجل (استُلمت في {0})"),
    ("status-checked", "Status: {0} (checked {1})", "Statut : {0} (vérifié le {1})", "الحالة: {0} (تم التحقق في {1})"),
    ("claim-line", "  {0}: {1}", "  {0} : {1}", "  {0}: {1}"),
    ("status-failed", "Error: the status of {0} could not be checked: {1}", "Erreur : le statut de {0} n'a pas pu être vérifié : {1}", "خطأ: تعذّر التحقق من حالة {0}: {1}"),
    ("status-active", "{0} ({1}): active (checked with {2})", "{0} ({1}) : active (vérifié auprès de {2})", "{0} ({1}): سارية (تم التحقق عبر {2})"),
    ("status-not-active", "{0} ({1}): {2}: {3}. Verifiers will refuse it.", "{0} ({1}) : {2} : {3}. Les vérificateurs la refuseront.", "{0} ({1}): {2}: {3}. سيرفضها المدققون."),
    ("present-will-disclose", "This presentation will show {1} these {0} claims:", "Cette présentation montrera à {1} ces {0} informations :", "سيعرض هذا العرض على {1} هذه البيانات ({0}):"),
    ("present-no-terminal", "nothing was disclosed: there is no terminal to ask you on. Give --yes to disclose these claims without being asked.", "rien n'a été divulgué : il n'y a pas de terminal pour vous le demander. Ajoutez --yes pour divulguer ces informations sans question.", "لم يُكشف شيء: لا توجد طرفية لسؤالك. أضف --yes لكشف هذه البيانات دون سؤال."),
    ("present-confirm", "Disclose them? [y/N] ", "Les divulguer ? [o/N] ", "هل تكشفها؟ [نعم/لا] "),
    ("present-declined", "nothing was disclosed (you did not confirm).", "rien n'a été divulgué (vous n'avez pas confirmé).", "لم يُكشف شيء (لم تؤكد)."),
    ("revoke-about", "About to revoke credential {0} (reason: {1}) on the chain of {2}, through {3}. A revocation is permanent: every holder and verifier will see the credential as revoked.", "Révocation de l'attestation {0} (motif : {1}) sur la chaîne de {2}, par {3}. Une révocation est définitive : titulaires et vérificateurs verront l'attestation révoquée.", "إلغاء الوثيقة {0} (السبب: {1}) في سلسلة {2} عبر {3}. الإلغاء نهائي: سيرى كل صاحب وثيقة وكل مُحقِّق أنها ملغاة."),
    ("revoke-confirm", "Revoke it? [y/N] ", "La révoquer ? [o/N] ", "هل تلغيها؟ [نعم/لا] "),
    ("revoke-no-terminal", "nothing was revoked: there is no terminal to ask you on. Give --yes to revoke without being asked.", "rien n'a été révoqué : il n'y a pas de terminal pour vous le demander. Ajoutez --yes pour révoquer sans question.", "لم يُلغَ شيء: لا توجد طرفية لسؤالك. أضف --yes للإلغاء دون سؤال."),
    ("revoke-declined", "nothing was revoked (you did not confirm).", "rien n'a été révoqué (vous n'avez pas confirmé).", "لم يُلغَ شيء (لم تؤكد)."),
    ("sheet-title", "NANSEN WALLET - RECOVERY SHEET", "PORTEFEUILLE NANSEN - FICHE DE RÉCUPÉRATION", "محفظة نانسن - ورقة الاسترداد"),
    ("sheet-warning", "These 24 words are the key to your wallet: anyone who has them can act as you with your credentials. Keep this sheet private and safe, away from the phone.", "Ces 24 mots sont la clé de votre portefeuille : quiconque les possède peut agir en votre nom avec vos attestations. Gardez cette fiche secrète et en lieu sûr, loin du téléphone.", "هذه الكلمات الأربع والعشرون هي مفتاح محفظتك: من يملكها يستطيع أن يتصرف باسمك بوثائقك. احفظ هذه الورقة سرًّا وفي مكان آمن، بعيدًا عن الهاتف."),
    ("sheet-instructions", "To recover the wallet on a new device: run `nansen recover --backup FOLDER` (the folder or USB stick of your automatic backup) and type the 24 words in order, separated by spaces or one per line (the numbers may be typed too), or scan the QR code of the PNG sheet, which holds the same words. Without a backup, `nansen recover` brings back your identity but not your credentials. Print this sheet, then delete the files from the computer.", "Pour restaurer le portefeuille sur un nouvel appareil : lancez `nansen recover --backup DOSSIER` (le dossier ou la clé USB de votre sauvegarde automatique) et saisissez les 24 mots dans l'ordre, séparés par des espaces ou un par ligne (les numéros peuvent être saisis aussi), ou scannez le code QR de la fiche PNG, qui contient les mêmes mots. Sans sauvegarde, `nansen recover` rétablit votre identité mais pas vos attestations. Imprimez cette fiche, puis effacez les fichiers de l'ordinateur.", "لاستعادة المحفظة على جهاز جديد: نفّذ `nansen recover --backup FOLDER` (مجلد نسختك الاحتياطية التلقائية أو ذاكرة USB) واكتب الكلمات الأربع والعشرين بالترتيب، تفصل بينها مسافات أو كلمة في كل سطر (يمكن كتابة الأرقام أيضًا)، أو امسح رمز QR في ورقة PNG، ففيه الكلمات نفسها. دون نسخة احتياطية، يعيد `nansen recover` هويتك لا وثائقك. اطبع هذه الورقة ثم احذف الملفات من الحاسوب."),
    ("claim-registrationNumber", "Registration number", "Numéro d'enregistrement", "رقم التسجيل"),
    ("claim-registrationDate", "Registration date", "Date d'enregistrement", "تاريخ التسجيل"),
    ("claim-registrationPlace", "Place of registration", "Lieu d'enregistrement", "مكان التسجيل"),
    ("claim-givenName", "Given name", "Prénom", "الاسم الأول"),
    ("claim-familyName", "Family name", "Nom de famille", "اسم العائلة"),
    ("claim-birthDate", "Date of birth", "Date de naissance", "تاريخ الميلاد"),
    ("claim-birthPlace", "Place of birth", "Lieu de naissance", "مكان الميلاد"),
    ("claim-sex", "Sex", "Sexe", "الجنس"),
    ("claim-nationality", "Nationality", "Nationalité", "الجنسية"),
    ("claim-motherName", "Mother's name", "Nom de la mère", "اسم الأم"),
    ("claim-fatherName", "Father's name", "Nom du père", "اسم الأب"),
    ("claim-deathDate", "Date of death", "Date du décès", "تاريخ الوفاة"),
    ("claim-deathPlace", "Place of death", "Lieu du décès", "مكان الوفاة"),
    ("claim-spouseGivenName", "Spouse's given name", "Prénom du conjoint", "الاسم الأول للزوج أو الزوجة"),
    ("claim-spouseFamilyName", "Spouse's family name", "Nom de famille du conjoint", "اسم عائلة الزوج أو الزوجة"),
    ("claim-spouseBirthDate", "Spouse's date of birth", "Date de naissance du conjoint", "تاريخ ميلاد الزوج أو الزوجة"),
    ("claim-marriageDate", "Date of marriage", "Date du mariage", "تاريخ الزواج"),
    ("claim-marriagePlace", "Place of marriage", "Lieu du mariage", "مكان الزواج"),
    ("claim-divorceDate", "Date of divorce", "Date du divorce", "تاريخ الطلاق"),
    ("claim-divorcePlace", "Place of divorce", "Lieu du divorce", "مكان الطلاق"),
    ("claim-adoptionDate", "Date of adoption", "Date de l'adoption", "تاريخ التبني"),
    ("claim-adoptionPlace", "Place of adoption", "Lieu de l'adoption", "مكان التبني"),
    ("claim-adoptiveParentName", "Adoptive parent", "Parent adoptif", "الوالد المتبنّي"),
    ("claim-secondAdoptiveParentName", "Second adoptive parent", "Second parent adoptif", "الوالد المتبنّي الثاني"),
    ("claim-previousFamilyName", "Previous family name", "Ancien nom de famille", "اسم العائلة السابق"),
    ("claim-previousGivenName", "Previous given name", "Ancien prénom", "الاسم الأول السابق"),
    ("claim-nameChangeDate", "Date of name change", "Date du changement de nom", "تاريخ تغيير الاسم"),
    ("claim-countryOfOrigin", "Country of origin", "Pays d'origine", "بلد المنشأ"),
    ("claim-hostCountry", "Host country", "Pays d'accueil", "البلد المضيف"),
    ("claim-statusGrantedDate", "Refugee status granted on", "Statut de réfugié accordé le", "تاريخ منح صفة اللاجئ"),
    ("claim-caseNumber", "Case number", "Numéro de dossier", "رقم الملف"),
    ("claim-portrait", "Portrait", "Portrait", "الصورة الشخصية"),
    // The registrar's claims: listed in `issue --help`.
    ("claims-help-header", "Claims of each event kind (give them as --claim NAME=VALUE, or in a --claims JSON file):", "Informations de chaque type d'événement (à donner en --claim NOM=VALEUR, ou dans un fichier JSON --claims) :", "بيانات كل نوع من الوقائع (تُعطى بصيغة --claim NAME=VALUE أو في ملف JSON عبر --claims):"),
    ("claims-help-required", "required", "obligatoires", "إلزامية"),
    ("claims-help-optional", "optional", "facultatives", "اختيارية"),
    ("claims-help-values", "Values: text = 1 to 256 characters, no control characters; date = YYYY-MM-DD, a real calendar day; country = an ISO 3166-1 alpha-2 code, e.g. SY (the alpha-3 code, SYR, is accepted and written as SY), as jurisdictions are written (JO, JO-MA); sex = female, male, other or unknown.", "Valeurs : text = 1 à 256 caractères, sans caractère de contrôle ; date = AAAA-MM-JJ, un jour réel du calendrier ; country = un code ISO 3166-1 alpha-2, p. ex. SY (le code alpha-3, SYR, est accepté et écrit SY), comme les juridictions (JO, JO-MA) ; sex = female, male, other ou unknown.", "القيم: text = من 1 إلى 256 حرفًا، دون أحرف تحكم؛ date = YYYY-MM-DD، يوم حقيقي في التقويم؛ country = رمز ISO 3166-1 alpha-2، مثل SY (يُقبل رمز alpha-3 مثل SYR ويُكتب SY)، كما تُكتب الولايات القضائية (JO، JO-MA)؛ sex = female أو male أو other أو unknown."),
    ("claims-invalid", "Error: InvalidClaims: {1} problem(s) with the {0} claims; nothing was issued:", "Erreur : InvalidClaims : {1} problème(s) dans les informations de type {0} ; rien n'a été délivré :", "خطأ: InvalidClaims: {1} مشكلة في بيانات النوع {0}؛ لم يُصدر شيء:"),
    ("claim-problem-unknown", "  - {0}: not a claim of {1}", "  - {0} : pas une information du type {1}", "  - {0}: ليس من بيانات النوع {1}"),
    ("claim-problem-unknown-close", "  - {0}: not a claim of {1} (did you mean {2}?)", "  - {0} : pas une information du type {1} (vouliez-vous dire {2} ?)", "  - {0}: ليس من بيانات النوع {1} (هل تقصد {2}؟)"),
    ("claim-problem-missing", "  - {0}: required, and missing", "  - {0} : obligatoire, et absente", "  - {0}: إلزامي وغير موجود"),
    ("claim-problem-not-text", "  - {0}: must be a string", "  - {0} : doit être une chaîne de caractères", "  - {0}: يجب أن يكون نصًا"),
    ("claim-problem-bad-value", "  - {0}: {1} is not {2}", "  - {0} : {1} n'est pas {2}", "  - {0}: القيمة {1} ليست {2}"),
    ("claim-rule-text", "text of 1 to 256 characters without control characters", "un texte de 1 à 256 caractères sans caractère de contrôle", "نصًا من 1 إلى 256 حرفًا دون أحرف تحكم"),
    ("claim-rule-date", "a date YYYY-MM-DD (a real calendar day)", "une date AAAA-MM-JJ (un jour réel du calendrier)", "تاريخًا بصيغة YYYY-MM-DD (يومًا حقيقيًا في التقويم)"),
    ("claim-rule-country", "the ISO 3166-1 alpha-2 code of a country, e.g. SY (or its alpha-3 code, SYR, written as SY)", "le code ISO 3166-1 alpha-2 d'un pays, p. ex. SY (ou son code alpha-3, SYR, écrit SY)", "رمز ISO 3166-1 alpha-2 لبلد، مثل SY (أو رمز alpha-3 مثل SYR ويُكتب SY)"),
    ("claim-rule-sex", "female, male, other or unknown", "female, male, other ou unknown", "female أو male أو other أو unknown"),
    ("claim-rule-portrait", "a JPEG or WebP image of at most 8 KB as a data: URI (data:image/jpeg;base64,... or data:image/webp;base64,...)", "une image JPEG ou WebP d'au plus 8 Ko en URI data: (data:image/jpeg;base64,... ou data:image/webp;base64,...)", "صورة JPEG أو WebP لا يتجاوز حجمها 8 كيلوبايت في صيغة data: URI (data:image/jpeg;base64,... أو data:image/webp;base64,...)"),
    ("claims-allowed", "The {0} claims are, required: {1}; optional: {2}. (nansen issue --help lists every kind's.)", "Les informations du type {0} sont, obligatoires : {1} ; facultatives : {2}. (nansen issue --help les donne pour chaque type.)", "بيانات النوع {0}: الإلزامية: {1}؛ الاختيارية: {2}. (يعرض nansen issue --help بيانات كل نوع.)"),
    ("state-active", "active", "active", "سارية"),
    ("state-revoked", "revoked", "révoquée", "ملغاة"),
    ("state-superseded", "superseded", "remplacée", "مستبدلة"),
    ("state-disputed", "disputed", "contestée", "متنازع عليها"),
    ("state-ambiguous", "ambiguous", "ambiguë", "ملتبسة"),
    ("state-unknown", "unknown", "inconnue", "غير معروفة"),
];

/// The message `key` in `lang`, with `{0}`, `{1}`... replaced by `args`.
pub fn tr(lang: Lang, key: &str, args: &[&str]) -> String {
    let entry = CATALOGUE.iter().find(|e| e.0 == key);
    let template = match (entry, lang) {
        (Some(e), Lang::Fr) => e.2,
        (Some(e), Lang::Ar) => e.3,
        (Some(e), Lang::En) => e.1,
        (None, _) => key,
    };
    let mut out = template.to_owned();
    for (i, a) in args.iter().enumerate() {
        let arg = if lang == Lang::Ar {
            isolate(FIRST_STRONG_ISOLATE, a)
        } else {
            (*a).to_owned()
        };
        out = out.replace(&format!("{{{i}}}"), &arg);
    }
    if lang == Lang::Ar && entry.is_some() {
        out = format!("{RIGHT_TO_LEFT_ISOLATE}{out}{POP_DIRECTIONAL_ISOLATE}");
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
/// UAX #9, section 2.7), with any stray isolate controls in `text` removed so a message cannot
/// unbalance them.
fn isolate(opening: char, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 6);
    out.push(opening);
    out.extend(
        text.chars()
            .filter(|c| !('\u{2066}'..='\u{2069}').contains(c)),
    );
    out.push(POP_DIRECTIONAL_ISOLATE);
    out
}

/// The claim labels of the catalogue (`claim-<name>` for each claim of the claim table),
/// per language:
/// `{"en": {"givenName": "Given name", ...}, "fr": {...}, "ar": {...}}` (for the browser
/// verifier's page).
pub fn claim_labels() -> serde_json::Value {
    let mut by_lang = [
        serde_json::Map::new(),
        serde_json::Map::new(),
        serde_json::Map::new(),
    ];
    for (key, en, fr, ar) in CATALOGUE {
        let is_claim = |name: &str| {
            crate::EventKind::ALL.into_iter().any(|kind| {
                crate::event::CredentialKind::claim_specs(kind).any(|spec| spec.name == name)
            })
        };
        if let Some(claim) = key.strip_prefix("claim-").filter(|c| is_claim(c)) {
            for (map, text) in by_lang.iter_mut().zip([en, fr, ar]) {
                map.insert(claim.to_owned(), (*text).into());
            }
        }
    }
    let [en, fr, ar] = by_lang;
    serde_json::json!({"en": en, "fr": fr, "ar": ar})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_in_every_language() {
        for (key, en, fr, ar) in CATALOGUE {
            assert!(!en.is_empty() && !fr.is_empty() && !ar.is_empty(), "{key}");
            let placeholders = |s: &str| (0..4).filter(|i| s.contains(&format!("{{{i}}}"))).count();
            assert_eq!(placeholders(en), placeholders(fr), "{key}");
            assert_eq!(placeholders(en), placeholders(ar), "{key}");
        }
        assert_eq!(tr(Lang::Fr, "error", &["x"]), "Erreur : x");
        assert_eq!(Lang::choose(Some("ar_SY.UTF-8")), Lang::Ar);
    }

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
    }

    #[test]
    fn arabic_is_isolated_right_to_left_with_arguments_kept_whole() {
        let did = "did:key:z6MkExample";
        let line = tr(Lang::Ar, "holder-did", &[did]);
        assert!(line.starts_with('\u{2067}') && line.ends_with('\u{2069}'));
        assert!(line.contains(&format!("\u{2068}{did}\u{2069}")));
        assert!(line.contains("معرّفك"));
        // A stray isolate control in an argument cannot unbalance the message.
        let tricky = tr(Lang::Ar, "error", &["x\u{2069}\u{2069}y"]);
        let opens = tricky
            .chars()
            .filter(|c| ('\u{2066}'..='\u{2068}').contains(c))
            .count();
        let closes = tricky.chars().filter(|c| *c == '\u{2069}').count();
        assert_eq!(opens, closes, "{tricky:?}");
        // Other languages are untouched.
        assert_eq!(
            tr(Lang::En, "holder-did", &[did]),
            format!("Your identifier (DID): {did}")
        );
    }
}
