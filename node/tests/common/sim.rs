//! A simulation of many `nansen-node` processes on 127.0.0.1, shared by the
//! `sim` example (10, 25, 50 nodes; figures) and `tests/sim.rs` (10 nodes
//! in CI; assertions).
//!
//! One run, for `nodes` nodes and `attestations` pre-signed attestations of
//! `registrars` registrars:
//!
//! 1. Node 0 starts alone; node `i` bootstraps from up to `degree` random
//!    nodes among `0..i` (no full mesh; the nodes find more peers through
//!    Kademlia and redial). Only TCP is used, so every byte between nodes
//!    is counted by `nansen_network_bytes_sent_total`.
//! 2. The accreditations are submitted to node 0; setup ends when every
//!    node holds them.
//! 3. The attestations are submitted in batches of `batch`, each batch to
//!    its registrar's node (a registrar works at one random node; when that
//!    node is down it moves to another one). In order:
//!    - churn: after 30% of the batches, `churn` random nodes are killed
//!      (SIGKILL); after 45% they are started again on their data directory,
//!      TCP port and bootstrap list;
//!    - partition: after 50%, the odd and even nodes ban each other through
//!      `POST /v1/peers/{id}/ban`, until no node has a peer on the other side;
//!      the other half of the batches goes to both sides;
//!    - churn again while partitioned: killed after 65%, restarted after
//!      85% (banning the other side again: bans live in memory);
//!    - heal, once every batch is submitted and the partition has lasted
//!      `hold`: every ban is lifted (all nodes at once).
//! 4. Convergence: from the start of the heal, the time until every node
//!    reports the same heads (`GET /v1/chains`: size and head hash of every
//!    chain) with every entry of every chain.
//!
//! Bytes are read from each node's `/metrics` (and from a node's last reading
//! before it is killed) and summed over the run; CPU time and resident
//! memory come from `/proc`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hyper::{Method, StatusCode};
use libp2p::futures::future::join_all;
use serde_json::Value;

use super::{attestations, birth_registrars, NodeProcess, XorShift};

/// What to simulate.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Number of node processes.
    pub nodes: usize,
    /// Attestations submitted in total.
    pub attestations: u64,
    /// Registrars (chains) the attestations are spread over.
    pub registrars: u32,
    /// Attestations per `POST /v1/entries`.
    pub batch: u64,
    /// Bootstrap peers per node (fewer for the first nodes).
    pub degree: usize,
    /// Nodes killed and restarted in each of the two churn rounds.
    pub churn: usize,
    /// Seed of the topology, the registrars' nodes, the batch order and
    /// the churned nodes.
    pub seed: u64,
    /// `--anti-entropy-secs` of every node.
    pub anti_entropy_secs: f64,
    /// The least time the partition lasts (the heal waits for it) and
    /// half the least time a killed node stays down.
    pub hold: Duration,
    /// How long convergence may take before the run fails.
    pub converge_limit: Duration,
    /// The `nansen-node` binary.
    pub bin: PathBuf,
}

/// What a run measured.
#[derive(Debug, Clone)]
pub struct SimReport {
    /// Number of nodes.
    pub nodes: usize,
    /// Attestations submitted.
    pub attestations: u64,
    /// Seconds from the heal (after the last submission and restart) until
    /// every node held every entry with identical heads.
    pub converge_seconds: f64,
    /// Seconds the heal's API calls took (lifting every ban on every node),
    /// included in `converge_seconds`.
    pub heal_seconds: f64,
    /// Seconds of the whole run, from the first node's start.
    pub run_seconds: f64,
    /// Bytes sent to peers over TCP, summed over all nodes (every
    /// incarnation of a restarted node) and divided by the node count.
    pub bytes_sent_per_node: f64,
    /// The most any one node sent.
    pub bytes_sent_max: u64,
    /// Process CPU seconds (user and system), summed and divided by the
    /// node count.
    pub cpu_seconds_per_node: f64,
    /// The largest resident set of a node at the end, in MiB.
    pub rss_max_mib: f64,
    /// Entries a node received again (gossip or sync of an entry it
    /// held), averaged over the nodes' last incarnations.
    pub duplicates_per_node: f64,
    /// The fewest connected peers of any node at the end.
    pub min_peers: u64,
    /// Node restarts (kills followed by a start on the same data).
    pub restarts: usize,
    /// Whether the two sides held different chain sizes when the partition
    /// was healed (the partition was real).
    pub partition_diverged: bool,
    /// Entries per node at the end (governance, accreditations and
    /// attestations).
    pub entries_per_node: u64,
}

