//! The campaign core, shared by the coupon widget and the coupon API: money in fen, China time,
//! the campaign model and its rules, the code a resident shows, and the API's types and error codes.
//!
//! Pure and portable: it builds for `wasm32-unknown-unknown` and depends on no server crate.

pub mod api;
pub mod campaign;
pub mod code;
pub mod draw;
pub mod entry;
pub mod error;
pub mod ids;
pub mod money;
pub mod password;
pub mod pause;
pub mod qr;
pub mod registry;
pub mod report;
pub mod revision;
pub mod rules;
pub mod slots;
pub mod subsidy;
pub mod summary;
pub mod time;

pub use error::{ErrorCode, Problem};
pub use ids::{CampaignId, CategoryId, CouponId, KindId, MerchantId, RedemptionId, ResidentId};
pub use money::Fen;
pub use time::{ChinaDate, TimeOfDay, Timestamp};
