//! The client: cheap to clone, one connection pool shared by every clone.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api_key::ApiKey;
use crate::config::ClientBuilder;
use crate::error::{capped_text, snippet, ApiError, Error, RAW_BODY_LIMIT};
use crate::operation::Prepared;
use crate::operation::{self, Operation, ResponseKind};
use crate::options::RequestOptions;
use crate::transport::{FormFactory, Outgoing, RawResponse, RequestBody, Streaming, Transport};

/// A Lasso API client. `Clone + Send + Sync`; clones share one connection pool.
///
/// ```no_run
/// # async fn run() -> Result<(), lasso_ai::Error> {
/// let client = lasso_ai::Client::from_env()?;
/// let balance = client.credits().balance().await?;
/// println!("{} credits left", balance.balance);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    defaults: RequestOptions,
}

struct Inner {
    key: ApiKey,
    transport: Transport,
}

impl Client {
    /// A client with this key, `LASSO_BASE_URL` when set (as in every
    /// language), and every other setting at its default.
    pub fn new(api_key: impl Into<String>) -> Result<Client, Error> {
        ClientBuilder::from_env().api_key(api_key).build()
    }

    /// A client from `LASSO_API_KEY` (required) and `LASSO_BASE_URL` (optional).
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env().build()
    }

    /// A builder for every setting.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    pub(crate) fn from_parts(key: ApiKey, transport: Transport) -> Client {
        Client {
            inner: Arc::new(Inner { key, transport }),
            defaults: RequestOptions::default(),
        }
    }

    /// A client sharing this one's connection pool with other defaults
    /// (timeout, retries, headers) for every call it makes; a call's own
    /// [`with_options`](crate::Call::with_options) still wins.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        Client {
            inner: self.inner.clone(),
            defaults: options.merged_over(&self.defaults),
        }
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.inner.transport.base_url()
    }

    /// The key as `lasso_…` plus its last four characters.
    pub fn masked_key(&self) -> String {
        self.inner.key.masked()
    }

    /// `e` with every trace of this client's key replaced by its masked form.
    pub(crate) fn redact(&self, e: Error) -> Error {
        e.redacted(&self.inner.key)
    }

    /// The time each attempt of this client's calls may take unless a call
    /// says otherwise (its own default, else the builder's).
    pub(crate) fn attempt_timeout(&self) -> std::time::Duration {
        self.defaults.timeout.unwrap_or(self.inner.transport.timeout)
    }

    /// Calls an operation by id with JSON arguments and returns the JSON
    /// response: the one entry point of the Python and Node bindings.
    pub(crate) async fn value_call(
        &self,
        operation: &str,
        args: Value,
        options: &RequestOptions,
    ) -> Result<Value, Error> {
        self.json_call(operation, args, options).await?.into_value()
    }

    /// Like `value_call`, but returns the successful response's
    /// JSON undecoded, for front doors that decode it straight into their
    /// own objects (the Python binding) rather than through a `Value`.
    pub(crate) async fn json_call(
        &self,
        operation: &str,
        args: Value,
        options: &RequestOptions,
    ) -> Result<JsonBody, Error> {
        crate::runtime::guarded(self.call_json_inner(operation, args, options))
            .await
            .map_err(|e| e.redacted(&self.inner.key))
    }

    async fn call_json_inner(
        &self,
        operation: &str,
        args: Value,
        options: &RequestOptions,
    ) -> Result<JsonBody, Error> {
        let op = operation::find(operation)
            .ok_or_else(|| Error::config(format!("unknown operation `{operation}`")))?;
        if op.response == ResponseKind::Binary {
            return Err(Error::config(format!(
                "`{operation}` returns bytes, not JSON: use the export helpers"
            )));
        }
        let response = self.execute(op, args, options).await?;
        self.json_body(op, response)
    }

    /// A successful response of `op` as a [`JsonBody`]. The operations that
    /// report some failures in a 200 body (search, enrich) are decoded here
    /// to check for them, and keep that decoded value.
    fn json_body(&self, op: &'static Operation, mut response: RawResponse) -> Result<JsonBody, Error> {
        if op.response == ResponseKind::Empty {
            response.body = bytes::Bytes::new();
        }
        let decoded = if op.error_in_body {
            let value = decode_json(op, &response)?;
            check_body_error(op, &response, &value)?;
            Some(value)
        } else {
            None
        };
        check_shape(op, &response, decoded.as_ref())?;
        Ok(JsonBody {
            op,
            response,
            key: self.inner.key.clone(),
            decoded,
        })
    }

    /// Calls an operation and decodes the response into `T` (with the
    /// response's status and headers when `with_meta`).
    pub(crate) async fn call_typed<T: DeserializeOwned>(
        &self,
        op: &'static Operation,
        args: Value,
        options: &RequestOptions,
        with_meta: bool,
    ) -> Result<(T, Option<ResponseMeta>), Error> {
        let result = async {
            let response = self.execute(op, args, options).await?;
            let body = self.json_body(op, response)?;
            let meta = with_meta.then(|| body.meta());
            Ok::<_, Error>((body.decode()?, meta))
        };
        result.await.map_err(|e| e.redacted(&self.inner.key))
    }

    /// Calls an operation whose success has no body (204), with the
    /// response's status and headers when `with_meta`.
    pub(crate) async fn call_empty(
        &self,
        op: &'static Operation,
        args: Value,
        options: &RequestOptions,
        with_meta: bool,
    ) -> Result<Option<ResponseMeta>, Error> {
        self.execute(op, args, options)
            .await
            .map(|r| with_meta.then(|| ResponseMeta::of(r.status.as_u16(), &r.headers)))
            .map_err(|e| e.redacted(&self.inner.key))
    }

    /// Sends one request by method and path (below the base URL, starting
    /// with `/`), with the client's authentication, timeouts and retry
    /// policy, and returns the successful response undecoded. For tests and
    /// for endpoints this SDK does not cover yet; not part of the stable API.
    pub(crate) async fn send_raw(
        &self,
        method: http::Method,
        path: &str,
        body: Option<Value>,
        options: &RequestOptions,
    ) -> Result<RawResponse, Error> {
        if !path.starts_with('/') {
            return Err(Error::config(format!("path {path:?} must start with `/`")));
        }
        let body = body.as_ref().map(json_body).transpose()?;
        let label = format!("{method} {path}");
        let outgoing = Outgoing {
            method: &method,
            path,
            query: &[],
            body,
            label: &label,
            discard_body: false,
            too_large_hint: TOO_LARGE_HINT,
        };
        self.inner
            .transport
            .send(outgoing, &options.merged_over(&self.defaults))
            .await
    }

    async fn execute(
        &self,
        op: &'static Operation,
        args: Value,
        options: &RequestOptions,
    ) -> Result<RawResponse, Error> {
        self.execute_bounded(op, args, options, TOO_LARGE_HINT).await
    }

    /// Like `execute`, saying what to do when the body is over the client's
    /// `max_response_bytes` (`hint`).
    pub(crate) async fn execute_bounded(
        &self,
        op: &'static Operation,
        args: Value,
        options: &RequestOptions,
        hint: &'static str,
    ) -> Result<RawResponse, Error> {
        let options = options.merged_over(&self.defaults);
        let (prepared, body, label) = outgoing_parts(op, args, &options)?;
        let mut outgoing = outgoing(op, &prepared, body, &label);
        outgoing.too_large_hint = hint;
        self.inner.transport.send(outgoing, &options).await
    }

    /// Like `execute`, returning after the headers so the body can be streamed.
    pub(crate) async fn execute_streaming(
        &self,
        op: &'static Operation,
        args: Value,
        options: &RequestOptions,
    ) -> Result<Streaming, Error> {
        let options = options.merged_over(&self.defaults);
        let (prepared, body, label) = outgoing_parts(op, args, &options)?;
        let outgoing = outgoing(op, &prepared, body, &label);
        self.inner.transport.send_streaming(outgoing, &options).await
    }

    /// Sends a multipart request built afresh for each attempt.
    pub(crate) async fn execute_multipart(
        &self,
        op: &'static Operation,
        form: FormFactory,
        options: &RequestOptions,
    ) -> Result<RawResponse, Error> {
        if !options.extra_body.is_empty() {
            return Err(Error::config(format!(
                "{}: an upload takes no extra body fields (its body is the file)",
                op.id
            )));
        }
        let (prepared, _, label) = outgoing_parts(op, Value::Null, &RequestOptions::default())?;
        let body = Some(RequestBody::Multipart(form));
        let outgoing = outgoing(op, &prepared, body, &label);
        self.inner
            .transport
            .send(outgoing, &options.merged_over(&self.defaults))
            .await
    }
}

