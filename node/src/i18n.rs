//! What `nansen-node`'s commands print for a person, in English, French and Arabic.
//!
//! The rules (the language from `--lang`, `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`; an
//! unavailable language named once; Arabic isolated right to left) are the `nansen-i18n`
//! crate's, shared with `nansen`; the texts are here, and the help texts in
//! [`crate::help_text`]. Operator logs written through `tracing` stay in English: they go to
//! a journal and are searched. Every key has three texts, and every key the source uses is
//! here (tests check).

pub use nansen_i18n::Lang;

/// The program's name, in the line that names an unavailable language.
pub const PROGRAM: &str = "nansen-node";

/// (key, English, French, Arabic).
pub const CATALOGUE: &nansen_i18n::Catalogue = &[
    // One-line user errors.
    ("error", "error: {0}", "erreur : {0}", "خطأ: {0}"),
    ("unreachable-hint", " (is `nansen-node run` serving its API there? --node URL or NANSEN_NODE choose the node)", " (`nansen-node run` sert-il son API à cette adresse ? --node URL ou NANSEN_NODE choisissent le nœud)", " (هل يقدّم `nansen-node run` واجهته هناك؟ يختار ‎--node URL أو NANSEN_NODE العقدة)"),
    ("reading", "reading {0}", "lecture de {0}", "قراءة {0}"),
    ("writing", "writing {0}", "écriture de {0}", "كتابة {0}"),
    ("creating", "creating {0}", "création de {0}", "إنشاء {0}"),
    ("file-cause", "{0}: {1}", "{0} : {1}", "{0}: {1}"),
    ("with-detail", "{0} ({1})", "{0} ({1})", "{0} ({1})"),
    ("config-unreadable", "the settings file {0} cannot be read at line {1}, column {2}", "le fichier de réglages {0} est illisible à la ligne {1}, colonne {2}", "تعذّرت قراءة ملف الإعدادات {0} عند السطر {1}، العمود {2}"),
    ("setting-not-a-multiaddr", "{0} is not a libp2p address (a multiaddr such as /ip4/0.0.0.0/tcp/4100)", "{0} n'est pas une adresse libp2p (une multiadresse comme /ip4/0.0.0.0/tcp/4100)", "{0} ليس عنوان libp2p (عنوانًا متعددًا مثل ‎/ip4/0.0.0.0/tcp/4100)"),
    ("data-dir-required", "--data-dir (or --config) is required", "--data-dir (ou --config) est obligatoire", "الخيار ‎--data-dir (أو ‎--config) إلزامي"),
    ("reading-node-key", "reading node key {0}", "lecture de la clé du nœud {0}", "قراءة مفتاح العقدة {0}"),
    ("reading-key-file", "reading key file {0}", "lecture du fichier de clé {0}", "قراءة ملف المفتاح {0}"),
    ("no-terminal", "no terminal to ask for the key file's passphrase: give it in a file named by NANSEN_PASSPHRASE_FILE, as the systemd credential {0}, or in NANSEN_PASSPHRASE", "aucun terminal pour demander la phrase de passe du fichier de clé : donnez-la dans un fichier nommé par NANSEN_PASSPHRASE_FILE, comme identifiant systemd {0}, ou dans NANSEN_PASSPHRASE", "لا توجد طرفية لطلب عبارة مرور ملف المفتاح: أعطها في ملف يسمّيه NANSEN_PASSPHRASE_FILE، أو كاعتماد systemd باسم {0}، أو في NANSEN_PASSPHRASE"),
    ("passphrase-prompt", "Passphrase: ", "Phrase de passe : ", "عبارة المرور: "),
    ("passphrase-again", "Again: ", "Encore une fois : ", "مرة أخرى: "),
    ("passphrases-differ", "the passphrases differ", "les phrases de passe diffèrent", "عبارتا المرور مختلفتان"),
    ("not-public-key", "{0} is not a 64-digit hex public key", "{0} n'est pas une clé publique de 64 chiffres hexadécimaux", "{0} ليس مفتاحًا عامًا من 64 رقمًا ست عشريًا"),
    ("not-hash", "{0} must be 64 hex digits", "{0} doit faire 64 chiffres hexadécimaux", "يجب أن يكون {0} من 64 رقمًا ست عشريًا"),
    ("not-credential-id", "a credential id is 32 hex digits", "un identifiant d'attestation fait 32 chiffres hexadécimaux", "معرّف الوثيقة من 32 رقمًا ست عشريًا"),
    ("runtime", "starting the async runtime", "démarrage de l'environnement asynchrone", "بدء بيئة التشغيل غير المتزامنة"),
    ("key-exists", "{0} exists; not overwriting a key", "{0} existe ; une clé n'est jamais remplacée", "{0} موجود؛ لا يُكتب فوق مفتاح"),
    ("no-randomness", "no randomness: {0}", "pas d'aléa : {0}", "لا يتوفر مصدر عشوائية: {0}"),
    ("writing-man", "writing the manual pages into {0}", "écriture des pages de manuel dans {0}", "كتابة صفحات الدليل في {0}"),
    ("exporting", "exporting to {0}", "export vers {0}", "التصدير إلى {0}"),
    ("import-stopped", "import of {0} stopped after {1} entries", "import de {0} arrêté après {1} entrées", "توقف استيراد {0} بعد {1} قيود"),
    ("import-incomplete", "import of {0} incomplete: {1} refused, {2} held waiting for entries the file does not bring, {3} kept as evidence{4}", "import de {0} incomplet : {1} refusées, {2} en attente d'entrées que le fichier n'apporte pas, {3} gardées comme preuves{4}", "استيراد {0} غير مكتمل: {1} مرفوضة، و{2} معلّقة بانتظار قيود لا يحملها الملف، و{3} محفوظة كأدلة{4}"),
    ("import-unreadable-end", ", and the file could not be read to its end", ", et le fichier n'a pas pu être lu jusqu'au bout", "، وتعذّرت قراءة الملف حتى نهايته"),
    ("unknown-reason", "unknown revocation reason {0} ({1})", "motif de révocation inconnu {0} ({1})", "سبب إلغاء غير معروف {0} ({1})"),
    ("not-peer-id", "{0} is not a peer id (12D3KooW...)", "{0} n'est pas un identifiant de pair (12D3KooW...)", "{0} ليس معرّف نظير (12D3KooW...)"),
    // Progress bars (crate::progress): indicatif templates; {progress}, {rate} and {left} are
    // rendered in the language, each a left-to-right isolate in Arabic.
    ("bar-entries", "{msg} [{bar:40}] {progress} entries ({rate}, {left} left)", "{msg} [{bar:40}] {progress} entrées ({rate}, reste {left})", "{msg} [{bar:40}] {progress} قيود ({rate}، يتبقى {left})"),
    ("bar-bytes", "{msg} [{bar:40}] {progress} ({rate}, {left} left)", "{msg} [{bar:40}] {progress} ({rate}, reste {left})", "{msg} [{bar:40}] {progress} ({rate}، يتبقى {left})"),
    ("bar-sync", "sync {0}", "synchronisation {0}", "مزامنة {0}"),
    ("bar-import", "import", "import", "استيراد"),
    ("bar-export", "export", "export", "تصدير"),
    // What the commands print.
    ("genesis-created", "network id {0}", "id du réseau {0}", "معرّف الشبكة {0}"),
    ("field-name", "name        {0}", "nom         {0}", "الاسم: {0}"),
    ("field-network-id", "network id  {0}", "id du réseau {0}", "معرّف الشبكة: {0}"),
    ("field-threshold", "threshold   {0} of {1}", "seuil       {0} sur {1}", "العتبة: {0} من {1}"),
    ("field-governance", "governance  {0}", "gouvernance {0}", "الحوكمة: {0}"),
    ("man-written", "manual pages written to {0}", "pages de manuel écrites dans {0}", "كُتبت صفحات الدليل في {0}"),
    ("key-public", "public key {0}", "clé publique {0}", "المفتاح العام: {0}"),
    ("key-peer-id", "peer id    {0}", "id du pair {0}", "معرّف النظير: {0}"),
    ("key-kind", "kind       {0}", "type       {0}", "النوع: {0}"),
    ("key-commitment", "commitment {0}", "engagement {0}", "الالتزام: {0}"),
    ("field-node", "node        {0}", "nœud        {0}", "العقدة: {0}"),
    ("field-peer-id", "peer id     {0}", "id du pair  {0}", "معرّف النظير: {0}"),
    ("field-api", "api         {0}", "api         {0}", "الواجهة: {0}"),
    ("field-listen", "listen      {0}", "écoute      {0}", "الاستماع: {0}"),
    ("field-witness-key", "witness key {0}", "clé témoin  {0}", "مفتاح الشاهد: {0}"),
    ("field-peers", "peers       {0}", "pairs       {0}", "النظراء: {0}"),
    ("field-held", "held        {0}", "en attente  {0}", "المعلّقة: {0}"),
    ("field-sync-lag", "sync lag    {0} entries", "retard      {0} entrées", "تأخر المزامنة: {0} قيود"),
    ("field-equivocations", "equivocations {0}", "équivoques  {0}", "المراوغات: {0}"),
    ("field-chains", "chains:", "chaînes :", "السلاسل:"),
    ("chain-line", "  {0} {1} size {2} head {3}{4}", "  {0} {1} taille {2} tête {3}{4}", "  {0} {1} الحجم {2} الرأس {3}{4}"),
    ("chain-frozen", " FROZEN at {0}", " GELÉE à {0}", " مجمّدة عند {0}"),
    ("peer-connected", "connected {0}", "connecté  {0}", "متصل: {0}"),
    ("peer-banned", "banned    {0} ({1})", "banni     {0} ({1})", "محظور: {0} ({1})"),
    ("ban-left", "{0} s left", "encore {0} s", "بقي {0} ث"),
    ("ban-until-lifted", "until lifted", "jusqu'à levée", "حتى رفع الحظر"),
    ("ban-answer-banned", "{0} banned (was banned: {1}) on {2}", "{0} banni (l'était déjà : {1}) sur {2}", "{0} محظور (كان محظورًا: {1}) على {2}"),
    ("ban-answer-not-banned", "{0} not banned (was banned: {1}) on {2}", "{0} non banni (l'était : {1}) sur {2}", "{0} غير محظور (كان محظورًا: {1}) على {2}"),
    ("bool-true", "true", "oui", "نعم"),
    ("bool-false", "false", "non", "لا"),
    ("export-written", "{0} entries ({1} bytes) written to {2}", "{0} entrées ({1} octets) écrites dans {2}", "كُتب {0} قيدًا ({1} بايت) في {2}"),
    ("export-announced", "note: the node announced {0} entries when the export began and sent {1}", "remarque : le nœud a annoncé {0} entrées au début de l'export et en a envoyé {1}", "ملاحظة: أعلنت العقدة {0} قيدًا عند بدء التصدير وأرسلت {1}"),
    ("import-held-now", "the node now holds {0} entries waiting for a dependency", "le nœud garde maintenant {0} entrées en attente d'une dépendance", "تحتفظ العقدة الآن بـ {0} قيدًا بانتظار قيد تعتمد عليه"),
    ("import-summary", "{0} entries read, {1} accepted, {2} duplicate (already held), {3} void (logged without effect), {4} refused, {5} held, {6} kept as evidence", "{0} entrées lues, {1} acceptées, {2} en double (déjà détenues), {3} nulles (consignées sans effet), {4} refusées, {5} en attente, {6} gardées comme preuves", "قُرئ {0} قيدًا: {1} مقبولة، و{2} مكررة (موجودة مسبقًا)، و{3} باطلة (مسجلة دون أثر)، و{4} مرفوضة، و{5} معلّقة، و{6} محفوظة كأدلة"),
    ("import-refused-line", "  refused {0}  {1} (first: {2})", "  refusées {0}  {1} (première : {2})", "  مرفوضة {0}  {1} (الأول: {2})"),
    ("import-void-line", "  void    {0}  {1} (first: {2})", "  nulles   {0}  {1} (première : {2})", "  باطلة {0}  {1} (الأول: {2})"),
    ("seq-malformed", "item {0} (at byte {1}) is not CBOR", "l'élément {0} (à l'octet {1}) n'est pas du CBOR", "العنصر {0} (عند البايت {1}) ليس CBOR"),
    ("seq-too-large", "item {0} (at byte {1}) is longer than the limit of {2} bytes", "l'élément {0} (à l'octet {1}) dépasse la limite de {2} octets", "العنصر {0} (عند البايت {1}) أطول من الحد البالغ {2} بايت"),
    ("seq-truncated", "the file ends inside item {0} (at byte {1}): cut short?", "le fichier se termine au milieu de l'élément {0} (à l'octet {1}) : tronqué ?", "ينتهي الملف داخل العنصر {0} (عند البايت {1}): هل هو مقطوع؟"),
    ("seq-too-many", "more than {0} items", "plus de {0} éléments", "أكثر من {0} عنصر"),
    ("seq-io", "reading failed after item {0}: {1}", "la lecture a échoué après l'élément {0} : {1}", "فشلت القراءة بعد العنصر {0}: {1}"),
    ("import-held-line", "  held    {0}  {1}", "  attente  {0}  {1}", "  معلّقة {0}  {1}"),
    ("import-evidence-line", "  {0} {1}  kept aside as evidence (first: {2})", "  {0} {1}  mises de côté comme preuves (première : {2})", "  {0} {1}  محفوظة جانبًا كأدلة (الأول: {2})"),
    ("import-file-error", "  the file stops being a ledger export: {0} ({1}); nothing after it was read", "  le fichier cesse d'être un export du registre : {0} ({1}) ; rien n'a été lu après", "  لم يعد الملف تصديرًا للسجل: {0} ({1})؛ لم يُقرأ شيء بعده"),
    ("draft-written", "draft of governance entry {0} ({1}) written to {2}", "projet de l'entrée de gouvernance {0} ({1}) écrit dans {2}", "كُتبت مسودة قيد الحوكمة {0} ({1}) في {2}"),
    ("draft-signed", "signed by {0}; {1} signature(s)", "signé par {0} ; {1} signature(s)", "وقّعه {0}؛ عدد التواقيع: {1}"),
    // Why a node could not start (the configuration, the data directory).
    ("start-setting", "invalid setting {0}: {1}", "réglage {0} invalide : {1}", "إعداد غير صالح {0}: {1}"),
    ("setting-positive-seconds", "must be a positive number of seconds", "doit être un nombre positif de secondes", "يجب أن يكون عددًا موجبًا من الثواني"),
    ("setting-at-least-one", "must be at least 1", "doit valoir au moins 1", "يجب ألا يقل عن 1"),
    ("setting-between", "must be between 1 and {0}", "doit être entre 1 et {0}", "يجب أن يكون بين 1 و{0}"),
    ("setting-no-peer-id", "{0} lacks the peer id: end it with /p2p/<peer id>, as `nansen-node status` on that node shows its listen addresses", "il manque l'identifiant du pair à {0} : terminez-la par /p2p/<id du pair>, comme `nansen-node status` affiche les adresses d'écoute sur ce nœud", "ينقص {0} معرّف النظير: أنهِه بـ ‎/p2p/<peer id> كما يعرض `nansen-node status` عناوين الاستماع على تلك العقدة"),
    ("setting-not-an-address", "{0}: {1} (an address and port such as 127.0.0.1:8480)", "{0} : {1} (une adresse et un port comme 127.0.0.1:8480)", "{0}: {1} (عنوان ومنفذ مثل 127.0.0.1:8480)"),
    ("start-api-listen", "cannot listen on {0} for the API: {1}", "impossible d'écouter sur {0} pour l'API : {1}", "تعذّر الاستماع على {0} لواجهة البرمجة: {1}"),
    ("start-listen", "cannot listen on {0}: {1}", "impossible d'écouter sur {0} : {1}", "تعذّر الاستماع على {0}: {1}"),
    ("setting-not-a-witness-key", "{0} is not a witness key (name+id+key, as `nansen-node status` on the witness shows it)", "{0} n'est pas une clé de témoin (nom+id+clé, comme `nansen-node status` l'affiche sur le témoin)", "{0} ليس مفتاح شاهد (اسم+معرّف+مفتاح، كما يعرضه `nansen-node status` على الشاهد)"),
    ("store-genesis-mismatch", "this data directory holds the ledger of another network (its genesis differs from the one given): give the --data-dir of this network's node, or the --genesis of that network", "ce dossier de données contient le registre d'un autre réseau (son genesis diffère de celui donné) : donnez le --data-dir du nœud de ce réseau, ou le --genesis de cet autre réseau", "يحوي مجلد البيانات هذا سجلّ شبكة أخرى (يختلف ملف التكوين الأولي عن المعطى): أعطِ ‎--data-dir لعقدة هذه الشبكة أو ‎--genesis لتلك الشبكة"),
    ("store-schema-version", "the store is of version {0} and this program reads version {1} (and migrates version 2): run the node version that wrote it, export the ledger (nansen-node export) and import the file into a new store", "le stockage est de la version {0} et ce programme lit la version {1} (et migre la version 2) : lancez la version du nœud qui l'a écrit, exportez le registre (nansen-node export) et importez le fichier dans un nouveau stockage", "المخزن من الإصدار {0} وهذا البرنامج يقرأ الإصدار {1} (ويرحّل الإصدار 2): شغّل إصدار العقدة الذي كتبه، وصدّر السجل (nansen-node export) واستورد الملف في مخزن جديد"),
    ("store-corrupt", "its files are damaged ({0}): restore the data directory from a copy, or import an export into a new one", "ses fichiers sont endommagés ({0}) : restaurez le dossier de données depuis une copie, ou importez un export dans un nouveau dossier", "ملفاته تالفة ({0}): استعد مجلد البيانات من نسخة، أو استورد ملف تصدير في مجلد جديد"),
    ("store-storage", "its files cannot be read or written ({0})", "ses fichiers ne peuvent être lus ou écrits ({0})", "تتعذّر قراءة ملفاته أو كتابتها ({0})"),
    ("start-store", "ledger store: {0}", "stockage du registre : {0}", "مخزن السجل: {0}"),
    ("start-replica", "ledger replica: {0}", "réplique du registre : {0}", "نسخة السجل: {0}"),
    ("start-genesis", "genesis: {0}", "genesis : {0}", "ملف التكوين الأولي: {0}"),
    ("genesis-not-genesis", "the genesis file {0} is not a genesis document: {1}", "le fichier genesis {0} n'est pas un document genesis : {1}", "ملف التكوين الأولي {0} ليس وثيقة تكوين أولي: {1}"),
    ("cbor-cut-short", "it ends too early (byte {0}): cut short?", "il se termine trop tôt (octet {0}) : tronqué ?", "ينتهي قبل أوانه (البايت {0}): هل هو مقطوع؟"),
    ("cbor-unreadable", "its CBOR cannot be read at byte {0}", "son CBOR est illisible à l'octet {0}", "تتعذّر قراءة CBOR فيه عند البايت {0}"),
    ("cbor-wrong-form", "its CBOR is not of the expected form", "son CBOR n'a pas la forme attendue", "CBOR فيه ليس بالشكل المتوقع"),
    ("cbor-not-canonical", "it is not in the canonical encoding (was it edited?)", "il n'est pas dans l'encodage canonique (a-t-il été modifié ?)", "ليس بالترميز القانوني (هل عُدِّل؟)"),
    ("network-setup", "the network could not be set up ({0})", "le réseau n'a pu être mis en place ({0})", "تعذّر إعداد الشبكة ({0})"),
    ("start-network", "network: {0}", "réseau : {0}", "الشبكة: {0}"),
    ("start-witness", "witness key: {0}", "clé témoin : {0}", "مفتاح الشاهد: {0}"),
    ("start-data-dir-in-use", "the data directory {0} is in use by another nansen-node: stop that node first, or give this one another --data-dir", "le répertoire de données {0} est utilisé par un autre nansen-node : arrêtez d'abord ce nœud, ou donnez à celui-ci un autre --data-dir", "مجلد البيانات {0} يستخدمه nansen-node آخر: أوقف تلك العقدة أولًا، أو أعطِ هذه ‎--data-dir آخر"),
    ("start-no-genesis", "{0} holds no ledger yet: give --genesis FILE (the network's genesis document) the first time a node runs on it; nothing was written", "{0} ne contient pas encore de registre : donnez --genesis FICHIER (le document genesis du réseau) la première fois qu'un nœud l'utilise ; rien n'a été écrit", "لا يحتوي {0} على سجل بعد: أعطِ ‎--genesis FILE (ملف التكوين الأولي للشبكة) في أول تشغيل لعقدة عليه؛ لم يُكتب شيء"),
    // Export, import and drafts.
    ("export-broken-off", "the export stream broke off after {0} entries: {1}", "le flux d'export s'est interrompu après {0} entrées : {1}", "انقطع تدفق التصدير بعد {0} قيدًا: {1}"),
    ("export-not-an-export", "the node sent something other than a ledger export: {0}", "le nœud a envoyé autre chose qu'un export du registre : {0}", "أرسلت العقدة شيئًا غير تصدير للسجل: {0}"),
    ("writing-failed", "writing {0}: {1}", "écriture de {0} : {1}", "كتابة {0}: {1}"),
    ("import-cannot-open", "cannot open {0}: {1}", "impossible d'ouvrir {0} : {1}", "تعذّر فتح {0}: {1}"),
    ("import-answer-mismatch", "the node answered for {0} entries of a batch of {1}", "le nœud a répondu pour {0} entrées d'un lot de {1}", "أجابت العقدة عن {0} قيدًا من دفعة من {1}"),
    ("draft-entry", "entry: {0}", "entrée : {0}", "القيد: {0}"),
    ("draft-not-a-draft", "draft: {0}", "projet : {0}", "المسودة: {0}"),
    ("draft-not-governance", "the draft is not a governance entry", "le projet n'est pas une entrée de gouvernance", "المسودة ليست قيد حوكمة"),
    // Values given on the command line that the ledger refuses.
    ("invalid-registrar-id", "invalid registrar id {0}: use 1-63 of a-z, 0-9 and '-', not starting with '-', not 'governance'", "identifiant d'officier d'état civil invalide {0} : utilisez 1 à 63 caractères parmi a-z, 0-9 et '-', sans '-' au début, et pas 'governance'", "معرّف مسجِّل غير صالح {0}: استخدم من 1 إلى 63 حرفًا من a-z و0-9 و'-'، دون '-' في البداية، وليس 'governance'"),
    ("invalid-jurisdiction", "invalid jurisdiction {0}: a jurisdiction is an ISO 3166-1 alpha-2 country code (JO), optionally followed by '-' and an ISO 3166-2 subdivision code (JO-MA); an alpha-3 country code (JOR) is accepted and written as alpha-2", "juridiction invalide {0} : une juridiction est un code pays ISO 3166-1 alpha-2 (JO), éventuellement suivi de '-' et d'un code de subdivision ISO 3166-2 (JO-MA) ; un code pays alpha-3 (JOR) est accepté et écrit en alpha-2", "ولاية قضائية غير صالحة {0}: الولاية القضائية رمز بلد ISO 3166-1 alpha-2 (JO)، وقد يليه '-' ورمز تقسيم فرعي ISO 3166-2 (JO-MA)؛ ويُقبل رمز البلد alpha-3 (JOR) ويُكتب alpha-2"),
    ("unknown-event-kind", "unknown event kind {0}", "type d'événement inconnu {0}", "نوع واقعة غير معروف {0}"),
    ("genesis-threshold", "governance threshold {0} is not between 1 and {1}", "le seuil de gouvernance {0} n'est pas entre 1 et {1}", "عتبة الحوكمة {0} ليست بين 1 و{1}"),
    ("genesis-key-order", "governance keys must be distinct and sorted", "les clés de gouvernance doivent être distinctes et triées", "يجب أن تكون مفاتيح الحوكمة مختلفة ومرتبة"),
    ("genesis-name", "network name must be 1-64 bytes", "le nom du réseau doit faire de 1 à 64 octets", "يجب أن يكون اسم الشبكة من 1 إلى 64 بايت"),
    // Key files and their passphrase (nansen-files).
    ("passphrase-file-unreadable", "cannot read the passphrase file {0}: {1}", "impossible de lire le fichier de phrase de passe {0} : {1}", "تعذّرت قراءة ملف عبارة المرور {0}: {1}"),
    ("passphrase-file-empty", "the passphrase file {0} is empty (the passphrase is its first line)", "le fichier de phrase de passe {0} est vide (la phrase de passe est sa première ligne)", "ملف عبارة المرور {0} فارغ (عبارة المرور هي سطره الأول)"),
];

/// The message `key` in `lang`, with `{0}`, `{1}`... replaced by `args` (Arabic isolated right
/// to left: [`nansen_i18n::tr`]).
pub fn tr(lang: Lang, key: &str, args: &[&str]) -> String {
    nansen_i18n::tr(CATALOGUE, lang, key, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_in_every_language() {
        let problems = nansen_i18n::problems(CATALOGUE);
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn every_key_the_source_uses_is_in_the_catalogue() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        // Calls of `tr` (language first) in the library, of `t` (key first) in the binary.
        let mut used = nansen_i18n::keys::literal_keys_under(&src, "tr", 1).expect("read src");
        used.extend(nansen_i18n::keys::literal_keys_under(&src, "t", 0).expect("read src"));
        assert!(used.len() > 40, "the scan finds the calls: {}", used.len());
        let missing: Vec<&(String, String)> = used
            .iter()
            .filter(|(key, _)| !CATALOGUE.iter().any(|e| e.0 == key))
            .collect();
        assert!(missing.is_empty(), "keys without a text: {missing:#?}");
    }
}
