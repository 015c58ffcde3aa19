//! The user-facing messages of the `nansen` binary, in English, French and Arabic.
//!
//! A small embedded catalogue: each message has a key and one text per language; `{0}`, `{1}`
//! are replaced by arguments. The language comes from `--lang`, else `LANGUAGE`, `LC_ALL`,
//! `LC_MESSAGES`, `LANG` ([`Lang::resolve`]), else English; a language asked for but not
//! available is named once on standard error. The rules are the `nansen-i18n` crate's (shared
//! with `nansen-node`); the texts are here. Every key has all three texts and every key the
//! source uses is here (tests check).

pub use nansen_i18n::Lang;

/// The program's name, in the line that names an unavailable language.
pub const PROGRAM: &str = "nansen";

/// (key, English, French, Arabic).
pub const CATALOGUE: &nansen_i18n::Catalogue = &[
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
    ("file-cause", "{0}: {1}", "{0} : {1}", "{0}: {1}"),
    // {1} only: a bundle may come from standard input or a QR code, without a name.
    ("bundle-not-json", "credential rejected: the bundle cannot be read: {1}", "attestation refusée : le lot est illisible : {1}", "رُفضت الوثيقة: تعذّرت قراءة الحزمة: {1}"),
    ("key-not-json", "registrar key file {0}: not a Nansen key file: {1}", "fichier de clé de l'officier d'état civil {0} : ce n'est pas un fichier de clé Nansen : {1}", "ملف مفتاح المسجِّل {0}: ليس ملف مفتاح نانسن: {1}"),
    ("wallet-not-found", "no wallet at {0} (nansen init creates one, nansen recover brings one back)", "aucun portefeuille à {0} (nansen init en crée un, nansen recover en restaure un)", "لا توجد محفظة في {0} (ينشئ nansen init محفظة، ويستعيدها nansen recover)"),
    ("wallet-exists", "a wallet already exists at {0}; it was not changed", "un portefeuille existe déjà à {0} ; il n'a pas été modifié", "توجد محفظة مسبقًا في {0}؛ لم تتغير"),
    ("backup-folder-missing", "the backup folder {0} is not there (is the USB stick plugged in?)", "le dossier de sauvegarde {0} est absent (la clé USB est-elle branchée ?)", "مجلد النسخة الاحتياطية {0} غير موجود (هل ذاكرة USB موصولة؟)"),
    ("backup-none", "no backup of this holder in {0} (looked for {1})", "aucune sauvegarde de ce titulaire dans {0} (fichier cherché : {1})", "لا توجد نسخة احتياطية لهذا الحامل في {0} (بُحث عن {1})"),
    ("backup-other-holder", "{0} is not a backup of the holder of this recovery phrase", "{0} n'est pas une sauvegarde du titulaire de cette phrase de récupération", "{0} ليس نسخة احتياطية لحامل عبارة الاسترداد هذه"),
    ("backup-unreadable", "the backup {0} cannot be read: {1}", "la sauvegarde {0} est illisible : {1}", "تتعذّر قراءة النسخة الاحتياطية {0}: {1}"),
    ("backup-not-written", "the backup {0} could not be written: {1}", "la sauvegarde {0} n'a pas pu être écrite : {1}", "تعذّرت كتابة النسخة الاحتياطية {0}: {1}"),
    ("backup-wrong-key", "the recovery phrase's key does not open it", "la clé de la phrase de récupération ne l'ouvre pas", "مفتاح عبارة الاسترداد لا يفتحها"),
    ("claims-not-json", "the claims file {0} cannot be read: {1}", "le fichier d'informations {0} est illisible : {1}", "تعذّرت قراءة ملف البيانات {0}: {1}"),
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
    // Bad input (`Error: Usage: ...`).
    ("usage-recovery-sheet-png", "--recovery-sheet: give a .png file name (the words go to <name>.txt)", "--recovery-sheet : donnez un nom de fichier .png (les mots vont dans <nom>.txt)", "--recovery-sheet: أعطِ اسم ملف ينتهي بـ png. (تُكتب الكلمات في <الاسم>.txt)"),
    ("usage-stored-id", "stored credential id {0} is not 32 hex digits", "l'identifiant d'attestation enregistré {0} n'est pas fait de 32 chiffres hexadécimaux", "معرّف الوثيقة المحفوظ {0} ليس 32 رقمًا ست عشريًا"),
    ("usage-no-credential", "no credential {0}", "aucune attestation {0}", "لا توجد وثيقة {0}"),
    ("usage-several-credentials", "{0} matches several credentials", "{0} correspond à plusieurs attestations", "{0} يطابق عدة وثائق"),
    ("usage-credential-fault", "credential {0}: {1}", "attestation {0} : {1}", "الوثيقة {0}: {1}"),
    ("usage-bad-witness", "--witness {0}: {1}", "--witness {0} : {1}", "--witness {0}: {1}"),
    ("usage-other-network", "the node and the genesis file are for different networks", "le nœud et le fichier genesis sont de réseaux différents", "العقدة وملف genesis من شبكتين مختلفتين"),
    ("usage-verify-needs-challenge", "a presentation is checked against the challenge this verifier issued: give --challenge and --audience", "une présentation est vérifiée au regard du défi émis par ce vérificateur : donnez --challenge et --audience", "يُتحقَّق من العرض مقابل التحدي الذي أصدره هذا المُحقِّق: أعطِ --challenge و --audience"),
    ("usage-supersede-needs-node", "supersede needs --node and --registrar: the correction is an entry on the ledger", "supersede exige --node et --registrar : la correction est une entrée du registre", "يتطلب supersede الخيارين --node و --registrar: التصحيح قيدٌ في السجل"),
    ("usage-not-a-credential-id", "{0} is not a credential id (32 hex digits or urn:uuid:...)", "{0} n'est pas un identifiant d'attestation (32 chiffres hexadécimaux ou urn:uuid:...)", "{0} ليس معرّف وثيقة (32 رقمًا ست عشريًا أو urn:uuid:...)"),
    ("usage-node-needs-registrar", "--node needs --registrar (the registrar id)", "--node exige --registrar (l'identifiant de l'officier d'état civil)", "يتطلب --node الخيار --registrar (معرّف المسجِّل)"),
    ("usage-node-needs-jurisdiction", "--node needs --jurisdiction (ISO 3166: the alpha-2 country code, e.g. JO, or a subdivision, JO-MA) for the attestation", "--node exige --jurisdiction (ISO 3166 : le code de pays à deux lettres, p. ex. JO, ou une subdivision, JO-MA) pour l'attestation", "يتطلب --node الخيار --jurisdiction للوثيقة (ISO 3166: رمز البلد من حرفين، مثل JO، أو تقسيم فرعي، مثل JO-MA)"),
    ("usage-registrar-key-file", "registrar key file {0}: {1}", "fichier de clé de l'officier d'état civil {0} : {1}", "ملف مفتاح المسجِّل {0}: {1}"),
    ("usage-claim-no-equals", "--claim {0}: expected NAME=VALUE", "--claim {0} : NOM=VALEUR attendu", "--claim {0}: المتوقع NAME=VALUE (الاسم=القيمة)"),
    ("usage-claim-twice", "--claim {0}: given twice", "--claim {0} : donné deux fois", "--claim {0}: أُعطي مرتين"),
    ("usage-present-needs-challenge", "give --challenge and --audience, or --challenge-qr", "donnez --challenge et --audience, ou --challenge-qr", "أعطِ --challenge و --audience، أو --challenge-qr"),
    ("usage-presentation-not-utf8", "presentation is not UTF-8", "la présentation n'est pas en UTF-8", "العرض ليس بترميز UTF-8"),
    ("usage-no-presentation", "no presentation given", "aucune présentation donnée", "لم يُعطَ أي عرض"),
    ("usage-unknown-profile", "unknown profile {0}", "profil inconnu {0}", "ملف تعريف غير معروف {0}"),
    ("usage-di-whole-credential", "--form di shows the whole credential: --claims and --profile do not apply", "--form di montre toute l'attestation : --claims et --profile ne s'appliquent pas", "يعرض --form di الوثيقة كاملة: لا ينطبق --claims ولا --profile"),
    ("usage-presentation-fault", "presentation: {0}", "présentation : {0}", "العرض: {0}"),
    ("usage-present-needs-claims", "give --claims (comma-separated) or --profile", "donnez --claims (séparées par des virgules) ou --profile", "أعطِ --claims (مفصولة بفواصل) أو --profile"),
    ("usage-backup-auto", "backup auto: give --dir FOLDER, or --off", "backup auto : donnez --dir DOSSIER, ou --off", "backup auto: أعطِ --dir FOLDER (المجلد) أو --off"),
    ("usage-trust", "{0}: {1}", "{0} : {1}", "{0}: {1}"),
    ("usage-bad-audience", "--audience: {0}", "--audience : {0}", "--audience: {0}"),
    ("usage-scan-needs-bundle", "give the bundle: FILE, --qr-image IMAGE... or --qr-text FILE", "donnez le lot : FICHIER, --qr-image IMAGE... ou --qr-text FICHIER", "أعطِ الحزمة: FILE (ملف) أو --qr-image IMAGE... أو --qr-text FILE"),
    ("usage-needs-holder", "give --holder or --holder-qr", "donnez --holder ou --holder-qr", "أعطِ --holder أو --holder-qr"),
    // A received credential refused (`Error: CredentialRejected: ...`).
    ("rejected-no-di", "credential rejected: bundle has no data_integrity", "attestation refusée : le lot n'a pas de data_integrity", "رُفضت الوثيقة: لا تحتوي الحزمة على data_integrity"),
    ("rejected-no-sd-jwt", "credential rejected: bundle has no sd_jwt", "attestation refusée : le lot n'a pas de sd_jwt", "رُفضت الوثيقة: لا تحتوي الحزمة على sd_jwt"),
    ("rejected-other-holder", "credential rejected: the credential is for another holder", "attestation refusée : l'attestation est destinée à un autre titulaire", "رُفضت الوثيقة: الوثيقة لحامل آخر"),
    ("rejected-issuers-differ", "credential rejected: the two forms have different issuers", "attestation refusée : les deux formes ont des émetteurs différents", "رُفضت الوثيقة: للصيغتين جهتا إصدار مختلفتان"),
    ("rejected-sd-jwt-other-holder", "credential rejected: the SD-JWT is for another holder", "attestation refusée : le SD-JWT est destiné à un autre titulaire", "رُفضت الوثيقة: صيغة SD-JWT لحامل آخر"),
    ("rejected-ids-differ", "credential rejected: the two forms have different ids", "attestation refusée : les deux formes ont des identifiants différents", "رُفضت الوثيقة: للصيغتين معرّفان مختلفان"),
    ("rejected-kinds-differ", "credential rejected: the two forms have different kinds", "attestation refusée : les deux formes sont de types différents", "رُفضت الوثيقة: الصيغتان من نوعين مختلفين"),
    ("rejected-other-key", "credential rejected: the SD-JWT is bound to another key", "attestation refusée : le SD-JWT est lié à une autre clé", "رُفضت الوثيقة: صيغة SD-JWT مرتبطة بمفتاح آخر"),
    ("rejected-claim-differs", "credential rejected: the two forms disagree on {0}", "attestation refusée : les deux formes diffèrent sur {0}", "رُفضت الوثيقة: تختلف الصيغتان في {0}"),
    // The wallet's, the recovery phrase's, the backup's and QR codes' errors.
    ("wallet-corrupted", "wallet file is corrupted: {0}", "le fichier du portefeuille est endommagé : {0}", "ملف المحفظة تالف: {0}"),
    ("wallet-unsupported-version", "unsupported wallet format version {0}", "version {0} du format de portefeuille non prise en charge", "إصدار صيغة المحفظة {0} غير مدعوم"),
    ("wallet-kdf", "key derivation failed: {0}", "la dérivation de la clé a échoué : {0}", "فشل اشتقاق المفتاح: {0}"),
    ("wallet-randomness", "random source failed", "la source d'aléa a fait défaut", "تعذّر الحصول على مصدر العشوائية"),
    ("wallet-read-only", "the wallet was opened read-only and cannot be saved", "le portefeuille a été ouvert en lecture seule et ne peut pas être enregistré", "فُتحت المحفظة للقراءة فقط ولا يمكن حفظها"),
    ("passphrase-file-empty", "the passphrase file {0} is empty (the passphrase is its first line)", "le fichier de phrase de passe {0} est vide (la phrase de passe est sa première ligne)", "ملف عبارة المرور {0} فارغ (عبارة المرور هي سطره الأول)"),
    ("recovery-word-count", "invalid recovery phrase: {0} words, expected 24", "phrase de récupération invalide : {0} mots, 24 attendus", "عبارة استرداد غير صالحة: {0} كلمة، والمتوقع 24"),
    ("recovery-unknown-word", "invalid recovery phrase: word {0} is not in the word list (check its spelling on the sheet)", "phrase de récupération invalide : le mot {0} n'est pas dans la liste de mots (vérifiez son orthographe sur la feuille)", "عبارة استرداد غير صالحة: الكلمة رقم {0} ليست في قائمة الكلمات (تحقق من تهجئتها على الورقة)"),
    ("recovery-bad-checksum", "invalid recovery phrase: the words do not fit together (checksum): a word is wrong or two are in the wrong order", "phrase de récupération invalide : les mots ne vont pas ensemble (somme de contrôle) : un mot est faux ou deux sont dans le mauvais ordre", "عبارة استرداد غير صالحة: الكلمات لا تتوافق معًا (المجموع الاختباري): كلمة خاطئة أو كلمتان في غير ترتيبهما"),
    ("recovery-invalid", "invalid recovery phrase: {0}", "phrase de récupération invalide : {0}", "عبارة استرداد غير صالحة: {0}"),
    ("import-wrong-passphrase", "the backup passphrase does not open this backup; nothing was changed", "la phrase de passe de la sauvegarde n'ouvre pas cette sauvegarde ; rien n'a été modifié", "عبارة مرور النسخة الاحتياطية لا تفتح هذه النسخة؛ لم يتغير شيء"),
    ("import-corrupted", "the backup file is corrupted ({0}); nothing was changed", "le fichier de sauvegarde est endommagé ({0}) ; rien n'a été modifié", "ملف النسخة الاحتياطية تالف ({0})؛ لم يتغير شيء"),
    ("import-other-holder", "the backup is of another holder ({0}), not of this wallet's ({1}); nothing was changed", "la sauvegarde est celle d'un autre titulaire ({0}), pas de celui de ce portefeuille ({1}) ; rien n'a été modifié", "النسخة الاحتياطية لحامل آخر ({0}) لا لحامل هذه المحفظة ({1})؛ لم يتغير شيء"),
    ("qr-bad-text", "bad QR text: {0}", "texte de code QR invalide : {0}", "نص رمز QR غير صالح: {0}"),
    ("qr-output", "QR output failed: {0}", "la création du code QR a échoué : {0}", "فشل إنشاء رمز QR: {0}"),
    ("qr-not-an-image", "not a readable PNG or JPEG image: {0}", "ce n'est pas une image PNG ou JPEG lisible : {0}", "ليست صورة PNG أو JPEG مقروءة: {0}"),
    ("qr-none", "no QR code found in the image", "aucun code QR trouvé dans l'image", "لم يُعثر على رمز QR في الصورة"),
    ("qr-unreadable", "a QR code was found but could not be read: {0}", "un code QR a été trouvé mais n'a pas pu être lu : {0}", "عُثر على رمز QR لكن تعذّرت قراءته: {0}"),
    // The ledger and registrar entries.
    ("ledger-bad", "{0}", "{0}", "{0}"),
    ("ledger-node-no-proof", "the node has no portable proof for credential {0} (status: {1})", "le nœud n'a pas de preuve portable pour l'attestation {0} (statut : {1})", "ليس لدى العقدة إثبات قابل للنقل للوثيقة {0} (الحالة: {1})"),
    ("ledger-node-governance-key", "node info: bad governance key {0}", "informations du nœud : clé de gouvernance invalide {0}", "معلومات العقدة: مفتاح حوكمة غير صالح {0}"),
    ("ledger-node-genesis", "node genesis: {0}", "genesis du nœud : {0}", "genesis العقدة: {0}"),
    ("ledger-node-network-id", "the node's genesis does not hash to its network id", "le genesis du nœud ne donne pas son identifiant de réseau par hachage", "لا يطابق تجزيء genesis العقدة معرّف شبكتها"),
    ("ledger-node-witness-key", "node witness key: {0}", "clé de témoin du nœud : {0}", "مفتاح الشاهد للعقدة: {0}"),
    ("ledger-refused", "the credential was not stored: ledger check {0} failed: {1}", "l'attestation n'a pas été enregistrée : le contrôle du registre {0} a échoué : {1}", "لم تُحفظ الوثيقة: فشل فحص السجل {0}: {1}"),
    ("entry-unknown-registrar", "the node knows no registrar {0}: accredit it through governance first", "le nœud ne connaît aucun officier d'état civil {0} : accréditez-le d'abord par la gouvernance", "لا تعرف العقدة أي مسجِّل {0}: اعتمده أولًا عبر الحوكمة"),
    ("entry-not-current-key", "this key ({0}) is not registrar {1}'s current key ({2})", "cette clé ({0}) n'est pas la clé actuelle de l'officier d'état civil {1} ({2})", "هذا المفتاح ({0}) ليس المفتاح الحالي للمسجِّل {1} ({2})"),
    ("entry-not-made", "entry: {0}", "entrée : {0}", "القيد: {0}"),
    ("entry-refused", "the node did not accept the entry: {0}: {1}", "le nœud n'a pas accepté l'entrée : {0} : {1}", "لم تقبل العقدة القيد: {0}: {1}"),
    ("bundle-not-published", "the attestation was anchored, but the bundle could not be put at {0} ({1}); it is kept at {2}: move it there", "l'attestation a été ancrée, mais le lot n'a pas pu être placé à {0} ({1}) ; il est gardé à {2} : déplacez-le là", "ثُبّتت الوثيقة، لكن تعذّر وضع الحزمة في {0} ({1})؛ وهي محفوظة في {2}: انقلها إلى هناك"),
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
    // The checks of `nansen verify` (and of the browser page), by their stable names: the
    // English text is the name itself, as `--json` and the tests give it.
    ("check-name-format", "format", "format", "الصيغة"),
    ("check-name-issuer-signature", "issuer-signature", "signature de l'émetteur", "توقيع الجهة المصدرة"),
    ("check-name-disclosures", "disclosures", "divulgations", "البيانات المكشوفة"),
    ("check-name-holder-binding", "holder-binding", "lien au titulaire", "الارتباط بصاحب الوثيقة"),
    ("check-name-challenge", "challenge", "défi", "التحدي"),
    ("check-name-audience", "audience", "destinataire", "الجهة المستقبِلة"),
    ("check-name-freshness", "freshness", "fraîcheur", "الحداثة"),
    ("check-name-integrity", "integrity", "intégrité", "السلامة"),
    ("check-name-claims", "claims", "informations", "البيانات"),
    ("check-name-replay", "replay", "rejeu", "إعادة الاستخدام"),
    ("check-name-ledger-anchoring", "ledger-anchoring", "ancrage au registre", "التثبيت في السجل"),
    ("check-name-issuer-accredited", "issuer-accredited", "émetteur accrédité", "اعتماد الجهة المصدرة"),
    ("check-name-credential-status", "credential-status", "statut de l'attestation", "حالة الوثيقة"),
    ("check-name-revocation-freshness", "revocation-freshness", "fraîcheur des révocations", "حداثة بيانات الإلغاء"),
    // The details of the ledger checks, by the verifier core's keys (nansen_verifier::
    // ledger_checks::DETAILS; the English is the core's, a test checks).
    ("detail-error-text", "{0}", "{0}", "{0}"),
    ("detail-no-network", "no network given (--node, or --ledger with --genesis): proof not checked", "aucun réseau donné (--node, ou --ledger avec --genesis) : preuve non vérifiée", "لم تُعطَ شبكة (‎--node، أو ‎--ledger مع ‎--genesis): لم يُتحقق من الإثبات"),
    ("detail-not-in-replica", "no trusted witness key given and {0} does not hold {1} #{2}", "aucune clé de témoin de confiance donnée et {0} ne contient pas {1} #{2}", "لم يُعطَ مفتاح شاهد موثوق ولا يحتوي {0} على {1} #{2}"),
    ("detail-no-witness", "no trusted witness key given: proof not checked", "aucune clé de témoin de confiance donnée : preuve non vérifiée", "لم يُعطَ مفتاح شاهد موثوق: لم يُتحقق من الإثبات"),
    ("detail-not-anchored-in", "no attestation of this credential id in {0}", "aucun ancrage de cet identifiant d'attestation dans {0}", "لا يوجد تثبيت لمعرّف هذه الوثيقة في {0}"),
    ("detail-no-single-attestation", "no single attestation in {0}: {1}", "pas d'ancrage unique dans {0} : {1}", "لا يوجد تثبيت واحد في {0}: {1}"),
    ("detail-no-proof-no-replica", "the presentation carries no ledger proof and no replica was given", "la présentation ne porte aucune preuve du registre et aucune réplique n'a été donnée", "لا يحمل العرض إثباتًا من السجل ولم تُعطَ نسخة من السجل"),
    ("detail-credential-id-mismatch", "the attestation is for credential {0}, the presentation for {1}", "l'ancrage est celui de l'attestation {0}, la présentation celle de {1}", "التثبيت للوثيقة {0}، والعرض للوثيقة {1}"),
    ("detail-sd-digest-mismatch", "the attested sd_digest is not the SHA-256 of the presented issuer JWT", "le sd_digest ancré n'est pas le SHA-256 du JWT de l'émetteur présenté", "قيمة sd_digest المثبتة ليست بصمة SHA-256 لـ JWT الجهة المصدرة المعروض"),
    ("detail-di-digest-mismatch", "the attested di_digest is not the SHA-256 of the presented Data Integrity credential (JCS)", "le di_digest ancré n'est pas le SHA-256 de l'attestation Data Integrity présentée (JCS)", "قيمة di_digest المثبتة ليست بصمة SHA-256 لوثيقة Data Integrity المعروضة (JCS)"),
    ("detail-anchored-by-proof", "{0} #{1} at {2} (portable proof, checkpoint at size {3} cosigned by {4})", "{0} #{1} le {2} (preuve portable, point de contrôle à la taille {3} cosigné par {4})", "{0} #{1} في {2} (إثبات محمول، نقطة تحقق عند الحجم {3} بتوقيع {4})"),
    ("detail-anchored-entry-in", "{0} #{1} at {2} (the entry is in {3})", "{0} #{1} le {2} (l'entrée est dans {3})", "{0} #{1} في {2} (القيد موجود في {3})"),
    ("detail-anchored-found-in", "{0} #{1} at {2} (attestation found in {3})", "{0} #{1} le {2} (ancrage trouvé dans {3})", "{0} #{1} في {2} (وُجد التثبيت في {3})"),
    ("detail-no-replica", "no replica (--node, or --ledger with --genesis)", "aucune réplique (--node, ou --ledger avec --genesis)", "لا توجد نسخة من السجل (‎--node، أو ‎--ledger مع ‎--genesis)"),
    ("detail-no-registrar-has-key", "no registrar in {0} has the key of {1}", "aucun officier d'état civil dans {0} n'a la clé de {1}", "لا يملك أي مسجِّل في {0} مفتاح {1}"),
    ("detail-key-of-registrar-not-anchored", "the key is registrar {0}'s, but the attestation was not established", "la clé est celle de l'officier d'état civil {0}, mais l'ancrage n'a pas été établi", "المفتاح للمسجِّل {0}، لكن التثبيت لم يُثبت"),
    ("detail-kind-mismatch", "attested as {0}, presented as {1}", "ancrée comme {0}, présentée comme {1}", "مثبتة على أنها {0}، ومعروضة على أنها {1}"),
    ("detail-signed-by-other-key", "the entry is signed by {0}, the credential's issuer key is {1}", "l'entrée est signée par {0}, la clé de l'émetteur de l'attestation est {1}", "القيد موقّع بالمفتاح {0}، ومفتاح الجهة المصدرة للوثيقة هو {1}"),
    ("detail-may-attest", "{0} ({1}) may attest {2} in {3} (governance size {4})", "{0} ({1}) peut attester {2} dans {3} (taille de la gouvernance {4})", "يحق لـ {0} ({1}) تثبيت {2} في {3} (حجم الحوكمة {4})"),
    ("detail-authority-refused", "{0} ({1})", "{0} ({1})", "{0} ({1})"),
    ("detail-source-ledger-file", "ledger file {0}", "fichier du registre {0}", "ملف السجل {0}"),
    ("detail-source-node", "node {0}", "nœud {0}", "العقدة {0}"),
    ("detail-source-trust-file", "the trust file's ledger export", "l'export du registre du fichier de confiance", "تصدير السجل في ملف الثقة"),
    ("detail-status-from", "{0} (source: {1})", "{0} (source : {1})", "{0} (المصدر: {1})"),
    ("detail-status-decision-from", "{0} {1} (source: {2})", "{0} {1} (source : {2})", "{0} {1} (المصدر: {2})"),
    ("detail-no-node-no-ledger", "no node and no ledger file", "ni nœud ni fichier du registre", "لا عقدة ولا ملف سجل"),
    ("detail-stale-ledger-file", "{0} holds {1} entries of {2}'s chain, the presentation's checkpoint shows {3}: the status cannot be told from the older evidence; load a newer ledger file or check online", "{0} contient {1} entrées de la chaîne de {2}, le point de contrôle de la présentation en montre {3} : le statut ne peut pas être établi sur ces preuves plus anciennes ; chargez un fichier du registre plus récent ou vérifiez en ligne", "يحتوي {0} على {1} قيدًا من سلسلة {2}، ونقطة تحقق العرض تُظهر {3}: لا يمكن معرفة الحالة من الأدلة الأقدم؛ حمّل ملف سجل أحدث أو تحقق عبر الشبكة"),
    ("detail-checkpoint-cosigned", "checkpoint cosigned {0} ({1} old)", "point de contrôle cosigné le {0} (il y a {1})", "نقطة تحقق موقّعة في {0} (منذ {1})"),
    ("detail-checkpoint-anchoring-only", "checkpoint cosigned {0} ({1} old), which proves anchoring, not status", "point de contrôle cosigné le {0} (il y a {1}), qui prouve l'ancrage, pas le statut", "نقطة تحقق موقّعة في {0} (منذ {1})، تثبت التثبيت لا الحالة"),
    ("detail-no-status-evidence-sources", "no status evidence (no node, no ledger file)", "aucune preuve de statut (ni nœud, ni fichier du registre)", "لا أدلة على الحالة (لا عقدة ولا ملف سجل)"),
    ("detail-no-status-evidence-obtained", "no status evidence was obtained (see credential-status)", "aucune preuve de statut n'a été obtenue (voir statut de l'attestation)", "لم يُحصل على أي دليل على الحالة (انظر حالة الوثيقة)"),
    ("detail-replica-holds-no-entry", "{0} holds no entry", "{0} ne contient aucune entrée", "لا يحتوي {0} على أي قيد"),
    ("detail-no-status-evidence", "no status evidence", "aucune preuve de statut", "لا أدلة على الحالة"),
    ("detail-evidence-age-node", "evidence age {0} (status asked of node {1} now; policy: at most {2})", "âge des preuves {0} (statut demandé au nœud {1} à l'instant ; règle : au plus {2})", "عمر الأدلة {0} (سُئلت العقدة {1} عن الحالة الآن؛ السياسة: {2} على الأكثر)"),
    ("detail-evidence-age-replica", "evidence age {0} ({1} newest entry {2}; policy: at most {3})", "âge des preuves {0} ({1}, entrée la plus récente {2} ; règle : au plus {3})", "عمر الأدلة {0} ({1}، أحدث قيد {2}؛ السياسة: {3} على الأكثر)"),
    ("detail-no-ledger-source", "no ledger proof, node or ledger file", "ni preuve du registre, ni nœud, ni fichier du registre", "لا إثبات من السجل ولا عقدة ولا ملف سجل"),
    // What a credential error says (nansen_verifier::CredentialError, by variant name): the
    // failed presentation checks of `verify` and the error lines. The variant's name is
    // printed before it, untranslated, as a code.
    ("cred-InvalidClaims", "{0}", "{0}", "{0}"),
    ("cred-UnknownEventKind", "unknown event kind `{0}`", "type d'événement inconnu `{0}`", "نوع واقعة غير معروف `{0}`"),
    ("cred-ClaimsNotAnObject", "claims must be a JSON object", "les informations doivent être un objet JSON", "يجب أن تكون البيانات كائن JSON"),
    ("cred-UnknownClaim", "`{0}` is not a {1} claim", "`{0}` n'est pas une information du type {1}", "`{0}` ليس من بيانات النوع {1}"),
    ("cred-InvalidClaimValue", "claim `{0}` is invalid: {1}", "l'information `{0}` est invalide : {1}", "البيان `{0}` غير صالح: {1}"),
    ("cred-InvalidDidKey", "`{0}` is not an Ed25519 did:key", "`{0}` n'est pas un did:key Ed25519", "`{0}` ليس معرّف did:key من نوع Ed25519"),
    ("cred-InvalidPublicKey", "invalid Ed25519 public key", "clé publique Ed25519 invalide", "مفتاح Ed25519 عام غير صالح"),
    ("cred-TimestampOutOfRange", "timestamp {0} is out of range", "l'horodatage {0} est hors limites", "الطابع الزمني {0} خارج النطاق"),
    ("cred-Randomness", "random source failed", "la source d'aléa a échoué", "فشل مصدر العشوائية"),
    ("cred-MalformedDocument", "malformed document: {0}", "document mal formé : {0}", "مستند غير سليم البنية: {0}"),
    ("cred-TooDeeplyNested", "document nests deeper than {0} levels", "le document s'imbrique sur plus de {0} niveaux", "يتداخل المستند لأكثر من {0} مستويات"),
    ("cred-MissingProof", "document has no proof", "le document n'a pas de preuve", "لا يحتوي المستند على إثبات"),
    ("cred-UnsupportedCryptosuite", "unsupported cryptosuite `{0}`", "suite cryptographique non prise en charge `{0}`", "حزمة تشفير غير مدعومة `{0}`"),
    ("cred-WrongProofPurpose", "proof purpose is `{0}`, expected `{1}`", "l'objet de la preuve est `{0}`, attendu `{1}`", "غرض الإثبات هو `{0}`، والمتوقع `{1}`"),
    ("cred-VerificationMethodMismatch", "verification method `{0}` does not belong to `{1}`", "la méthode de vérification `{0}` n'appartient pas à `{1}`", "طريقة التحقق `{0}` لا تعود إلى `{1}`"),
    ("cred-MalformedProofValue", "malformed proofValue", "proofValue mal formé", "قيمة proofValue غير سليمة البنية"),
    ("cred-InvalidSignature", "signature does not verify", "la signature n'est pas valide", "التوقيع غير صحيح"),
    ("cred-Signing", "signing failed: {0}", "la signature a échoué : {0}", "فشل التوقيع: {0}"),
    ("cred-VerificationFailed", "could not verify: {0}", "vérification impossible : {0}", "تعذّر التحقق: {0}"),
    ("cred-Canonicalization", "JSON canonicalization failed: {0}", "la mise sous forme canonique du JSON a échoué : {0}", "فشل توحيد صيغة JSON: {0}"),
    ("cred-ChallengeMismatch", "presentation challenge does not match the verifier's", "le défi de la présentation n'est pas celui du vérificateur", "تحدي العرض لا يطابق تحدي المُحقِّق"),
    ("cred-DomainMismatch", "presentation domain does not match the verifier's", "le domaine de la présentation n'est pas celui du vérificateur", "نطاق العرض لا يطابق نطاق المُحقِّق"),
    ("cred-HolderMismatch", "presentation holder `{0}` is not the credential subject `{1}`", "le titulaire de la présentation `{0}` n'est pas le sujet de l'attestation `{1}`", "صاحب العرض `{0}` ليس صاحب الوثيقة `{1}`"),
    ("cred-NotYetValid", "credential is valid only from {0}, now is {1}", "l'attestation n'est valide qu'à partir de {0}, il est {1}", "الوثيقة صالحة ابتداءً من {0} فقط، والآن {1}"),
    ("cred-CredentialCount", "presentation must carry exactly one credential", "la présentation doit porter exactement une attestation", "يجب أن يحمل العرض وثيقة واحدة بالضبط"),
    ("cred-MalformedSdJwt", "malformed SD-JWT: {0}", "SD-JWT mal formé : {0}", "SD-JWT غير سليم البنية: {0}"),
    ("cred-MalformedEnvelope", "presentation envelope: {0}", "enveloppe de la présentation : {0}", "غلاف العرض: {0}"),
    ("cred-WrongJwtType", "issuer JWT typ is `{0}`, expected `dc+sd-jwt`", "le typ du JWT de l'émetteur est `{0}`, attendu `dc+sd-jwt`", "قيمة typ في JWT الجهة المصدرة هي `{0}`، والمتوقع `dc+sd-jwt`"),
    ("cred-WrongJwtAlgorithm", "JWT alg is `{0}`, expected `EdDSA`", "l'alg du JWT est `{0}`, attendu `EdDSA`", "قيمة alg في JWT هي `{0}`، والمتوقع `EdDSA`"),
    ("cred-InvalidIssuerSignature", "issuer signature does not verify", "la signature de l'émetteur n'est pas valide", "توقيع الجهة المصدرة غير صحيح"),
    ("cred-UnknownDisclosure", "disclosure is not committed to by the issuer: {0}", "divulgation non engagée par l'émetteur : {0}", "بيان مكشوف لم تلتزم به الجهة المصدرة: {0}"),
    ("cred-InvalidIssuerClaims", "issuer JWT claims are invalid: {0}", "les informations du JWT de l'émetteur sont invalides : {0}", "بيانات JWT الجهة المصدرة غير صالحة: {0}"),
    ("cred-MissingKeyBinding", "presentation has no key-binding JWT", "la présentation n'a pas de JWT de lien de clé", "لا يحتوي العرض على JWT لربط المفتاح"),
    ("cred-MissingHolderKey", "issuer JWT has no Ed25519 cnf.jwk", "le JWT de l'émetteur n'a pas de cnf.jwk Ed25519", "لا يحتوي JWT الجهة المصدرة على cnf.jwk من نوع Ed25519"),
    ("cred-MalformedKeyBinding", "malformed key-binding JWT: {0}", "JWT de lien de clé mal formé : {0}", "JWT ربط المفتاح غير سليم البنية: {0}"),
    ("cred-InvalidKeyBindingSignature", "key-binding JWT is not signed by the holder key", "le JWT de lien de clé n'est pas signé par la clé du titulaire", "JWT ربط المفتاح غير موقّع بمفتاح صاحب الوثيقة"),
    ("cred-NonceMismatch", "key-binding nonce does not match the verifier's challenge", "le nonce du lien de clé n'est pas le défi du vérificateur", "قيمة nonce في ربط المفتاح لا تطابق تحدي المُحقِّق"),
    ("cred-AudienceMismatch", "key-binding audience does not match the verifier", "le destinataire du lien de clé n'est pas ce vérificateur", "الجهة المستقبِلة في ربط المفتاح لا تطابق المُحقِّق"),
    ("cred-StaleKeyBinding", "key-binding iat {0} is outside the window around {1}", "l'iat {0} du lien de clé est hors de la fenêtre autour de {1}", "قيمة iat {0} في ربط المفتاح خارج النافذة حول {1}"),
    ("cred-SdHashMismatch", "key-binding sd_hash does not match the presentation", "le sd_hash du lien de clé ne correspond pas à la présentation", "قيمة sd_hash في ربط المفتاح لا تطابق العرض"),
    ("cred-NoSuchClaim", "claim `{0}` is not in the credential", "l'information `{0}` n'est pas dans l'attestation", "البيان `{0}` غير موجود في الوثيقة"),
    ("cred-NonceReused", "this challenge was already used", "ce défi a déjà été utilisé", "سبق استخدام هذا التحدي"),
    ("state-active", "active", "active", "سارية"),
    ("state-revoked", "revoked", "révoquée", "ملغاة"),
    ("state-superseded", "superseded", "remplacée", "مستبدلة"),
    ("state-disputed", "disputed", "contestée", "متنازع عليها"),
    ("state-ambiguous", "ambiguous", "ambiguë", "ملتبسة"),
    ("state-unknown", "unknown", "inconnue", "غير معروفة"),
];

