//! `nansen`: the holder wallet, registrar issuance and offline verification (see `cli`).

fn main() {
    std::process::exit(nansen_wallet::cli::main());
}
