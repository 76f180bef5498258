// Starts one lasso-mock per test file: `const mock = await startMock()`,
// then `after(() => mock.stop())`.
//
// The binary is $LASSO_MOCK_BIN, else the workspace's debug build
// (`CARGO_BUILD_TARGET=x86_64-unknown-linux-gnu cargo build -p lasso-mock`).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const NODE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const REPO = resolve(NODE_DIR, "..");
export const MOCK_BIN =
  process.env.LASSO_MOCK_BIN || resolve(REPO, "target", "x86_64-unknown-linux-gnu", "debug", "lasso-mock");

/** A well-formed key the mock accepts. */
export const KEY = `lasso_${"0123456789abcdef".repeat(4)}`;
/** The key the mock rejects with 401 (revoked). */
export const REVOKED_KEY = `lasso_${"0".repeat(64)}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s) => typeof s === "string" && UUID.test(s);

/**
 * @param {{ args?: string[] }} [options] Extra command-line arguments, e.g. `["--time-scale", "0.1"]`.
 * @returns {Promise<{baseUrl: string, root: string, stats(): Promise<any>,
 *   fault(f: object): Promise<void>, reset(): Promise<void>, stop(): Promise<void>}>}
 */
export async function startMock({ args = [] } = {}) {
  if (!existsSync(MOCK_BIN)) {
    throw new Error(
      `lasso-mock not found at ${MOCK_BIN}: build it with ` +
        "`CARGO_BUILD_TARGET=x86_64-unknown-linux-gnu cargo build -p lasso-mock` or set LASSO_MOCK_BIN",
    );
  }
  const child = spawn(MOCK_BIN, ["--port", "0", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const baseUrl = await new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => fail(new Error("lasso-mock did not announce its URL within 15 s")), 15_000);
    const fail = (err) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(err);
    };
    child.once("error", fail);
    const earlyExit = (code, signal) => fail(new Error(`lasso-mock exited early (${code ?? signal})`));
    child.once("exit", earlyExit);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", function onData(chunk) {
      buffered += chunk;
      const nl = buffered.indexOf("\n");
      if (nl < 0) return;
      child.stdout.off("data", onData);
      child.stdout.resume(); // keep draining whatever else it prints
      clearTimeout(timer);
      child.off("exit", earlyExit); // keep the listener behind `exited`
      const match = /^listening on (http:\/\/\S+)\s*$/.exec(buffered.slice(0, nl));
      if (match) resolve(match[1]);
      else fail(new Error(`unexpected first line from lasso-mock: ${buffered.slice(0, nl)}`));
    });
  });
  const root = new URL(baseUrl).origin;

  async function control(method, path, body) {
    const res = await fetch(`${root}/__mock/${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /__mock/${path} answered ${res.status}: ${text}`);
    return JSON.parse(text);
  }

  return {
    baseUrl,
    root,
    stats: () => control("GET", "stats"),
    /** The requests that reached the API since the last reset (key masked). */
    requests: async () => (await control("GET", "requests")).requests,
    fault: async (f) => {
      await control("POST", "faults", f);
    },
    reset: async () => {
      await control("POST", "reset");
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
