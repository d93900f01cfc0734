//! accolade: a static, issuer-owned credential site from YAML badge and
//! award records. See README.md for the product and ARCHITECTURE notes in
//! each module for what it owns.

pub mod build;
mod claims;
pub mod commands;
pub mod content;
mod corrections;
pub mod csv;
mod dates;
mod diagnostics;
pub mod endorse;
pub mod error;
mod http;
pub mod images;
pub mod notify;
pub mod openbadges;
mod output;
pub mod paths;
mod progress;
pub mod qr;
pub mod render;
pub mod report;
mod rules;
pub mod serve;
pub mod signing;
pub mod site;
mod starter;
mod text;
pub mod theme;
