//! The resident's wallet: fetched from the server, kept on the device for offline use (with the
//! code keys of usable coupons, so codes can be shown with no network).

use quan_core::api::Wallet;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::context::{use_session, SessionAction};
use crate::storage;

/// The wallet as last known, whether it came from the server just now, and a reload.
#[derive(Clone, PartialEq)]
pub struct WalletState {
    pub wallet: Option<Wallet>,
    pub fresh: bool,
    pub error: Option<ApiError>,
    pub reload: Callback<()>,
}

#[hook]
pub fn use_wallet(token: Option<String>) -> WalletState {
    let wallet = use_state(|| storage::get::<Wallet>(storage::WALLET));
    let fresh = use_state(|| false);
    let error = use_state(|| None::<ApiError>);
    let generation = use_state(|| 0u32);
    let session = use_session();
    {
        let (wallet, fresh, error, session) = (wallet.clone(), fresh.clone(), error.clone(), session.clone());
        use_effect_with((token.clone(), *generation), move |(token, _)| {
            if let Some(token) = token.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    match api::wallet(&token).await {
                        Ok(w) => {
                            storage::set_raw(storage::WALLET, &w.json);
                            wallet.set(Some(w.value));
                            fresh.set(true);
                            error.set(None);
                        }
                        Err(e) if e.code() == Some(quan_core::ErrorCode::Unauthorized) => {
                            session.dispatch(SessionAction::SignedOut);
                        }
                        Err(e) => {
                            fresh.set(false);
                            error.set(Some(e));
                        }
                    }
                });
            }
        });
    }
    let reload = {
        let generation = generation.clone();
        Callback::from(move |_| generation.set(generation.wrapping_add(1)))
    };
    WalletState {
        wallet: (*wallet).clone(),
        fresh: *fresh,
        error: (*error).clone(),
        reload,
    }
}
