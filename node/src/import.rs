//! `nansen-node import`: an exported file (a CBOR sequence of signed
//! entries, `crate::export`) submitted to a node through
//! `POST /v1/entries`, which validates every entry as it validates entries
//! from peers, and a report of what became of each entry, by named reason.
//!
//! The file is read item by item ([`SeqReader`], each item bounded by the
//! network's `max_entry_bytes`) and sent in batches of at most
//! [`BATCH_ENTRIES`] entries and [`BATCH_BYTES`] bytes, so memory stays
//! within one batch and its answer whatever the size of the file.
//!
//! The import is complete only when every entry read was accepted, was
//! already held, or was kept as evidence of an equivocation (an export ends
//! with the evidence of every fork the source recorded: both entries of
//! each equivocation proof and the disputed entries, which a replica keeps
//! aside exactly as the source did), and the file was read to its end.
//! Anything else (an entry refused, held waiting for something the file did
//! not bring, or a file that stops being a CBOR sequence) is counted under
//! its name and makes the import incomplete.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cbor_seq::{SeqError, SeqReader};
use crate::client::{ApiClient, ClientError};
use crate::i18n::{tr, Lang};
use nansen_wire::api::{Info, SubmitAnswer};

/// Most entries in one submission (well under
/// [`crate::api::MAX_ENTRIES_PER_POST`]).
pub const BATCH_ENTRIES: usize = 4096;
/// Most bytes in one submission (half of [`crate::api::MAX_BODY_BYTES`]).
pub const BATCH_BYTES: usize = crate::api::MAX_BODY_BYTES / 2;

/// How many entries had one outcome for one reason, with the node's words
/// for the first of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonCount {
    /// Entries.
    pub count: u64,
    /// The node's message for the first one.
    pub example: String,
}

/// What became of the entries of an imported file.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Entries read from the file and submitted.
    pub read: u64,
    /// Accepted into their chains.
    pub accepted: u64,
    /// Already held by the node.
    pub duplicate: u64,
    /// Logged in their chains without effect, by void cause (`suspended`,
    /// `forked`, ...): a suspension, scope change or fork covers them.
    pub void: BTreeMap<String, ReasonCount>,
    /// Refused, by the ledger's rejection code (`wrong_network`,
    /// `bad_signature`, ...).
    pub refused: BTreeMap<String, ReasonCount>,
    /// Held waiting for a dependency, by hold code, chain and what it waits
    /// for (`sequence_gap registrar-1: waiting for entry 9 of the chain`).
    pub held: BTreeMap<String, ReasonCount>,
    /// Kept aside as evidence: `equivocation` (conflicts with an accepted
    /// entry) and `disputed` (on an equivocating chain past its fork).
    pub evidence: BTreeMap<String, ReasonCount>,
    /// Why the file could not be read to its end, if it could not.
    pub file_error: Option<SeqError>,
}

impl ImportReport {
    /// Entries refused.
    pub fn refused_total(&self) -> u64 {
        self.refused.values().map(|r| r.count).sum()
    }

    /// Entries held waiting for a dependency.
    pub fn held_total(&self) -> u64 {
        self.held.values().map(|r| r.count).sum()
    }

    /// Entries logged void.
    pub fn void_total(&self) -> u64 {
        self.void.values().map(|r| r.count).sum()
    }

    /// Entries kept aside as evidence.
    pub fn evidence_total(&self) -> u64 {
        self.evidence.values().map(|r| r.count).sum()
    }

    /// Whether the whole file was read and every entry is now held: in its
    /// chain (with effect or void), or kept as evidence of a fork.
    pub fn complete(&self) -> bool {
        self.file_error.is_none()
            && self.read
                == self.accepted + self.duplicate + self.void_total() + self.evidence_total()
    }

    fn count(map: &mut BTreeMap<String, ReasonCount>, key: String, example: Option<&String>) {
        map.entry(key)
            .or_insert_with(|| ReasonCount {
                count: 0,
                example: example.cloned().unwrap_or_default(),
            })
            .count += 1;
    }

