// Webhook verification: no client, no API key, no network.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, test } from "node:test";

import {
  constructWebhookEvent,
  LassoError,
  ResponseDecodeError,
  signWebhook,
  verifyWebhook,
  WEBHOOK_SIGNATURE_HEADER,
  WebhookVerificationError,
  webhooks,
} from "@lasso-ai/sdk";

const require = createRequire(import.meta.url);

const SECRET = `whsec_${"5e1d0c3b2a49f8e7".repeat(4)}`;
const BODY = '{"event":"webhook.test","timestamp":"2025-03-12T14:30:00.000Z","data":{"webhook_id":"wh_1"}}';

/** Asserts a WebhookVerificationError with `reason` whose texts never show the secret. */
function failsWith(reason, extra) {
  return (err) => {
    assert.ok(err instanceof WebhookVerificationError, `${err?.name}: ${err?.message}`);
    assert.ok(err instanceof LassoError);
    assert.ok(err instanceof Error);
    assert.equal(err.name, "WebhookVerificationError");
    assert.equal(err.reason, reason);
    assert.equal(err.statusCode, null);
    for (const text of [err.message, String(err), err.stack, JSON.stringify(err)]) {
      assert.ok(!text.includes(SECRET), text);
      assert.ok(!text.includes(SECRET.slice(6, 20)), text);
    }
    if (extra) extra(err);
    return true;
  };
}

