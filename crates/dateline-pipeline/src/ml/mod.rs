//! Machine-learning engines shared by the trainable stages.

pub mod artifact;
pub mod perceptron;
pub mod word;