impl SimReport {
    /// The `nansen-sim NAME VALUE` lines of this run.
    pub fn lines(&self) -> Vec<String> {
        let n = self.nodes;
        vec![
            format!(
                "nansen-sim converge_seconds_n{n} {:.2}",
                self.converge_seconds
            ),
            format!("nansen-sim heal_seconds_n{n} {:.2}", self.heal_seconds),
            format!(
                "nansen-sim bytes_per_node_n{n} {:.0}",
                self.bytes_sent_per_node
            ),
            format!("nansen-sim bytes_max_node_n{n} {}", self.bytes_sent_max),
            format!(
                "nansen-sim bytes_per_node_per_entry_n{n} {:.0}",
                self.bytes_sent_per_node / self.entries_per_node.max(1) as f64
            ),
            format!(
                "nansen-sim cpu_seconds_per_node_n{n} {:.2}",
                self.cpu_seconds_per_node
            ),
            format!("nansen-sim rss_max_mib_n{n} {:.1}", self.rss_max_mib),
            format!(
                "nansen-sim duplicates_per_node_n{n} {:.0}",
                self.duplicates_per_node
            ),
            format!("nansen-sim min_peers_n{n} {}", self.min_peers),
            format!("nansen-sim restarts_n{n} {}", self.restarts),
            format!(
                "nansen-sim partition_diverged_n{n} {}",
                u8::from(self.partition_diverged)
            ),
            format!("nansen-sim entries_per_node_n{n} {}", self.entries_per_node),
            format!("nansen-sim run_seconds_n{n} {:.1}", self.run_seconds),
        ]
    }
}

/// One node of the simulation, alive or killed.
struct Slot {
    index: usize,
    dir: PathBuf,
    bootstrap: Vec<String>,
    /// `/ip4/127.0.0.1/tcp/PORT`, fixed at the first start.
    listen: String,
    peer_id: String,
    /// `listen` with `/p2p/<peer id>`.
    address: String,
    process: Option<NodeProcess>,
    /// Bytes sent and CPU seconds of earlier incarnations.
    retired_sent: u64,
    retired_cpu: f64,
}

impl Slot {
    fn side(&self) -> usize {
        self.index % 2
    }

    fn name(&self) -> String {
        format!("node {} ({})", self.index, self.dir.display())
    }
}

