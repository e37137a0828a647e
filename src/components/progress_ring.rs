use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProgressRingProps {
    /// 0.0 ..= 1.0 of the step gone.
    pub fraction: f64,
    pub seconds_left: u32,
}

/// The ring around the seconds until the code changes.
#[function_component]
pub fn ProgressRing(props: &ProgressRingProps) -> Html {
    const R: f64 = 18.0;
    let circumference = 2.0 * std::f64::consts::PI * R;
    let offset = circumference * props.fraction.clamp(0.0, 1.0);
    html! {
        <svg class="ring" viewBox="0 0 44 44" width="44" height="44" aria-hidden="true">
            <circle class="ring-track" cx="22" cy="22" r={R.to_string()} fill="none" stroke-width="4" />
            <circle class="ring-bar" cx="22" cy="22" r={R.to_string()} fill="none" stroke-width="4"
                stroke-dasharray={format!("{circumference:.2}")} stroke-dashoffset={format!("{offset:.2}")}
                transform="rotate(-90 22 22)" />
            <text x="22" y="27" text-anchor="middle" class="ring-text">{ props.seconds_left }</text>
        </svg>
    }
}
