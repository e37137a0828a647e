//! The camera at the till: the rear camera's frames decoded by the browser's BarcodeDetector
//! where it has one, otherwise by the decoder worker (`quan-scanner`, loaded only now). Decoding
//! never blocks the page, one frame at a time: frames that come while the decoder is busy are
//! dropped, never queued. Frames go at the camera's own resolution (a centre crop of a larger
//! one), so a small code at arm's length keeps its modules. A worker that dies or stops answering
//! is replaced at once, silently unless it keeps failing. If the camera is refused, missing, or
//! has not answered in 10 s, the till says why and the gun and the keypad carry on — never a
//! black screen.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::timers::callback::{Interval, Timeout};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, HtmlVideoElement, MediaStream, MediaStreamTrack, Worker};
use yew::prelude::*;

use crate::context::use_prefs;
use crate::i18n::{t, Key};

/// Where the decoder worker's loader is served.
const WORKER: &str = "/merchant/quan-scanner_loader.js";
/// How long the camera has to answer.
const CAMERA_TIMEOUT_MS: u32 = 10_000;
/// How often a frame is looked at.
const FRAME_MS: u32 = 120;
/// The largest frame sent, in pixels (the decoder's own bound): a larger camera's frame is cropped
/// to its centre, never scaled down.
const FRAME_MAX_PIXELS: u32 = quan_scanner::MAX_PIXELS as u32;
/// A worker that has not answered a frame in this long is taken as hung and replaced.
const FRAME_STALL_MS: f64 = 3_000.0;
/// A new worker has this long to say it is ready.
const READY_STALL_MS: f64 = 10_000.0;
/// Replacements within [`FAILING_WINDOW_MS`] after which the merchant is told.
const FAILING_AFTER: usize = 3;
const FAILING_WINDOW_MS: f64 = 60_000.0;

#[derive(Properties, PartialEq)]
pub struct CameraProps {
    /// A code was read (twenty digits with a valid check digit).
    pub on_code: Callback<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Starting,
    Live,
    /// The camera runs, but its decoder keeps dying and is being replaced.
    Failing,
    Unavailable(Key),
}

/// The part of a `width × height` camera frame that is sent: all of it, or the centred
/// rectangle of at most [`FRAME_MAX_PIXELS`] of the same width up to 1920 pixels.
fn crop(width: u32, height: u32) -> (u32, u32, u32, u32) {
    let w = width.min(1920);
    let h = height.min(FRAME_MAX_PIXELS / w.max(1));
    ((width - w) / 2, (height - h) / 2, w, h)
}

/// The decoder worker, replaced when it dies or hangs: the page's one handle on it.
struct Decoder {
    worker: Option<Worker>,
    /// The worker's handlers, the same for each worker.
    on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    on_error: Closure<dyn FnMut(web_sys::Event)>,
    /// Whether the worker has a frame, or has not yet said it is ready.
    busy: Rc<Cell<bool>>,
    ready: Rc<Cell<bool>>,
    /// When the worker was started or was last sent a frame (the page's clock, ms).
    since: Cell<f64>,
    /// When the frame in the worker was captured.
    captured: Rc<Cell<f64>>,
    /// When workers were replaced, the last [`FAILING_WINDOW_MS`].
    replaced: Vec<f64>,
}

impl Decoder {
    fn start(&mut self) {
        if let Some(old) = self.worker.take() {
            old.terminate();
        }
        self.worker = Worker::new(WORKER).ok().inspect(|w| {
            w.set_onmessage(Some(self.on_message.as_ref().unchecked_ref()));
            w.set_onerror(Some(self.on_error.as_ref().unchecked_ref()));
        });
        // It takes frames once it says it is ready.
        self.busy.set(self.worker.is_some());
        self.ready.set(false);
        self.since.set(now());
    }

    /// Whether the worker has stopped answering: it has held one frame, or its start, for too
    /// long (a worker that died says so by its error event).
    fn stalled(&self, at: f64) -> bool {
        let limit = if self.ready.get() {
            FRAME_STALL_MS
        } else {
            READY_STALL_MS
        };
        self.busy.get() && at - self.since.get() > limit
    }

