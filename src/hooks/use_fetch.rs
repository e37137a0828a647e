//! One API read that a page shows: made when the page opens and whenever what it depends on
//! changes, and again when the page asks (after a change of its own). An answer that arrives
//! after a newer read began is dropped, so a slow old answer never overwrites a new one.

use std::future::Future;

use yew::prelude::*;

use crate::api::ApiError;

/// What a read has answered so far, and a way to read again.
pub struct Fetched<T> {
    answer: UseStateHandle<Option<Result<T, ApiError>>>,
    generation: UseStateHandle<u32>,
}

impl<T> Clone for Fetched<T> {
    fn clone(&self) -> Self {
        Fetched {
            answer: self.answer.clone(),
            generation: self.generation.clone(),
        }
    }
}

impl<T> Fetched<T> {
    /// `None` until the first answer; while a new read is under way, the last answer.
    pub fn answer(&self) -> Option<&Result<T, ApiError>> {
        self.answer.as_ref()
    }

    /// The answer, if the read succeeded.
    pub fn ok(&self) -> Option<&T> {
        self.answer().and_then(|a| a.as_ref().ok())
    }

    /// Reads again.
    pub fn reload(&self) {
        self.generation.set(self.generation.wrapping_add(1));
    }

    /// [`Fetched::reload`] as a callback, for a child that changed what was read.
    pub fn reloader<A: 'static>(&self) -> Callback<A> {
        let generation = self.generation.clone();
        Callback::from(move |_| generation.set(generation.wrapping_add(1)))
    }
}

/// Reads with `read(deps)` now, whenever `deps` change, and on [`Fetched::reload`].
#[hook]
pub fn use_fetch<T, D, F, Fut>(deps: D, read: F) -> Fetched<T>
where
    T: 'static,
    D: PartialEq + Clone + 'static,
    F: FnOnce(D) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let answer = use_state(|| None::<Result<T, ApiError>>);
    let generation = use_state(|| 0u32);
    // Which read is the newest: an answer to any other is dropped.
    let latest = use_mut_ref(|| 0u64);
    {
        let (answer, latest) = (answer.clone(), latest.clone());
        use_effect_with((deps, *generation), move |(deps, _)| {
            let ticket = latest.borrow().wrapping_add(1);
            *latest.borrow_mut() = ticket;
            let pending = read(deps.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let got = pending.await;
                if *latest.borrow() == ticket {
                    answer.set(Some(got));
                }
            });
        });
    }
    Fetched { answer, generation }
}
