//! A small subset of the Adaptive Cards templating language, enough for the JSON files in
//! `cards/`: a string that is exactly `${name}` becomes the bound JSON value (text, list or
//! object), and an element with `"$when": "${name}"` is kept only when the binding is present
//! and not empty. Both are resolved here, on the server, so the card a client receives is plain
//! Adaptive Card 1.3 JSON and every client (whatever templating it supports) shows the same.
//!
//! There is deliberately no interpolation inside longer strings: text that people typed is
//! bound whole, after escaping, so it can never become part of the template's own markup.

use serde_json::{Map, Value};

/// The templates, compiled into the binary so a deployed bot cannot lose them.
pub(crate) const FORM: &str = include_str!("../../cards/form.json");
pub(crate) const PREVIEW: &str = include_str!("../../cards/preview.json");

/// Values for a template's placeholders, by name (`values.title`, `errors.date`…).
pub(crate) type Bindings = Map<String, Value>;

/// Why a template could not be filled: always a programming error (a template and its Rust
/// caller disagree), which the tests over every template catch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum TemplateError {
    #[error("the template is not valid JSON: {0}")]
    Json(String),
    #[error("the template uses ${{{0}}}, which has no value")]
    Unbound(String),
    #[error("the template has a placeholder inside a longer string: {0:?}")]
    Embedded(String),
}

/// The card `template` with its placeholders replaced by `bindings`.
pub(crate) fn fill(template: &str, bindings: &Bindings) -> Result<Value, TemplateError> {
    let parsed: Value =
        serde_json::from_str(template).map_err(|e| TemplateError::Json(e.to_string()))?;
    Ok(fill_value(&parsed, bindings)?.unwrap_or(Value::Null))
}

/// `None` when the value is an element whose `$when` is false (its container drops it).
fn fill_value(value: &Value, bindings: &Bindings) -> Result<Option<Value>, TemplateError> {
    match value {
        Value::String(text) => fill_string(text, bindings).map(Some),
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                if let Some(filled) = fill_value(item, bindings)? {
                    out.push(filled);
                }
            }
            Ok(Some(Value::Array(out)))
        }
        Value::Object(fields) => fill_object(fields, bindings),
        other => Ok(Some(other.clone())),
    }
}

fn fill_object(
    fields: &Map<String, Value>,
    bindings: &Bindings,
) -> Result<Option<Value>, TemplateError> {
    if let Some(condition) = fields.get("$when") {
        let shown = match condition {
            Value::String(text) => is_present(&fill_string(text, bindings)?),
            other => is_present(other),
        };
        if !shown {
            return Ok(None);
        }
    }
    let mut out = Map::with_capacity(fields.len());
    for (key, value) in fields {
        if key == "$when" {
            continue;
        }
        if let Some(filled) = fill_value(value, bindings)? {
            out.insert(key.clone(), filled);
        }
    }
    Ok(Some(Value::Object(out)))
}

fn fill_string(text: &str, bindings: &Bindings) -> Result<Value, TemplateError> {
    match placeholder(text) {
        Some(name) => bindings
            .get(name)
            .cloned()
            .ok_or_else(|| TemplateError::Unbound(name.to_string())),
        None if text.contains("${") => Err(TemplateError::Embedded(text.to_string())),
        None => Ok(Value::String(text.to_string())),
    }
}

/// `name` when `text` is exactly `${name}`.
fn placeholder(text: &str) -> Option<&str> {
    let name = text.strip_prefix("${")?.strip_suffix('}')?;
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    valid.then_some(name)
}

/// The templating language's truthiness, as far as `$when` needs it.
fn is_present(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(fields) => !fields.is_empty(),
        Value::Number(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn bind(pairs: &[(&str, Value)]) -> Bindings {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn whole_string_placeholders_take_any_json_value() {
        let out = fill(
            r#"{"a": "${x}", "b": ["${y}", "plain"]}"#,
            &bind(&[("x", json!([1, 2])), ("y", json!("text with ${braces}"))]),
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"a": [1, 2], "b": ["text with ${braces}", "plain"]})
        );
    }

    #[test]
    fn when_drops_elements_whose_binding_is_empty() {
        let template = r#"[{"$when": "${e}", "t": "${e}"}, {"t": "kept"}]"#;
        assert_eq!(
            fill(template, &bind(&[("e", json!(""))])).unwrap(),
            json!([{"t": "kept"}])
        );
        assert_eq!(
            fill(template, &bind(&[("e", json!("bad"))])).unwrap(),
            json!([{"t": "bad"}, {"t": "kept"}])
        );
    }

    #[test]
    fn unbound_and_embedded_placeholders_are_errors() {
        assert_eq!(
            fill(r#"{"a": "${missing}"}"#, &Bindings::new()),
            Err(TemplateError::Unbound("missing".into()))
        );
        assert!(matches!(
            fill(r#"{"a": "Hello ${name}"}"#, &bind(&[("name", json!("x"))])),
            Err(TemplateError::Embedded(_))
        ));
    }
}
