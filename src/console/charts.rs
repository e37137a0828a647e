//! Charts as inline SVG, drawn from the report's series: paired bars (claimed and redeemed per
//! hour or per day) and lines (each kind's pool left, as a share of its budget). Each is a figure
//! with a caption, and names its totals for screen readers.

use yew::prelude::*;

const W: f64 = 720.0;
const H: f64 = 240.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// Line colours (classes `line-0` … `line-5` in the style sheet), one a kind.
const LINE_CLASSES: usize = 6;

/// The top of a chart's scale: four gridline steps of 1, 2 or 5 × 10ⁿ, together at least `max`,
/// so every gridline falls on a round number.
pub fn nice_ceiling(max: u64) -> u64 {
    let quarter = max.div_ceil(4).max(1);
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            if step.saturating_mul(m) >= quarter {
                return step.saturating_mul(m).saturating_mul(4);
            }
        }
        step = step.saturating_mul(10);
    }
}

fn px(v: f64) -> String {
    format!("{v:.1}")
}

/// The frame: gridlines at quarters of `ceiling`, labelled with `label`.
fn grid(ceiling: u64, label: impl Fn(u64) -> String) -> Html {
    let plot_h = H - TOP - BOTTOM;
    html! {
        <g class="chart-grid">
            { for (0..=4u64).map(|i| {
                let y = TOP + plot_h - plot_h * i as f64 / 4.0;
                html! {
                    <>
                    <line x1={px(LEFT)} x2={px(W - RIGHT)} y1={px(y)} y2={px(y)} />
                    <text x={px(LEFT - 6.0)} y={px(y + 4.0)} text-anchor="end">{ label(ceiling * i / 4) }</text>
                    </>
                }
            }) }
        </g>
    }
}

/// Paired bars: `a` and `b` per bucket, with every `label_every`-th bucket labelled.
pub fn paired_bars(
    title: &str,
    labels: &[String],
    a: &[u64],
    b: &[u64],
    legend: (&str, &str),
    label_every: usize,
) -> Html {
    let n = labels.len().max(1);
    let ceiling = nice_ceiling(a.iter().chain(b).copied().max().unwrap_or(0));
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let slot = plot_w / n as f64;
    let bar = (slot * 0.38).max(1.0);
    let height = |v: u64| plot_h * v as f64 / ceiling as f64;
    let summary = format!(
        "{title}: {} {}, {} {}",
        legend.0,
        a.iter().sum::<u64>(),
        legend.1,
        b.iter().sum::<u64>()
    );
    html! {
        <figure class="chart">
            <figcaption>{ title }</figcaption>
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={summary}>
                { grid(ceiling, |v| v.to_string()) }
                { for (0..labels.len()).map(|i| {
                    let x = LEFT + slot * i as f64 + (slot - 2.0 * bar) / 2.0;
                    let (va, vb) = (a.get(i).copied().unwrap_or(0), b.get(i).copied().unwrap_or(0));
                    html! {
                        <g>
                            <rect class="bar-a" x={px(x)} y={px(TOP + plot_h - height(va))} width={px(bar)} height={px(height(va))} />
                            <rect class="bar-b" x={px(x + bar)} y={px(TOP + plot_h - height(vb))} width={px(bar)} height={px(height(vb))} />
                            if i % label_every.max(1) == 0 {
                                <text x={px(LEFT + slot * (i as f64 + 0.5))} y={px(H - 8.0)} text-anchor="middle">{ &labels[i] }</text>
                            }
                        </g>
                    }
                }) }
            </svg>
            <p class="legend"><span class="swatch bar-a"></span>{ legend.0 }<span class="swatch bar-b"></span>{ legend.1 }</p>
        </figure>
    }
}

/// Lines of shares (per mille, 0 to 1000) over the buckets, one per named series.
pub fn share_lines(
    title: &str,
    labels: &[String],
    series: &[(String, Vec<u64>)],
    label_every: usize,
) -> Html {
    let n = labels.len().max(2);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let x = |i: usize| LEFT + plot_w * i as f64 / (n - 1) as f64;
    let y = |permille: u64| TOP + plot_h - plot_h * permille.min(1000) as f64 / 1000.0;
    let summary = series
        .iter()
        .map(|(name, v)| format!("{name} {}%", v.last().copied().unwrap_or(0) / 10))
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <figure class="chart">
            <figcaption>{ title }</figcaption>
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={format!("{title}: {summary}")}>
                { grid(1000, |v| format!("{}%", v / 10)) }
                { for labels.iter().enumerate().filter(|(i, _)| i % label_every.max(1) == 0).map(|(i, l)| html! {
                    <text x={px(x(i))} y={px(H - 8.0)} text-anchor="middle">{ l }</text>
                }) }
                { for series.iter().enumerate().map(|(k, (_, values))| {
                    let points = values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| format!("{},{}", px(x(i)), px(y(*v))))
                        .collect::<Vec<_>>()
                        .join(" ");
                    html! { <polyline class={format!("line line-{}", k % LINE_CLASSES)} points={points} /> }
                }) }
            </svg>
            <p class="legend">
                { for series.iter().enumerate().map(|(k, (name, _))| html! {
                    <><span class={format!("swatch line-{}", k % LINE_CLASSES)}></span>{ name }</>
                }) }
            </p>
        </figure>
    }
}
