//! The first page: the live campaigns, and today's date in China by the server's clock.

use quan_core::api::CampaignView;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::{CampaignCard, ErrorNotice};
use crate::hooks::use_now;

#[function_component]
pub fn Home() -> Html {
    let now = use_now(1_000);
    let campaigns = use_state(|| None::<Result<Vec<CampaignView>, ApiError>>);
    {
        let campaigns = campaigns.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                campaigns.set(Some(api::campaigns().await));
            });
        });
    }
    let today = now.china_date();
    html! {
        <main class="page">
            <header class="masthead">
                <h1>{ "数字消费券" }</h1>
                <p class="today" data-testid="today">
                    { format!("今天是 {}年{}月{}日", today.year, today.month, today.day) }
                    <span class="muted">{ "（北京时间）" }</span>
                </p>
            </header>
            {
                match &*campaigns {
                    None => html! { <p class="muted" aria-live="polite">{ "正在加载活动…" }</p> },
                    Some(Err(e)) => html! { <ErrorNotice error={e.clone()} /> },
                    Some(Ok(list)) if list.is_empty() => html! { <p>{ "目前没有进行中的活动。" }</p> },
                    Some(Ok(list)) => html! {
                        <ul class="campaigns">
                            { for list.iter().map(|c| html! { <li key={c.id.to_string()}><CampaignCard campaign={c.clone()} /></li> }) }
                        </ul>
                    },
                }
            }
        </main>
    }
}
