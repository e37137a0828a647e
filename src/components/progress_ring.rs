use yew::prelude::*;

/// The ring around the seconds until the code changes; `permille` of the step gone. Drawn with
/// `pathLength`, so no fractional lengths need formatting.
pub fn progress_ring(permille: u32, seconds_left: u32) -> Html {
    let offset = (permille.min(1000) / 10).to_string();
    html! {
        <svg class="ring" viewBox="0 0 44 44" width="44" height="44" aria-hidden="true">
            <circle class="ring-track" cx="22" cy="22" r="18" fill="none" stroke-width="4" />
            <circle class="ring-bar" cx="22" cy="22" r="18" fill="none" stroke-width="4" pathLength="100"
                stroke-dasharray="100" stroke-dashoffset={offset} transform="rotate(-90 22 22)" />
            <text x="22" y="27" text-anchor="middle" class="ring-text">{ seconds_left }</text>
        </svg>
    }
}
