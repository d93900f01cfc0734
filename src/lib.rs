//! accolade: a static, issuer-owned credential site from YAML badge and
//! award records. See README.md for the product and ARCHITECTURE notes in
//! each module for what it owns.

pub mod build;
pub mod commands;
pub mod content;
pub mod corrections;
pub mod csv;
pub mod dates;
pub mod diagnostics;
pub mod error;
pub mod http;
pub mod images;
pub mod openbadges;
pub mod output;
pub mod paths;
pub mod progress;
pub mod qr;
pub mod render;
pub mod rules;
pub mod serve;
pub mod signing;
pub mod site;
pub mod starter;
pub mod text;
pub mod theme;