/// Runs the simulation in `dir`.
pub async fn run(dir: &Path, config: &SimConfig) -> Result<SimReport, String> {
    let started = Instant::now();
    let mut rng = XorShift(config.seed.max(1));
    let mut birth = birth_registrars(dir, 1, 1, config.registrars);
    let genesis = birth.genesis.clone();
    let extra = node_arguments(config);
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();

    // 1. Topology.
    let mut slots: Vec<Slot> = Vec::with_capacity(config.nodes);
    for index in 0..config.nodes {
        let mut bootstrap = Vec::new();
        while bootstrap.len() < config.degree.min(index) {
            let peer = &slots[rng.below(index as u64) as usize];
            if !bootstrap.contains(&peer.address) {
                bootstrap.push(peer.address.clone());
            }
        }
        let node_dir = dir.join(format!("node-{index:02}"));
        let process = NodeProcess::launch(
            &config.bin,
            &node_dir,
            &genesis,
            &bootstrap,
            &["/ip4/127.0.0.1/tcp/0"],
            &extra,
        )?;
        let address = process.address();
        let listen = address.split("/p2p/").next().unwrap_or_default().to_owned();
        slots.push(Slot {
            index,
            dir: node_dir,
            bootstrap,
            listen,
            peer_id: process.addresses.peer_id.clone(),
            address,
            process: Some(process),
            retired_sent: 0,
            retired_cpu: 0.0,
        });
    }
    eprintln!(
        "sim n={}: {} nodes started in {:.1?}",
        config.nodes,
        config.nodes,
        started.elapsed()
    );

    // 2. Accreditations everywhere.
    let node0 = live(&slots[0])?;
    node0
        .api
        .submit(&birth.accreditations)
        .await
        .map_err(|e| format!("node 0 refused the accreditations: {e}"))?;
    let governance = birth.net.governance_size();
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    expected.insert("governance".into(), governance);
    await_convergence(&slots, &expected, config.converge_limit, "setup").await?;
    eprintln!(
        "sim n={}: setup converged at {:.1?}",
        config.nodes,
        started.elapsed()
    );

    // 3. Attestations, partition, churn, heal.
    let mut pending: Vec<Vec<Vec<u8>>> = Vec::new();
    let per_registrar = config.attestations / u64::from(config.registrars);
    let mut remainder = config.attestations % u64::from(config.registrars);
    for registrar in birth.registrars.iter_mut() {
        let count = per_registrar + u64::from(remainder > 0);
        remainder = remainder.saturating_sub(1);
        expected.insert(registrar.id.to_string(), count);
        pending.push(attestations(registrar, 0..count, 1_000));
    }
    let mut batches: Vec<(usize, Vec<Vec<u8>>)> = Vec::new();
    let mut cursors = vec![0usize; pending.len()];
    loop {
        let open: Vec<usize> = (0..pending.len())
            .filter(|r| cursors[*r] < pending[*r].len())
            .collect();
        if open.is_empty() {
            break;
        }
        let r = open[rng.below(open.len() as u64) as usize];
        let end = (cursors[r] + config.batch as usize).min(pending[r].len());
        batches.push((r, pending[r][cursors[r]..end].to_vec()));
        cursors[r] = end;
    }
    let mut home: Vec<usize> = (0..pending.len())
        .map(|_| rng.below(config.nodes as u64) as usize)
        .collect();
    // At least one registrar on each side of the partition (even, odd).
    home[0] -= home[0] % 2;
    if home.len() > 1 && config.nodes >= 2 {
        home[1] |= 1;
        if home[1] >= config.nodes {
            home[1] -= 2;
        }
    }
    let k = batches.len();
    let at = |fraction: f64| (k as f64 * fraction) as usize;
    let (kill1, restart1, cut, kill2, restart2) = (at(0.3), at(0.45), at(0.5), at(0.65), at(0.85));
    let mut partitioned = false;
    let mut partition_started = Instant::now();
    let mut killed: Vec<usize> = Vec::new();
    let mut killed_at = Instant::now();
    let mut restarts = 0;
    for (i, (registrar, entries)) in batches.into_iter().enumerate() {
        if (i == kill1 || i == kill2) && config.churn > 0 {
            killed = pick(&mut rng, config.nodes, config.churn);
            for index in &killed {
                kill(&mut slots[*index]).await;
            }
            killed_at = Instant::now();
            eprintln!(
                "sim n={}: killed {killed:?} at {:.1?}",
                config.nodes,
                started.elapsed()
            );
        }
        if (i == restart1 || i == restart2) && !killed.is_empty() {
            tokio::time::sleep((config.hold / 2).saturating_sub(killed_at.elapsed())).await;
            for index in std::mem::take(&mut killed) {
                restart(&mut slots, index, config, &genesis, &extra, partitioned).await?;
                restarts += 1;
            }
            eprintln!(
                "sim n={}: restarted at {:.1?}",
                config.nodes,
                started.elapsed()
            );
        }
        if i == cut && config.nodes >= 2 {
            set_partition(&slots, true).await?;
            await_partition(&slots).await?;
            partitioned = true;
            partition_started = Instant::now();
            eprintln!(
                "sim n={}: partitioned at {:.1?}",
                config.nodes,
                started.elapsed()
            );
        }
        submit(
            &slots,
            &mut home[registrar],
            partitioned,
            &mut rng,
            &entries,
        )
        .await?;
    }
    if !killed.is_empty() {
        tokio::time::sleep((config.hold / 2).saturating_sub(killed_at.elapsed())).await;
        for index in std::mem::take(&mut killed) {
            restart(&mut slots, index, config, &genesis, &extra, partitioned).await?;
            restarts += 1;
        }
    }
    let mut partition_diverged = false;
    if partitioned {
        tokio::time::sleep(config.hold.saturating_sub(partition_started.elapsed())).await;
        partition_diverged = sides_differ(&slots).await?;
    }
    // Every entry submitted, every node running: the heal is the last event.
    let healed = Instant::now();
    let mut heal_seconds = 0.0;
    if partitioned {
        set_partition(&slots, false).await?;
        heal_seconds = healed.elapsed().as_secs_f64();
        eprintln!(
            "sim n={}: healed at {:.1?} (unbanning took {:.1?})",
            config.nodes,
            started.elapsed(),
            healed.elapsed()
        );
    }

    // 4. Convergence.
    await_convergence(&slots, &expected, config.converge_limit, "the run").await?;
    let converge_seconds = healed.elapsed().as_secs_f64();
    let run_seconds = started.elapsed().as_secs_f64();

    let mut total_sent = 0u64;
    let mut max_sent = 0u64;
    let mut total_cpu = 0.0;
    let mut rss_max = 0.0f64;
    let mut min_peers = u64::MAX;
    let mut duplicates = 0;
    for slot in &slots {
        let process = live(slot)?;
        let figures = scrape(process).await;
        let sent = slot.retired_sent + figures.sent;
        total_sent += sent;
        max_sent = max_sent.max(sent);
        min_peers = min_peers.min(figures.peers);
        duplicates += figures.duplicates;
        let usage = ProcessUsage::of(process.child.id());
        total_cpu += slot.retired_cpu + usage.cpu_seconds;
        rss_max = rss_max.max(usage.rss_mib);
    }
    let entries_per_node = expected.values().sum();
    Ok(SimReport {
        nodes: config.nodes,
        attestations: config.attestations,
        converge_seconds,
        heal_seconds,
        run_seconds,
        bytes_sent_per_node: total_sent as f64 / config.nodes as f64,
        bytes_sent_max: max_sent,
        cpu_seconds_per_node: total_cpu / config.nodes as f64,
        rss_max_mib: rss_max,
        duplicates_per_node: duplicates as f64 / config.nodes as f64,
        min_peers,
        restarts,
        partition_diverged,
        entries_per_node,
    })
}

