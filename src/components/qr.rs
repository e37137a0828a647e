use quan_core::qr::{Symbol, QUIET_ZONE, SIZE};
use yew::prelude::*;

/// The QR code of `digits` (the twenty digits a resident shows) as inline SVG: numeric mode and
/// level M keep it to a version-1 symbol with large modules, which phone screens show and
/// scanners read best under glare. One path, crisp edges, scaled by CSS.
pub fn qr(digits: &str, label: &str) -> Html {
    let path = Symbol::numeric(digits).map(|s| s.svg_path()).unwrap_or_default();
    let side = (SIZE + 2 * QUIET_ZONE).to_string();
    html! {
        <div class="qr" role="img" aria-label={label.to_owned()} data-code={digits.to_owned()}>
            <svg xmlns="http://www.w3.org/2000/svg" viewBox={format!("0 0 {side} {side}")} shape-rendering="crispEdges" aria-hidden="true">
                <rect width="100%" height="100%" fill="#fff"/>
                <path d={path} fill="#000"/>
            </svg>
        </div>
    }
}