/// What to do about a JSON answer over `max_response_bytes`.
const TOO_LARGE_HINT: &str = "raise the client's max_response_bytes if this answer is expected";

/// The request of `op` with its placed arguments and body.
fn outgoing<'a>(
    op: &'a Operation,
    prepared: &'a Prepared,
    body: Option<RequestBody>,
    label: &'a str,
) -> Outgoing<'a> {
    Outgoing {
        method: &prepared.method,
        path: &prepared.path,
        query: &prepared.query,
        body,
        label,
        discard_body: op.response == ResponseKind::Empty,
        too_large_hint: TOO_LARGE_HINT,
    }
}

/// The pieces of an operation's request: placed arguments, JSON body, label for messages.
fn outgoing_parts(
    op: &Operation,
    args: Value,
    options: &RequestOptions,
) -> Result<(Prepared, Option<RequestBody>, String), Error> {
    check_depth(op, &args)?;
    let mut prepared = operation::prepare(op, args)?;
    if !options.extra_body.is_empty() {
        match prepared.body.as_mut() {
            Some(Value::Object(body)) => body.extend(options.extra_body.clone()),
            _ => {
                return Err(Error::config(format!(
                    "{}: extra body fields were given, but {} {} sends no JSON body; use extra query \
                     parameters instead",
                    op.id, op.method, op.path
                )))
            }
        }
    }
    crate::guards::check(op, &prepared, options)?;
    let body = prepared.body.as_ref().map(json_body).transpose()?;
    Ok((prepared, body, format!("{} {}", op.method, op.path)))
}

