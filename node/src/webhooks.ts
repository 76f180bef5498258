/**
 * Verify the webhooks Lasso sends; no client or API key needed.
 *
 * Lasso signs each delivery with `X-Lasso-Signature: sha256=<hex>`, an
 * HMAC-SHA256 of the raw request body keyed with the endpoint's secret (the
 * `whsec_…` value returned once when the webhook is created). Verify it over
 * the body **exactly as received**, before parsing it; the comparison runs in
 * constant time in the Rust core.
 *
 * ```ts
 * import express from "express";
 * import { webhooks, WebhookVerificationError } from "@lasso-ai/sdk";
 *
 * const app = express();
 * app.post("/lasso/webhook", express.raw({ type: "application/json" }), (req, res) => {
 *   let event;
 *   try {
 *     event = webhooks.constructEvent(req.body, req.headers["x-lasso-signature"], process.env.LASSO_WEBHOOK_SECRET);
 *   } catch (err) {
 *     if (err instanceof WebhookVerificationError) return res.status(400).json({ error: err.reason });
 *     throw err;
 *   }
 *   handle(event.event, event.data);
 *   res.sendStatus(204);
 * });
 * ```
 *
 * The signed material is the body only (no timestamp header). The event's own
 * `timestamp` is inside it, so `{ tolerance }` (milliseconds) refuses a
 * delivery signed longer ago than that (off by default: Lasso documents no
 * window); deduplicate on `X-Lasso-Delivery-Id` too if replays matter.
 * Secrets are trimmed (a trailing newline from an env file does not count).
 *
 * @module
 */
import { fromNative } from "./errors";
import { native } from "./native";

/** The header carrying the signature. */
export const WEBHOOK_SIGNATURE_HEADER = "X-Lasso-Signature";

/**
 * The raw request body: a `Buffer` / `Uint8Array`, an `ArrayBuffer` or a
 * string, exactly as received. A parsed object is refused (`payload_not_raw`).
 */
export type WebhookPayload = Uint8Array | ArrayBuffer | string;

/** The `X-Lasso-Signature` header as frameworks give it (`req.headers[...]`, `headers.get(...)`). */
export type WebhookSignatureHeader = string | readonly string[] | null | undefined;

/** The endpoint's signing secret, or several while rotating (any one matching is enough). */
export type WebhookSecrets = string | readonly string[];

/** A webhook event (lasso-api.md §1.8), e.g. `{ event: "product.updated", timestamp, data }`. */
export interface WebhookEvent {
  /** The event type, e.g. `product.created`, `attribute.updated`, `webhook.test`, `table.completed`. */
  event: string;
  /** When the event happened (ISO 8601). Not covered by any replay check. */
  timestamp?: string;
  /** The event's data. */
  data?: unknown;
  [key: string]: unknown;
}

/** Options of {@link verifyWebhook} and {@link constructWebhookEvent}. */
export interface WebhookVerifyOptions {
  /**
   * Milliseconds: the event's `timestamp` (signed with the body) must be within
   * that long of now, else `WebhookVerificationError` with reason
   * `timestamp_outside_tolerance`. Off by default.
   */
  tolerance?: number;
}

/** Any byte view or ArrayBuffer as a Buffer over the same memory; anything else unchanged. */
function raw(payload: unknown): unknown {
  if (Buffer.isBuffer(payload) || typeof payload === "string") return payload;
  if (ArrayBuffer.isView(payload)) return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (payload instanceof ArrayBuffer) return Buffer.from(payload);
  return payload;
}

function header(value: unknown): string | null | undefined {
  if (value === null || value === undefined || typeof value === "string") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join(",");
  throw new TypeError(`the signature header must be a string, got ${describe(value)}`);
}

function secrets(value: unknown): string | string[] | null | undefined {
  if (value === null || value === undefined || typeof value === "string") return value;
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (typeof v !== "string") throw new TypeError(`secret[${i}] must be a string, got ${describe(v)}`);
    });
    return value as string[];
  }
  throw new TypeError(`the secret must be a string or an array of strings, got ${describe(value)}`);
}

function describe(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

function call<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw fromNative(err);
  }
}

/**
 * Checks that `payload` was signed by Lasso; returns nothing or throws.
 *
 * @param payload The raw request body exactly as received (e.g. `req.body`
 *   with `express.raw()`, `await request.text()` in a fetch handler).
 * @param signatureHeader The `X-Lasso-Signature` header (`undefined` when
 *   absent). Several comma-separated signatures are accepted.
 * @param secret The endpoint's secret, or an array of secrets while rotating.
 * @throws {WebhookVerificationError} With `reason` `missing_header`,
 *   `malformed_header`, `no_matching_signature`, `payload_not_raw` or `no_secret`.
 */
export function verifyWebhook(
  payload: WebhookPayload,
  signatureHeader: WebhookSignatureHeader,
  secret: WebhookSecrets | null | undefined,
  options: WebhookVerifyOptions = {},
): void {
  const s = secrets(secret);
  const h = header(signatureHeader);
  call(() => native().verifyWebhook(raw(payload), h, s, options.tolerance ?? null));
}

/**
 * Verifies like {@link verifyWebhook}, then returns the parsed event.
 * A correctly signed body that is not JSON throws `ResponseDecodeError`.
 *
 * @throws {WebhookVerificationError} When verification fails.
 * @throws {ResponseDecodeError} When the verified body is not JSON.
 */
export function constructWebhookEvent<T = WebhookEvent>(
  payload: WebhookPayload,
  signatureHeader: WebhookSignatureHeader,
  secret: WebhookSecrets | null | undefined,
  options: WebhookVerifyOptions = {},
): T {
  const s = secrets(secret);
  const h = header(signatureHeader);
  return call((): unknown => native().constructWebhookEvent(raw(payload), h, s, options.tolerance ?? null)) as T;
}

/**
 * The `X-Lasso-Signature` value Lasso would send for `payload`:
 * `sha256=<lowercase hex>`. Use it to test your webhook handler.
 *
 * @throws {WebhookVerificationError} `no_secret` when the secret is empty.
 */
export function signWebhook(payload: WebhookPayload, secret: string): string {
  if (secret !== null && secret !== undefined && typeof secret !== "string") {
    throw new TypeError(`the secret must be a string, got ${describe(secret)}`);
  }
  return call(() => native().signWebhook(raw(payload), secret));
}

/** The webhook helpers under one name: `webhooks.verify(...)`, `webhooks.constructEvent(...)`, `webhooks.sign(...)`. */
export const webhooks = Object.freeze({
  /** The header carrying the signature. */
  SIGNATURE_HEADER: WEBHOOK_SIGNATURE_HEADER,
  /** {@link verifyWebhook} */
  verify: verifyWebhook,
  /** {@link constructWebhookEvent} */
  constructEvent: constructWebhookEvent,
  /** {@link signWebhook} */
  sign: signWebhook,
});
