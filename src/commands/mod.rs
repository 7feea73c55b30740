//! Library side of the small single-stage commands, so `main.rs` only parses and dispatches.

pub mod encoding;