/// The `nansen-node run` arguments of every simulated node: every node
/// shares 127.0.0.1, so the per-address limits are raised to the node
/// count.
fn node_arguments(config: &SimConfig) -> Vec<String> {
    let per_ip = (4 * config.nodes).max(16).to_string();
    vec![
        "--anti-entropy-secs".into(),
        config.anti_entropy_secs.to_string(),
        "--cosign-secs".into(),
        "10".into(),
        "--max-connections-per-ip".into(),
        per_ip.clone(),
        "--max-pending-incoming-per-ip".into(),
        per_ip,
    ]
}

fn live(slot: &Slot) -> Result<&NodeProcess, String> {
    slot.process
        .as_ref()
        .ok_or_else(|| format!("{} is not running", slot.name()))
}

/// `count` distinct node indexes, never node 0 (the accreditations' node).
fn pick(rng: &mut XorShift, nodes: usize, count: usize) -> Vec<usize> {
    let mut chosen = Vec::new();
    while chosen.len() < count.min(nodes.saturating_sub(1)) {
        let index = 1 + rng.below(nodes as u64 - 1) as usize;
        if !chosen.contains(&index) {
            chosen.push(index);
        }
    }
    chosen
}

/// Submits one batch to its registrar's node; if that node is down or
/// does not answer, the registrar moves to another running node (on the
/// same side while partitioned) and submits there.
async fn submit(
    slots: &[Slot],
    home: &mut usize,
    partitioned: bool,
    rng: &mut XorShift,
    entries: &[Vec<u8>],
) -> Result<(), String> {
    for _ in 0..20 {
        if let Some(process) = &slots[*home].process {
            match process.api.submit(entries).await {
                Ok(_) => return Ok(()),
                Err(e) => eprintln!("{} refused a batch: {e}", slots[*home].name()),
            }
        }
        let side = slots[*home].side();
        let candidates: Vec<usize> = slots
            .iter()
            .filter(|s| s.process.is_some() && (!partitioned || s.side() == side))
            .map(|s| s.index)
            .collect();
        if candidates.is_empty() {
            return Err("no running node to submit to".into());
        }
        *home = candidates[rng.below(candidates.len() as u64) as usize];
    }
    Err("no node accepted a batch in 20 attempts".into())
}

