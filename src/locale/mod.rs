//! Localisation (contract section 12): translation files and the text of a script in a locale.
//!
//! [`po`] reads and writes gettext PO files; [`merge`] brings one up to date with the source;
//! [`brace`] is the Python brace-format text translators see and write; [`xliff`] is the same
//! catalog for agencies.

pub(crate) mod brace;
pub(crate) mod extract;
pub(crate) mod files;
pub(crate) mod localise;
pub mod merge;
pub mod po;
pub(crate) mod translations;
pub(crate) mod wrap;
pub mod xliff;
