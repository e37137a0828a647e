use quan_core::api::CampaignView;
use quan_core::campaign::Phase;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CampaignCardProps {
    pub campaign: CampaignView,
}

/// A campaign at a glance: its name, county, period, daily release time and kinds.
#[function_component]
pub fn CampaignCard(props: &CampaignCardProps) -> Html {
    let c = &props.campaign;
    let phase = match c.phase {
        Phase::Before => "未开始",
        Phase::Running => "进行中",
        Phase::After => "已结束",
    };
    html! {
        <article class="campaign" aria-labelledby={format!("campaign-{}", c.id)}>
            <h2 id={format!("campaign-{}", c.id)}>{ &c.name }</h2>
            <p class="meta">
                <span>{ &c.county }</span>
                <span>{ format!("{} 至 {}", c.starts, c.ends) }</span>
                <span class={classes!("phase", format!("phase-{phase}"))}>{ phase }</span>
            </p>
            <p class="release">{ format!("每天 {:02}:{:02} 开抢", c.release_time.hours(), c.release_time.minutes()) }</p>
            <ul class="kinds">
                { for c.kinds.iter().map(|k| html! {
                    <li key={k.id.to_string()}>
                        <strong>{ &k.name }</strong>
                        <span class="offers">
                            { for k.offers.iter().map(|o| html! { <span class="offer">{ &o.words }</span> }) }
                        </span>
                    </li>
                }) }
            </ul>
        </article>
    }
}
