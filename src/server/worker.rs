//! Linting off the main loop. Changes are debounced: each edit moves the buffer's lint
//! ~200 ms later, so a burst of typing costs one lint, not one per keystroke. Opening a
//! buffer or pulling its diagnostics lints at once. Two workers, and never two lints of one
//! buffer at a time: a huge buffer occupies one worker while the other serves the rest.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use lsp_server::{ErrorCode, RequestId, Response};
use lsp_types::{
    DocumentDiagnosticReport, DocumentDiagnosticReportResult, FullDocumentDiagnosticReport,
    RelatedFullDocumentDiagnosticReport, Url,
};

use super::documents::Snapshot;
use super::lint::{Linted, Shared};

/// How long after the last change a buffer is linted.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

const WORKERS: usize = 2;

struct Job {
    doc: Snapshot,
    due: Instant,
    /// `textDocument/diagnostic` requests waiting for this lint.
    pulls: Vec<RequestId>,
}

#[derive(Default)]
struct State {
    jobs: HashMap<Url, Job>,
    running: HashSet<Url>,
    /// Buffers closed since their last lint started: its result must not be published.
    gone: HashSet<Url>,
    closed: bool,
}

#[derive(Default)]
pub struct Queue {
    state: Mutex<State>,
    changed: Condvar,
}

impl Queue {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Lints `doc` after `delay`, replacing a lint of an older version not yet started.
    pub fn schedule(&self, doc: Snapshot, delay: Duration) {
        self.put(doc, delay, None);
    }

    /// Lints `doc` now and answers request `id` with its diagnostics.
    pub fn pull(&self, doc: Snapshot, id: RequestId) {
        self.put(doc, Duration::ZERO, Some(id));
    }

    fn put(&self, doc: Snapshot, delay: Duration, pull: Option<RequestId>) {
        let mut state = self.state();
        let due = Instant::now() + delay;
        let uri = doc.uri.clone();
        state.gone.remove(&uri);
        let job = state.jobs.entry(uri).or_insert_with(|| Job {
            doc: doc.clone(),
            due,
            pulls: Vec::new(),
        });
        // A pull must not wait for the debounce of an earlier change.
        job.due = if pull.is_some() {
            job.due.min(due)
        } else {
            due
        };
        job.doc = doc;
        job.pulls.extend(pull);
        self.changed.notify_all();
    }

    /// Drops a waiting pull request; `true` if it was still waiting (the caller answers it).
    pub fn cancel(&self, id: &RequestId) -> bool {
        let mut state = self.state();
        for job in state.jobs.values_mut() {
            if let Some(at) = job.pulls.iter().position(|p| p == id) {
                job.pulls.remove(at);
                return true;
            }
        }
        false
    }

    /// Drops the waiting lint of a closed buffer; returns the pulls it had.
    pub fn remove(&self, uri: &Url) -> Vec<RequestId> {
        let mut state = self.state();
        state.gone.insert(uri.clone());
        state
            .jobs
            .remove(uri)
            .map(|job| job.pulls)
            .unwrap_or_default()
    }

    pub fn close(&self) {
        self.state().closed = true;
        self.changed.notify_all();
    }

    /// The next job that is due and whose buffer no worker is linting; `None` once closed.
    fn next(&self) -> Option<Job> {
        let mut state = self.state();
        loop {
            if state.closed {
                return None;
            }
            let now = Instant::now();
            let ready = state
                .jobs
                .iter()
                .filter(|(uri, _)| !state.running.contains(*uri))
                .min_by_key(|(_, job)| job.due)
                .map(|(uri, job)| (uri.clone(), job.due));
            state = match ready {
                Some((uri, due)) if due <= now => {
                    let job = state.jobs.remove(&uri)?;
                    state.running.insert(uri);
                    return Some(job);
                }
                Some((_, due)) => {
                    self.changed
                        .wait_timeout(state, due - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                None => self
                    .changed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner),
            };
        }
    }

    /// Marks `uri` as no longer being linted; `true` when its result is stale: a newer lint
    /// of it is waiting, or the buffer was closed meanwhile.
    fn finish(&self, uri: &Url) -> bool {
        let mut state = self.state();
        state.running.remove(uri);
        self.changed.notify_all();
        state.jobs.contains_key(uri) || state.gone.remove(uri)
    }
}

pub fn spawn(queue: &Arc<Queue>, shared: &Arc<Shared>) -> Vec<JoinHandle<()>> {
    (0..WORKERS)
        .map(|n| {
            let queue = Arc::clone(queue);
            let shared = Arc::clone(shared);
            std::thread::Builder::new()
                .name(format!("kintsugi-lint-worker-{n}"))
                .spawn(move || work(&queue, &shared))
                .expect("a worker thread can be started")
        })
        .collect()
}

fn work(queue: &Queue, shared: &Shared) {
    while let Some(job) = queue.next() {
        let linted = shared.lint(&job.doc);
        for id in job.pulls {
            answer_pull(shared, id, &linted);
        }
        // A newer version is waiting (its lint publishes, this one would only flash stale
        // underlines), or the buffer was closed (its diagnostics were cleared).
        if !queue.finish(&job.doc.uri) {
            shared.publish(&job.doc, &linted);
        }
    }
}

/// The answer to `textDocument/diagnostic`.
pub fn answer_pull(shared: &Shared, id: RequestId, linted: &Linted) {
    let report = DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: Some(linted.version.to_string()),
                items: shared.diagnostics(linted),
            },
        },
    ));
    let _ = shared.sender.send(Response::new_ok(id, report).into());
}

/// The answer to a request cancelled before it was served.
pub fn cancelled(id: RequestId) -> Response {
    Response::new_err(
        id,
        ErrorCode::RequestCanceled as i32,
        "取り消されました".to_owned(),
    )
}
