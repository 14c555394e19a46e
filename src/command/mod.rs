//! The command language (see docs/command-language.md). Filled in by the command-language issue.
pub mod tool;
