//! Command help in French and Arabic: the texts of `nansen`'s commands and arguments.
//!
//! The English help is the doc comments of [`Cli`](super::Cli) and its commands (clap derives
//! it). The machinery that puts these texts on the clap command tree, clap's own words and
//! the usage errors are the `nansen-i18n` crate's ([`nansen_i18n::help`]), shared with
//! `nansen-node`. Keys: `cmd:<name>` for a command summary, `arg:<id>` for an argument, in any
//! command, `arg:<command>.<id>` for one command's argument (checked first).

use clap::Command;

use crate::i18n::Lang;

/// (key, French, Arabic).
pub const HELP: &nansen_i18n::help::HelpTable = &[
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
    ("arg:wallet", "Fichier du portefeuille (par défaut : <données>/nansen/wallet.nansen).", "ملف المحفظة (افتراضيًا: <البيانات>/nansen/wallet.nansen)."),
    ("arg:lang", "Langue des messages : en, fr ou ar (par défaut : LANGUAGE / LC_ALL / LC_MESSAGES / LANG).", "لغة الرسائل: en أو fr أو ar (افتراضيًا: LANGUAGE / LC_ALL / LC_MESSAGES / LANG)."),
    ("arg:sheet_image", "Lire la phrase sur une photo du code QR de la fiche de récupération (PNG ou JPEG).", "قراءة العبارة من صورة رمز QR في ورقة الاسترداد (PNG أو JPEG)."),
    ("arg:id", "Identifiant de l'attestation.", "معرّف الوثيقة."),
    ("arg:qr_png", "Écrire aussi les codes QR en PNG (nom-1.png, nom-2.png, …).", "حفظ رموز QR أيضًا كصور PNG (name-1.png، name-2.png، …)."),
    ("arg:kind", "Type d'événement : birth, death, marriage, divorce, adoption, name_change, identity_registration, refugee_status.", "نوع الواقعة: birth أو death أو marriage أو divorce أو adoption أو name_change أو identity_registration أو refugee_status."),
    ("arg:claim", "Une information NOM=VALEUR (répéter pour chacune), au lieu d'un fichier.", "بيان واحد بصيغة NAME=VALUE (يُكرَّر لكل بيان)، بدلًا من ملف."),
    ("arg:holder", "Le did:key du titulaire.", "معرّف did:key لصاحب الوثيقة."),
    ("arg:holder_qr", "Lire le did:key du titulaire sur une image de code QR.", "قراءة معرّف did:key لصاحب الوثيقة من صورة رمز QR."),
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
    ("arg:challenge.audience", "L'identité du vérificateur (les présentations doivent la nommer comme destinataire).", "هوية المُحقِّق (يجب أن تسمّيها العروض جهةً مستقبِلة)."),
    ("arg:verify.audience", "L'identité de ce vérificateur (obligatoire pour une présentation).", "هوية هذا المُحقِّق (إلزامية للعرض)."),
    ("arg:verify.challenge", "Le défi émis par ce vérificateur (obligatoire pour une présentation).", "التحدي الذي أصدره هذا المُحقِّق (إلزامي للعرض)."),
    ("arg:issue.claims", "Fichier des informations (un objet JSON : nom de l'information vers sa valeur, en texte).", "ملف البيانات (كائن JSON: اسم البيان وقيمته نصًا)."),
    ("arg:supersede.claims", "Fichier des informations (un objet JSON : nom de l'information vers sa valeur, en texte).", "ملف البيانات (كائن JSON: اسم البيان وقيمته نصًا)."),
    ("arg:present.claims", "Informations à divulguer, séparées par des virgules (forme SD-JWT ; obligatoire sans --profile).", "البيانات المراد كشفها، مفصولة بفواصل (صيغة SD-JWT؛ إلزامية دون ‎--profile)."),
    ("arg:import.file", "Le fichier de sauvegarde.", "ملف النسخة الاحتياطية."),
    ("arg:receive.path", "Le fichier du lot écrit par `nansen issue` (JSON).", "ملف الحزمة الذي يكتبه `nansen issue` (JSON)."),
    ("arg:receive.file", "Le fichier du lot d'attestation (comme FICHIER).", "ملف حزمة الوثيقة (مثل FILE)."),
    ("arg:verify.file", "Fichier du texte de la présentation, ou une attestation (fichier JSON W3C VC, tel que issue le signe).", "ملف نص العرض، أو وثيقة (ملف JSON بصيغة W3C VC كما يوقّعه issue)."),
    ("arg:recover.force", "Remplacer un fichier de portefeuille existant (l'ancien est gardé en <fichier>.bak), et les fiches de récupération existantes.", "استبدال ملف محفظة موجود (تُحفظ القديمة باسم <الملف>.bak)، وملفات ورقة الاسترداد الموجودة."),
    ("arg:issue.force", "Remplacer les fichiers de sortie existants (le lot et ses fichiers QR).", "استبدال ملفات الإخراج الموجودة (الحزمة وملفات QR الخاصة بها)."),
    ("arg:supersede.force", "Remplacer les fichiers de sortie existants (le lot et ses fichiers QR).", "استبدال ملفات الإخراج الموجودة (الحزمة وملفات QR الخاصة بها)."),
    ("arg:present.force", "Remplacer les fichiers de sortie existants (--out, --qr-png, --qr-text).", "استبدال ملفات الإخراج الموجودة (‎--out و‎--qr-png و‎--qr-text)."),
    ("arg:status.id", "Une attestation (identifiant en hexadécimal, urn:uuid:… ou préfixe hexadécimal unique) ; toutes sans lui.", "وثيقة واحدة (المعرّف بالست عشري أو urn:uuid:… أو بادئة ست عشرية فريدة)؛ وكلها دونه."),
    ("arg:revoke.id", "Identifiant de l'attestation (32 chiffres hexadécimaux ou urn:uuid:…).", "معرّف الوثيقة (32 رقمًا ست عشريًا أو urn:uuid:…)."),
    ("arg:show.json", "Afficher plutôt du JSON pour les programmes (noms des informations tels que dans l'attestation).", "طباعة JSON للبرامج بدلًا من ذلك (أسماء البيانات كما في الوثيقة)."),
    ("arg:supersede.kind", "Type d'événement de l'attestation corrigée.", "نوع الواقعة للوثيقة المصححة."),
    ("arg:receive.node", "L'API d'un nœud (http://hôte:port) : vérifier que l'attestation est ancrée dans le registre, avec les mêmes empreintes, par un officier d'état civil accrédité, et enregistrer son statut (active, révoquée…). Une attestation non ancrée est refusée ; une attestation révoquée est enregistrée avec un signalement (code de sortie 1). Sans elle, le statut est enregistré comme non vérifié.", "واجهة عقدة (http://host:port): التحقق من أن الوثيقة مثبتة في السجل ببصمات مطابقة من مسجِّل معتمد، وحفظ حالتها (سارية، ملغاة، …). تُرفض الوثيقة غير المثبتة؛ وتُحفظ الملغاة مع تنبيه (رمز الخروج 1). ودونها تُحفظ الحالة على أنها لم يُتحقق منها."),
    ("arg:status.node", "L'API du nœud (http://hôte:port).", "واجهة العقدة (http://host:port)."),
    ("arg:issue.node", "L'API du nœud local (http://hôte:port). Avec elle, l'attestation est ancrée dans le registre ; sans elle, le lot est seulement écrit (ancrez-le plus tard avec nansen-node registrar attest).", "واجهة العقدة المحلية (http://host:port). معها تُثبَّت الوثيقة في السجل؛ ودونها تُكتب الحزمة فقط (ثبّتها لاحقًا بالأمر nansen-node registrar attest)."),
    ("arg:supersede.node", "L'API du nœud local (http://hôte:port). Avec elle, l'attestation est ancrée dans le registre ; sans elle, le lot est seulement écrit (ancrez-le plus tard avec nansen-node registrar attest).", "واجهة العقدة المحلية (http://host:port). معها تُثبَّت الوثيقة في السجل؛ ودونها تُكتب الحزمة فقط (ثبّتها لاحقًا بالأمر nansen-node registrar attest)."),
    ("arg:revoke.node", "L'API du nœud (http://hôte:port) auquel l'entrée de révocation est soumise ; il doit détenir la chaîne de l'officier d'état civil.", "واجهة العقدة (http://host:port) التي يُرسل إليها قيد الإلغاء؛ ويجب أن تحمل سلسلة المسجِّل."),
    ("arg:present.node", "Obtenir de l'API de ce nœud (http://hôte:port) la preuve portable de l'attestation dans le registre, et la joindre à la présentation.", "جلب الإثبات المحمول للوثيقة في السجل من واجهة هذه العقدة (http://host:port) وإرفاقه بالعرض."),
    ("arg:verify.node", "L'API d'un nœud (http://hôte:port) : réplique du registre (sa genesis et son export), statut de l'attestation, et sa clé de témoin si --witness n'est pas donné.", "واجهة عقدة (http://host:port): نسخة من السجل (ملف genesis والتصدير)، وحالة الوثيقة، ومفتاح الشاهد الخاص بها إن لم يُعطَ ‎--witness."),
    ("arg:export.out", "Le fichier de sauvegarde à écrire (un fichier existant est gardé en <fichier>.bak).", "ملف النسخة الاحتياطية المراد كتابته (يُحفظ الموجود باسم <الملف>.bak)."),
    ("arg:issue.out", "Où écrire le lot (JSON ; il contient les données personnelles du titulaire : créé lisible par son seul propriétaire, jamais écrit sur un fichier existant sans --force).", "مكان كتابة الحزمة (JSON؛ فيها البيانات الشخصية لصاحب الوثيقة: تُنشأ مقروءة لمالكها فقط، ولا تُكتب فوق ملف موجود دون ‎--force)."),
    ("arg:supersede.out", "Où écrire le lot corrigé (JSON ; créé lisible par son seul propriétaire, jamais écrit sur un fichier existant sans --force).", "مكان كتابة الحزمة المصححة (JSON؛ تُنشأ مقروءة لمالكها فقط، ولا تُكتب فوق ملف موجود دون ‎--force)."),
    ("arg:present.out", "Où écrire le texte de la présentation (créé lisible par son seul propriétaire, jamais écrit sur un fichier existant sans --force).", "مكان كتابة نص العرض (يُنشأ مقروءًا لمالكه فقط، ولا يُكتب فوق ملف موجود دون ‎--force)."),
    ("arg:did.qr", "Afficher aussi le DID en code QR dans le terminal.", "إظهار المعرّف DID أيضًا كرمز QR في الطرفية."),
    ("arg:issue.qr", "Afficher aussi le lot en codes QR dans le terminal, à scanner par le téléphone du titulaire.", "إظهار الحزمة أيضًا كرموز QR في الطرفية ليمسحها هاتف صاحب الوثيقة."),
    ("arg:supersede.qr", "Afficher aussi le lot en codes QR dans le terminal, à scanner par le téléphone du titulaire.", "إظهار الحزمة أيضًا كرموز QR في الطرفية ليمسحها هاتف صاحب الوثيقة."),
    ("arg:present.qr", "Afficher aussi la présentation en codes QR dans le terminal.", "إظهار العرض أيضًا كرموز QR في الطرفية."),
    ("arg:receive.qr_image", "Lire le lot depuis des codes QR photographiés ou scannés : images PNG ou JPEG, un ou plusieurs codes chacune, dans n'importe quel ordre (nansen issue --qr-png les écrit).", "قراءة الحزمة من رموز QR مصوّرة أو ممسوحة: صور PNG أو JPEG، في كل منها رمز أو أكثر، بأي ترتيب (يكتبها nansen issue --qr-png)."),
    ("arg:verify.qr_image", "Lire plutôt la présentation depuis des codes QR photographiés ou scannés : images PNG ou JPEG, un ou plusieurs codes chacune, parties dans n'importe quel ordre.", "قراءة العرض بدلًا من ذلك من رموز QR مصوّرة أو ممسوحة: صور PNG أو JPEG، في كل منها رمز أو أكثر، والأجزاء بأي ترتيب."),
    ("arg:did.qr_png", "Écrire aussi le DID en code QR (PNG ; le texte du code est le DID lui-même).", "حفظ المعرّف DID أيضًا كرمز QR بصيغة PNG (نص الرمز هو المعرّف نفسه)."),
    ("arg:issue.qr_png", "Écrire aussi le lot en codes QR PNG (plusieurs codes : nom-1.png, nom-2.png, …) ; le titulaire les lit avec nansen receive --qr-image.", "حفظ الحزمة أيضًا كرموز QR بصيغة PNG (عدة رموز: name-1.png، name-2.png، …)؛ ويقرؤها صاحب الوثيقة بالأمر nansen receive --qr-image."),
    ("arg:supersede.qr_png", "Écrire aussi le lot en codes QR PNG (plusieurs codes : nom-1.png, nom-2.png, …) ; le titulaire les lit avec nansen receive --qr-image.", "حفظ الحزمة أيضًا كرموز QR بصيغة PNG (عدة رموز: name-1.png، name-2.png، …)؛ ويقرؤها صاحب الوثيقة بالأمر nansen receive --qr-image."),
    ("arg:receive.qr_text", "Lire le lot depuis le texte des codes QR (parties NS1:i/n:…, une par ligne).", "قراءة الحزمة من نص رموز QR (أجزاء NS1:i/n:…، جزء في كل سطر)."),
    ("arg:issue.qr_text", "Écrire aussi le texte QR du lot (une partie NS1:i/n:… par ligne).", "حفظ نص QR للحزمة أيضًا (جزء NS1:i/n:… في كل سطر)."),
    ("arg:supersede.qr_text", "Écrire aussi le texte QR du lot (une partie NS1:i/n:… par ligne).", "حفظ نص QR للحزمة أيضًا (جزء NS1:i/n:… في كل سطر)."),
    ("arg:present.qr_text", "Écrire aussi le texte des codes QR (une partie NS2:i/n:… ou NS1:i/n:… par ligne).", "حفظ نص رموز QR أيضًا (جزء NS2:i/n:… أو NS1:i/n:… في كل سطر)."),
    ("arg:present.qr_framing", "Le format des codes QR : ns2 (par défaut), l'enveloppe binaire compacte d'une présentation SD-JWT (le profil frontière et sa preuve du registre en un seul code) ; ns1, le DEFLATE du texte, pour les vérificateurs qui ne lisent pas encore ns2. Une présentation Data Integrity est toujours en ns1.", "صيغة رموز QR: ns2 (الافتراضية)، الغلاف الثنائي المضغوط لعرض SD-JWT (ملف الحدود مع إثباته في السجل في رمز واحد)؛ ns1، ضغط DEFLATE للنص، للمتحققين الذين لا يقرؤون ns2 بعد. عرض Data Integrity يكون دائمًا ns1."),
    ("arg:verify.portrait_out", "Écrire dans ce fichier le portrait que la présentation divulgue, s'il y en a un : l'image JPEG ou WebP elle-même, pour un écran qui peut l'afficher (créé lisible par son seul propriétaire, jamais par-dessus un fichier existant).", "حفظ الصورة الشخصية التي يكشفها العرض، إن وُجدت، في هذا الملف: صورة JPEG أو WebP نفسها، لعرضها على شاشة (يُنشأ الملف مقروءًا لمالكه فقط، ولا يُكتب فوق ملف موجود)."),
    ("arg:verify.qr_text", "Lire plutôt la présentation depuis le texte scanné des codes QR (parties NS2:i/n:… ou NS1:i/n:…).", "قراءة العرض بدلًا من ذلك من نص رموز QR الممسوحة (أجزاء NS2:i/n:… أو NS1:i/n:…)."),
    ("arg:init.recovery_sheet", "Écrire aussi une fiche de récupération imprimable : FICHIER (un PNG : le code QR de la phrase et, dessous, les 24 mots numérotés) et FICHIER avec l'extension .txt (les 24 mots numérotés et les instructions, dans la langue choisie). Les deux contiennent la phrase secrète : imprimez-les, puis effacez-les.", "كتابة ورقة استرداد قابلة للطباعة أيضًا: FILE (صورة PNG: رمز QR للعبارة وتحته الكلمات الأربع والعشرون مرقّمة) وFILE بالامتداد ‎.txt (الكلمات مرقّمة والتعليمات باللغة المختارة). كلاهما يحوي العبارة السرية: اطبعهما ثم احذفهما."),
    ("arg:recover.recovery_sheet", "Écrire aussi une fiche de récupération imprimable, comme pour init : FICHIER (PNG : code QR de la phrase et les 24 mots numérotés) et FICHIER avec l'extension .txt.", "كتابة ورقة استرداد قابلة للطباعة أيضًا كما في init: FILE (صورة PNG: رمز QR للعبارة والكلمات الأربع والعشرون مرقّمة) وFILE بالامتداد ‎.txt."),
    ("arg:revoke.registrar", "L'identifiant de l'officier d'état civil (la chaîne à laquelle la révocation est ajoutée).", "معرّف المسجِّل (السلسلة التي يُضاف إليها الإلغاء)."),
    ("arg:issue.registrar_key", "Le fichier de clé de l'officier d'état civil : un fichier de nansen-node key generate --kind registrar (chiffré ; phrase de passe depuis NANSEN_REGISTRAR_PASSPHRASE, NANSEN_PASSPHRASE ou le terminal), ou un fichier contenant la graine Ed25519 de 32 octets en hexadécimal.", "ملف مفتاح المسجِّل: ملف ينشئه nansen-node key generate --kind registrar (مشفر؛ عبارة المرور من NANSEN_REGISTRAR_PASSPHRASE أو NANSEN_PASSPHRASE أو الطرفية)، أو ملف فيه البذرة Ed25519 ذات 32 بايتًا بالست عشري."),
    ("arg:revoke.registrar_key", "Le fichier de clé de l'officier d'état civil (comme pour issue).", "ملف مفتاح المسجِّل (كما في issue)."),
    ("arg:supersede.registrar_key", "Le fichier de clé de l'officier d'état civil (comme pour issue).", "ملف مفتاح المسجِّل (كما في issue)."),
    ("arg:verifier-page.genesis", "Le fichier genesis du réseau.", "ملف التكوين الأولي (genesis) للشبكة."),
    ("arg:verifier-page.ledger", "Un registre exporté (nansen-node export), joint au fichier de confiance, pour les contrôles d'accréditation et de statut.", "سجل مُصدَّر (nansen-node export) يُرفق بملف الثقة لفحوص الاعتماد والحالة."),
    ("arg:verifier-page.max_evidence_age", "Âge maximal (secondes) des preuves de statut (7 jours par défaut).", "أقصى عمر (بالثواني) لأدلة الحالة (7 أيام افتراضيًا)."),
    ("arg:verifier-page.out", "Le dossier à écrire (créé s'il n'existe pas).", "المجلد المراد كتابته (يُنشأ إن لم يكن موجودًا)."),
    ("arg:verifier-page.force", "Remplacer les fichiers du dossier s'ils existent.", "استبدال ملفات المجلد إن كانت موجودة."),
];

