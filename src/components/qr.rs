use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct QrProps {
    /// What the code carries: the twenty digits, in numeric mode.
    pub data: AttrValue,
    pub label: AttrValue,
}

/// A QR code as inline SVG: numeric mode and level M keep it to a version-1 symbol with large
/// modules, which phones' screens show and scanners read best under glare.
#[function_component]
pub fn Qr(props: &QrProps) -> Html {
    let svg = QrCode::with_error_correction_level(props.data.as_bytes(), EcLevel::M)
        .map(|code| {
            code.render::<svg::Color>()
                .quiet_zone(true)
                .min_dimensions(256, 256)
                .build()
        })
        .unwrap_or_default();
    html! {
        <div class="qr" role="img" aria-label={props.label.clone()} data-code={props.data.clone()}>
            { Html::from_html_unchecked(AttrValue::from(svg)) }
        </div>
    }
}
