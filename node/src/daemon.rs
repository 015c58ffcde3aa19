//! A running node: the store, the network service, the sync driver and the
//! HTTP API wired together, from [`NodeOptions`] (command-line flags or a
//! TOML file with the same names).
//!
//! Once up, the node writes `node.json` in its data directory: its peer
//! id, its API URL and its listen addresses (with `/p2p/<peer id>`), so
//! scripts and tests can start it with port 0 and read where it is.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use ledger::checkpoint::VerifierKey;
use ledger::genesis::Genesis;
use ledger::store::Store;
use libp2p::{Multiaddr, PeerId};
use serde::{Deserialize, Serialize};
use tokio::task::JoinHandle;

use crate::api::{self, ApiState};
use crate::identity::NodeKey;
use crate::keystore::write_private;
use crate::metrics::Metrics;
use crate::network::{start, NetworkConfig, NetworkHandle};
use crate::replica::Replica;
use crate::sync::driver::{SyncDriver, SyncSettings};
use crate::sync::wire::MAX_RANGE_ENTRIES;
use crate::witness::Witness;

/// Settings of `nansen-node run`, also readable from a TOML file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeOptions {
    /// Directory of the sled store and `node.json`.
    pub data_dir: PathBuf,
    /// The genesis file of the network (needed to create a new store;
    /// checked against an existing one).
    #[serde(default)]
    pub genesis: Option<PathBuf>,
    /// libp2p listen addresses.
    #[serde(default = "default_listen")]
    pub listen: Vec<String>,
    /// Address of the HTTP API.
    #[serde(default = "default_api")]
    pub api: String,
    /// Bootstrap peers (`.../p2p/<peer id>`).
    #[serde(default)]
    pub bootstrap: Vec<String>,
    /// Discover peers on the local network.
    #[serde(default = "default_true")]
    pub mdns: bool,
    /// Seconds between anti-entropy rounds.
    #[serde(default = "default_interval")]
    pub anti_entropy_secs: f64,
    /// Seconds between witness rounds.
    #[serde(default = "default_interval")]
    pub cosign_secs: f64,
    /// Witness keys trusted besides self-certifying ones (`name+id+key`).
    #[serde(default)]
    pub trusted_witnesses: Vec<String>,
    /// Show a progress bar while catching up (on a terminal only).
    #[serde(default = "default_true")]
    pub progress_bar: bool,
    /// Entries asked for per range-sync request (1 to 4096): smaller
    /// batches suit slow links, since each request must complete within
    /// the request timeout.
    #[serde(default = "default_range_max_entries")]
    pub range_max_entries: u32,
    /// Seconds a sync request to a peer may take before the node gives up
    /// on it and turns to other peers.
    #[serde(default = "default_sync_timeout")]
    pub sync_timeout_secs: f64,
    /// Most established peer connections (both ways).
    #[serde(default = "default_max_connections")]
    pub max_connections: u32,
    /// Most established incoming connections from one IP address.
    #[serde(default = "default_max_connections_per_ip")]
    pub max_connections_per_ip: u32,
    /// Most incoming connections in their handshake at once.
    #[serde(default = "default_max_pending_incoming")]
    pub max_pending_incoming: u32,
    /// Most incoming connections in their handshake at once from one IP
    /// address.
    #[serde(default = "default_max_pending_incoming_per_ip")]
    pub max_pending_incoming_per_ip: u32,
    /// Seconds a new connection may take to finish its handshake (TCP to
    /// Noise and Yamux, or QUIC) before it is dropped.
    #[serde(default = "default_handshake_timeout")]
    pub handshake_timeout_secs: f64,
    /// Seconds a connection with no open stream is kept.
    #[serde(default = "default_idle_timeout")]
    pub idle_timeout_secs: f64,
    /// Below this many connected peers, the node redials its bootstrap
    /// peers and the peers it knows, each with backoff.
    #[serde(default = "default_target_peers")]
    pub target_peers: usize,
}

fn default_listen() -> Vec<String> {
    vec![
        "/ip4/0.0.0.0/tcp/4100".into(),
        "/ip4/0.0.0.0/udp/4100/quic-v1".into(),
    ]
}

fn default_api() -> String {
    "127.0.0.1:8480".into()
}

fn default_true() -> bool {
    true
}

fn default_interval() -> f64 {
    10.0
}

fn default_range_max_entries() -> u32 {
    SyncSettings::default().range_max_entries
}

fn default_sync_timeout() -> f64 {
    SyncSettings::default().request_timeout.as_secs_f64()
}

/// The network layer's defaults (the network id plays no part in them).
fn network_defaults() -> NetworkConfig {
    NetworkConfig::new([0; 32])
}

fn default_max_connections() -> u32 {
    network_defaults().max_connections
}

fn default_max_connections_per_ip() -> u32 {
    network_defaults().max_established_incoming_per_ip
}

fn default_max_pending_incoming() -> u32 {
    network_defaults().max_pending_incoming
}

fn default_max_pending_incoming_per_ip() -> u32 {
    network_defaults().max_pending_incoming_per_ip
}

