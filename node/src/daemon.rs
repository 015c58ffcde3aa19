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
use crate::i18n::Lang;
use crate::identity::NodeKey;
use crate::metrics::Metrics;
use crate::network::{start, NetworkConfig, NetworkHandle};
use crate::replica::Replica;
use crate::sync::driver::{SyncDriver, SyncSettings};
use crate::sync::wire::MAX_RANGE_ENTRIES;
use crate::witness::Witness;
use nansen_files::private::{write_private, Existing};

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
    /// The node key file (`--key`; default: `node.key` in the data directory, created if
    /// missing). `nansen-node run` reads it; [`start_node`] takes the key itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<PathBuf>,
    /// libp2p listen addresses.
    #[serde(default = "default_listen")]
    pub listen: Vec<String>,
    /// The address the node's HTTP API listens on: `api_listen` in the file, as the flag
    /// `--api-listen` (`api`, the former name, is still read).
    #[serde(default = "default_api", rename = "api_listen", alias = "api")]
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
    /// The language of what the node shows a person (its progress bars): `run --lang`,
    /// not a setting of the file.
    #[serde(skip)]
    pub lang: Lang,
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

/// The ledger store's directory inside the data directory.
const STORE_DIR: &str = "ledger";

/// The lock file that keeps a second node off a data directory while one runs.
const LOCK_FILE: &str = "node.lock";
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
    /// Checks every setting that can be checked before anything is written: addresses,
    /// durations, trusted witness keys, and that a new data directory comes with a genesis
    /// file. `nansen-node run` calls it before it creates the node key.
    pub fn check(&self) -> Result<(), StartError> {
        self.parsed().map(|_| ())
    }

    fn parsed(&self) -> Result<ParsedOptions, StartError> {
        if self.genesis.is_none() && !self.data_dir.join(STORE_DIR).exists() {
            return Err(StartError::NoGenesis(self.data_dir.clone()));
        }
        let listen = self
            .listen
            .iter()
            .map(|a| {
                a.parse::<Multiaddr>()
                    .map_err(|e| invalid("listen", not_a_multiaddr(a, &e)))
            })
            .collect::<Result<_, _>>()?;
        let bootstrap = self
            .bootstrap
            .iter()
            .map(|a| bootstrap_address(a))
            .collect::<Result<_, _>>()?;
        let trusted = self
            .trusted_witnesses
            .iter()
            .map(|k| {
                VerifierKey::parse(k).map_err(|_| {
                    invalid(
                        "trusted_witnesses",
                        SettingReason::NotAWitnessKey(k.clone()),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let seconds = |value: f64, name: &'static str| {
            if value.is_finite() && value > 0.0 && value < 1e6 {
                Ok(Duration::from_secs_f64(value))
            } else {
                Err(invalid(name, SettingReason::PositiveSeconds))
            }
        };
        let at_least_one = |value: u32, name: &'static str| {
            if value == 0 {
                Err(invalid(name, SettingReason::AtLeastOne))
            } else {
                Ok(value)
            }
        };
        let limits = ConnectionLimits {
            max_connections: at_least_one(self.max_connections, "max_connections")?,
            max_connections_per_ip: at_least_one(
                self.max_connections_per_ip,
                "max_connections_per_ip",
            )?,
            max_pending_incoming: at_least_one(self.max_pending_incoming, "max_pending_incoming")?,
            max_pending_incoming_per_ip: at_least_one(
                self.max_pending_incoming_per_ip,
                "max_pending_incoming_per_ip",
            )?,
            handshake_timeout: seconds(self.handshake_timeout_secs, "handshake_timeout_secs")?,
            idle_timeout: seconds(self.idle_timeout_secs, "idle_timeout_secs")?,
            target_peers: self.target_peers,
        };
        if self.range_max_entries == 0 || self.range_max_entries > MAX_RANGE_ENTRIES {
            return Err(invalid(
                "range_max_entries",
                SettingReason::Between(MAX_RANGE_ENTRIES),
            ));
        }
        let settings = SyncSettings {
            anti_entropy_interval: seconds(self.anti_entropy_secs, "anti_entropy_secs")?,
            cosign_interval: seconds(self.cosign_secs, "cosign_secs")?,
            request_timeout: seconds(self.sync_timeout_secs, "sync_timeout_secs")?,
            range_max_entries: self.range_max_entries,
            progress_bar: self.progress_bar,
            lang: self.lang,
            ..SyncSettings::default()
        };
        let api = self.api.parse::<SocketAddr>().map_err(|e| {
            invalid(
                "api_listen",
                SettingReason::NotAnAddress(self.api.clone(), e.to_string()),
            )
        })?;
        Ok(ParsedOptions {
            listen,
            bootstrap,
            trusted,
            settings,
            api,
            limits,
        })
    }

    /// Defaults for a data directory.
    pub fn new(data_dir: PathBuf) -> Self {
        NodeOptions {
            data_dir,
            genesis: None,
            key: None,
            listen: default_listen(),
            api: default_api(),
            bootstrap: Vec::new(),
            mdns: true,
            anti_entropy_secs: default_interval(),
            cosign_secs: default_interval(),
            trusted_witnesses: Vec::new(),
            progress_bar: true,
            lang: Lang::En,
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
        reason: SettingReason,
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
    /// The store opened, but its chains could not be witnessed.
    #[error("ledger replica: {0}")]
    Replica(#[from] crate::replica::ReplicaError),
    /// The genesis file is invalid.
    #[error("genesis: {0}")]
    Genesis(#[from] ledger::genesis::GenesisError),
    /// The genesis file given (`--genesis`) is not a genesis document.
    #[error("genesis file {}: {cause}", .path.display())]
    GenesisFile {
        /// The file.
        path: PathBuf,
        /// Why (not a `source`: the message tells it whole).
        cause: ledger::genesis::GenesisError,
    },
    /// The network could not start.
    #[error("network: {0}")]
    Network(#[from] crate::network::NetworkError),
    /// The witness key could not be made.
    #[error("witness key: {0}")]
    Witness(#[from] ledger::checkpoint::CheckpointError),
    /// The API's address could not be listened on (in use, not an address of this machine).
    #[error("cannot listen on {address} for the API: {source}")]
    ApiListen {
        /// The address.
        address: SocketAddr,
        /// The error.
        source: std::io::Error,
    },
    /// Another process (a node still running) holds the data directory.
    #[error(
        "the data directory {} is in use by another nansen-node: stop that node first, or give \
         this one another --data-dir",
        .0.display()
    )]
    DataDirInUse(PathBuf),
    /// The data directory holds no ledger yet and no genesis file was given to create one.
    #[error(
        "{} holds no ledger yet: give --genesis FILE (the network's genesis document) the \
         first time a node runs on it; nothing was written",
        .0.display()
    )]
    NoGenesis(PathBuf),
}

/// Why a setting is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingReason {
    /// A duration is not a positive number of seconds (below a million).
    #[error("must be a positive number of seconds")]
    PositiveSeconds,
    /// A count is zero.
    #[error("must be at least 1")]
    AtLeastOne,
    /// A count is outside 1 to the bound.
    #[error("must be between 1 and {0}")]
    Between(u32),
    /// A bootstrap address does not end in `/p2p/<peer id>`.
    #[error(
        "{0} lacks the peer id: end it with /p2p/<peer id>, as `nansen-node status` on that \
         node shows its listen addresses"
    )]
    NoPeerId(String),
    /// A listen or bootstrap address is not a multiaddr: the text given, and the parser's
    /// words when they say more than that (English, kept as the detail).
    #[error(
        "{given:?} is not a libp2p address (a multiaddr such as /ip4/0.0.0.0/tcp/4100){detail}",
        given = .0,
        detail = .1.as_ref().map(|d| format!(" ({d})")).unwrap_or_default()
    )]
    NotAMultiaddr(String, Option<String>),
    /// A trusted witness key is not a witness key (`name+hash+key`).
    #[error(
        "{0:?} is not a witness key (name+id+key, as `nansen-node status` on the witness shows it)"
    )]
    NotAWitnessKey(String),
    /// The API address is not an address and port.
    #[error("{0:?}: {1} (an address and port such as 127.0.0.1:8480)")]
    NotAnAddress(String, String),
    /// Anything else: the value and the lower-level error, in English.
    #[error("{0}")]
    Invalid(String),
}

