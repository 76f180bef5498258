//! The damage itself: bodies cut short, stalled or oversized, and connections reset.

use std::io;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use futures_util::stream::{self, StreamExt};

use super::action::{status_line, FaultAction, HTML, JSON};
use super::kind::{BodyKind, Kind};
use super::queue::Closing;
use crate::conn::ConnKill;
use crate::errors::{default_message, envelope_json};

/// Largest real response body that `execute` faults buffer to damage it.
const MAX_BUFFERED_BODY: usize = 256 * 1024 * 1024;
/// Pause between the last bytes sent and a connection drop, so they leave the socket
/// (and reach the client) before the reset.
const FLUSH_PAUSE: Duration = Duration::from_millis(50);

impl FaultAction {
    /// `truncated_json`, `reset_after_headers` and `stall_body` on a complete body.
    pub(super) fn damaged(
        &self,
        status: StatusCode,
        mut headers: HeaderMap,
        body: Bytes,
        kill: Option<ConnKill>,
        closing: Closing,
    ) -> Response {
        let len = body.len();
        let cut = match self.send_bytes {
            Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
            None => len / 2,
        }
        .min(len.saturating_sub(1));
        headers.remove(header::TRANSFER_ENCODING);
        let (announced, stream_body) = match self.kind {
            Kind::TruncatedJson => {
                headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
                (cut, Body::from(body.slice(..cut)))
            }
            Kind::ResetAfterHeaders => {
                let first = body.slice(..cut);
                let chunks = stream::iter([Ok::<Bytes, io::Error>(first)]).chain(stream::once(async move {
                    tokio::time::sleep(FLUSH_PAUSE).await;
                    if let Some(kill) = kill {
                        kill.kill();
                    }
                    Err(io::Error::new(
                        io::ErrorKind::ConnectionReset,
                        "reset_after_headers fault injected by lasso-mock",
                    ))
                }));
                (len, Body::from_stream(chunks))
            }
            _ => {
                let (first, rest) = (body.slice(..cut), body.slice(cut..));
                let stall = self.delay;
                let chunks = stream::iter([Ok::<Bytes, io::Error>(first)]).chain(stream::once(async move {
                    if closing.pause(stall).await {
                        Ok(rest)
                    } else {
                        Err(io::Error::new(
                            io::ErrorKind::ConnectionAborted,
                            "lasso-mock is shutting down",
                        ))
                    }
                }));
                (len, Body::from_stream(chunks))
            }
        };
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(announced));
        let mut response = Response::new(stream_body);
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        response
    }

    /// `oversized`: exactly `size_bytes` of body, streamed from a static buffer.
    pub(super) fn oversized(&self) -> Response {
        let size = self.size_bytes;
        let (content_type, prefix, suffix): (&'static str, Vec<u8>, &'static [u8]) = match self.body_kind {
            Some(BodyKind::Html) => (
                HTML,
                format!(
                    "<!DOCTYPE html>\n<html><head><title>{}</title></head><body><pre>",
                    status_line(self.status)
                )
                .into_bytes(),
                b"</pre></body></html>\n",
            ),
            _ => {
                let message = format!("{} (injected by lasso-mock)", default_message(self.status));
                let mut envelope = envelope_json(self.status, &message);
                envelope.pop(); // the closing brace
                envelope.extend_from_slice(br#","padding":""#);
                (JSON, envelope, br#""}"#)
            }
        };
        let chunks = padded(prefix, suffix, size);
        let mut response = Response::new(Body::from_stream(stream::iter(
            chunks.into_iter().map(Ok::<Bytes, io::Error>),
        )));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
        self.add_headers(headers);
        response
    }
}

/// `reset_before`: the client gets no byte of a response.
pub(super) fn reset_before(kill: Option<ConnKill>) -> Response {
    match kill {
        // Hyper's first write fails, it drops the connection, and the drop resets it.
        Some(kill) => {
            kill.kill();
            Response::new(Body::empty())
        }
        // Served without the kill switch: the best left is a body that fails at once.
        None => Response::new(Body::from_stream(stream::once(async {
            Err::<Bytes, io::Error>(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "reset_before fault",
            ))
        }))),
    }
}

/// The operation's response with its body read into memory.
pub(super) async fn buffer(response: Response) -> (StatusCode, HeaderMap, Bytes) {
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, MAX_BUFFERED_BODY)
        .await
        .unwrap_or_default();
    (parts.status, parts.headers, body)
}

static PAD: [u8; 64 * 1024] = [b'x'; 64 * 1024];

/// `prefix`, padding and `suffix` as chunks of exactly `size` bytes in total.
fn padded(prefix: Vec<u8>, suffix: &'static [u8], size: u64) -> Vec<Bytes> {
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    if size <= prefix.len() + suffix.len() {
        let mut all = prefix;
        all.extend_from_slice(suffix);
        all.truncate(size);
        return vec![Bytes::from(all)];
    }
    let mut padding = size - prefix.len() - suffix.len();
    let mut chunks = vec![Bytes::from(prefix)];
    while padding > 0 {
        let n = padding.min(PAD.len());
        chunks.push(Bytes::from_static(&PAD[..n]));
        padding -= n;
    }
    chunks.push(Bytes::from_static(suffix));
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_is_exact() {
        for size in [0u64, 5, 100, 65_536, 200_000] {
            let chunks = padded(b"{\"a\":\"".to_vec(), b"\"}", size);
            let total: usize = chunks.iter().map(Bytes::len).sum();
            assert_eq!(total as u64, size);
        }
    }
}
