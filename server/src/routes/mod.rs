//! The JSON API under `/api/v1`, one module per resource.

pub mod applications;
pub mod audit;
pub mod campaigns;
pub mod love_cards;
pub mod merchant;
pub mod offers;
pub mod operator;
pub mod ops;
pub mod reports;
pub mod resident;
pub mod session;
pub mod staff;
pub mod time;

use axum::Router;

use crate::state::AppState;

/// Every API route, to be nested under `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(time::router())
        .merge(campaigns::router())
        .merge(session::router())
        .merge(resident::router())
        .merge(merchant::router())
        .merge(operator::router())
        .merge(reports::router())
        .merge(applications::router())
        .merge(love_cards::router())
        .merge(offers::router())
        .merge(ops::router())
        .merge(audit::router())
        .merge(staff::router())
}