/// The message `key` in `lang`, with `{0}`, `{1}`... replaced by `args` (Arabic isolated right
/// to left: [`nansen_i18n::tr`]).
pub fn tr(lang: Lang, key: &str, args: &[&str]) -> String {
    nansen_i18n::tr(CATALOGUE, lang, key, args)
}

/// Every check `nansen verify` and the browser page report, by stable name: the presentation
/// checks of each form, then the ledger checks.
pub fn check_names() -> Vec<&'static str> {
    use nansen_verifier::verdict::{CHECKS, CREDENTIAL_CHECKS, DI_CHECKS};
    let mut names: Vec<&'static str> = Vec::new();
    for name in CHECKS
        .iter()
        .chain(DI_CHECKS)
        .chain(CREDENTIAL_CHECKS)
        .chain(nansen_verifier::ledger_checks::LEDGER_CHECKS)
    {
        if !names.contains(name) {
            names.push(name);
        }
    }
    names
}

/// The check `name` (`issuer-signature`, ...) in `lang`, by its key `check-name-<name>`
/// (the name itself in English, and for a check the catalogue does not know).
pub fn check_name(lang: Lang, name: &str) -> String {
    let key = format!("check-name-{name}");
    if CATALOGUE.iter().any(|e| e.0 == key) {
        tr(lang, &key, &[])
    } else {
        name.to_owned()
    }
}