/// The settings of [`NodeOptions`] in the types the node runs with.
struct ParsedOptions {
    listen: Vec<Multiaddr>,
    bootstrap: Vec<Multiaddr>,
    trusted: Vec<VerifierKey>,
    settings: SyncSettings,
    api: SocketAddr,
    limits: ConnectionLimits,
}

/// The connection limits and timeouts of [`NodeOptions`], checked.
struct ConnectionLimits {
    max_connections: u32,
    max_connections_per_ip: u32,
    max_pending_incoming: u32,
    max_pending_incoming_per_ip: u32,
    handshake_timeout: Duration,
    idle_timeout: Duration,
    target_peers: usize,
}

/// A bootstrap peer's address: a multiaddr that ends in `/p2p/<peer id>`, since a node
/// dials only peers it can authenticate.
fn bootstrap_address(text: &str) -> Result<Multiaddr, StartError> {
    let address: Multiaddr = text
        .parse()
        .map_err(|e| invalid("bootstrap", not_a_multiaddr(text, &e)))?;
    match address.iter().last() {
        Some(libp2p::multiaddr::Protocol::P2p(_)) => Ok(address),
        _ => Err(invalid(
            "bootstrap",
            SettingReason::NoPeerId(text.to_owned()),
        )),
    }
}

/// `text` is not a multiaddr: the parser's words are kept as the detail when they say which
/// part is wrong (`unknown protocol string: ip9`, `failed to parse: invalid digit found in
/// string`), and dropped when they only repeat that it is not one (`invalid multiaddr`).
fn not_a_multiaddr(text: &str, e: &libp2p::multiaddr::Error) -> SettingReason {
    let detail = match e {
        libp2p::multiaddr::Error::InvalidMultiaddr => None,
        other => Some(other.to_string()),
    };
    SettingReason::NotAMultiaddr(text.to_owned(), detail)
}

