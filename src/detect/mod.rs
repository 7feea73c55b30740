//! Detect: findings about the cleaned text that the score weighs.
//!
//! [`language`] (whatlang), [`spin`] (synonym-spun copy) and [`damage`] (leftover encoding damage,
//! truncation, repetition). Each returns plain data; [`crate::score`] turns it into deductions.

pub mod damage;
pub mod language;
pub mod spin;
