//! The call-flow exports, each reading the conversation model (`crate::call`): [`scxml`]
//! (W3C SCXML), [`twilio`] (Twilio Studio) and [`connect`] (Amazon Connect). What the two
//! phone exports share, one job per file: [`plan`] (the call as the caller hears it),
//! [`text`] (spoken words and menu lines), [`left_out`](mod@left_out) (the `not-exported` diagnostics) and
//! [`canvas`] (editor layout and names).

pub(crate) mod canvas;
pub mod connect;
pub(crate) mod left_out;
pub(crate) mod plan;
pub mod scxml;
pub mod text;
pub mod twilio;

pub(crate) use canvas::{NameClaimer, StageGrid};
pub(crate) use left_out::{left_out, too_large, warning};
pub(crate) use plan::{Choice, Exit, Goal, Plan, Step};
pub(crate) use text::{menu_line, render_text, shorten, start_question};

/// The language and voice a phone export speaks in: `build --locale L` gives the locale's
/// BCP 47 tag (`es`, `fr-CA`) and `[locales.L.export] voice`. Without a locale an export says
/// neither, and the product's defaults apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Speech {
    pub language: String,
    pub voice: Option<String>,
}
