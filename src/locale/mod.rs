//! Localisation (contract section 12): translation files and the text of a script in a locale.
//!
//! [`po`] reads and writes gettext PO files; [`merge`] brings one up to date with the source.

pub mod merge;
pub mod po;
