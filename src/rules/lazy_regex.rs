//! Regexes from rule files, compiled on first use.
//!
//! Compiling the built-in rules' regexes (long alternations) was half of the start-up time,
//! and most of them (`unless_regex`) only run when their rule has matched. Users' rule files
//! are still compiled when loaded, so that a bad regex is an error with a line number; the
//! built-in ones are compiled and checked by the test suite instead.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, OnceLock, PoisonError};

use regex::{Regex, RegexBuilder};

/// Regexes from rule files may come from someone else's repository: bound their size so a
/// hostile pattern cannot exhaust memory.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Compiles a rule file's regex with the size limit.
pub fn build(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
}

/// A regex that is compiled at the latest when first used; clones share the compiled form.
#[derive(Clone)]
pub struct LazyRegex {
    pattern: Arc<str>,
    compiled: Arc<OnceLock<Regex>>,
}

impl LazyRegex {
    /// A pattern known to compile (a built-in rule's), compiled when first used. Built-in
    /// rules repeat some patterns (a part of speech, a list of honorific verbs); each
    /// distinct pattern is compiled once for all of them.
    pub fn deferred(pattern: &str) -> Self {
        static INTERNED: LazyLock<Mutex<HashMap<String, LazyRegex>>> =
            LazyLock::new(Mutex::default);
        let mut interned = INTERNED.lock().unwrap_or_else(PoisonError::into_inner);
        interned
            .entry(pattern.to_owned())
            .or_insert_with(|| LazyRegex {
                pattern: pattern.into(),
                compiled: Arc::new(OnceLock::new()),
            })
            .clone()
    }

    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    pub fn get(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            // Only built-in patterns are deferred, and the test suite compiles every one.
            build(&self.pattern).expect("built-in rule regexes compile")
        })
    }
}

impl From<Regex> for LazyRegex {
    fn from(regex: Regex) -> Self {
        LazyRegex {
            pattern: regex.as_str().into(),
            compiled: Arc::new(OnceLock::from(regex)),
        }
    }
}

/// Shows the pattern only, whether or not it is compiled yet.
impl std::fmt::Debug for LazyRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("LazyRegex").field(&self.pattern).finish()
    }
}

impl std::ops::Deref for LazyRegex {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_deferred_patterns_share_one_compiled_regex() {
        let a = LazyRegex::deferred("^(助動詞|助詞,連体化)");
        let b = LazyRegex::deferred("^(助動詞|助詞,連体化)");
        let other = LazyRegex::deferred("^(助動詞|助詞)");
        assert!(Arc::ptr_eq(&a.compiled, &b.compiled));
        assert!(!Arc::ptr_eq(&a.compiled, &other.compiled));
        assert!(a.is_match("助詞,連体化,*,*"));
        assert!(b.compiled.get().is_some(), "compiled once, for both");
    }
}
