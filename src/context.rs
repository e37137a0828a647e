//! App-wide state that pages read: preferences (language, large text) and the session.

use std::rc::Rc;

use quan_core::api::Session;
use yew::prelude::*;

use crate::i18n::Lang;
use crate::storage;

/// The resident's or merchant's preferences, remembered on the device.
#[derive(Debug, Clone, PartialEq)]
pub struct Prefs {
    pub lang: Lang,
    /// Larger type and targets, higher contrast, fewer words (适老化).
    pub elder: bool,
}

pub enum PrefsAction {
    SetLang(Lang),
    SetElder(bool),
}

impl Prefs {
    /// Stored choices, else the URL's (`?lang=en&elder=1`), else the defaults.
    pub fn load() -> Prefs {
        let query = crate::config::query();
        let lang = storage::get_raw(storage::LANG)
            .and_then(|l| Lang::parse(&l))
            .or_else(|| query.get("lang").and_then(|l| Lang::parse(l)))
            .unwrap_or_default();
        let elder = storage::get_raw(storage::ELDER)
            .map(|v| v == "1")
            .or_else(|| query.get("elder").map(|v| v == "1" || v == "true"))
            .unwrap_or(false);
        Prefs { lang, elder }
    }
}

impl Reducible for Prefs {
    type Action = PrefsAction;
    fn reduce(self: Rc<Self>, action: PrefsAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            PrefsAction::SetLang(l) => {
                next.lang = l;
                storage::set_raw(storage::LANG, l.code());
            }
            PrefsAction::SetElder(on) => {
                next.elder = on;
                storage::set_raw(storage::ELDER, if on { "1" } else { "0" });
            }
        }
        Rc::new(next)
    }
}

pub type PrefsHandle = UseReducerHandle<Prefs>;

/// Applies the language and large text to the whole document (and so to screen readers);
/// `kind` is a class naming the app (`till`), if any.
#[hook]
pub fn use_document_prefs(prefs: &Prefs, kind: Option<&'static str>) {
    use_effect_with((prefs.lang, prefs.elder), move |(lang, elder)| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", lang.code());
            let classes = root.class_list();
            let _ = if *elder {
                classes.add_1("elder")
            } else {
                classes.remove_1("elder")
            };
            if let Some(k) = kind {
                let _ = classes.add_1(k);
            }
        }
    });
}

#[hook]
pub fn use_prefs() -> PrefsHandle {
    let fallback = use_reducer(Prefs::load);
    use_context::<PrefsHandle>().unwrap_or(fallback)
}

/// Who is signed in, if anyone, and where the session is kept on the device (the resident's and
/// the till's apart, so a shared tablet never mixes them).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionState {
    pub session: Option<Session>,
    /// A sign-in is on its way (the host app's token is being exchanged): what needs a session
    /// waits for it rather than sending the resident to sign in.
    pub signing_in: bool,
    key: &'static str,
}

pub enum SessionAction {
    /// A sign-in has been sent.
    SigningIn,
    /// Signed in: the session, and the server's answer as it came (kept on the device).
    SignedIn(Box<Session>, String),
    /// The sign-in that was sent did not succeed; whatever session there was stays.
    SignInFailed,
    SignedOut,
}

impl SessionState {
    /// The stored session. Whether it has expired is the server's to say (a phone's clock may be
    /// days wrong): a call answered `unauthorized` signs out.
    pub fn load() -> SessionState {
        SessionState::load_from(storage::SESSION)
    }

    /// The session stored under `key`.
    pub fn load_from(key: &'static str) -> SessionState {
        SessionState {
            session: storage::get::<Session>(key),
            signing_in: false,
            key,
        }
    }

    pub fn token(&self) -> Option<&str> {
        self.session.as_ref().map(|s| s.token.as_str())
    }
}

impl Reducible for SessionState {
    type Action = SessionAction;
    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        match action {
            SessionAction::SigningIn => Rc::new(SessionState {
                signing_in: true,
                ..(*self).clone()
            }),
            SessionAction::SignInFailed => Rc::new(SessionState {
                signing_in: false,
                ..(*self).clone()
            }),
            SessionAction::SignedIn(s, raw) => {
                storage::set_raw(self.key, &raw);
                Rc::new(SessionState {
                    session: Some(*s),
                    signing_in: false,
                    key: self.key,
                })
            }
            SessionAction::SignedOut => {
                storage::remove(self.key);
                if self.key == storage::SESSION {
                    storage::remove(storage::WALLET);
                }
                Rc::new(SessionState {
                    session: None,
                    signing_in: false,
                    key: self.key,
                })
            }
        }
    }
}

pub type SessionHandle = UseReducerHandle<SessionState>;

#[hook]
pub fn use_session() -> SessionHandle {
    let fallback = use_reducer(SessionState::load);
    use_context::<SessionHandle>().unwrap_or(fallback)
}