fn default_handshake_timeout() -> f64 {
    network_defaults().handshake_timeout.as_secs_f64()
}

fn default_idle_timeout() -> f64 {
    network_defaults().idle_connection_timeout.as_secs_f64()
}

fn default_target_peers() -> usize {
    network_defaults().target_peers
}

impl NodeOptions {
    /// Defaults for a data directory.
    pub fn new(data_dir: PathBuf) -> Self {
        NodeOptions {
            data_dir,
            genesis: None,
            listen: default_listen(),
            api: default_api(),
            bootstrap: Vec::new(),
            mdns: true,
            anti_entropy_secs: default_interval(),
            cosign_secs: default_interval(),
            trusted_witnesses: Vec::new(),
            progress_bar: true,
            range_max_entries: default_range_max_entries(),
            sync_timeout_secs: default_sync_timeout(),
            max_connections: default_max_connections(),
            max_connections_per_ip: default_max_connections_per_ip(),
            max_pending_incoming: default_max_pending_incoming(),
            max_pending_incoming_per_ip: default_max_pending_incoming_per_ip(),
            handshake_timeout_secs: default_handshake_timeout(),
            idle_timeout_secs: default_idle_timeout(),
            target_peers: default_target_peers(),
        }
    }
}

/// Why the node could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A setting is invalid.
    #[error("invalid setting {setting}: {reason}")]
    Setting {
        /// Which.
        setting: &'static str,
        /// Why.
        reason: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The store could not be opened.
    #[error("ledger store: {0}")]
    Store(#[from] ledger::store::StoreError),
    /// The genesis file is invalid.
    #[error("genesis: {0}")]
    Genesis(#[from] ledger::genesis::GenesisError),
    /// The network could not start.
    #[error("network: {0}")]
    Network(#[from] crate::network::NetworkError),
    /// The witness key could not be made.
    #[error("witness key: {0}")]
    Witness(#[from] ledger::checkpoint::CheckpointError),
}

fn setting(setting: &'static str, reason: impl ToString) -> StartError {
    StartError::Setting {
        setting,
        reason: reason.to_string(),
    }
}

/// What `node.json` holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NodeAddresses {
    /// The peer id.
    pub peer_id: String,
    /// The API's base URL.
    pub api: String,
    /// Listen addresses, each ending in `/p2p/<peer id>`.
    pub listen: Vec<String>,
}

/// A started node.
#[derive(Debug)]
pub struct RunningNode {
    /// Where the API listens.
    pub api_addr: SocketAddr,
    /// The peer id.
    pub peer_id: PeerId,
    /// Listen addresses with `/p2p/<peer id>`.
    pub listen: Vec<Multiaddr>,
    net: NetworkHandle,
    replica: Replica,
    tasks: Vec<JoinHandle<()>>,
}

impl RunningNode {
    /// Stops the network and flushes the store.
    pub async fn shutdown(self) {
        let _ = self.net.shutdown().await;
        for task in &self.tasks {
            task.abort();
        }
        let _ = self.replica.with(|s| s.flush()).await;
    }
}

/// Starts a node with the node key `key`.
pub async fn start_node(options: &NodeOptions, key: &NodeKey) -> Result<RunningNode, StartError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| StartError::Io { path, source }
    };
    std::fs::create_dir_all(&options.data_dir).map_err(io(&options.data_dir))?;
    let genesis = match &options.genesis {
        Some(path) => Some(Genesis::from_bytes(
            &std::fs::read(path).map_err(io(path))?,
        )?),
        None => None,
    };
    let store_path = options.data_dir.join("ledger");
    let store = tokio::task::spawn_blocking(move || Store::open(&store_path, genesis.as_ref()))
        .await
        .map_err(|e| setting("data_dir", e))??;
    let network_id = store.network();
    let metrics = Arc::new(Metrics::default());
    let replica = Replica::new(store, metrics);

    let seconds = |value: f64, name: &'static str| {
        if value.is_finite() && value > 0.0 && value < 1e6 {
            Ok(Duration::from_secs_f64(value))
        } else {
            Err(setting(name, "must be a positive number of seconds"))
        }
    };
    let at_least_one = |value: u32, name: &'static str| {
        if value == 0 {
            Err(setting(name, "must be at least 1"))
        } else {
            Ok(value)
        }
    };
    let mut config = NetworkConfig::new(network_id.0);
    config.enable_mdns = options.mdns;
    config.max_connections = at_least_one(options.max_connections, "max_connections")?;
    config.max_established_incoming_per_ip =
        at_least_one(options.max_connections_per_ip, "max_connections_per_ip")?;
    config.max_pending_incoming =
        at_least_one(options.max_pending_incoming, "max_pending_incoming")?;
    config.max_pending_incoming_per_ip = at_least_one(
        options.max_pending_incoming_per_ip,
        "max_pending_incoming_per_ip",
    )?;
    config.handshake_timeout = seconds(options.handshake_timeout_secs, "handshake_timeout_secs")?;
    config.idle_connection_timeout = seconds(options.idle_timeout_secs, "idle_timeout_secs")?;
    config.target_peers = options.target_peers;
    config.listen_addrs = options
        .listen
        .iter()
        .map(|a| {
            a.parse::<Multiaddr>()
                .map_err(|e| setting("listen", format!("{a}: {e}")))
        })
        .collect::<Result<_, _>>()?;
    config.bootstrap_peers = options
        .bootstrap
        .iter()
        .map(|a| {
            a.parse::<Multiaddr>()
                .map_err(|e| setting("bootstrap", format!("{a}: {e}")))
        })
        .collect::<Result<_, _>>()?;
    let trusted = options
        .trusted_witnesses
        .iter()
        .map(|k| {
            VerifierKey::parse(k).map_err(|e| setting("trusted_witnesses", format!("{k}: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let witness = Witness::from_node_seed(&key.seed(), trusted)?;
    if options.range_max_entries == 0 || options.range_max_entries > MAX_RANGE_ENTRIES {
        return Err(setting(
            "range_max_entries",
            format!("must be between 1 and {MAX_RANGE_ENTRIES}"),
        ));
    }
    let settings = SyncSettings {
        anti_entropy_interval: seconds(options.anti_entropy_secs, "anti_entropy_secs")?,
        cosign_interval: seconds(options.cosign_secs, "cosign_secs")?,
        request_timeout: seconds(options.sync_timeout_secs, "sync_timeout_secs")?,
        range_max_entries: options.range_max_entries,
        progress_bar: options.progress_bar,
        ..SyncSettings::default()
    };

    let api_addr: SocketAddr = options.api.parse().map_err(|e| setting("api", e))?;
    let listener = tokio::net::TcpListener::bind(api_addr)
        .await
        .map_err(|e| setting("api", format!("cannot bind {api_addr}: {e}")))?;
    let api_addr = listener.local_addr().map_err(|e| setting("api", e))?;

    let (net, events, net_task) = start(key, config)?;
    let driver = SyncDriver::new(replica.clone(), net.clone(), witness.clone(), settings);
    let driver_task = driver.clone().spawn(events);
    let app = api::router(ApiState::new(replica.clone(), driver, witness));
    let api_task = tokio::spawn(crate::http::serve(listener, app));
    tracing::info!(%api_addr, "API listening");

    let peer_id = net.local_peer_id();
    let mut listen = Vec::new();
    for _ in 0..100 {
        listen = net.listen_addrs().await.unwrap_or_default();
        if listen.len() >= options.listen.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let listen: Vec<Multiaddr> = listen
        .into_iter()
        .map(|a| a.with(libp2p::multiaddr::Protocol::P2p(peer_id)))
        .collect();
    let addresses = NodeAddresses {
        peer_id: peer_id.to_string(),
        api: format!("http://{api_addr}"),
        listen: listen.iter().map(|a| a.to_string()).collect(),
    };
    let path = options.data_dir.join("node.json");
    let text = serde_json::to_vec_pretty(&addresses).map_err(|e| setting("data_dir", e))?;
    write_private(&path, &text).map_err(|e| setting("data_dir", e))?;
    tracing::info!(%peer_id, network = %network_id, "node running");
    Ok(RunningNode {
        api_addr,
        peer_id,
        listen,
        net,
        replica,
        tasks: vec![net_task, driver_task, api_task],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toml_file_with_the_documented_names_parses() {
        let text = r#"
            data_dir = "/var/lib/nansen"
            genesis = "/etc/nansen/genesis.cbor"
            listen = ["/ip4/0.0.0.0/tcp/4100", "/ip4/0.0.0.0/udp/4100/quic-v1"]
            api = "127.0.0.1:8480"
            bootstrap = ["/ip4/192.0.2.7/tcp/4100/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp"]
            mdns = false
            anti_entropy_secs = 30
            trusted_witnesses = []
            max_connections = 128
            max_connections_per_ip = 4
            max_pending_incoming = 32
            max_pending_incoming_per_ip = 2
            handshake_timeout_secs = 5
            idle_timeout_secs = 600
            target_peers = 3
        "#;
        let options: NodeOptions = toml::from_str(text).expect("parses");
        assert_eq!(options.data_dir, PathBuf::from("/var/lib/nansen"));
        assert!(!options.mdns);
        assert_eq!(options.anti_entropy_secs, 30.0);
        assert_eq!(options.cosign_secs, 10.0);
        assert_eq!(
            (options.max_connections, options.max_connections_per_ip),
            (128, 4)
        );
        assert_eq!(
            (
                options.max_pending_incoming,
                options.max_pending_incoming_per_ip
            ),
            (32, 2)
        );
        assert_eq!(
            (options.handshake_timeout_secs, options.idle_timeout_secs),
            (5.0, 600.0)
        );
        assert_eq!(options.target_peers, 3);
        let defaults: NodeOptions = toml::from_str("data_dir = \"x\"").expect("parses");
        assert_eq!(
            (
                defaults.max_connections,
                defaults.max_pending_incoming_per_ip
            ),
            (256, 8)
        );
        assert_eq!(defaults.handshake_timeout_secs, 10.0);
        assert!(toml::from_str::<NodeOptions>("data_dir = \"x\"\nunknown = 1").is_err());
    }
}
