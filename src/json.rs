//! JSON through the browser's own `JSON.parse` and `JSON.stringify`, so the download carries no
//! JSON parser of its own.
//!
//! Reading goes through [`Value`], a serde deserializer over the parsed JavaScript value whose
//! error carries no message: serde's messages ("invalid type: floating point `1.5`, expected
//! …") would bring float formatting and Unicode tables into every download, about a tenth of
//! the resident's first load, to say something no resident reads. What the widget shows is
//! [`Malformed`]'s one sentence.

use std::fmt;

use js_sys::{Array, Object};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// Reads JSON text as `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Malformed> {
    let value = js_sys::JSON::parse(text).map_err(|_| Malformed)?;
    T::deserialize(Value(value))
}

/// Writes `value` as JSON text.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    let js = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| e.to_string())?;
    js_sys::JSON::stringify(&js)
        .map(String::from)
        .map_err(|_| "cannot write JSON".to_owned())
}

/// JSON that is not what the API's types describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the answer was not in the expected shape")
    }
}

impl std::error::Error for Malformed {}

impl de::Error for Malformed {
    fn custom<T: fmt::Display>(_message: T) -> Self {
        Malformed
    }
}

/// A value from `JSON.parse`, read by serde.
pub struct Value(pub JsValue);

/// Integers JavaScript numbers hold exactly.
const SAFE: f64 = 9_007_199_254_740_991.0;

impl<'de> de::Deserializer<'de> for Value {
    type Error = Malformed;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Malformed> {
        let v = self.0;
        if v.is_null() || v.is_undefined() {
            visitor.visit_unit()
        } else if let Some(b) = v.as_bool() {
            visitor.visit_bool(b)
        } else if let Some(n) = v.as_f64() {
            if n.fract() == 0.0 && n.abs() <= SAFE {
                if n < 0.0 {
                    visitor.visit_i64(n as i64)
                } else {
                    visitor.visit_u64(n as u64)
                }
            } else {
                visitor.visit_f64(n)
            }
        } else if let Some(s) = v.as_string() {
            visitor.visit_string(s)
        } else if Array::is_array(&v) {
            visitor.visit_seq(Seq {
                items: v.unchecked_into(),
                next: 0,
            })
        } else if v.is_object() {
            visitor.visit_map(Map {
                entries: Object::entries(v.unchecked_ref()),
                next: 0,
                value: None,
            })
        } else {
            Err(Malformed)
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Malformed> {
        if self.0.is_null() || self.0.is_undefined() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Malformed> {
        visitor.visit_newtype_struct(self)
    }

    /// A unit variant is its name; any other variant is an object with the name as its one key.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Malformed> {
        if let Some(name) = self.0.as_string() {
            return visitor.visit_enum(Variant { name, value: None });
        }
        let entries = Object::entries(self.0.dyn_ref::<Object>().ok_or(Malformed)?);
        if entries.length() != 1 {
            return Err(Malformed);
        }
        let entry: Array = entries.get(0).unchecked_into();
        let name = entry.get(0).as_string().ok_or(Malformed)?;
        visitor.visit_enum(Variant {
            name,
            value: Some(entry.get(1)),
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

struct Seq {
    items: Array,
    next: u32,
}

impl<'de> de::SeqAccess<'de> for Seq {
    type Error = Malformed;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Malformed> {
        if self.next >= self.items.length() {
            return Ok(None);
        }
        let item = self.items.get(self.next);
        self.next += 1;
        seed.deserialize(Value(item)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.items.length() - self.next) as usize)
    }
}

struct Map {
    entries: Array,
    next: u32,
    value: Option<JsValue>,
}

impl<'de> de::MapAccess<'de> for Map {
    type Error = Malformed;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Malformed> {
        if self.next >= self.entries.length() {
            return Ok(None);
        }
        let entry: Array = self.entries.get(self.next).unchecked_into();
        self.next += 1;
        self.value = Some(entry.get(1));
        seed.deserialize(Value(entry.get(0))).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Malformed> {
        seed.deserialize(Value(self.value.take().ok_or(Malformed)?))
    }
}

struct Variant {
    name: String,
    value: Option<JsValue>,
}

impl<'de> de::EnumAccess<'de> for Variant {
    type Error = Malformed;
    type Variant = Payload;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Payload), Malformed> {
        let name = seed.deserialize(IntoDeserializer::<Malformed>::into_deserializer(self.name))?;
        Ok((name, Payload(self.value)))
    }
}

/// What a variant carries: nothing for a unit variant.
struct Payload(Option<JsValue>);

impl<'de> de::VariantAccess<'de> for Payload {
    type Error = Malformed;

    fn unit_variant(self) -> Result<(), Malformed> {
        match self.0 {
            None => Ok(()),
            Some(v) if v.is_null() => Ok(()),
            Some(_) => Err(Malformed),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Malformed> {
        seed.deserialize(Value(self.0.ok_or(Malformed)?))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Malformed> {
        de::Deserializer::deserialize_any(Value(self.0.ok_or(Malformed)?), visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Malformed> {
        de::Deserializer::deserialize_any(Value(self.0.ok_or(Malformed)?), visitor)
    }
}
