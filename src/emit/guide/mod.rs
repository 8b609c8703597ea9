//! Agent-desktop guides: a script shown to a human agent during a live call, one step per
//! node, where the agent clicks what the customer said and the guide moves on (spec section
//! 13). [`connect`] writes Amazon Connect's step-by-step guide as one CloudFormation template;
//! [`ids`] holds the stable ids every guide's parts are named by.

pub(crate) mod connect;
pub(crate) mod ids;
