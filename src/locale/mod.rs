//! Localisation (contract section 12): translation files and the text of a script in a locale.
//!
//! [`po`] reads and writes gettext PO files; [`merge`] brings one up to date with the source;
//! [`brace`] is the Python brace-format text translators see and write; [`xliff`] is the same
//! catalog for agencies.

pub mod brace;
pub mod extract;
pub mod files;
pub mod localise;
pub mod merge;
pub mod po;
pub mod translations;
pub mod wrap;
pub mod xliff;
