//! Shared strings for the words' tags, relations and features.
//!
//! Design choice: a model's output labels (UPOS tags, dependency relations,
//! feature strings) form a small closed set known when the model loads.
//! Each is kept once as an `Arc<str>`, and every word gets a clone of it (a
//! reference count increment) instead of a string of its own (an
//! allocation, a copy and later a free per word): allocation was a fifth to
//! a quarter of the tagging stage's time. A string outside the set still
//! works: it gets an `Arc` of its own, same value.

use rustc_hash::FxHashSet;
use std::sync::Arc;

/// A set of strings, each stored once and handed out as `Arc<str>` clones.
#[derive(Debug, Clone, Default)]
pub struct SharedStrs {
    set: FxHashSet<Arc<str>>,
}

impl SharedStrs {
    /// The set of `values` (duplicates kept once).
    pub fn new<'a>(values: impl IntoIterator<Item = &'a str>) -> SharedStrs {
        let mut s = SharedStrs::default();
        for v in values {
            s.intern(v);
        }
        s
    }

    /// The stored copy of `s`, stored first if new.
    pub fn intern(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.set.get(s) {
            return Arc::clone(a);
        }
        let a: Arc<str> = Arc::from(s);
        self.set.insert(Arc::clone(&a));
        a
    }

    /// The stored copy of `s`; for a string not in the set, a new `Arc`
    /// (the same value: only the sharing is lost).
    pub fn get(&self, s: &str) -> Arc<str> {
        match self.set.get(s) {
            Some(a) => Arc::clone(a),
            None => Arc::from(s),
        }
    }

    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.set.len()
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hands_out_one_copy_per_value() {
        let mut s = SharedStrs::new(["NOUN", "VERB", "NOUN"]);
        assert_eq!(s.len(), 2);
        let (a, b) = (s.get("NOUN"), s.get("NOUN"));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*a, "NOUN");
        // outside the set: same value, own allocation
        let x = s.get("X");
        assert_eq!(&*x, "X");
        assert_eq!(s.len(), 2);
        let y = s.intern("X");
        assert!(Arc::ptr_eq(&y, &s.get("X")));
        assert_eq!(s.len(), 3);
    }
}