    /// A new worker in place of one that died or hung; whether replacements now come so often
    /// that the merchant should know.
    fn replace(&mut self, at: f64) -> bool {
        self.start();
        self.replaced.retain(|t| at - t < FAILING_WINDOW_MS);
        self.replaced.push(at);
        self.replaced.len() >= FAILING_AFTER
    }
}

fn reason(error: &JsValue) -> Key {
    let name = Reflect::get(error, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    match name.as_str() {
        "NotAllowedError" | "SecurityError" | "PermissionDeniedError" => Key::CameraDenied,
        "NotFoundError" | "OverconstrainedError" | "DevicesNotFoundError" => Key::NoCamera,
        _ => Key::CameraFailed,
    }
}

async fn open_camera() -> Result<MediaStream, JsValue> {
    let devices = web_sys::window()
        .ok_or(JsValue::NULL)?
        .navigator()
        .media_devices()?;
    let video = Object::new();
    Reflect::set(&video, &"facingMode".into(), &"environment".into())?;
    let constraints = web_sys::MediaStreamConstraints::new();
    constraints.set_video(&video);
    constraints.set_audio(&JsValue::FALSE);
    let stream =
        wasm_bindgen_futures::JsFuture::from(devices.get_user_media_with_constraints(&constraints)?).await?;
    stream.dyn_into()
}

fn video_track(stream: &MediaStream) -> Option<MediaStreamTrack> {
    stream.get_video_tracks().get(0).dyn_into().ok()
}

/// Whether the camera has a torch to switch.
fn has_torch(track: &MediaStreamTrack) -> bool {
    Reflect::get(track, &"getCapabilities".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(track).ok())
        .and_then(|caps| Reflect::get(&caps, &"torch".into()).ok())
        .is_some_and(|t| t.is_truthy())
}

fn set_torch(track: &MediaStreamTrack, on: bool) {
    let setting = Object::new();
    let _ = Reflect::set(&setting, &"torch".into(), &on.into());
    let constraints = Object::new();
    let _ = Reflect::set(&constraints, &"advanced".into(), &Array::of1(&setting));
    if let Ok(f) =
        Reflect::get(track, &"applyConstraints".into()).and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = f.call1(track, &constraints);
    }
}