    fn tally(&mut self, answer: &SubmitAnswer) {
        for result in &answer.results {
            let code = result
                .code
                .clone()
                .unwrap_or_else(|| result.outcome.clone());
            match result.outcome.as_str() {
                "accepted" => self.accepted += 1,
                "duplicate" => self.duplicate += 1,
                "rejected" => Self::count(&mut self.refused, code, result.message.as_ref()),
                "void" => Self::count(&mut self.void, code, result.message.as_ref()),
                "held" => {
                    let chain = result.author.as_deref().unwrap_or("?");
                    let what = result.message.as_deref().unwrap_or("");
                    let key = format!("{code} {chain}: {what}");
                    Self::count(&mut self.held, key, result.message.as_ref())
                }
                other => {
                    let example = result
                        .author
                        .as_ref()
                        .zip(result.seq)
                        .map(|(a, s)| format!("{a} #{s}"));
                    Self::count(&mut self.evidence, other.to_owned(), example.as_ref())
                }
            }
        }
    }

    /// The report as the command prints it, in English: a summary line, then one line
    /// per reason.
    pub fn render(&self) -> String {
        self.render_in(Lang::En)
    }

    /// The report as the command prints it, in `lang`: a summary line, then one line per
    /// reason (the reasons' codes are the node's, untranslated).
    pub fn render_in(&self, lang: Lang) -> String {
        let mut out = tr(
            lang,
            "import-summary",
            &[
                &self.read.to_string(),
                &self.accepted.to_string(),
                &self.duplicate.to_string(),
                &self.void_total().to_string(),
                &self.refused_total().to_string(),
                &self.held_total().to_string(),
                &self.evidence_total().to_string(),
            ],
        );
        out.push('\n');
        let count = |c: u64| format!("{c:>9}");
        for (code, reason) in &self.refused {
            out.push_str(&tr(
                lang,
                "import-refused-line",
                &[&count(reason.count), code, &reason.example],
            ));
            out.push('\n');
        }
        for (code, reason) in &self.void {
            out.push_str(&tr(
                lang,
                "import-void-line",
                &[&count(reason.count), code, &reason.example],
            ));
            out.push('\n');
        }
        for (what, reason) in &self.held {
            out.push_str(&tr(lang, "import-held-line", &[&count(reason.count), what]));
            out.push('\n');
        }
        for (what, reason) in &self.evidence {
            out.push_str(&tr(
                lang,
                "import-evidence-line",
                &[what, &count(reason.count), &reason.example],
            ));
            out.push('\n');
        }
        if let Some(e) = &self.file_error {
            out.push_str(&tr(
                lang,
                "import-file-error",
                &[&seq_error(lang, e), e.code()],
            ));
            out.push('\n');
        }
        out
    }
}

/// Why an import could not go on.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be opened.
    #[error("cannot open {path}: {source}")]
    Open {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The node could not be reached or refused a submission as a whole.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The node answered for another number of entries than were sent.
    #[error("the node answered for {answered} entries of a batch of {sent}")]
    AnswerMismatch {
        /// Entries sent.
        sent: usize,
        /// Results received.
        answered: usize,
    },
}

/// The network's largest entry, from `GET /v1/info`.
pub async fn max_entry_bytes(client: &ApiClient) -> Result<usize, ClientError> {
    let info: Info = client.get_json("/v1/info").await?;
    Ok(info.genesis.limits.max_entry_bytes as usize)
}

