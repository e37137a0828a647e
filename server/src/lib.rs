//! The reference coupon API: the JSON contract of `docs/openapi.json`, served by axum, with the
//! widget's release build served from the same origin.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod campaigns;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod extract;
pub mod limits;
pub mod metrics;
pub mod openapi;
pub mod proxy;
pub mod routes;
pub mod startup;
pub mod state;
pub mod store;
pub mod vault;
pub mod web;
pub mod xlsx;

pub use config::Config;
pub use startup::Server;