/// A ledger check's detail (`nansen_verifier::ledger_checks::Detail`) in `lang`, by its
/// key (`detail-<key>` here; the core's English for a key not here). Arguments (paths,
/// identifiers, lower-level errors) are as the core gives them.
pub fn check_detail(lang: Lang, detail: &nansen_verifier::ledger_checks::Detail) -> String {
    if lang == Lang::En {
        return detail.english();
    }
    let english = detail.english();
    let known = |key: &str| CATALOGUE.iter().any(|e| e.0 == format!("detail-{key}"));
    let mut all_known = known(detail.key);
    let mut pending: Vec<&nansen_verifier::ledger_checks::Detail> = detail.then.iter().collect();
    while let Some(next) = pending.pop() {
        all_known &= known(next.key);
        pending.extend(next.then.iter());
    }
    if !all_known {
        return english;
    }
    detail.render_with(&|key, args| tr(lang, &format!("detail-{key}"), args))
}

/// What the credential error `e` says, in `lang`: the text keyed by its variant's name
/// (`cred-<Name>`), filled with the values the core gives
/// ([`nansen_verifier::CredentialError::message_args`], matched exhaustively there: a new
/// variant does not compile until it has its values, and a test here finds its texts).
pub fn credential_error(lang: Lang, e: &crate::CredentialError) -> String {
    let key = format!("cred-{}", e.name());
    if !CATALOGUE.iter().any(|entry| entry.0 == key) {
        return e.to_string();
    }
    let args = e.message_args();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    tr(lang, &key, &args)
}

