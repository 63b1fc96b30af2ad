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
