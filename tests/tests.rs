//! The integration tests, as one test binary (one link instead of ten):
//! each module is a user story run against the real `accolade` binary.
//! `common` holds the fixture sites and helpers they share.

mod common;

mod add_to_wallet;
mod authoring;
mod browser;
mod corrections;
mod deploy;
mod endorsements;
mod errors;
mod example;
mod hostile;
mod incremental;
mod insights;
mod lean;
mod nginx;
mod notify;
mod openbadges;
mod pathways;
mod print_credential;
mod qr;
mod report;
mod serve;
mod site;
mod skeleton;
mod validators;
mod verify;
mod versions;
mod wallet;