/// The language asked for on the command line (`--lang X` or `--lang=X`) before parsing, so
/// the help itself can be translated; else the environment's.
pub fn language_of_args(args: &[String]) -> Lang {
    Lang::of_args(crate::i18n::PROGRAM, args)
}

/// `command` (and its subcommands) with help texts and headings in `lang`, clap's own parts
/// included.
pub fn localize(command: Command, lang: Lang) -> Command {
    nansen_i18n::help::localize(command, lang, HELP)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    #[test]
    fn every_command_and_argument_has_both_translations() {
        let command = crate::cli::documented_command();
        let missing = nansen_i18n::help::missing(&command, HELP);
        assert!(missing.is_empty(), "no French or Arabic help: {missing:#?}");
        for (key, fr, ar) in HELP {
            assert!(!fr.is_empty() && !ar.is_empty(), "{key}");
        }
    }

    #[test]
    fn a_shared_translation_serves_only_arguments_that_mean_the_same() {
        // `arg:ID` is used for every command without its own `arg:CMD.ID`: the English help of
        // all those arguments must be one text, or the translation says something else than
        // the English for some of them.
        let conflicts = nansen_i18n::help::shared_key_conflicts(&crate::cli::Cli::command(), HELP);
        assert!(conflicts.is_empty(), "{}", conflicts.join("\n"));
    }

    #[test]
    fn usage_errors_are_told_in_the_chosen_language_with_the_suggestion() {
        let error = |lang: Lang, args: &[&str]| {
            let e = localize(crate::cli::Cli::command(), lang)
                .try_get_matches_from(args)
                .expect_err("a usage error");
            nansen_i18n::help::usage_error(&e, lang)
        };
        let fr = error(Lang::Fr, &["nansen", "lst"]).expect("translated");
        assert!(fr.contains("« lst »") && fr.contains("list"), "{fr}");
        let fr = error(Lang::Fr, &["nansen", "present", "x", "--form", "xx"]).expect("translated");
        assert!(fr.contains("« xx »") && fr.contains("sd-jwt, di"), "{fr}");
        let ar = error(Lang::Ar, &["nansen", "list", "--bogus"]).expect("translated");
        assert!(ar.contains("--bogus") && ar.contains("خطأ"), "{ar}");
        assert!(error(Lang::En, &["nansen", "lst"]).is_none());
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
        // clap's own words too: the help flag, defaults, possible values, variables.
        let present = fr
            .find_subcommand_mut("present")
            .map(|p| p.render_help().to_string())
            .unwrap_or_default();
        for french in [
            "Afficher l'aide.",
            "[par défaut : sd-jwt]",
            "[valeurs possibles : sd-jwt, di]",
            "[variable : NANSEN_WALLET]",
        ] {
            assert!(present.contains(french), "{french}: {present}");
        }
        for english in ["Print help", "[default:", "[possible values:", "[env:"] {
            assert!(!present.contains(english), "{english}: {present}");
        }
        let mut ar = localize(crate::cli::Cli::command(), Lang::Ar);
        let verify = ar
            .find_subcommand_mut("verify")
            .map(|v| v.render_help().to_string())
            .unwrap_or_default();
        assert!(
            verify.contains("التحدي الذي أصدره هذا المُحقِّق") && verify.contains("الخيارات"),
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