/// The deepest nesting of lists and objects an argument may have: what a
/// JSON parser (serde_json's, and so the API's answers) accepts, and far
/// beyond any real product record. Deeper usually means a structure that
/// contains itself; every front door checks it the same way.
pub const MAX_ARGUMENT_DEPTH: usize = 128;

/// Refuses arguments nested deeper than [`MAX_ARGUMENT_DEPTH`], without
/// recursing (so a value millions of levels deep cannot exhaust the stack).
fn check_depth(op: &Operation, args: &Value) -> Result<(), Error> {
    let mut stack = vec![(args, 0usize)];
    while let Some((value, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(map) => Box::new(map.values()),
            _ => continue,
        };
        if depth >= MAX_ARGUMENT_DEPTH {
            return Err(Error::config(format!(
                "{}: the arguments are nested more than {MAX_ARGUMENT_DEPTH} levels deep; flatten them \
                 (a list or dict that contains itself?)",
                op.id
            )));
        }
        stack.extend(children.map(|child| (child, depth + 1)));
    }
    Ok(())
}

fn json_body(value: &Value) -> Result<RequestBody, Error> {
    let bytes =
        serde_json::to_vec(value).map_err(|e| Error::config(format!("cannot encode the body: {e}")))?;
    Ok(RequestBody::Json(bytes.into()))
}

/// The newer API reports some failures in a 200 body (`{"error": "Insufficient credits"}`).
fn check_body_error(op: &Operation, response: &RawResponse, value: &Value) -> Result<(), Error> {
    match op
        .error_in_body
        .then(|| ApiError::from_success_body(response.status, &response.headers, value))
        .flatten()
        .map(|e| e.for_operation(&format!("{} {}", op.method, op.path)))
    {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// A JSON operation answers with an object (its model): anything else (an
/// array, a bare string, `null`, nothing) is a decode error rather than a
/// result. Only the first character is looked at here; the front door's
/// decoder checks the rest.
fn check_shape(op: &Operation, response: &RawResponse, decoded: Option<&Value>) -> Result<(), Error> {
    if op.response != ResponseKind::Json || op.returns.is_none() {
        return Ok(());
    }
    let is_object = match decoded {
        Some(value) => value.is_object(),
        None => response.body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{'),
    };
    if is_object {
        return Ok(());
    }
    let what = match response.body.iter().find(|b| !b.is_ascii_whitespace()) {
        None => "an empty body",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b'n') => "null",
        Some(b't' | b'f') => "a boolean",
        Some(b'-' | b'0'..=b'9') => "a number",
        Some(_) => "something that is not JSON",
    };
    let model = op.returns.unwrap_or("object");
    Err(decode_error(
        op,
        response,
        &format!("{what} where the {model} object was expected"),
    ))
}

/// What a successful response said besides its body: quote its `request_id`
/// to support about a call that worked. See [`Call::with_response`](crate::Call::with_response).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseMeta {
    /// HTTP status (2xx).
    pub status: u16,
    /// The `x-request-id` header, when the server sent one.
    pub request_id: Option<String>,
    /// Every header, names lower-cased, in the order received (a name may repeat).
    pub headers: Vec<(String, String)>,
}

impl ResponseMeta {
    pub(crate) fn of(status: u16, headers: &http::HeaderMap) -> ResponseMeta {
        let headers: Vec<(String, String)> = headers
            .iter()
            .filter_map(|(name, value)| Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned())))
            .collect();
        let request_id = headers
            .iter()
            .find(|(name, _)| name == "x-request-id")
            .map(|(_, v)| v.clone());
        ResponseMeta {
            status,
            request_id,
            headers,
        }
    }
}

