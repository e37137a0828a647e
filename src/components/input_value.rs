use web_sys::HtmlInputElement;
use yew::NodeRef;

/// What the input behind `input` holds now (empty when it is not mounted).
pub fn input_value(input: &NodeRef) -> String {
    input
        .cast::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}
