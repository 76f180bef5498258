// Proxies, trust and limits reach the core from Node (issue 12). What the core
// does with them is tested over real TLS and a CONNECT proxy in
// crates/lasso-ai/tests/proxies.rs; here each option's effect is observed on loopback.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";

import LassoClient, {
  APIConnectionError,
  ConfigurationError,
  ResponseDecodeError,
  ResponseTooLargeError,
} from "../dist/index.mjs";
import { KEY, REPO, startMock } from "./helpers/mock.mjs";

// The proxy variables of the spec (`lasso_spec::environment`), cleared around each test.
const PROXY_VARS = JSON.parse(readFileSync(join(REPO, "tests", "manifest.json"), "utf8")).proxy_variables;

let mock;
before(async () => {
  mock = await startMock();
});
after(() => mock.stop());

/** Runs `fn` with only these proxy variables set. */
async function withProxyEnv(vars, fn) {
  const saved = Object.fromEntries(PROXY_VARS.map((n) => [n, process.env[n]]));
  for (const n of PROXY_VARS) delete process.env[n];
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const n of PROXY_VARS) {
      if (saved[n] === undefined) delete process.env[n];
      else process.env[n] = saved[n];
    }
  }
}

/**
 * A TCP server recording what each connection sends first, answering 502 (a
 * stand-in proxy), or with `delayMs` the credit balance, counting connections held at once.
 */
async function recorder(delayMs = 0) {
  const state = { lines: [], received: "", active: 0, peak: 0 };
  const server = net.createServer((socket) => {
    state.active += 1;
    state.peak = Math.max(state.peak, state.active);
    socket.on("close", () => (state.active -= 1));
    let head = "";
    socket.on("data", (chunk) => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      state.received += head;
      state.lines.push(head.split("\r\n")[0]);
      head = "";
      const answer = () => {
        if (!delayMs) return socket.end("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        const body = '{"balance": 42.5, "currency": "credits"}';
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        );
      };
      delayMs ? setTimeout(answer, delayMs) : answer();
    });
    socket.on("error", () => {});
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${server.address().port}`;
  state.close = () => new Promise((resolve) => server.close(resolve));
  return state;
}

test("an environment proxy is never used for a loopback base URL", async () => {
  const trap = await recorder();
  try {
    const vars = { HTTP_PROXY: trap.url, http_proxy: trap.url, HTTPS_PROXY: trap.url, ALL_PROXY: trap.url };
    await withProxyEnv(vars, async () => {
      const { balance } = await new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl }).credits.balance();
      assert.equal(typeof balance, "number");
    });
    assert.deepEqual(trap.lines, []);
  } finally {
    await trap.close();
  }
});

test("the proxy option tunnels https with CONNECT and never sees the key", async () => {
  const proxy = await recorder();
  try {
    await withProxyEnv({}, async () => {
      const client = new LassoClient({
        apiKey: KEY,
        baseUrl: "https://api.lasso.invalid/api/v1",
        proxy: proxy.url,
        maxRetries: 0,
      });
      await assert.rejects(client.credits.balance(), APIConnectionError);
    });
    assert.deepEqual(proxy.lines, ["CONNECT api.lasso.invalid:443 HTTP/1.1"]);
    assert.ok(!proxy.received.includes(KEY.slice(6, 14)) && !proxy.received.includes("Bearer"));
  } finally {
    await proxy.close();
  }
});

test("HTTPS_PROXY is used; proxy: false and NO_PROXY go direct", async () => {
  const proxy = await recorder();
  try {
    const base = "https://api.lasso.invalid/api/v1";
    await withProxyEnv({ HTTPS_PROXY: proxy.url }, async () => {
      await assert.rejects(
        new LassoClient({ apiKey: KEY, baseUrl: base, maxRetries: 0 }).credits.balance(),
        APIConnectionError,
      );
      await assert.rejects(
        new LassoClient({ apiKey: KEY, baseUrl: base, maxRetries: 0, proxy: false }).credits.balance(),
        APIConnectionError,
      );
    });
    await withProxyEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: ".invalid" }, async () => {
      await assert.rejects(
        new LassoClient({ apiKey: KEY, baseUrl: base, maxRetries: 0 }).credits.balance(),
        APIConnectionError,
      );
    });
    assert.deepEqual(proxy.lines, ["CONNECT api.lasso.invalid:443 HTTP/1.1"]);
  } finally {
    await proxy.close();
  }
});

test("a proxy for a plain http base URL, or of another scheme, is refused", async () => {
  await withProxyEnv({}, async () => {
    assert.throws(
      () => new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, proxy: "http://127.0.0.1:3128" }),
      /in clear/,
    );
    for (const bad of ["socks5://127.0.0.1:1080", "https://proxy:443"]) {
      assert.throws(() => new LassoClient({ apiKey: KEY, proxy: bad }), ConfigurationError);
    }
    assert.throws(() => new LassoClient({ apiKey: KEY, proxy: true }), /`proxy` must be a string or false/);
  });
});

test("bad CA bundles fail when the client is built; NODE_EXTRA_CA_CERTS is read like Node reads it", () => {
  for (const bundle of [
    "/no/such/lasso-bundle.pem",
    "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n",
  ]) {
    assert.throws(
      () => new LassoClient({ apiKey: KEY, caBundle: bundle }),
      // Named as Node spells the option.
      (e) => e instanceof ConfigurationError && /caBundle/.test(e.message) && !/ca_bundle/.test(e.message),
    );
  }
  const saved = process.env.NODE_EXTRA_CA_CERTS;
  process.env.NODE_EXTRA_CA_CERTS = "/no/such/extra-ca.pem";
  try {
    assert.throws(() => new LassoClient({ apiKey: KEY }), /no\/such\/extra-ca\.pem/);
  } finally {
    if (saved === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
    else process.env.NODE_EXTRA_CA_CERTS = saved;
  }
});

test("maxConnections caps the sockets of concurrent calls", async () => {
  const server = await recorder(50);
  try {
    const client = new LassoClient({
      apiKey: KEY,
      baseUrl: `${server.url}/api/v1`,
      maxConnections: 4,
      timeout: 30_000,
    });
    const results = await Promise.all(Array.from({ length: 60 }, () => client.credits.balance()));
    assert.ok(results.every((r) => r.balance === 42.5));
    assert.equal(server.lines.length, 60);
    assert.ok(server.peak <= 4, `${server.peak} connections at once`);
  } finally {
    await server.close();
  }
  assert.throws(() => new LassoClient({ apiKey: KEY, maxConnections: 0 }), /maxConnections/);
});

test("maxResponseBytes bounds what is read into memory", async () => {
  await mock.fault({ route: "GET /credits/balance", status: 200, body: { pad: "x".repeat(5000) } });
  const client = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, maxResponseBytes: 4096 });
  const error = await client.credits.balance().catch((e) => e);
  assert.ok(error instanceof ResponseTooLargeError && error instanceof ResponseDecodeError, String(error));
  assert.match(error.message, /4 KiB/);
});