/// The check labels of the catalogue per language, for the browser verifier's page:
/// `{"en": {"issuer-signature": "issuer-signature", ...}, "fr": {...}, "ar": {...}}`.
/// The Arabic ones without bidi controls (the page sets the direction itself).
pub fn check_labels() -> serde_json::Value {
    let mut by_lang = [
        serde_json::Map::new(),
        serde_json::Map::new(),
        serde_json::Map::new(),
    ];
    for name in check_names() {
        if let Some((_, en, fr, ar)) = CATALOGUE
            .iter()
            .find(|e| e.0.strip_prefix("check-name-") == Some(name))
        {
            for (map, text) in by_lang.iter_mut().zip([en, fr, ar]) {
                map.insert(name.to_owned(), (*text).into());
            }
        }
    }
    let [en, fr, ar] = by_lang;
    serde_json::json!({"en": en, "fr": fr, "ar": ar})
}

/// The catalogue's texts whose keys start with `prefix`, by the rest of the key, per
/// language: `{"en": {rest: text}, "fr": {...}, "ar": {...}}` (raw templates with `{0}`...;
/// the page fills and isolates them as [`tr`] does).
fn texts_under(prefix: &str) -> serde_json::Value {
    let mut by_lang = [
        serde_json::Map::new(),
        serde_json::Map::new(),
        serde_json::Map::new(),
    ];
    for (key, en, fr, ar) in CATALOGUE {
        if let Some(rest) = key.strip_prefix(prefix) {
            for (map, text) in by_lang.iter_mut().zip([en, fr, ar]) {
                map.insert(rest.to_owned(), (*text).into());
            }
        }
    }
    let [en, fr, ar] = by_lang;
    serde_json::json!({"en": en, "fr": fr, "ar": ar})
}

