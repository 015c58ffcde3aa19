//! A single-node development network to play with by hand: one node with a
//! genesis (three governance keys, threshold 2) and an accredited registrar
//! (`dev-registrar`, every event kind, jurisdiction JO). Prints the commands
//! to type, then runs until Ctrl-C.
//!
//!     cargo run --release --example dev_network

mod common;

use common::*;

fn main() {
    let bins = match build_binaries() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot build the binaries: {e}");
            std::process::exit(2);
        }
    };
    let tmp = tempfile::Builder::new()
        .prefix("nansen-dev-")
        .tempdir()
        .expect("temp dir");
    let dir = tmp.path().to_path_buf();
    let d = |n: &str| dir.join(n).display().to_string();
    let fail = |what: &str, e: String| -> ! {
        eprintln!("{what}: {e}");
        std::process::exit(1)
    };

    let (gov, genesis, network_id) =
        create_network(&bins, &dir, "nansen-dev").unwrap_or_else(|e| fail("genesis", e));
    let mut node = Node::start(&bins, "dev", &dir.join("node"), &genesis, None)
        .unwrap_or_else(|e| fail("starting the node", e));
    let accreditation = Accreditation {
        registrar: "dev-registrar",
        display_name: "Development registrar",
        kinds:
            "birth,death,marriage,divorce,adoption,name_change,identity_registration,refugee_status",
        jurisdictions: "JO",
    };
    accredit(&bins, &dir, &node.api, &gov, &accreditation)
        .unwrap_or_else(|e| fail("accrediting the registrar", e));

    let api = &node.api;
    let n = bins.node.display();
    let w = bins.wallet.display();
    println!("A single-node Nansen development network is running.");
    println!();
    println!("  network id     {network_id}");
    println!("  node API       {api}");
    println!("  node address   {}", node.tcp_addr());
    println!("  files          {}", dir.display());
    println!("  genesis        {}", genesis.display());
    println!(
        "  governance     {} (threshold 2 of 3)",
        gov.iter()
            .map(|g| g.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "  registrar      dev-registrar: key file {} (signs ledger entries and, with `nansen issue`, credentials)",
        d("registrar.key")
    );
    println!("                 accredited for every event kind in JO");
    println!("  passphrase     {PASSPHRASE:?} (for every key file and the wallet)");
    println!();
    println!("In another terminal, type:");
    println!();
    println!("  export NANSEN_PASSPHRASE='{PASSPHRASE}'");
    println!("  export NANSEN_WALLET={}", d("wallet.nansen"));
    println!("  export NANSEN_KDF_MEMORY_KIB=8192 NANSEN_KDF_ITERATIONS=1   # fast wallet KDF, for play only");
    println!("  export NANSEN_VERIFIER_DIR={}", d("verifier"));
    println!();
    println!("  # the node");
    println!("  {n} status --node {api}");
    println!();
    println!("  # the holder's wallet");
    println!("  {w} init");
    println!("  HOLDER=$({w} did)");
    println!();
    println!("  # the registrar issues a birth credential and anchors it on the ledger");
    println!("  cat > {} <<'EOF'", d("birth.json"));
    println!("  {{\"givenName\":\"Nour\",\"familyName\":\"Haddad\",\"birthDate\":\"2024-02-29\",\"birthPlace\":\"Azraq\",\"registrationNumber\":\"AZ-B-1\",\"registrationDate\":\"2024-03-04\"}}");
    println!("  EOF");
    println!("  {w} issue --kind birth --claims {} --holder \"$HOLDER\" --registrar-key {} --out {} --node {api} --registrar dev-registrar --jurisdiction JO | tee {}", d("birth.json"), d("registrar.key"), d("birth.credential.json"), d("issue.txt"));
    println!("  id=$(grep '^id=' {} | cut -d= -f2)", d("issue.txt"));
    println!("  curl -s {api}/v1/credentials/$id/status");
    println!();
    println!("  # the holder receives it and presents two claims to a verifier");
    println!(
        "  {w} receive --file {} --node {api}",
        d("birth.credential.json")
    );
    println!("  {w} list");
    println!("  NONCE=$({w} challenge --audience school)");
    println!("  {w} present $id --claims givenName,birthDate --challenge $NONCE --audience school --out {} --qr", d("presentation.txt"));
    println!(
        "  {w} verify {} --challenge $NONCE --audience school --node {api}",
        d("presentation.txt")
    );
    println!();
    println!("  # the registrar revokes it");
    println!("  {w} revoke $id --reason issued_in_error --registrar-key {} --node {api} --registrar dev-registrar", d("registrar.key"));
    println!("  NONCE=$({w} challenge --audience school)");
    println!(
        "  {w} present $id --claims givenName --challenge $NONCE --audience school --out {}",
        d("presentation-2.txt")
    );
    println!(
        "  {w} verify {} --challenge $NONCE --audience school --node {api}   # fails: credential-status, CredentialRevoked",
        d("presentation-2.txt")
    );
    println!();
    println!("The node's log is {}.", d("node/node.log"));
    println!("Press Ctrl-C to stop the node; the directory is then deleted.");
    // Ctrl-C reaches the node too (same process group): it stops cleanly,
    // then this process, if still alive, removes the directory.
    node.wait();
    println!("node stopped");
    drop(tmp);
}
