//! The file system edge: every file defuse reads goes through [`read`], every file it writes
//! through [`write`].

pub mod git;
pub mod read;
pub mod write;
