# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_nansen_global_optspecs
    string join \n wallet= lang= h/help V/version
end

function __fish_nansen_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_nansen_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_nansen_using_subcommand
    set -l cmd (__fish_nansen_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c nansen -n "__fish_nansen_needs_command" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_needs_command" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_needs_command" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_needs_command" -s V -l version -d 'Print version'
complete -c nansen -n "__fish_nansen_needs_command" -f -a "init" -d 'Create a wallet: a new holder key and its 24-word recovery phrase, shown once'
complete -c nansen -n "__fish_nansen_needs_command" -f -a "recover" -d 'Recreate the wallet from the recovery phrase: the 24 words from standard input (typed, or `nansen recover < phrase.txt`), separated by spaces or one per line; the sheet\'s numbers (`1.`, `2.`, ...) may be left in. The new wallet\'s passphrase comes from NANSEN_PASSPHRASE or the terminal'
complete -c nansen -n "__fish_nansen_needs_command" -f -a "backup" -d 'Encrypted backups of the whole wallet (holder key and credentials): kept up to date in a folder and opened by the recovery phrase (auto), or written once under a backup passphrase (NANSEN_BACKUP_PASSPHRASE or the terminal) separate from the wallet\'s (export, import)'
complete -c nansen -n "__fish_nansen_needs_command" -f -a "did" -d 'Show the holder\'s did:key (to give to a registrar: as text, or as a QR code it scans with `nansen issue --holder-qr`). Needs no passphrase (wallets written before this version ask for it once, until their next change)'
complete -c nansen -n "__fish_nansen_needs_command" -f -a "receive" -d 'Check and store a credential bundle ({data_integrity, sd_jwt}) issued to this holder: from the file `nansen issue --out` wrote, or from its QR codes'
complete -c nansen -n "__fish_nansen_needs_command" -f -a "list" -d 'List the credentials held, with their status and when it was last checked'
complete -c nansen -n "__fish_nansen_needs_command" -f -a "status" -d 'Ask a node for the ledger status of the credentials held (active, revoked, superseded, ...) and store it in the wallet. Exit 1 when a credential is no longer active'
complete -c nansen -n "__fish_nansen_needs_command" -f -a "show" -d 'Show one credential (id in hex, urn:uuid:..., or a unique hex prefix): its claims with their names in the chosen language'
complete -c nansen -n "__fish_nansen_needs_command" -f -a "issue" -d '(Registrar) issue a credential for a holder and write the bundle'
complete -c nansen -n "__fish_nansen_needs_command" -f -a "revoke" -d '(Registrar) revoke a credential: a revocation entry on the registrar\'s chain'
complete -c nansen -n "__fish_nansen_needs_command" -f -a "supersede" -d '(Registrar) correct a credential: issue the corrected one (both forms, written as a bundle for the holder) and anchor it as the replacement of the old one'
complete -c nansen -n "__fish_nansen_needs_command" -f -a "challenge" -d '(Verifier) print a fresh random challenge (nonce); with --qr or --qr-png, also as a challenge code (`NSC1:<challenge>:<audience>`) the holder\'s `present --challenge-qr` reads'
complete -c nansen -n "__fish_nansen_needs_command" -f -a "present" -d 'Present a credential: chosen claims, bound to a verifier\'s challenge and identity'
complete -c nansen -n "__fish_nansen_needs_command" -f -a "verify" -d '(Verifier) check a presentation against the challenge it issued, or a bare credential'
complete -c nansen -n "__fish_nansen_needs_command" -f -a "verifier-page" -d 'Write the browser verifier as a folder (open its index.html in any browser, from a disk, with no network): the page, its WebAssembly module (the checks of `verify`) and a trust file for the network of --genesis. Without --genesis, its verdicts are signature only'
complete -c nansen -n "__fish_nansen_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nansen -n "__fish_nansen_using_subcommand init" -l recovery-sheet -d 'Also write a printable recovery sheet: FILE (a PNG: the QR code of the phrase with the 24 numbered words below it) and FILE with the extension .txt (the 24 numbered words and instructions, in the chosen language). Both hold the secret phrase: print them, then delete them' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand init" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand init" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand init" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand recover" -l recovery-sheet -d 'Also write a printable recovery sheet, as for `init`: FILE (PNG: QR code of the phrase and the 24 numbered words) and FILE with the extension .txt' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand recover" -l sheet-image -d 'Read the phrase from a photo or scan of the recovery sheet\'s QR code (PNG or JPEG) instead of standard input' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand recover" -l backup -d 'Bring the credentials back from the wallet\'s automatic backup (`nansen backup auto`): the backup file, or the folder holding it (a USB stick, a folder). The recovery phrase alone opens it; the new wallet keeps its backup there. Without it the wallet is recovered with no credentials' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand recover" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand recover" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand recover" -l force -d 'Replace an existing wallet file (the old one is kept as <file>.bak), and existing recovery sheet files'
complete -c nansen -n "__fish_nansen_using_subcommand recover" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand backup; and not __fish_seen_subcommand_from export import auto help" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand backup; and not __fish_seen_subcommand_from export import auto help" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand backup; and not __fish_seen_subcommand_from export import auto help" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand backup; and not __fish_seen_subcommand_from export import auto help" -f -a "export" -d 'Write the whole wallet, encrypted under the backup passphrase, to a file'
complete -c nansen -n "__fish_nansen_using_subcommand backup; and not __fish_seen_subcommand_from export import auto help" -f -a "import" -d 'Merge a backup\'s credentials into this wallet (which must have the same holder key, e.g. recovered from the phrase). Nothing changes if the backup cannot be opened. An automatic backup (`backup auto`) is opened with the wallet\'s own key, without a backup passphrase'
complete -c nansen -n "__fish_nansen_using_subcommand backup; and not __fish_seen_subcommand_from export import auto help" -f -a "auto" -d 'Keep an encrypted backup of the wallet in a folder (a USB stick, a synced folder), rewritten by the wallet at every change. The recovery phrase alone opens it: `nansen recover --backup FOLDER` brings the credentials back on a new phone'
complete -c nansen -n "__fish_nansen_using_subcommand backup; and not __fish_seen_subcommand_from export import auto help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nansen -n "__fish_nansen_using_subcommand backup; and __fish_seen_subcommand_from export" -l out -d 'The backup file to write (an existing one is kept as <file>.bak)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand backup; and __fish_seen_subcommand_from export" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand backup; and __fish_seen_subcommand_from export" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand backup; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand backup; and __fish_seen_subcommand_from import" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand backup; and __fish_seen_subcommand_from import" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand backup; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand backup; and __fish_seen_subcommand_from auto" -l dir -d 'The folder (it must exist; it is never created). The backup is written at once' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand backup; and __fish_seen_subcommand_from auto" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand backup; and __fish_seen_subcommand_from auto" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand backup; and __fish_seen_subcommand_from auto" -l off -d 'Stop keeping the backup (the file already written stays)'
complete -c nansen -n "__fish_nansen_using_subcommand backup; and __fish_seen_subcommand_from auto" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write the whole wallet, encrypted under the backup passphrase, to a file'
complete -c nansen -n "__fish_nansen_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "import" -d 'Merge a backup\'s credentials into this wallet (which must have the same holder key, e.g. recovered from the phrase). Nothing changes if the backup cannot be opened. An automatic backup (`backup auto`) is opened with the wallet\'s own key, without a backup passphrase'
complete -c nansen -n "__fish_nansen_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "auto" -d 'Keep an encrypted backup of the wallet in a folder (a USB stick, a synced folder), rewritten by the wallet at every change. The recovery phrase alone opens it: `nansen recover --backup FOLDER` brings the credentials back on a new phone'
complete -c nansen -n "__fish_nansen_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nansen -n "__fish_nansen_using_subcommand did" -l qr-png -d 'Also write the DID as a QR code PNG (the code\'s text is the DID itself)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand did" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand did" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand did" -l qr -d 'Also draw the DID as a QR code in the terminal'
complete -c nansen -n "__fish_nansen_using_subcommand did" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand receive" -l file -d 'The bundle file (the same as FILE)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand receive" -l qr-image -d 'Read the bundle from photographed or scanned QR codes: PNG or JPEG images, one or more codes each, in any order (`nansen issue --qr-png` writes them)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand receive" -l qr-text -d 'Read the bundle from QR text (`NS1:i/n:...` parts, one per line)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand receive" -l node -d 'A node\'s API (http://host:port): check that the credential is anchored on the ledger with matching digests by an accredited registrar, and store its status (active, revoked, ...). An unanchored credential is refused; a revoked one is stored flagged (exit 1). Without it the status is stored as not-checked' -r
complete -c nansen -n "__fish_nansen_using_subcommand receive" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand receive" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand receive" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand list" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand list" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand list" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand status" -l node -d 'The node\'s API (http://host:port)' -r
complete -c nansen -n "__fish_nansen_using_subcommand status" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand status" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand status" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand show" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand show" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand show" -l json -d 'Print JSON for programs instead (claim names as in the credential)'
complete -c nansen -n "__fish_nansen_using_subcommand show" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand issue" -l kind -d 'Event kind: birth, death, marriage, divorce, adoption, name_change, identity_registration, refugee_status' -r
complete -c nansen -n "__fish_nansen_using_subcommand issue" -l claims -d 'Claims file (a JSON object: claim name to string value)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand issue" -l claim -d 'One claim, NAME=VALUE (repeat for each), instead of a claims file, e.g. --claim givenName=Amal --claim birthDate=2024-02-29' -r
complete -c nansen -n "__fish_nansen_using_subcommand issue" -l holder -d 'The holder\'s did:key' -r
complete -c nansen -n "__fish_nansen_using_subcommand issue" -l holder-qr -d 'Read the holder\'s did:key from a QR code image (PNG or JPEG), e.g. a photo of what `nansen did --qr` shows or the file `nansen did --qr-png` writes' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand issue" -l registrar-key -d 'The registrar\'s key file: a `nansen-node key generate --kind registrar` file (encrypted; passphrase from NANSEN_REGISTRAR_PASSPHRASE, NANSEN_PASSPHRASE or the terminal), or a file holding the 32-byte Ed25519 seed in hex' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand issue" -l out -d 'Where to write the bundle (JSON; it holds the holder\'s personal data: created readable by its owner only, never over an existing file without --force)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand issue" -l qr-png -d 'Also write the bundle as QR code PNGs (several codes: name-1.png, name-2.png, ...); the holder reads them with `nansen receive --qr-image`' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand issue" -l qr-text -d 'Also write the bundle\'s QR text (one `NS1:i/n:...` part per line)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand issue" -l node -d 'The local node\'s API (http://host:port). With it, `issue` anchors the attestation on the ledger; without it, the bundle is only written (anchor it later with `nansen-node registrar attest`)' -r
complete -c nansen -n "__fish_nansen_using_subcommand issue" -l registrar -d 'The registrar id (its chain on the ledger)' -r
complete -c nansen -n "__fish_nansen_using_subcommand issue" -l jurisdiction -d 'The jurisdiction of the registration, for attestations: the ISO 3166-1 alpha-2 country code (JO), optionally with an ISO 3166-2 subdivision (JO-MA). An alpha-3 code (JOR, JOR-MA) is accepted and written as alpha-2' -r
complete -c nansen -n "__fish_nansen_using_subcommand issue" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand issue" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand issue" -l force -d 'Replace existing output files (the bundle and its QR files)'
complete -c nansen -n "__fish_nansen_using_subcommand issue" -l qr -d 'Also show the bundle as QR codes in the terminal, for the holder\'s phone to scan'
complete -c nansen -n "__fish_nansen_using_subcommand issue" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand revoke" -l reason -d 'Why: issued_in_error, fraud, holder_request, annulled, other' -r
complete -c nansen -n "__fish_nansen_using_subcommand revoke" -l registrar-key -d 'The registrar\'s key file (as for `issue`)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand revoke" -l node -d 'The node\'s API (http://host:port) the revocation entry is submitted to; it must hold the registrar\'s chain' -r
complete -c nansen -n "__fish_nansen_using_subcommand revoke" -l registrar -d 'The registrar id (the chain the revocation is appended to)' -r
complete -c nansen -n "__fish_nansen_using_subcommand revoke" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand revoke" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand revoke" -l yes -d 'Revoke without asking (for scripts). Without it `revoke` shows what it will do and asks on the terminal; with no terminal it revokes nothing (NotConfirmed)'
complete -c nansen -n "__fish_nansen_using_subcommand revoke" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand supersede" -l kind -d 'Event kind of the corrected credential' -r
complete -c nansen -n "__fish_nansen_using_subcommand supersede" -l claims -d 'Claims file (a JSON object: claim name to string value)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand supersede" -l claim -d 'One claim, NAME=VALUE (repeat for each), instead of a claims file, e.g. --claim givenName=Amal --claim birthDate=2024-02-29' -r
complete -c nansen -n "__fish_nansen_using_subcommand supersede" -l holder -d 'The holder\'s did:key' -r
complete -c nansen -n "__fish_nansen_using_subcommand supersede" -l holder-qr -d 'Read the holder\'s did:key from a QR code image (PNG or JPEG), e.g. a photo of what `nansen did --qr` shows or the file `nansen did --qr-png` writes' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand supersede" -l registrar-key -d 'The registrar\'s key file (as for `issue`)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand supersede" -l out -d 'Where to write the corrected bundle (JSON; created readable by its owner only, never over an existing file without --force)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand supersede" -l qr-png -d 'Also write the bundle as QR code PNGs (several codes: name-1.png, name-2.png, ...); the holder reads them with `nansen receive --qr-image`' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand supersede" -l qr-text -d 'Also write the bundle\'s QR text (one `NS1:i/n:...` part per line)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand supersede" -l node -d 'The local node\'s API (http://host:port). With it, `issue` anchors the attestation on the ledger; without it, the bundle is only written (anchor it later with `nansen-node registrar attest`)' -r
complete -c nansen -n "__fish_nansen_using_subcommand supersede" -l registrar -d 'The registrar id (its chain on the ledger)' -r
complete -c nansen -n "__fish_nansen_using_subcommand supersede" -l jurisdiction -d 'The jurisdiction of the registration, for attestations: the ISO 3166-1 alpha-2 country code (JO), optionally with an ISO 3166-2 subdivision (JO-MA). An alpha-3 code (JOR, JOR-MA) is accepted and written as alpha-2' -r
complete -c nansen -n "__fish_nansen_using_subcommand supersede" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand supersede" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand supersede" -l force -d 'Replace existing output files (the bundle and its QR files)'
complete -c nansen -n "__fish_nansen_using_subcommand supersede" -l qr -d 'Also show the bundle as QR codes in the terminal, for the holder\'s phone to scan'
complete -c nansen -n "__fish_nansen_using_subcommand supersede" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand challenge" -l audience -d 'The verifier\'s identity (presentations must name it as audience)' -r
complete -c nansen -n "__fish_nansen_using_subcommand challenge" -l qr-png -d 'Also write the challenge and audience as a QR code PNG' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand challenge" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand challenge" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand challenge" -l qr -d 'Also show the challenge and audience as a QR code in the terminal'
complete -c nansen -n "__fish_nansen_using_subcommand challenge" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand present" -l claims -d 'Claims to disclose, comma-separated (SD-JWT form; required unless --profile)' -r
complete -c nansen -n "__fish_nansen_using_subcommand present" -l form -d 'The presentation\'s form. `sd-jwt` (default): an SD-JWT with only the chosen claims and a key-binding JWT. `di`: a W3C VerifiablePresentation signed by the holder\'s did:key (Data Integrity, eddsa-rdfc-2022, purpose authentication, the challenge and the audience as domain) around the whole credential. FULL DISCLOSURE: the di form shows every claim; --claims and --profile do not apply' -r -f -a "sd-jwt\t''
di\t''"
complete -c nansen -n "__fish_nansen_using_subcommand present" -l profile -d 'A named set of claims: border (names, nationality, refugee status)' -r
complete -c nansen -n "__fish_nansen_using_subcommand present" -l challenge -d 'The verifier\'s challenge' -r
complete -c nansen -n "__fish_nansen_using_subcommand present" -l audience -d 'The verifier\'s identity' -r
complete -c nansen -n "__fish_nansen_using_subcommand present" -l challenge-qr -d 'Read the challenge and the verifier\'s identity from a photo or scan of the verifier\'s challenge code (`nansen challenge --qr-png`), instead of --challenge and --audience' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand present" -l out -d 'Where to write the presentation text (created readable by its owner only, never over an existing file without --force)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand present" -l qr-png -d 'Also write the QR codes as PNG (several codes: name-1.png, name-2.png, ...)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand present" -l qr-text -d 'Also write the QR codes\' text (one `NS2:i/n:...` or `NS1:i/n:...` part per line)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand present" -l qr-framing -d 'The QR codes\' framing: `ns2` (default), the compact binary envelope of an SD-JWT presentation (the border profile with its ledger proof in one code); `ns1`, the DEFLATE of the text, for verifiers that do not read `ns2` yet. A Data Integrity presentation is always `ns1`' -r -f -a "ns1\t''
ns2\t''"
complete -c nansen -n "__fish_nansen_using_subcommand present" -l node -d 'Fetch the credential\'s portable ledger proof from this node\'s API (http://host:port) and carry it in a presentation envelope' -r
complete -c nansen -n "__fish_nansen_using_subcommand present" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand present" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand present" -l force -d 'Replace existing output files (--out, --qr-png, --qr-text)'
complete -c nansen -n "__fish_nansen_using_subcommand present" -l qr -d 'Also show the presentation as QR codes in the terminal'
complete -c nansen -n "__fish_nansen_using_subcommand present" -s y -l yes -d 'Do not ask before disclosing (for scripts). Without it, `present` lists the claims it will disclose and asks on the terminal, and refuses (NotConfirmed) when there is no terminal to ask on'
complete -c nansen -n "__fish_nansen_using_subcommand present" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand verify" -l qr-text -d 'Read the presentation from scanned QR text (`NS2:i/n:...` or `NS1:i/n:...` parts) instead' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand verify" -l qr-image -d 'Read the presentation from photographed or scanned QR codes instead: PNG or JPEG images, one or more codes each, parts in any order' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand verify" -l challenge -d 'The challenge this verifier issued (required for a presentation)' -r
complete -c nansen -n "__fish_nansen_using_subcommand verify" -l audience -d 'This verifier\'s identity (required for a presentation)' -r
complete -c nansen -n "__fish_nansen_using_subcommand verify" -l max-age -d 'How old (seconds) the holder\'s signature may be' -r
complete -c nansen -n "__fish_nansen_using_subcommand verify" -l max-evidence-age -d 'How old (seconds) the status evidence may be: a ledger file whose newest entry is older is stale and the verdict is not valid (default 7 days)' -r
complete -c nansen -n "__fish_nansen_using_subcommand verify" -l state-dir -d 'Directory of the verifier\'s used-nonce files (default: <data dir>/nansen/verifier)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand verify" -l portrait-out -d 'Write the portrait the presentation discloses, if any, to this file: the JPEG or WebP image itself, for a screen that can show it (created readable by its owner only, never over an existing file)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand verify" -l node -d 'A node\'s API (http://host:port): replica (its genesis and export), credential status, and its witness key when no --witness is given' -r
complete -c nansen -n "__fish_nansen_using_subcommand verify" -l witness -d 'A trusted witness verifier key (`nansen-witness-...+<id>+<base64>`); repeatable' -r
complete -c nansen -n "__fish_nansen_using_subcommand verify" -l ledger -d 'An exported ledger file (CBOR sequence of signed entries, `nansen-node export`)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand verify" -l genesis -d 'The network\'s genesis file (with --ledger)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand verify" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand verify" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand verify" -l json -d 'Print the result as JSON'
complete -c nansen -n "__fish_nansen_using_subcommand verify" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand verifier-page" -l out -d 'The folder to write (created if missing)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand verifier-page" -l genesis -d 'The network\'s genesis file' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand verifier-page" -l witness -d 'A trusted witness verifier key (`nansen-witness-...+<id>+<base64>`); repeatable' -r
complete -c nansen -n "__fish_nansen_using_subcommand verifier-page" -l ledger -d 'An exported ledger file (`nansen-node export`) carried in the trust file, for the accreditation and status checks' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand verifier-page" -l max-evidence-age -d 'How old (seconds) the status evidence may be (default 7 days)' -r
complete -c nansen -n "__fish_nansen_using_subcommand verifier-page" -l wallet -d 'Wallet file (default: <data dir>/nansen/wallet.nansen)' -r -F
complete -c nansen -n "__fish_nansen_using_subcommand verifier-page" -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen -n "__fish_nansen_using_subcommand verifier-page" -l force -d 'Replace the folder\'s files if they exist'
complete -c nansen -n "__fish_nansen_using_subcommand verifier-page" -s h -l help -d 'Print help'
complete -c nansen -n "__fish_nansen_using_subcommand help; and not __fish_seen_subcommand_from init recover backup did receive list status show issue revoke supersede challenge present verify verifier-page help" -f -a "init" -d 'Create a wallet: a new holder key and its 24-word recovery phrase, shown once'
complete -c nansen -n "__fish_nansen_using_subcommand help; and not __fish_seen_subcommand_from init recover backup did receive list status show issue revoke supersede challenge present verify verifier-page help" -f -a "recover" -d 'Recreate the wallet from the recovery phrase: the 24 words from standard input (typed, or `nansen recover < phrase.txt`), separated by spaces or one per line; the sheet\'s numbers (`1.`, `2.`, ...) may be left in. The new wallet\'s passphrase comes from NANSEN_PASSPHRASE or the terminal'
complete -c nansen -n "__fish_nansen_using_subcommand help; and not __fish_seen_subcommand_from init recover backup did receive list status show issue revoke supersede challenge present verify verifier-page help" -f -a "backup" -d 'Encrypted backups of the whole wallet (holder key and credentials): kept up to date in a folder and opened by the recovery phrase (auto), or written once under a backup passphrase (NANSEN_BACKUP_PASSPHRASE or the terminal) separate from the wallet\'s (export, import)'
complete -c nansen -n "__fish_nansen_using_subcommand help; and not __fish_seen_subcommand_from init recover backup did receive list status show issue revoke supersede challenge present verify verifier-page help" -f -a "did" -d 'Show the holder\'s did:key (to give to a registrar: as text, or as a QR code it scans with `nansen issue --holder-qr`). Needs no passphrase (wallets written before this version ask for it once, until their next change)'
complete -c nansen -n "__fish_nansen_using_subcommand help; and not __fish_seen_subcommand_from init recover backup did receive list status show issue revoke supersede challenge present verify verifier-page help" -f -a "receive" -d 'Check and store a credential bundle ({data_integrity, sd_jwt}) issued to this holder: from the file `nansen issue --out` wrote, or from its QR codes'
complete -c nansen -n "__fish_nansen_using_subcommand help; and not __fish_seen_subcommand_from init recover backup did receive list status show issue revoke supersede challenge present verify verifier-page help" -f -a "list" -d 'List the credentials held, with their status and when it was last checked'
complete -c nansen -n "__fish_nansen_using_subcommand help; and not __fish_seen_subcommand_from init recover backup did receive list status show issue revoke supersede challenge present verify verifier-page help" -f -a "status" -d 'Ask a node for the ledger status of the credentials held (active, revoked, superseded, ...) and store it in the wallet. Exit 1 when a credential is no longer active'
complete -c nansen -n "__fish_nansen_using_subcommand help; and not __fish_seen_subcommand_from init recover backup did receive list status show issue revoke supersede challenge present verify verifier-page help" -f -a "show" -d 'Show one credential (id in hex, urn:uuid:..., or a unique hex prefix): its claims with their names in the chosen language'
complete -c nansen -n "__fish_nansen_using_subcommand help; and not __fish_seen_subcommand_from init recover backup did receive list status show issue revoke supersede challenge present verify verifier-page help" -f -a "issue" -d '(Registrar) issue a credential for a holder and write the bundle'
complete -c nansen -n "__fish_nansen_using_subcommand help; and not __fish_seen_subcommand_from init recover backup did receive list status show issue revoke supersede challenge present verify verifier-page help" -f -a "revoke" -d '(Registrar) revoke a credential: a revocation entry on the registrar\'s chain'
complete -c nansen -n "__fish_nansen_using_subcommand help; and not __fish_seen_subcommand_from init recover backup did receive list status show issue revoke supersede challenge present verify verifier-page help" -f -a "supersede" -d '(Registrar) correct a credential: issue the corrected one (both forms, written as a bundle for the holder) and anchor it as the replacement of the old one'
complete -c nansen -n "__fish_nansen_using_subcommand help; and not __fish_seen_subcommand_from init recover backup did receive list status show issue revoke supersede challenge present verify verifier-page help" -f -a "challenge" -d '(Verifier) print a fresh random challenge (nonce); with --qr or --qr-png, also as a challenge code (`NSC1:<challenge>:<audience>`) the holder\'s `present --challenge-qr` reads'
complete -c nansen -n "__fish_nansen_using_subcommand help; and not __fish_seen_subcommand_from init recover backup did receive list status show issue revoke supersede challenge present verify verifier-page help" -f -a "present" -d 'Present a credential: chosen claims, bound to a verifier\'s challenge and identity'
complete -c nansen -n "__fish_nansen_using_subcommand help; and not __fish_seen_subcommand_from init recover backup did receive list status show issue revoke supersede challenge present verify verifier-page help" -f -a "verify" -d '(Verifier) check a presentation against the challenge it issued, or a bare credential'
complete -c nansen -n "__fish_nansen_using_subcommand help; and not __fish_seen_subcommand_from init recover backup did receive list status show issue revoke supersede challenge present verify verifier-page help" -f -a "verifier-page" -d 'Write the browser verifier as a folder (open its index.html in any browser, from a disk, with no network): the page, its WebAssembly module (the checks of `verify`) and a trust file for the network of --genesis. Without --genesis, its verdicts are signature only'
complete -c nansen -n "__fish_nansen_using_subcommand help; and not __fish_seen_subcommand_from init recover backup did receive list status show issue revoke supersede challenge present verify verifier-page help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nansen -n "__fish_nansen_using_subcommand help; and __fish_seen_subcommand_from backup" -f -a "export" -d 'Write the whole wallet, encrypted under the backup passphrase, to a file'
complete -c nansen -n "__fish_nansen_using_subcommand help; and __fish_seen_subcommand_from backup" -f -a "import" -d 'Merge a backup\'s credentials into this wallet (which must have the same holder key, e.g. recovered from the phrase). Nothing changes if the backup cannot be opened. An automatic backup (`backup auto`) is opened with the wallet\'s own key, without a backup passphrase'
complete -c nansen -n "__fish_nansen_using_subcommand help; and __fish_seen_subcommand_from backup" -f -a "auto" -d 'Keep an encrypted backup of the wallet in a folder (a USB stick, a synced folder), rewritten by the wallet at every change. The recovery phrase alone opens it: `nansen recover --backup FOLDER` brings the credentials back on a new phone'