/// The texts of the ledger checks' details by the core's detail key (`detail-<key>`, as
/// [`check_detail`] tells them), per language, for the browser verifier's page.
pub fn detail_texts() -> serde_json::Value {
    texts_under("detail-")
}

/// The texts of the presentation checks' errors by error name (`cred-<Name>`, as
/// [`credential_error`] tells them; `NonceReused` for a replay), per language, for the
/// browser verifier's page.
pub fn error_texts() -> serde_json::Value {
    texts_under("cred-")
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
        let problems = nansen_i18n::problems(CATALOGUE);
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!(tr(Lang::Fr, "error", &["x"]), "Erreur : x");
        assert_eq!(Lang::choose(PROGRAM, Some("ar_SY.UTF-8")), Lang::Ar);
    }

    #[test]
    fn every_key_the_source_uses_is_in_the_catalogue() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut used = nansen_i18n::keys::literal_keys_under(&src, "tr", 1).expect("read src");
        // The keys of `CliError::usage` (bad input), told by the catalogue.
        let usage = nansen_i18n::keys::literal_keys_under(&src, "usage", 0).expect("read src");
        assert!(
            usage.len() > 25,
            "the scan finds the usage errors: {}",
            usage.len()
        );
        used.extend(usage);
        let rejected =
            nansen_i18n::keys::literal_keys_under(&src, "rejected", 0).expect("read src");
        assert!(
            rejected.len() >= 9,
            "the scan finds the rejections: {}",
            rejected.len()
        );
        used.extend(rejected);
        let node = nansen_i18n::keys::literal_keys_under(&src, "node_answer", 0).expect("read src");
        assert!(
            node.len() >= 5,
            "the scan finds the node answers: {}",
            node.len()
        );
        used.extend(node);
        assert!(used.len() > 50, "the scan finds the calls: {}", used.len());
        let missing: Vec<&(String, String)> = used
            .iter()
            .filter(|(key, _)| !CATALOGUE.iter().any(|e| e.0 == key))
            .collect();
        assert!(missing.is_empty(), "keys without a text: {missing:#?}");
        // The keys chosen at run time rather than written in the call.
        for state in [
            nansen_verifier::verdict::CheckState::Pass,
            nansen_verifier::verdict::CheckState::Fail,
            nansen_verifier::verdict::CheckState::NotRun,
            nansen_verifier::verdict::CheckState::Skip,
        ] {
            assert!(CATALOGUE.iter().any(|e| e.0 == state.message_key()));
        }
    }

    #[test]
    fn every_check_has_a_name_in_every_language() {
        let names = check_names();
        assert!(names.len() >= 14, "{names:?}");
        for name in names {
            let key = format!("check-name-{name}");
            let entry = CATALOGUE.iter().find(|e| e.0 == key);
            assert!(entry.is_some(), "{key} is not in the catalogue");
            // English keeps the stable name, as --json and scripts read it.
            assert_eq!(check_name(Lang::En, name), name);
            assert_ne!(check_name(Lang::Fr, "issuer-signature"), "issuer-signature");
        }
        let labels = check_labels();
        assert_eq!(labels["fr"]["replay"], "rejeu");
        assert_eq!(labels["en"]["ledger-anchoring"], "ledger-anchoring");
    }

    #[test]
    fn every_ledger_check_detail_has_its_texts_and_the_core_s_english() {
        use nansen_verifier::ledger_checks::{Detail, DETAILS};
        for (key, english) in DETAILS {
            let ours = CATALOGUE.iter().find(|e| e.0 == format!("detail-{key}"));
            let Some((_, en, _, _)) = ours else {
                panic!("detail-{key} is not in the catalogue");
            };
            assert_eq!(en, english, "detail-{key}");
        }
        // Every key the core gives a detail by is in DETAILS.
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../verifier/src");
        let mut used = nansen_i18n::keys::literal_keys_under(&src, "msg", 0).expect("read");
        used.extend(nansen_i18n::keys::literal_keys_under(&src, "sourced", 0).expect("read"));
        assert!(used.len() > 20, "{used:?}");
        assert!(used.iter().any(|(k, _)| k == "not-in-replica"), "{used:?}");
        for (key, file) in &used {
            assert!(DETAILS.iter().any(|(k, _)| k == key), "{key} ({file})");
        }
        let detail = Detail {
            key: "no-status-evidence-sources",
            args: vec![],
            then: vec![Detail {
                key: "checkpoint-anchoring-only",
                args: vec!["2026-01-01T00:00:00Z".into(), "3 d".into()],
                then: vec![],
                nested: vec![],
            }],
            nested: vec![],
        };
        assert_eq!(
            check_detail(Lang::Fr, &detail),
            "aucune preuve de statut (ni nœud, ni fichier du registre); point de contrôle \
             cosigné le 2026-01-01T00:00:00Z (il y a 3 d), qui prouve l'ancrage, pas le statut"
        );
        assert_eq!(check_detail(Lang::En, &detail), detail.english());
        // A ledger's source inside a detail is told in the language too.
        for source in [
            nansen_verifier::ledger_checks::ReplicaSource::LedgerFile("x.cbor".into()),
            nansen_verifier::ledger_checks::ReplicaSource::Node("http://n".into()),
            nansen_verifier::ledger_checks::ReplicaSource::TrustFile,
        ] {
            let detail = Detail {
                key: "not-anchored-in",
                args: vec![source.to_string()],
                then: vec![],
                nested: vec![(0, source.detail())],
            };
            let fr = check_detail(Lang::Fr, &detail);
            let ar = check_detail(Lang::Ar, &detail);
            for english in ["ledger file", "node http", "trust file"] {
                assert!(
                    !fr.contains(english) && !ar.contains(english),
                    "{fr} / {ar}"
                );
            }
            assert_eq!(check_detail(Lang::En, &detail), detail.english());
            assert!(detail.english().contains(&source.to_string()));
        }
    }

    #[test]
    fn every_credential_error_has_its_texts_and_says_what_the_core_says() {
        use crate::CredentialError as E;
        let samples = [
            E::UnknownEventKind("x".into()),
            E::ClaimsNotAnObject,
            E::UnknownClaim {
                kind: crate::EventKind::Birth,
                claim: "x".into(),
            },
            E::InvalidClaimValue {
                claim: "x".into(),
                reason: "a date",
            },
            E::InvalidDidKey("did:x".into()),
            E::InvalidPublicKey,
            E::TimestampOutOfRange(7),
            E::Randomness,
            E::MalformedDocument("not JSON"),
            E::TooDeeplyNested { limit: 64 },
            E::MissingProof,
            E::UnsupportedCryptosuite("x".into()),
            E::WrongProofPurpose {
                expected: "authentication",
                found: "assertionMethod".into(),
            },
            E::VerificationMethodMismatch {
                method: "m".into(),
                expected_controller: "c".into(),
            },
            E::MalformedProofValue,
            E::InvalidSignature,
            E::Signing("s".into()),
            E::VerificationFailed("v".into()),
            E::Canonicalization("c".into()),
            E::ChallengeMismatch,
            E::DomainMismatch,
            E::HolderMismatch {
                holder: "h".into(),
                subject: "s".into(),
            },
            E::NotYetValid {
                valid_from: 2,
                now: 1,
            },
            E::CredentialCount,
            E::MalformedSdJwt("m".into()),
            E::MalformedEnvelope("m".into()),
            E::WrongJwtType("t".into()),
            E::WrongJwtAlgorithm("a".into()),
            E::InvalidIssuerSignature,
            E::UnknownDisclosure("d".into()),
            E::InvalidIssuerClaims("c".into()),
            E::MissingKeyBinding,
            E::MissingHolderKey,
            E::MalformedKeyBinding("k".into()),
            E::InvalidKeyBindingSignature,
            E::NonceMismatch,
            E::AudienceMismatch,
            E::StaleKeyBinding { iat: 1, now: 2 },
            E::SdHashMismatch,
            E::NoSuchClaim("c".into()),
        ];
        // The page's tables (labels.js) hold every error the core can name, in every
        // language, and every detail key.
        let errors = error_texts();
        let details = detail_texts();
        for lang in ["en", "fr", "ar"] {
            for name in samples
                .iter()
                .map(|e| e.name())
                .chain([nansen_verifier::verdict::NONCE_REUSED, "InvalidClaims"])
            {
                assert!(errors[lang][name].is_string(), "{lang}: {name}");
            }
            for (key, _) in nansen_verifier::ledger_checks::DETAILS {
                assert!(details[lang][key].is_string(), "{lang}: {key}");
            }
        }
        assert_eq!(errors["fr"]["NonceReused"], "ce défi a déjà été utilisé");
        for e in &samples {
            let key = format!("cred-{}", e.name());
            assert!(CATALOGUE.iter().any(|c| c.0 == key), "{key} has no texts");
            // The English is the core's own message, word for word.
            assert_eq!(credential_error(Lang::En, e), e.to_string(), "{key}");
            assert_ne!(credential_error(Lang::Fr, e), e.to_string(), "{key}");
        }
    }

    #[test]
    fn arabic_is_isolated_right_to_left_with_arguments_kept_whole() {
        let did = "did:key:z6MkExample";
        let line = tr(Lang::Ar, "holder-did", &[did]);
        assert!(line.starts_with('\u{2067}') && line.ends_with('\u{2069}'));
        assert!(line.contains(&format!("\u{2068}{did}\u{2069}")));
        assert!(line.contains("معرّفك"));
        assert_eq!(
            tr(Lang::En, "holder-did", &[did]),
            format!("Your identifier (DID): {did}")
        );
    }
}
