use quan_core::time::countdown_text;
use quan_core::Timestamp;
use yew::prelude::*;

use crate::hooks::use_now;

#[derive(Properties, PartialEq)]
pub struct CountdownProps {
    /// Counting down to this instant, on the server-corrected clock.
    pub to: Timestamp,
    pub label: AttrValue,
    /// Called once when the instant is reached.
    #[prop_or_default]
    pub on_reached: Callback<()>,
}

/// `距开抢 00:12:03`: hours, minutes and seconds to an instant, by the server's clock.
#[function_component]
pub fn Countdown(props: &CountdownProps) -> Html {
    let now = use_now(250);
    let left = props.to.millis() - now.millis();
    let fired = use_mut_ref(|| false);
    {
        let on_reached = props.on_reached.clone();
        let reached = left <= 0;
        use_effect_with(reached, move |reached| {
            if *reached && !*fired.borrow() {
                *fired.borrow_mut() = true;
                on_reached.emit(());
            }
        });
    }
    html! {
        <span class="countdown" role="timer">
            <span class="countdown-label">{ props.label.clone() }</span>
            { " " }
            <time class="countdown-value">{ countdown_text(left) }</time>
        </span>
    }
}
