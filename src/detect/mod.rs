//! Detect: findings about the cleaned text that the score weighs.
//!
//! [`language`] (whatlang, spared on paragraphs plainly in a language by its [`function_words`]), [`spin`] (synonym-spun copy), [`damage`] (leftover encoding damage,
//! truncation, repetition) and [`article`] (error pages, notices, teaser lists, list-shaped text). Each returns plain data; [`crate::score`] turns it into deductions.

pub mod article;
pub mod damage;
pub mod function_words;
pub mod language;
pub mod spin;
mod spin_index;
