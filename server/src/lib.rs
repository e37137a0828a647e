//! The reference coupon API: the JSON contract of `docs/openapi.json`, served by axum, with the
//! widget's release build served from the same origin.

pub mod clock;
pub mod config;
pub mod error;
pub mod routes;
pub mod startup;
pub mod web;

pub use config::Config;
pub use startup::Application;
