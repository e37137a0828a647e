//! The campaign's history on its report: every change made while it ran (revisions, rounds
//! scheduled, reallocations, pauses and resumptions, the overload switch), oldest first, with
//! who made it and why, as the report's `history` carries it; and its CSV.

use quan_core::api::CampaignView;
use quan_core::report::{HistoryEntry, HistoryEvent};
use yew::prelude::*;

use crate::context::use_prefs;
use crate::i18n::Lang;

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    pub campaign: CampaignView,
    pub entries: Vec<HistoryEntry>,
}

/// What one entry changed, in the console's words.
fn event_words(lang: Lang, c: &CampaignView, event: &HistoryEvent) -> String {
    match event {
        HistoryEvent::Revised { version, changes } => {
            let words: Vec<String> = changes
                .iter()
                .map(|ch| super::revisions::change_words(lang, c, ch))
                .collect();
            let joined = words.join(lang.pick("；", "; "));
            match version {
                Some(v) => format!(
                    "{}{v}{}{joined}",
                    lang.pick("第 ", "Version "),
                    lang.pick(" 版：", ": ")
                ),
                None => joined,
            }
        }
        HistoryEvent::Paused { scope, target } => format!(
            "{}{}",
            lang.pick("暂停 · ", "Paused · "),
            super::pauses::what(lang, c, *scope, target)
        ),
        HistoryEvent::Resumed { scope, target } => format!(
            "{}{}",
            lang.pick("恢复 · ", "Resumed · "),
            super::pauses::what(lang, c, *scope, target)
        ),
        HistoryEvent::BusyOn { retry_after } => match lang {
            Lang::Zh => format!("过载开关打开：请居民 {retry_after} 秒后再试"),
            Lang::En => format!("Overload switch on: residents asked to come back in {retry_after} s"),
        },
        HistoryEvent::BusyOff => lang.pick("过载开关关闭", "Overload switch off").into(),
    }
}

/// The history, newest first as an operator reads it.
#[function_component]
pub fn History(props: &HistoryProps) -> Html {
    let lang = use_prefs().lang;
    html! {
        <section aria-labelledby="history">
            <h3 id="history">{ lang.pick("变更记录", "History") }</h3>
            if props.entries.is_empty() {
                <p class="muted" data-testid="history">{ lang.pick("活动开始以来没有变更。", "No change since the campaign began.") }</p>
            } else {
                <ul class="flags" data-testid="history">
                    { for props.entries.iter().rev().map(|e| {
                        let who = super::revisions::who(lang, Some(e.by.as_str()));
                        let why = if e.reason.is_empty() {
                            String::new()
                        } else {
                            format!("{}{}", lang.pick(" · 原因：", " · why: "), e.reason)
                        };
                        html! {
                            <li>{ format!("{} · {} · {}{}", e.at.china_display(), event_words(lang, &props.campaign, &e.what), who, why) }</li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
}
