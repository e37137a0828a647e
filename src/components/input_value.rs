use web_sys::HtmlInputElement;
use yew::NodeRef;

/// What the input behind `input` holds now (empty when it is not mounted).
pub fn input_value(input: &NodeRef) -> String {
    input
        .cast::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

/// The file chosen in the file input behind `input`, if one is.
pub fn chosen_file(input: &NodeRef) -> Option<web_sys::File> {
    input
        .cast::<HtmlInputElement>()
        .and_then(|i| i.files())
        .and_then(|f| f.get(0))
}
