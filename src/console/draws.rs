//! The campaign's draws on its report (预约抽签): each day given out by draw, with its sign-ups,
//! its winners, the commitment published when sign-up opened and the seed revealed at the draw,
//! and the day's list of tickets to recompute the winners with.

use quan_core::api::DrawView;
use yew::prelude::*;

use crate::context::use_prefs;

#[derive(Properties, PartialEq)]
pub struct DrawsProps {
    pub campaign: String,
    pub draws: Vec<DrawView>,
}

/// The draws, newest first; nothing for a campaign that has none.
#[function_component]
pub fn Draws(props: &DrawsProps) -> Html {
    let lang = use_prefs().lang;
    if props.draws.is_empty() {
        return html! {};
    }
    html! {
        <section aria-labelledby="draws">
            <h3 id="draws">{ lang.pick("预约抽签", "Draws") }</h3>
            <div class="table-scroll">
                <table class="figures draws" data-testid="draws">
                    <thead>
                        <tr>
                            <th scope="col">{ lang.pick("日期", "Day") }</th>
                            <th scope="col">{ lang.pick("报名", "Sign-ups") }</th>
                            <th scope="col">{ lang.pick("中签", "Winners") }</th>
                            <th scope="col">{ lang.pick("种子（开奖后公布）", "Seed (shown once drawn)") }</th>
                            <th scope="col">{ lang.pick("种子承诺 SHA-256（报名开始时公布）", "Commitment, SHA-256 (shown when sign-up opened)") }</th>
                            <th scope="col">{ lang.pick("名单", "List") }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for props.draws.iter().rev().map(|d| html! {
                            <tr key={d.day.to_string()}>
                                <th scope="row">{ d.day.to_string() }</th>
                                <td>{ d.sign_ups }</td>
                                <td>{ d.winners }</td>
                                <td class="mono">{ d.seed.clone().unwrap_or_else(|| lang.pick("尚未开奖", "not drawn yet").to_owned()) }</td>
                                <td class="mono">{ &d.commitment }</td>
                                <td>
                                    <a href={format!("/api/v1/campaigns/{}/draws/{}/sign-ups.csv", props.campaign, d.day)} download="">
                                        { lang.pick("签号名单（CSV）", "Tickets (CSV)") }
                                    </a>
                                </td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
