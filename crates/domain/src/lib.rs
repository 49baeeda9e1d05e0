//! Pure domain layer of Xiezhi: typed IDs, validated values, permission codes, data scopes, the
//! separation-of-duties rule, password policy, masking and the crypto primitives (SM3, SM4) used for
//! the audit hash chain and field-level encryption. No IO lives here.

pub mod audit;
pub mod clue;
pub mod crypto;
pub mod geo;
pub mod ids;
pub mod integration;
pub mod page;
pub mod permission;
pub mod values;

pub use ids::*;

/// Validation failure of one field, carried up to the API as a field error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// Field name or path (`location.longitude`); owned only when it names user input.
    pub field: std::borrow::Cow<'static, str>,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self { field: std::borrow::Cow::Borrowed(field), message: message.into() }
    }

    /// A field named at run time (e.g. an unknown field of a request).
    pub fn named(field: String, message: impl Into<String>) -> Self {
        Self { field: std::borrow::Cow::Owned(field), message: message.into() }
    }
}
