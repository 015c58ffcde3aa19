complete -c nansen-vc-api -l lang -d 'Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)' -r
complete -c nansen-vc-api -l registrar-key -d 'The registrar\'s key file (as for `nansen issue`); credentials are issued as its did:key. Its passphrase comes from NANSEN_REGISTRAR_PASSPHRASE (or NANSEN_PASSPHRASE, their _FILE forms, the systemd credential nansen-passphrase), else the terminal' -r -F
complete -c nansen-vc-api -l listen -d 'Loopback address and port (127.0.0.1:PORT or [::1]:PORT; port 0 picks one)' -r
complete -c nansen-vc-api -s h -l help -d 'Print help'
complete -c nansen-vc-api -s V -l version -d 'Print version'