/// Bans (or unbans) every node of the other side on every running node,
/// all nodes at once.
async fn set_partition(slots: &[Slot], banned: bool) -> Result<(), String> {
    let calls = slots
        .iter()
        .filter(|slot| slot.process.is_some())
        .map(|slot| ban_other_side(slots, slot, banned));
    join_all(calls).await.into_iter().collect()
}

async fn ban_other_side(slots: &[Slot], slot: &Slot, banned: bool) -> Result<(), String> {
    let process = live(slot)?;
    let method = if banned { Method::POST } else { Method::DELETE };
    for other in slots.iter().filter(|o| o.side() != slot.side()) {
        let path = format!("/v1/peers/{}/ban", other.peer_id);
        let (status, body) = process
            .api
            .call(method.clone(), &path, None, Vec::new())
            .await
            .map_err(|e| format!("{} {method} {path}: {e}", slot.name()))?;
        if status != StatusCode::OK {
            return Err(format!(
                "{} {method} {path}: {status} {}",
                slot.name(),
                String::from_utf8_lossy(&body)
            ));
        }
    }
    Ok(())
}

/// Whether some chain is longer on one side than anywhere on the other
/// (running nodes).
async fn sides_differ(slots: &[Slot]) -> Result<bool, String> {
    let mut longest: [BTreeMap<String, u64>; 2] = Default::default();
    for slot in slots {
        let Some(process) = &slot.process else {
            continue;
        };
        let chains: Value = process
            .api
            .get_json("/v1/chains")
            .await
            .map_err(|e| format!("{} GET /v1/chains: {e}", slot.name()))?;
        for chain in chains.as_array().into_iter().flatten() {
            let author = chain["author"].as_str().unwrap_or_default().to_owned();
            let size = chain["size"].as_u64().unwrap_or_default();
            let known = longest[slot.side()].entry(author).or_insert(0);
            *known = (*known).max(size);
        }
    }
    Ok(longest[0] != longest[1])
}