describe("sign", () => {
  test("RFC 4231 vector and the documented format", () => {
    assert.equal(
      signWebhook("what do ya want for nothing?", "Jefe"),
      "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
    const header = signWebhook(BODY, SECRET);
    assert.match(header, /^sha256=[0-9a-f]{64}$/);
    const bytes = new TextEncoder().encode(BODY);
    assert.equal(signWebhook(Buffer.from(BODY), SECRET), header);
    assert.equal(signWebhook(bytes, SECRET), header);
    assert.equal(signWebhook(bytes.buffer, SECRET), header);
  });

  test("an empty secret is refused", () => {
    assert.throws(() => signWebhook(BODY, ""), failsWith("no_secret"));
  });
});

describe("verify", () => {
  const header = signWebhook(BODY, SECRET);

  test("valid from string, Buffer, Uint8Array (with offset), ArrayBuffer", () => {
    const padded = Buffer.from(`xx${BODY}yy`);
    const view = new Uint8Array(padded.buffer, padded.byteOffset + 2, padded.length - 4);
    for (const payload of [BODY, Buffer.from(BODY), view, new TextEncoder().encode(BODY).buffer]) {
      assert.equal(verifyWebhook(payload, header, SECRET), undefined);
    }
    // Upper-case hex, surrounding white space, and the header as an array (repeated header).
    verifyWebhook(BODY, `  sha256=${header.slice(7).toUpperCase()} `, SECRET);
    verifyWebhook(BODY, [signWebhook(BODY, "whsec_other"), header], SECRET);
  });

  test("constructEvent returns the parsed event", () => {
    assert.deepEqual(constructWebhookEvent(Buffer.from(BODY), header, SECRET), JSON.parse(BODY));
    assert.equal(webhooks.constructEvent(BODY, header, [SECRET]).event, "webhook.test");
  });

  test("the namespace object", () => {
    assert.equal(webhooks.verify, verifyWebhook);
    assert.equal(webhooks.sign, signWebhook);
    assert.equal(webhooks.constructEvent, constructWebhookEvent);
    assert.equal(webhooks.SIGNATURE_HEADER, "X-Lasso-Signature");
    assert.equal(WEBHOOK_SIGNATURE_HEADER, "X-Lasso-Signature");
    assert.ok(Object.isFrozen(webhooks));
  });

  test("tampered body", () => {
    const tampered = BODY.replace("wh_1", "wh_2");
    assert.throws(
      () => verifyWebhook(tampered, header, SECRET),
      failsWith("no_matching_signature", (e) => assert.match(e.message, /raw request body/)),
    );
    assert.throws(() => constructWebhookEvent(tampered, header, SECRET), failsWith("no_matching_signature"));
    // Re-serialized JSON is not the same bytes.
    assert.throws(
      () => verifyWebhook(JSON.stringify(JSON.parse(BODY), null, 1), header, SECRET),
      failsWith("no_matching_signature"),
    );
  });

  test("tampered signature", () => {
    const flipped = header.slice(0, -1) + (header.endsWith("0") ? "1" : "0");
    assert.throws(() => verifyWebhook(BODY, flipped, SECRET), failsWith("no_matching_signature"));
    assert.throws(
      () => verifyWebhook(BODY, signWebhook(BODY, "whsec_someone_else"), SECRET),
      failsWith("no_matching_signature"),
    );
  });

  test("rotated secrets: any one matching is enough", () => {
    const [oldS, newS] = [`whsec_old_${"a".repeat(20)}`, `whsec_new_${"b".repeat(20)}`];
    const signed = signWebhook(BODY, newS);
    verifyWebhook(BODY, signed, [oldS, newS]);
    verifyWebhook(BODY, signed, [newS, oldS]);
    assert.throws(
      () => verifyWebhook(BODY, signed, [oldS, SECRET]),
      failsWith("no_matching_signature", (e) => assert.match(e.message, /2 given secrets/)),
    );
  });

  test("missing header", () => {
    for (const h of [undefined, null, "", "  "]) {
      assert.throws(
        () => verifyWebhook(BODY, h, SECRET),
        failsWith("missing_header", (e) => assert.match(e.message, /X-Lasso-Signature/)),
      );
    }
  });

  test("malformed headers", () => {
    const hex = header.slice(7);
    for (const h of [hex, `sha1=${hex}`, `sha256=${hex.slice(0, 62)}zz`, header.slice(0, -1), `${header}00`, "sha256="]) {
      assert.throws(
        () => verifyWebhook(BODY, h, SECRET),
        failsWith("malformed_header", (e) => {
          assert.match(e.message, /sha256=/);
          assert.ok(!e.message.includes(hex));
        }),
        h,
      );
    }
  });

  test("a parsed payload is refused with payload_not_raw", () => {
    for (const payload of [JSON.parse(BODY), [1, 2], null, undefined, 42]) {
      const check = failsWith("payload_not_raw", (e) => {
        assert.match(e.message, /raw request body/);
        assert.match(e.message, /express\.raw/);
      });
      assert.throws(() => verifyWebhook(payload, header, SECRET), check);
      assert.throws(() => constructWebhookEvent(payload, header, SECRET), check);
    }
    assert.throws(() => verifyWebhook({ event: "x" }, header, SECRET), /got an object/);
  });

  test("empty or missing secrets", () => {
    for (const s of ["", " ", [], [SECRET, ""], undefined, null]) {
      assert.throws(
        () => verifyWebhook(BODY, header, s),
        failsWith("no_secret", (e) => assert.match(e.message, /whsec_/)),
        JSON.stringify(s),
      );
    }
  });

  test("wrongly typed secrets are TypeErrors", () => {
    assert.throws(() => verifyWebhook(BODY, header, Buffer.from(SECRET)), TypeError);
    assert.throws(() => verifyWebhook(BODY, header, [SECRET, 3]), /secret\[1\] must be a string/);
    assert.throws(() => verifyWebhook(BODY, 42, SECRET), TypeError);
  });

  test("messages never contain the secret or the expected signature", () => {
    const attempts = [
      [BODY, undefined, SECRET],
      [BODY, "garbage", SECRET],
      [BODY, signWebhook(BODY, "whsec_wrong"), SECRET],
      ["other body", header, SECRET],
      ["other body", header, [SECRET, `whsec_second_${"c".repeat(30)}`]],
      [{ a: 1 }, header, SECRET],
    ];
    for (const [payload, h, s] of attempts) {
      assert.throws(
        () => verifyWebhook(payload, h, s),
        (err) => {
          assert.ok(err instanceof WebhookVerificationError);
          for (const text of [err.message, String(err), err.stack, JSON.stringify(err)]) {
            assert.ok(!text.includes(SECRET), text);
            assert.ok(!text.includes(header.slice(7)), text);
          }
          return true;
        },
      );
    }
  });

  test("a signed body that is not JSON is a ResponseDecodeError", () => {
    const body = "<html>not json</html>";
    assert.throws(
      () => constructWebhookEvent(body, signWebhook(body, SECRET), SECRET),
      (err) => {
        assert.ok(err instanceof ResponseDecodeError);
        assert.equal(err.statusCode, null);
        assert.equal(err.rawBody, body);
        assert.match(err.message, /not valid JSON/);
        return true;
      },
    );
  });

  test("random bodies round-trip and any bit flip fails", () => {
    let seed = 0x1a55;
    const rand = (n) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 200; i++) {
      const body = Buffer.alloc(i % 40 === 0 ? 0 : 1 + rand(1500));
      for (let j = 0; j < body.length; j++) body[j] = rand(256);
      const secret = `whsec_${"x".repeat(1 + rand(60))}${i}`;
      const signed = signWebhook(body, secret);
      verifyWebhook(body, signed, secret);
      verifyWebhook(body, signed, ["whsec_decoy", secret]);
      const tampered = body.length ? Buffer.from(body) : Buffer.from("x");
      if (body.length) tampered[rand(body.length)] ^= 1 << rand(8);
      assert.throws(() => verifyWebhook(tampered, signed, secret), failsWith("no_matching_signature"));
    }
  });
});

test("the class is shared by ESM and CommonJS and mapped from the core's code", () => {
  const cjs = require("@lasso-ai/sdk");
  assert.equal(cjs.WebhookVerificationError, WebhookVerificationError);
  assert.equal(cjs.webhooks, webhooks);
  const { ERROR_CLASSES } = require("../dist/errors.js");
  assert.equal(ERROR_CLASSES.webhook_verification, WebhookVerificationError);
  const e = new WebhookVerificationError("x", { reason: "no_secret" });
  assert.equal(e.reason, "no_secret");
  assert.equal(new WebhookVerificationError("x").reason, null);
});