/// Submits every entry of the file at `path` to the node of `client`,
/// counting outcomes into `report` (so that what was done is known even when
/// this fails part way); `progress` is told the bytes read.
pub async fn import_file(
    client: &ApiClient,
    path: &Path,
    report: &mut ImportReport,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<(), ImportError> {
    let max_item = max_entry_bytes(client).await?;
    let file = std::fs::File::open(path).map_err(|source| ImportError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = SeqReader::new(file, max_item);
    let mut batch: Vec<Vec<u8>> = Vec::new();
    let mut batch_bytes = 0usize;
    loop {
        let next = reader.next();
        let flush = match &next {
            Some(Ok(item)) => {
                batch.len() == BATCH_ENTRIES || batch_bytes + item.len() > BATCH_BYTES
            }
            _ => true,
        };
        if flush && !batch.is_empty() {
            submit(client, &batch, report).await?;
            batch.clear();
            batch_bytes = 0;
            if let Some(bar) = progress {
                bar.set_position(reader.bytes_read());
            }
        }
        match next {
            Some(Ok(item)) => {
                batch_bytes += item.len();
                batch.push(item);
            }
            Some(Err(e)) => {
                report.file_error = Some(e);
                return Ok(());
            }
            None => return Ok(()),
        }
    }
}

async fn submit(
    client: &ApiClient,
    batch: &[Vec<u8>],
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let answer = client.submit_batch(batch).await?;
    if answer.results.len() != batch.len() {
        return Err(ImportError::AnswerMismatch {
            sent: batch.len(),
            answered: answer.results.len(),
        });
    }
    report.read += batch.len() as u64;
    report.tally(&answer);
    Ok(())
}

/// Where and why a file stops being a CBOR sequence, in `lang`. serde_cbor's words on a
/// malformed item (`unexpected code`, `invalid UTF-8`) are left out: the item and its byte
/// are what the operator can act on; a failed read is told by its kind
/// ([`nansen_i18n::io_error`]).
pub fn seq_error(lang: Lang, e: &SeqError) -> String {
    match e {
        SeqError::Malformed { index, offset, .. } => tr(
            lang,
            "seq-malformed",
            &[&index.to_string(), &offset.to_string()],
        ),
        SeqError::ItemTooLarge { index, offset, max } => tr(
            lang,
            "seq-too-large",
            &[&index.to_string(), &offset.to_string(), &max.to_string()],
        ),
        SeqError::Truncated { index, offset } => tr(
            lang,
            "seq-truncated",
            &[&index.to_string(), &offset.to_string()],
        ),
        SeqError::TooManyItems { max } => tr(lang, "seq-too-many", &[&max.to_string()]),
        SeqError::Io { index, source } => tr(
            lang,
            "seq-io",
            &[&index.to_string(), &nansen_i18n::io_error(lang, source)],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nansen_wire::api::EntryResult;

    fn result(outcome: &str, code: Option<&str>, author: &str) -> EntryResult {
        EntryResult {
            index: 0,
            outcome: outcome.into(),
            author: Some(author.into()),
            seq: Some(7),
            hash: None,
            code: code.map(str::to_owned),
            message: code.map(|c| format!("{c} message")),
        }
    }

    #[test]
    fn a_report_counts_by_reason_and_is_complete_only_when_all_landed() {
        let mut report = ImportReport::default();
        let answer = SubmitAnswer {
            accepted: 1,
            results: vec![
                result("accepted", None, "governance"),
                result("duplicate", None, "governance"),
            ],
        };
        report.read = 2;
        report.tally(&answer);
        assert!(report.complete());
        let answer = SubmitAnswer {
            accepted: 0,
            results: vec![
                result("rejected", Some("bad_signature"), "registrar-1"),
                result("held", Some("sequence_gap"), "registrar-1"),
                result("held", Some("sequence_gap"), "registrar-1"),
                result("rejected", Some("wrong_network"), "registrar-2"),
            ],
        };
        report.read += 4;
        report.tally(&answer);
        assert!(!report.complete());
        assert_eq!((report.refused_total(), report.held_total()), (2, 2));
        let text = report.render();
        assert!(
            text.starts_with("6 entries read, 1 accepted, 1 duplicate"),
            "{text}"
        );
        assert!(text.contains("bad_signature"), "{text}");
        assert!(text.contains("wrong_network"), "{text}");
        assert!(text.contains("2  sequence_gap registrar-1"), "{text}");
    }

    #[test]
    fn where_a_file_stops_being_an_export_is_told_in_the_language() {
        let errors = [
            SeqError::Malformed {
                index: 3,
                offset: 120,
                reason: "unexpected code".into(),
            },
            SeqError::ItemTooLarge {
                index: 3,
                offset: 120,
                max: 65536,
            },
            SeqError::Truncated {
                index: 3,
                offset: 120,
            },
            SeqError::TooManyItems { max: 10 },
            SeqError::Io {
                index: 3,
                source: std::io::Error::from_raw_os_error(5),
            },
        ];
        for e in &errors {
            let en = seq_error(Lang::En, e);
            let fr = seq_error(Lang::Fr, e);
            let ar = seq_error(Lang::Ar, e);
            assert_ne!(en, fr, "{e:?}");
            for english in ["item", "byte", "unexpected code", "os error", "reading"] {
                assert!(!fr.contains(english), "{english} in {fr}");
                assert!(!ar.contains(english), "{english} in {ar}");
            }
            assert!(ar.starts_with('\u{2067}'), "{ar:?}");
        }
        assert_eq!(
            seq_error(Lang::Fr, &errors[2]),
            "le fichier se termine au milieu de l'élément 3 (à l'octet 120) : tronqué ?"
        );
        let report = ImportReport {
            file_error: Some(SeqError::Malformed {
                index: 3,
                offset: 120,
                reason: "unexpected code".into(),
            }),
            ..ImportReport::default()
        };
        let text = report.render_in(Lang::Fr);
        assert!(
            text.contains("l'élément 3 (à l'octet 120) n'est pas du CBOR (malformed)"),
            "{text}"
        );
    }
}