fn setting(setting: &'static str, reason: impl ToString) -> StartError {
    invalid(setting, SettingReason::Invalid(reason.to_string()))
}

fn invalid(setting: &'static str, reason: SettingReason) -> StartError {
    StartError::Setting { setting, reason }
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
    /// The witness key checkpoints are cosigned with, as others list it in
    /// `trusted_witnesses` (`name+id+key`).
    pub witness_key: String,
    /// Held while the node runs: no second node opens the data directory.
    _lock: std::fs::File,
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
    let parsed = options.parsed()?;
    std::fs::create_dir_all(&options.data_dir).map_err(io(&options.data_dir))?;
    let lock_path = options.data_dir.join(LOCK_FILE);
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(io(&lock_path))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(StartError::DataDirInUse(options.data_dir.clone()))
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io(&lock_path)(e)),
    }
    let genesis = match &options.genesis {
        Some(path) => Some(
            Genesis::from_bytes(&std::fs::read(path).map_err(io(path))?).map_err(|source| {
                StartError::GenesisFile {
                    path: path.clone(),
                    cause: source,
                }
            })?,
        ),
        None => None,
    };
    let store_path = options.data_dir.join(STORE_DIR);
    let store = tokio::task::spawn_blocking(move || Store::open(&store_path, genesis.as_ref()))
        .await
        .map_err(|e| setting("data_dir", e))??;
    let network_id = store.network();
    let metrics = Arc::new(Metrics::default());

    let mut config = NetworkConfig::new(network_id.0);
    config.enable_mdns = options.mdns;
    config.listen_addrs = parsed.listen;
    config.bootstrap_peers = parsed.bootstrap;
    config.max_connections = parsed.limits.max_connections;
    config.max_established_incoming_per_ip = parsed.limits.max_connections_per_ip;
    config.max_pending_incoming = parsed.limits.max_pending_incoming;
    config.max_pending_incoming_per_ip = parsed.limits.max_pending_incoming_per_ip;
    config.handshake_timeout = parsed.limits.handshake_timeout;
    config.idle_connection_timeout = parsed.limits.idle_timeout;
    config.target_peers = parsed.limits.target_peers;
    config.traffic = metrics.traffic().clone();
    let witness = Witness::from_node_seed(&key.seed(), parsed.trusted)?;
    let witness_key = witness.verifier().to_string();
    let replica = {
        let witness = witness.clone();
        tokio::task::spawn_blocking(move || Replica::new(store, metrics, witness))
            .await
            .map_err(|e| setting("data_dir", e))??
    };
    let settings = parsed.settings;

    let api_addr = parsed.api;
    let listener = tokio::net::TcpListener::bind(api_addr)
        .await
        .map_err(|source| StartError::ApiListen {
            address: api_addr,
            source,
        })?;
    let api_addr = listener
        .local_addr()
        .map_err(|source| StartError::ApiListen {
            address: api_addr,
            source,
        })?;

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
    write_private(&path, &text, Existing::Replace).map_err(|source| StartError::Io {
        path: path.clone(),
        source,
    })?;
    tracing::info!(%peer_id, network = %network_id, "node running");
    Ok(RunningNode {
        api_addr,
        peer_id,
        listen,
        witness_key,
        _lock: lock,
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
            api_listen = "127.0.0.1:8480"
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
        let former: NodeOptions =
            toml::from_str("data_dir = \"x\"\napi = \"127.0.0.1:9\"").expect("former name");
        assert_eq!(former.api, "127.0.0.1:9");
    }

    #[test]
    fn the_example_config_file_parses_and_states_the_defaults() {
        let text = include_str!("../../contrib/nansen-node.toml");
        let example: NodeOptions = toml::from_str(text).expect("contrib/nansen-node.toml parses");
        let defaults: NodeOptions =
            toml::from_str("data_dir = \"/var/lib/nansen\"").expect("parses");
        assert_eq!(example.listen, defaults.listen);
        assert_eq!(example.api, defaults.api);
        assert_eq!(example.mdns, defaults.mdns);
        assert_eq!(example.anti_entropy_secs, defaults.anti_entropy_secs);
        assert_eq!(example.cosign_secs, defaults.cosign_secs);
        assert_eq!(example.range_max_entries, defaults.range_max_entries);
        assert_eq!(example.sync_timeout_secs, defaults.sync_timeout_secs);
        assert_eq!(example.progress_bar, defaults.progress_bar);
        assert_eq!(example.max_connections, defaults.max_connections);
        assert_eq!(
            example.max_connections_per_ip,
            defaults.max_connections_per_ip
        );
        assert_eq!(example.max_pending_incoming, defaults.max_pending_incoming);
        assert_eq!(
            example.max_pending_incoming_per_ip,
            defaults.max_pending_incoming_per_ip
        );
        assert_eq!(
            example.handshake_timeout_secs,
            defaults.handshake_timeout_secs
        );
        assert_eq!(example.idle_timeout_secs, defaults.idle_timeout_secs);
        assert_eq!(example.target_peers, defaults.target_peers);
        // Every setting is in the example, so that an operator sees them all.
        let table: toml::Table = toml::from_str(text).expect("a table");
        let every = toml::Table::try_from(&defaults).expect("serialises");
        for key in every.keys() {
            assert!(table.contains_key(key), "{key} is missing from the example");
        }
    }
}
