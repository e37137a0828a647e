//! One component per file.

mod campaign_card;
mod error_notice;

pub use campaign_card::{CampaignCard, CampaignCardProps};
pub use error_notice::{error_words, ErrorNotice};
