//! Counting the work whose amount depends on the shape of the input, so that the tests can
//! check that cost grows linearly with the text and its findings (`tests/work.rs`) by
//! counting steps instead of timing runs. Without the `work-counters` feature (which only
//! the tests turn on) counting compiles to nothing.

/// The kinds of work counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// The tokens built-in conditions looked at (a sentence-level condition scans its whole
    /// sentence).
    Conditions,
    /// A step of the token-pattern matcher (an element tried at a token).
    PatternSteps,
    /// A step of applying suppression comments (a directive or a finding visited).
    SuppressionSteps,
    /// A sentence finding looked at by a document check.
    DocumentCheckSteps,
}

#[cfg(feature = "work-counters")]
static COUNTS: [std::sync::atomic::AtomicU64; 4] = [
    std::sync::atomic::AtomicU64::new(0),
    std::sync::atomic::AtomicU64::new(0),
    std::sync::atomic::AtomicU64::new(0),
    std::sync::atomic::AtomicU64::new(0),
];

/// Adds `n` to the count of `work`.
#[inline(always)]
pub fn count(work: Work, n: u64) {
    #[cfg(feature = "work-counters")]
    COUNTS[work as usize].fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    #[cfg(not(feature = "work-counters"))]
    let _ = (work, n);
}

/// The count of `work` so far (always 0 without the `work-counters` feature).
pub fn counted(work: Work) -> u64 {
    #[cfg(feature = "work-counters")]
    return COUNTS[work as usize].load(std::sync::atomic::Ordering::Relaxed);
    #[cfg(not(feature = "work-counters"))]
    {
        let _ = work;
        0
    }
}

/// Whether counting is compiled in.
pub fn enabled() -> bool {
    cfg!(feature = "work-counters")
}
