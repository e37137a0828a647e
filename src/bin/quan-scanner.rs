//! The till's decoder, as a Web Worker (loaded only when the camera opens, so residents never
//! download it): each message is a frame `{width, height, data}` (RGBA); each answer is
//! `{text}` (a string, or null when no code was read). The worker says `{ready: true}` first, once
//! it can take frames.

use std::cell::RefCell;

use js_sys::{Object, Reflect, Uint8ClampedArray};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

type Handler = Closure<dyn FnMut(MessageEvent)>;

thread_local! {
    // The message handler lives as long as the worker.
    static HANDLER: RefCell<Option<Handler>> = const { RefCell::new(None) };
}

fn number(obj: &JsValue, key: &str) -> usize {
    Reflect::get(obj, &key.into())
        .ok()
        .and_then(|v| v.as_f64())
        .map_or(0, |n| n as usize)
}

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let frame = e.data();
        let (width, height) = (number(&frame, "width"), number(&frame, "height"));
        let text = Reflect::get(&frame, &"data".into())
            .ok()
            .and_then(|d| d.dyn_into::<Uint8ClampedArray>().ok())
            .and_then(|pixels| quan_scanner::decode_rgba(&pixels.to_vec(), width, height));
        let answer = Object::new();
        let _ = Reflect::set(
            &answer,
            &"text".into(),
            &text.map_or(JsValue::NULL, |t| JsValue::from_str(&t)),
        );
        let _ = reply_to.post_message(&answer);
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    HANDLER.with(|h| *h.borrow_mut() = Some(handler));
    // Frames posted before this point found no handler: the page waits for this word.
    let ready = Object::new();
    let _ = Reflect::set(&ready, &"ready".into(), &JsValue::TRUE);
    let _ = scope.post_message(&ready);
}