/// The browser's own BarcodeDetector for QR codes, where there is one.
fn barcode_detector() -> Option<JsValue> {
    let window = web_sys::window()?;
    let ctor = Reflect::get(&window, &"BarcodeDetector".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let options = Object::new();
    Reflect::set(&options, &"formats".into(), &Array::of1(&"qr_code".into())).ok()?;
    Reflect::construct(&ctor, &Array::of1(&options)).ok()
}

/// A code read from a frame captured at `captured` (the page's clock, ms): marked for the look-up's
/// timing (see [`measure_look_up`]), then handed to the till.
fn accept(text: &str, captured: f64, on_code: &Callback<String>) {
    if quan_core::code::parse(text).is_ok() {
        mark(CODE_IN_VIEW, captured);
        on_code.emit(text.to_owned());
    }
}

/// The performance mark at the capture of the frame a code was read from.
const CODE_IN_VIEW: &str = "quan:code-in-view";

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// `performance.mark(name, {startTime})`.
fn mark(name: &str, start: f64) {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    let options = Object::new();
    let _ = Reflect::set(&options, &"startTime".into(), &start.into());
    if let Ok(f) = Reflect::get(&performance, &"mark".into()).and_then(|f| f.dyn_into::<js_sys::Function>()) {
        let _ = f.call2(&performance, &name.into(), &options);
    }
}

/// Records `quan:look-up`, from the capture of the frame the code was read from to now (the
/// look-up's answer on screen), for benchmarks and the browser's performance panel. Nothing when
/// the code was typed.
pub fn measure_look_up() {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    if performance.get_entries_by_name(CODE_IN_VIEW).length() == 0 {
        return;
    }
    let _ = performance.measure_with_start_mark("quan:look-up", CODE_IN_VIEW);
    performance.clear_marks_with_mark_name(CODE_IN_VIEW);
}

#[function_component]
pub fn Camera(props: &CameraProps) -> Html {
    let prefs = use_prefs();
    let lang = prefs.lang;
    let video = use_node_ref();
    let canvas = use_node_ref();
    let state = use_state(|| State::Starting);
    let torch = use_state(|| None::<bool>);
    let track = use_mut_ref(|| None::<MediaStreamTrack>);
    {
        let (video, canvas, state, torch, track, on_code) = (
            video.clone(),
            canvas.clone(),
            state.clone(),
            torch.clone(),
            track.clone(),
            props.on_code.clone(),
        );
        use_effect_with((), move |_| {
            let alive = Rc::new(Cell::new(true));
            let answered = Rc::new(Cell::new(false));
            let stream: Rc<RefCell<Option<MediaStream>>> = Rc::default();
            let timeout = {
                let (answered, state) = (answered.clone(), state.clone());
                Timeout::new(CAMERA_TIMEOUT_MS, move || {
                    if !answered.get() {
                        state.set(State::Unavailable(Key::CameraTimeout));
                    }
                })
            };
            {
                let (alive, answered, stream, video, state, torch, track) = (
                    alive.clone(),
                    answered.clone(),
                    stream.clone(),
                    video.clone(),
                    state.clone(),
                    torch.clone(),
                    track.clone(),
                );
                wasm_bindgen_futures::spawn_local(async move {
                    let opened = open_camera().await;
                    answered.set(true);
                    match opened {
                        Ok(s) if alive.get() => {
                            if let Some(v) = video.cast::<HtmlVideoElement>() {
                                v.set_src_object(Some(&s));
                                let _ = v.play();
                            }
                            if let Some(t) = video_track(&s) {
                                torch.set(has_torch(&t).then_some(false));
                                *track.borrow_mut() = Some(t);
                            }
                            *stream.borrow_mut() = Some(s);
                            state.set(State::Live);
                        }
                        Ok(s) => s.get_tracks().for_each(&mut |t, _, _| {
                            if let Ok(t) = t.dyn_into::<MediaStreamTrack>() {
                                t.stop();
                            }
                        }),
                        Err(e) => state.set(State::Unavailable(reason(&e))),
                    }
                });
            }
            // One frame at a time to the decoder; the next only once it has answered.
            let busy = Rc::new(Cell::new(false));
            let detector = barcode_detector();
            // A worker that errors has died (a trap in its wasm): it is replaced on the next tick.
            let dead = Rc::new(Cell::new(false));
            let ready = Rc::new(Cell::new(false));
            let captured = Rc::new(Cell::new(0.0));
            let decoder = detector.is_none().then(|| {
                let on_message = {
                    let (busy, ready, on_code, captured) =
                        (busy.clone(), ready.clone(), on_code.clone(), captured.clone());
                    Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                        busy.set(false);
                        ready.set(true);
                        if let Some(text) = Reflect::get(&e.data(), &"text".into())
                            .ok()
                            .and_then(|t| t.as_string())
                        {
                            accept(&text, captured.get(), &on_code);
                        }
                    })
                };
                let on_error = {
                    let dead = dead.clone();
                    Closure::<dyn FnMut(web_sys::Event)>::new(move |_| dead.set(true))
                };
                let mut d = Decoder {
                    worker: None,
                    on_message,
                    on_error,
                    busy: busy.clone(),
                    ready,
                    since: Cell::new(0.0),
                    captured,
                    replaced: Vec::new(),
                };
                d.start();
                Rc::new(RefCell::new(d))
            });
            let frames = {
                let (busy, decoder, state) = (busy.clone(), decoder.clone(), state.clone());
                let told = Cell::new(false);
                Interval::new(FRAME_MS, move || {
                    let Some(v) = video.cast::<HtmlVideoElement>() else {
                        return;
                    };
                    if v.ready_state() < 2 || v.video_width() == 0 {
                        return;
                    }
                    if let Some(d) = &decoder {
                        let at = now();
                        let mut d = d.borrow_mut();
                        if (dead.replace(false) || d.stalled(at)) && d.replace(at) && !told.replace(true) {
                            state.set(State::Failing);
                        }
                    }
                    if busy.get() {
                        return;
                    }
                    if let Some(d) = &detector {
                        let Ok(detect) =
                            Reflect::get(d, &"detect".into()).and_then(|f| f.dyn_into::<js_sys::Function>())
                        else {
                            return;
                        };
                        let Ok(promise) = detect.call1(d, &v).and_then(|p| p.dyn_into::<js_sys::Promise>())
                        else {
                            return;
                        };
                        busy.set(true);
                        let (busy, on_code, captured) = (busy.clone(), on_code.clone(), now());
                        wasm_bindgen_futures::spawn_local(async move {
                            if let Ok(found) = wasm_bindgen_futures::JsFuture::from(promise).await {
                                let first = Array::from(&found).get(0);
                                if let Some(text) = Reflect::get(&first, &"rawValue".into())
                                    .ok()
                                    .and_then(|t| t.as_string())
                                {
                                    accept(&text, captured, &on_code);
                                }
                            }
                            busy.set(false);
                        });
                        return;
                    }
                    let (Some(d), Some(c)) = (&decoder, canvas.cast::<HtmlCanvasElement>()) else {
                        return;
                    };
                    let d = d.borrow();
                    let Some(w) = &d.worker else {
                        return;
                    };
                    let (sx, sy, width, height) = crop(v.video_width(), v.video_height());
                    c.set_width(width);
                    c.set_height(height);
                    let Some(ctx) = c
                        .get_context_with_context_options("2d", &{
                            let o = Object::new();
                            let _ = Reflect::set(&o, &"willReadFrequently".into(), &JsValue::TRUE);
                            o.into()
                        })
                        .ok()
                        .flatten()
                        .and_then(|x| x.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
                    else {
                        return;
                    };
                    let (fw, fh) = (f64::from(width), f64::from(height));
                    let at = now();
                    if ctx
                        .draw_image_with_html_video_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                            &v,
                            f64::from(sx),
                            f64::from(sy),
                            fw,
                            fh,
                            0.0,
                            0.0,
                            fw,
                            fh,
                        )
                        .is_err()
                    {
                        return;
                    }
                    let Ok(image) = ctx.get_image_data(0.0, 0.0, fw, fh) else {
                        return;
                    };
                    // The frame's own pixel buffer, handed to the worker without a copy.
                    let Ok(pixels) = Reflect::get(&image, &"data".into())
                        .and_then(|d| d.dyn_into::<js_sys::Uint8ClampedArray>())
                    else {
                        return;
                    };
                    let frame = Object::new();
                    let _ = Reflect::set(&frame, &"width".into(), &width.into());
                    let _ = Reflect::set(&frame, &"height".into(), &height.into());
                    let _ = Reflect::set(&frame, &"data".into(), &pixels);
                    if w.post_message_with_transfer(&frame, &Array::of1(&pixels.buffer()))
                        .is_ok()
                    {
                        d.captured.set(at);
                        d.since.set(at);
                        busy.set(true);
                    }
                })
            };
            move || {
                alive.set(false);
                drop(frames);
                drop(timeout);
                if let Some(w) = decoder.as_ref().and_then(|d| d.borrow_mut().worker.take()) {
                    w.terminate();
                }
                if let Some(s) = stream.borrow_mut().take() {
                    s.get_tracks().for_each(&mut |t, _, _| {
                        if let Ok(t) = t.dyn_into::<MediaStreamTrack>() {
                            t.stop();
                        }
                    });
                }
            }
        });
    }
    let toggle_torch = {
        let (torch, track) = (torch.clone(), track.clone());
        Callback::from(move |_: MouseEvent| {
            if let (Some(on), Some(t)) = (*torch, track.borrow().as_ref()) {
                set_torch(t, !on);
                torch.set(Some(!on));
            }
        })
    };
    html! {
        <div class="camera">
            {
                match *state {
                    State::Starting => html! { <p class="notice" role="status">{ t(lang, Key::CameraStarting) }</p> },
                    State::Live => html! { <p class="notice" role="status">{ t(lang, Key::CameraLive) }</p> },
                    State::Failing => html! { <p class="notice notice-error" role="status" data-testid="decoder-failing">{ t(lang, Key::DecoderFailing) }</p> },
                    State::Unavailable(key) => html! { <p class="notice notice-error" role="alert" data-testid="camera-unavailable">{ t(lang, key) }</p> },
                }
            }
            <video ref={video} class={classes!("camera-video", (!matches!(*state, State::Live | State::Failing)).then_some("hidden"))}
                muted=true autoplay=true playsinline=true aria-hidden="true"></video>
            <canvas ref={canvas} class="hidden" aria-hidden="true"></canvas>
            if let Some(on) = *torch {
                <button type="button" class="button" aria-pressed={on.to_string()} onclick={toggle_torch}>{ t(lang, Key::Torch) }</button>
            }
        </div>
    }
}
