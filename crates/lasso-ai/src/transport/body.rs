//! Request bodies (JSON and multipart uploads) and reading response bodies
//! within their bounds.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::{self, BoxStream, StreamExt};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use tokio::time::Instant;

use super::connector::BoxError;
use crate::error::Error;

/// The body type every request is sent with.
pub(crate) type OutBody = UnsyncBoxBody<Bytes, BoxError>;

/// Chunks of an upload streamed from a caller's source ([`crate::UploadSource::Stream`]),
/// read as they are sent.
pub type ChunkStream = BoxStream<'static, std::io::Result<Bytes>>;

/// Builds a multipart form afresh for each attempt (a stream cannot be replayed).
pub(crate) type FormFactory = Arc<dyn Fn() -> Result<Form, Error> + Send + Sync>;

/// The body of a request.
#[derive(Clone)]
pub(crate) enum RequestBody {
    /// `application/json`.
    Json(Bytes),
    /// `multipart/form-data`.
    Multipart(FormFactory),
}

impl RequestBody {
    /// The `Content-Type`, `Content-Length` (when known) and body of one attempt.
    pub(crate) fn open(&self) -> Result<(String, Option<u64>, OutBody), Error> {
        match self {
            RequestBody::Json(bytes) => Ok((
                "application/json".to_owned(),
                Some(bytes.len() as u64),
                Full::new(bytes.clone())
                    .map_err(|never| match never {})
                    .boxed_unsync(),
            )),
            RequestBody::Multipart(factory) => factory()?.encode(),
        }
    }
}

/// A `multipart/form-data` body of file parts.
pub(crate) struct Form {
    boundary: String,
    parts: Vec<FilePart>,
}

/// One file part of a form.
pub(crate) struct FilePart {
    pub name: &'static str,
    pub filename: String,
    pub content_type: String,
    pub length: Option<u64>,
    pub content: ChunkStream,
}

impl Form {
    pub(crate) fn new() -> Form {
        Form {
            boundary: format!("lasso-{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..)),
            parts: Vec::new(),
        }
    }

    pub(crate) fn part(mut self, part: FilePart) -> Form {
        self.parts.push(part);
        self
    }

    fn encode(self) -> Result<(String, Option<u64>, OutBody), Error> {
        let content_type = format!("multipart/form-data; boundary={}", self.boundary);
        let mut length = Some(0u64);
        let mut pieces: Vec<ChunkStream> = Vec::new();
        for part in self.parts {
            let head = Bytes::from(format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                self.boundary,
                part.name,
                escape_filename(&part.filename),
                part.content_type
            ));
            length = length
                .zip(part.length)
                .map(|(total, len)| total + head.len() as u64 + len + 2);
            pieces.push(stream::iter([Ok(head)]).boxed());
            pieces.push(part.content);
            pieces.push(stream::iter([Ok(Bytes::from_static(b"\r\n"))]).boxed());
        }
        let tail = Bytes::from(format!("--{}--\r\n", self.boundary));
        length = length.map(|total| total + tail.len() as u64);
        pieces.push(stream::iter([Ok(tail)]).boxed());
        let frames = stream::iter(pieces)
            .flatten()
            .map(|chunk| chunk.map(Frame::data).map_err(|e| Box::new(e) as BoxError));
        Ok((content_type, length, StreamBody::new(frames).boxed_unsync()))
    }
}

/// A file name as browsers put it in a multipart header (the HTML standard's
/// encoding): CR, LF and `"` become `%0D`, `%0A` and `%22`, so a name can
/// never end the header line or the quoted string.
pub(crate) fn escape_filename(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            '"' => out.push_str("%22"),
            c => out.push(c),
        }
    }
    out
}

/// Why a body could not be read whole.
pub(crate) enum ReadError {
    /// It is longer than the limit (the rest was not read).
    TooLarge { limit: usize },
    /// The connection failed (or the deadline passed) before its end.
    Failed(hyper::Error),
}

/// Reads the whole body, refusing one longer than `limit` as soon as its
/// `Content-Length` or its bytes show it.
pub(crate) async fn read_limited(mut body: Incoming, limit: usize) -> Result<Bytes, ReadError> {
    use http_body::Body as _;
    if body.size_hint().lower() > limit as u64 {
        return Err(ReadError::TooLarge { limit });
    }
    let (mut chunks, mut len) = (Vec::new(), 0usize);
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(ReadError::Failed)?.into_data() else {
            continue;
        };
        len += data.len();
        if len > limit {
            return Err(ReadError::TooLarge { limit });
        }
        chunks.push(data);
    }
    Ok(match chunks.len() {
        0 => Bytes::new(),
        1 => chunks.pop().expect("one chunk"),
        _ => {
            let mut whole = Vec::with_capacity(len);
            chunks.iter().for_each(|c| whole.extend_from_slice(c));
            Bytes::from(whole)
        }
    })
}

/// Reads at most `limit` bytes of an error body before `deadline`, keeping
/// whatever arrived when the body is cut short, stalls or is larger: the
/// status already received decides the error, not the body's fate.
pub(crate) async fn read_partial(mut body: Incoming, limit: usize, deadline: Instant) -> Vec<u8> {
    let mut out = Vec::new();
    while out.len() < limit {
        match tokio::time::timeout_at(deadline, body.frame()).await {
            Ok(Some(Ok(frame))) => {
                if let Ok(data) = frame.into_data() {
                    let room = limit - out.len();
                    out.extend_from_slice(&data[..data.len().min(room)]);
                }
            }
            _ => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_cannot_break_the_part_header() {
        assert_eq!(escape_filename("a\r\nX-Injected: 1"), "a%0D%0AX-Injected: 1");
        assert_eq!(escape_filename("say \"hi\".csv"), "say %22hi%22.csv");
        assert_eq!(escape_filename("Café ü.pdf"), "Café ü.pdf");
    }
}