/// A successful response whose body is JSON (or empty), not decoded yet.
pub struct JsonBody {
    op: &'static Operation,
    response: RawResponse,
    key: ApiKey,
    /// The body already decoded, when the call had to look inside it.
    decoded: Option<Value>,
}

impl JsonBody {
    /// The response's status, request id and headers: what a front door's
    /// "with response" variant shows of a call that worked.
    pub fn meta(&self) -> ResponseMeta {
        ResponseMeta::of(self.response.status.as_u16(), &self.response.headers)
    }

    /// The body; empty (or only whitespace) means no content, i.e. `null`.
    pub fn bytes(&self) -> &[u8] {
        &self.response.body
    }

    /// Whether the body has no content (decodes as `null`).
    pub fn is_empty(&self) -> bool {
        self.response.body.iter().all(u8::is_ascii_whitespace)
    }

    /// The error to raise when a front door's decoder rejects the body
    /// (`why`): the same `decode` error as [`JsonBody::into_value`]'s.
    pub fn decode_error(&self, why: &str) -> Error {
        decode_error(self.op, &self.response, why).redacted(&self.key)
    }

    /// The body as JSON text, checked to be JSON (`null` when empty), for
    /// front doors whose own parser is fastest (JavaScript's `JSON.parse`).
    pub fn to_text(&self) -> Result<String, Error> {
        if self.is_empty() {
            return Ok("null".to_owned());
        }
        // Strings are skipped, not decoded: like JavaScript's own parser,
        // this accepts an unpaired surrogate escape, which a JS string can hold.
        let bytes = self.bytes();
        serde_json::from_slice::<serde::de::IgnoredAny>(bytes)
            .map_err(|e| e.to_string())
            .and_then(|_| String::from_utf8(bytes.to_vec()).map_err(|e| e.to_string()))
            .map_err(|why| self.decode_error(&why))
    }

    /// The body as a JSON value.
    pub fn into_value(self) -> Result<Value, Error> {
        match self.decoded {
            Some(value) => Ok(value),
            None => decode_json(self.op, &self.response).map_err(|e| e.redacted(&self.key)),
        }
    }

    /// The body decoded as `T`.
    pub(crate) fn decode<T: DeserializeOwned>(self) -> Result<T, Error> {
        let decoded = match self.decoded {
            Some(ref value) => T::deserialize(value),
            None => serde_json::from_slice(&self.response.body),
        };
        decoded.map_err(|e| match self.decode_error(&e.to_string()) {
            Error::Decode {
                status,
                message,
                raw_body,
                ..
            } => Error::Decode {
                status,
                message,
                raw_body,
                source: Some(Box::new(e)),
            },
            other => other,
        })
    }

    pub(crate) fn operation(&self) -> &'static Operation {
        self.op
    }
}

impl std::fmt::Debug for JsonBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonBody")
            .field("operation", &self.op.id)
            .field("len", &self.response.body.len())
            .finish_non_exhaustive()
    }
}

fn decode_json(op: &Operation, response: &RawResponse) -> Result<Value, Error> {
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&response.body).map_err(|e| decode_error(op, response, &e.to_string()))
}

fn decode_error(op: &Operation, response: &RawResponse, why: &str) -> Error {
    let content_type = response
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("no content type");
    Error::Decode {
        status: response.status.as_u16(),
        message: format!(
            "{} {} answered {} ({content_type}) with a body that is not the expected JSON ({why}): {}",
            op.method,
            op.path,
            response.status.as_u16(),
            snippet(&response.body)
        ),
        raw_body: capped_text(&response.body, RAW_BODY_LIMIT),
        source: None,
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = &self.inner.transport;
        f.debug_struct("Client")
            .field("base_url", &t.base_url())
            .field("api_key", &self.inner.key.masked())
            .field("timeout", &self.defaults.timeout.unwrap_or(t.timeout))
            .field("max_retries", &self.defaults.max_retries.unwrap_or(t.max_retries))
            .finish()
    }
}
