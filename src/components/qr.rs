use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use yew::prelude::*;

/// A QR code of `data` (the twenty digits) as inline SVG: numeric mode and level M keep it to a
/// version-1 symbol with large modules, which phone screens show and scanners read best under
/// glare.
pub fn qr(data: &str, label: &str) -> Html {
    let svg = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
        .map(|code| {
            code.render::<svg::Color>()
                .quiet_zone(true)
                .min_dimensions(256, 256)
                .build()
        })
        .unwrap_or_default();
    html! {
        <div class="qr" role="img" aria-label={label.to_owned()} data-code={data.to_owned()}>
            { Html::from_html_unchecked(AttrValue::from(svg)) }
        </div>
    }
}
