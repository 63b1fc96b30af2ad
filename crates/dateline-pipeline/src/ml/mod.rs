//! Machine-learning engines shared by the trainable stages.

pub mod artifact;
pub mod perceptron;
pub mod word;

/// One deterministic Fisher-Yates shuffle of `order` with the xorshift64
/// generator whose state is `seed` (updated), as every trainer uses between
/// epochs: the same seed gives the same order, so training is reproducible.
pub fn shuffle(order: &mut [usize], seed: &mut u64) {
    for i in (1..order.len()).rev() {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        order.swap(i, (*seed % (i as u64 + 1)) as usize);
    }
}

/// The entry of model `id` in a per-thread list of per-model caches
/// (created empty on first use), passed to `f`. The stages keep what they
/// computed of a word form in such caches, one per model and thread.
pub fn with_model_cache<T: Default, R>(
    caches: &std::cell::RefCell<Vec<(u64, T)>>,
    id: u64,
    f: impl FnOnce(&mut T) -> R,
) -> R {
    let mut caches = caches.borrow_mut();
    let pos = match caches.iter().position(|(k, _)| *k == id) {
        Some(p) => p,
        None => {
            caches.push((id, T::default()));
            caches.len() - 1
        }
    };
    f(&mut caches[pos].1)
}
