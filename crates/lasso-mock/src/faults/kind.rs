//! The kinds of fault and the fields each one takes.

use axum::http::StatusCode;

/// What a fault does to the request it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A canned response: any status, headers and body.
    Status,
    /// The connection is reset before any byte of the response.
    ResetBefore,
    /// Status and headers announcing the whole body, part of it, then a reset.
    ResetAfterHeaders,
    /// `delay_ms` before anything is sent, then a canned response.
    SlowHeaders,
    /// Headers and part of the body, then nothing for `delay_ms`, then the rest.
    StallBody,
    /// A JSON body cut short, with a Content-Length that matches what is sent.
    TruncatedJson,
    /// A body labelled `text/html`.
    WrongContentType,
    /// A very large (error) body.
    Oversized,
}

/// Every kind with its name in the control API.
const NAMES: [(Kind, &str); 8] = [
    (Kind::Status, "status"),
    (Kind::ResetBefore, "reset_before"),
    (Kind::ResetAfterHeaders, "reset_after_headers"),
    (Kind::SlowHeaders, "slow_headers"),
    (Kind::StallBody, "stall_body"),
    (Kind::TruncatedJson, "truncated_json"),
    (Kind::WrongContentType, "wrong_content_type"),
    (Kind::Oversized, "oversized"),
];

impl Kind {
    pub(super) fn parse(text: &str) -> Option<Kind> {
        NAMES
            .iter()
            .find(|(_, name)| *name == text)
            .map(|(kind, _)| *kind)
    }

    pub(super) fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(kind, _)| *kind == self)
            .map_or("", |(_, name)| name)
    }

    /// `status, reset_before, …` for messages.
    pub(super) fn all_names() -> String {
        NAMES.map(|(_, name)| name).join(", ")
    }

    /// Fields that this kind takes besides the common ones.
    pub(super) fn fields(self) -> &'static [&'static str] {
        match self {
            Kind::Status | Kind::SlowHeaders => &["status", "headers", "body", "body_kind"],
            Kind::ResetBefore => &[],
            Kind::ResetAfterHeaders | Kind::StallBody => {
                &["status", "headers", "body", "body_kind", "send_bytes"]
            }
            Kind::TruncatedJson => &["status", "headers", "body", "send_bytes"],
            Kind::WrongContentType => &["status", "headers", "body"],
            Kind::Oversized => &["status", "headers", "body_kind", "size_bytes"],
        }
    }

    pub(super) fn default_status(self) -> StatusCode {
        match self {
            Kind::Oversized => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::OK,
        }
    }

    /// Kinds whose whole point is a body, so they refuse 204, 205 and 304.
    pub(super) fn needs_body(self) -> bool {
        !matches!(self, Kind::Status | Kind::SlowHeaders | Kind::ResetBefore)
    }
}

/// Fields every kind takes.
pub(super) const COMMON_FIELDS: [&str; 7] = [
    "route",
    "kind",
    "times",
    "probability",
    "seed",
    "delay_ms",
    "execute",
];

/// Shape of a canned body when `body` is not given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// The standard error envelope (or `{}` / a filler object for 2xx).
    Json,
    /// A proxy-style HTML page.
    Html,
    /// No body at all.
    Empty,
}

impl BodyKind {
    pub(super) fn name(self) -> &'static str {
        match self {
            BodyKind::Json => "json",
            BodyKind::Html => "html",
            BodyKind::Empty => "empty",
        }
    }
}
