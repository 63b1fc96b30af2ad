//! Stages and the pipeline that runs them.
//!
//! A stage is one small trait: it names the layers it needs and the layers it
//! adds, and processes one document. Building a [`Pipeline`] checks that every
//! requirement is provided by an earlier stage, so a misordered pipeline fails
//! at start-up, not halfway through a batch. Processing cannot fail: problems
//! become diagnostics on the document.

use crate::doc::Doc;
use crate::error::{Error, Result};

/// A layer of a [`Doc`] that stages read and write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    /// The raw decoded body (every reader provides it).
    Raw,
    /// Cleaned `text`, `removed` and the alignment.
    Text,
    Segments,
    Language,
    Sentences,
    Tokens,
    Tags,
    Parse,
    Entities,
    Links,
    Timexes,
    Quantities,
    Attributions,
    Events,
}

impl Layer {
    pub fn name(&self) -> &'static str {
        match self {
            Layer::Raw => "raw",
            Layer::Text => "text",
            Layer::Segments => "segments",
            Layer::Language => "language",
            Layer::Sentences => "sentences",
            Layer::Tokens => "tokens",
            Layer::Tags => "tags",
            Layer::Parse => "parse",
            Layer::Entities => "entities",
            Layer::Links => "links",
            Layer::Timexes => "timexes",
            Layer::Quantities => "quantities",
            Layer::Attributions => "attributions",
            Layer::Events => "events",
        }
    }
}

/// One step of the pipeline.
pub trait Stage: Send + Sync {
    /// Short name, used in diagnostics.
    fn name(&self) -> &'static str;
    /// Layers this stage reads.
    fn requires(&self) -> &'static [Layer];
    /// Layers this stage writes.
    fn provides(&self) -> &'static [Layer];
    /// Adds this stage's layers to `doc`. Must not panic on any input.
    fn process(&self, doc: &mut Doc);
    /// Loads what [`Stage::process`] needs for documents in `lang` and
    /// loads lazily (a model per language, a derived table), so that
    /// [`Pipeline::run_stage`] can tell model loading from analysis.
    /// Optional: `process` loads on first use anyway. Default: nothing.
    fn prepare(&self, _lang: &str) {}
}

/// An ordered, checked sequence of stages.
#[derive(Default)]
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    /// Checks that each stage's requirements are provided by the stages
    /// before it (the readers provide [`Layer::Raw`]).
    pub fn new(stages: Vec<Box<dyn Stage>>) -> Result<Pipeline> {
        let mut have = vec![Layer::Raw];
        for s in &stages {
            for r in s.requires() {
                if !have.contains(r) {
                    return Err(Error::MissingLayer {
                        stage: s.name().to_string(),
                        layer: r.name().to_string(),
                    });
                }
            }
            have.extend_from_slice(s.provides());
        }
        Ok(Pipeline { stages })
    }

    /// Runs every stage on `doc`.
    pub fn run(&self, doc: &mut Doc) {
        for s in &self.stages {
            s.process(doc);
        }
    }

    /// Number of stages.
    pub fn len(&self) -> usize {
        self.stages.len()
    }

    /// Whether the pipeline has no stage.
    pub fn is_empty(&self) -> bool {
        self.stages.is_empty()
    }

    /// Runs stage `k` alone on `doc` (nothing when there is no such
    /// stage): [`Pipeline::run`] is stage 0, then 1, ... With `timed`, its
    /// [`Stage::prepare`] time is added to the second duration and its
    /// processing time to the first.
    ///
    /// This lets a caller run a batch stage by stage (every document
    /// through one stage, then the next): each stage's model tables stay
    /// in the CPU caches across the batch instead of being evicted by the
    /// other stages' at every document.
    pub fn run_stage(
        &self,
        k: usize,
        doc: &mut Doc,
        timed: Option<(&mut std::time::Duration, &mut std::time::Duration)>,
    ) {
        let Some(s) = self.stages.get(k) else {
            return;
        };
        match timed {
            Some((t, load)) => {
                let start = std::time::Instant::now();
                s.prepare(doc.lang.as_deref().unwrap_or(""));
                let prepared = std::time::Instant::now();
                *load += prepared - start;
                s.process(doc);
                *t += prepared.elapsed();
            }
            None => s.process(doc),
        }
    }

    /// Names of the stages, in order.
    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Needs;
    impl Stage for Needs {
        fn name(&self) -> &'static str {
            "needs-text"
        }
        fn requires(&self) -> &'static [Layer] {
            &[Layer::Text]
        }
        fn provides(&self) -> &'static [Layer] {
            &[Layer::Sentences]
        }
        fn process(&self, _doc: &mut Doc) {}
    }

    /// Records the language it was prepared for and takes 5 ms to do so.
    struct Loads(std::sync::Arc<std::sync::Mutex<Vec<String>>>);
    impl Stage for Loads {
        fn name(&self) -> &'static str {
            "loads"
        }
        fn requires(&self) -> &'static [Layer] {
            &[]
        }
        fn provides(&self) -> &'static [Layer] {
            &[]
        }
        fn prepare(&self, lang: &str) {
            std::thread::sleep(std::time::Duration::from_millis(5));
            if let Ok(mut v) = self.0.lock() {
                v.push(lang.to_string());
            }
        }
        fn process(&self, _doc: &mut Doc) {}
    }

    #[test]
    fn run_stage_counts_prepare_as_load() {
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let p = Pipeline::new(vec![Box::new(Loads(seen.clone()))]).expect("pipeline");
        let mut doc = Doc {
            lang: Some("es".into()),
            ..Doc::default()
        };
        let mut time = std::time::Duration::ZERO;
        let mut load = std::time::Duration::ZERO;
        p.run_stage(0, &mut doc, Some((&mut time, &mut load)));
        assert!(load >= std::time::Duration::from_millis(5), "{load:?}");
        assert!(time < load, "{time:?} {load:?}");
        // no such stage: nothing runs
        p.run_stage(1, &mut doc, Some((&mut time, &mut load)));
        let seen = seen.lock().map(|v| v.clone()).unwrap_or_default();
        assert_eq!(seen, ["es"]);
    }

    #[test]
    fn missing_requirement_fails_at_build() {
        let err = Pipeline::new(vec![Box::new(Needs)]).err();
        assert!(matches!(err, Some(Error::MissingLayer { .. })));
    }
}