/// Waits until no running node has a connected peer on the other side.
async fn await_partition(slots: &[Slot]) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut crossing = Vec::new();
        for slot in slots {
            let Some(process) = &slot.process else {
                continue;
            };
            let peers: Value = process
                .api
                .get_json("/v1/peers")
                .await
                .map_err(|e| format!("{} GET /v1/peers: {e}", slot.name()))?;
            let connected: Vec<&str> = peers["connected"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for other in slots.iter().filter(|o| o.side() != slot.side()) {
                if connected.contains(&other.peer_id.as_str()) {
                    crossing.push((slot.index, other.index));
                }
            }
        }
        if crossing.is_empty() {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!(
                "partition: still connected across after 30 s: {crossing:?}"
            ));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// SIGKILL, after reading the node's byte counter and CPU time.
async fn kill(slot: &mut Slot) {
    let Some(mut process) = slot.process.take() else {
        return;
    };
    slot.retired_sent += scrape(&process).await.sent;
    slot.retired_cpu += ProcessUsage::of(process.child.id()).cpu_seconds;
    let _ = process.child.kill();
    let _ = process.child.wait();
}

/// Starts a killed node again on its data directory, TCP port and
/// bootstrap list; while partitioned it bans the other side again.
async fn restart(
    slots: &mut [Slot],
    index: usize,
    config: &SimConfig,
    genesis: &Path,
    extra: &[&str],
    partitioned: bool,
) -> Result<(), String> {
    let slot = &slots[index];
    let mut attempt = 0;
    let process = loop {
        match NodeProcess::launch(
            &config.bin,
            &slot.dir,
            genesis,
            &slot.bootstrap,
            &[&slot.listen],
            extra,
        ) {
            Ok(process) => break process,
            Err(e) if attempt < 5 => {
                eprintln!("{e}: trying again");
                attempt += 1;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(e) => return Err(e),
        }
    };
    if process.addresses.peer_id != slot.peer_id {
        return Err(format!(
            "{} came back as {} (was {})",
            slot.name(),
            process.addresses.peer_id,
            slot.peer_id
        ));
    }
    slots[index].process = Some(process);
    if partitioned {
        ban_other_side(slots, &slots[index], true).await?;
    }
    Ok(())
}

/// Waits until every running node reports the same heads, with each chain
/// of `expected` at its size; the error names every node and chain still
/// short.
async fn await_convergence(
    slots: &[Slot],
    expected: &BTreeMap<String, u64>,
    limit: Duration,
    what: &str,
) -> Result<(), String> {
    let deadline = Instant::now() + limit;
    loop {
        let mut views = Vec::new();
        let mut short = Vec::new();
        for slot in slots {
            let process = live(slot)?;
            let chains: Result<Value, _> = process.api.get_json("/v1/chains").await;
            let mut heads: Vec<(String, u64, String)> = match &chains {
                Ok(Value::Array(chains)) => chains
                    .iter()
                    .map(|c| {
                        (
                            c["author"].as_str().unwrap_or_default().to_owned(),
                            c["size"].as_u64().unwrap_or_default(),
                            c["head"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect(),
                Ok(other) => {
                    short.push(format!("{}: /v1/chains answered {other}", slot.name()));
                    Vec::new()
                }
                Err(e) => {
                    short.push(format!("{}: /v1/chains failed: {e}", slot.name()));
                    Vec::new()
                }
            };
            heads.sort();
            for (author, size) in expected {
                let have = heads
                    .iter()
                    .find(|(a, _, _)| a == author)
                    .map_or(0, |(_, s, _)| *s);
                if have != *size {
                    short.push(format!("node {}: {author} {have}/{size}", slot.index));
                }
            }
            views.push(heads);
        }
        let same = views.windows(2).all(|w| w[0] == w[1]);
        if short.is_empty() && same {
            return Ok(());
        }
        if Instant::now() > deadline {
            let differing = if same {
                String::new()
            } else {
                " (and the heads differ between nodes)".into()
            };
            return Err(format!(
                "{what}: not converged after {limit:?}{differing}: {}",
                short.join("; ")
            ));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// A node's figures from `/metrics`.
#[derive(Debug, Default)]
struct Scraped {
    sent: u64,
    peers: u64,
    duplicates: u64,
}

async fn scrape(process: &NodeProcess) -> Scraped {
    let Ok(body) = process.api.get("/metrics").await else {
        return Scraped::default();
    };
    let text = String::from_utf8_lossy(&body);
    let value = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or(0)
    };
    Scraped {
        sent: value("nansen_network_bytes_sent_total"),
        peers: value("nansen_peers"),
        duplicates: value("nansen_entries_duplicate_total"),
    }
}

/// CPU time and resident memory of a process, from `/proc` (zero where
/// `/proc` is not available).
struct ProcessUsage {
    cpu_seconds: f64,
    rss_mib: f64,
}

impl ProcessUsage {
    fn of(pid: u32) -> ProcessUsage {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // Fields after the command name (which may hold spaces) start at 3;
        // utime and stime are fields 14 and 15, in clock ticks.
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = after.split_whitespace().collect();
        let ticks: u64 = [11, 12]
            .iter()
            .filter_map(|i| fields.get(*i)?.parse::<u64>().ok())
            .sum();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let rss_kib: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0.0);
        ProcessUsage {
            cpu_seconds: ticks as f64 / clock_ticks_per_second(),
            rss_mib: rss_kib / 1024.0,
        }
    }
}

fn clock_ticks_per_second() -> f64 {
    // SAFETY: sysconf only reads a system constant.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 {
        ticks as f64
    } else {
        100.0
    }
}
