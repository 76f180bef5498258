/**
 * `@lasso-ai/sdk/testing`: the Lasso API emulator (lasso-mock, bundled in this
 * package's `lasso mock` command) for your own tests, on a free port of
 * 127.0.0.1, so they run offline and need no Rust toolchain.
 *
 * ```ts
 * import { startMock } from "@lasso-ai/sdk/testing";
 * const mock = await startMock();
 * const client = new LassoClient({ apiKey: mock.apiKey, baseUrl: mock.baseUrl });
 * // ...
 * await mock.stop();
 * ```
 *
 * @module
 */
import { spawn } from "node:child_process";
import * as path from "node:path";

/** Options of {@link startMock}. */
export interface MockOptions {
  /** Seed of the emulator's deterministic ids (default 42). */
  seed?: number;
  /** Credits every company starts with (default 1000). */
  balance?: number;
  /** Multiplies emulated durations (an extraction takes 1.2 s at 1, the default); 0 finishes jobs at once. */
  timeScale?: number;
  /** Milliseconds to wait for the emulator to listen (default 15000). */
  startTimeout?: number;
}

/** A running emulator. */
export interface Mock {
  /** The API's base URL, e.g. `http://127.0.0.1:43121/api/v1`: the client's `baseUrl`. */
  readonly baseUrl: string;
  /** A key the emulator accepts (any well-formed key is a company of its own). */
  readonly apiKey: string;
  /** The control API (`${controlUrl}/faults`, `/stats`, `/reset`; see lasso-mock's README). */
  readonly controlUrl: string;
  /** Forgets every table, file and job: a fresh emulator for the next test. */
  reset(): Promise<void>;
  /** Stops the emulator and waits for it to exit. */
  stop(): Promise<void>;
}

/** A well-formed key the emulator accepts. */
export const MOCK_API_KEY = `lasso_${"d".repeat(64)}`;

/** Starts the emulator on a free port and resolves once it listens. */
export async function startMock(options: MockOptions = {}): Promise<Mock> {
  const args = [path.join(__dirname, "..", "bin", "lasso.js"), "mock", "--port", "0"];
  if (options.seed !== undefined) args.push("--seed", String(options.seed));
  if (options.balance !== undefined) args.push("--balance", String(options.balance));
  if (options.timeScale !== undefined) args.push("--time-scale", String(options.timeScale));
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    if (stderr.length < 8192) stderr += chunk;
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    const fail = (message: string): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${message}${stderr ? `: ${stderr.trim()}` : ""}`));
    };
    const timeout = options.startTimeout ?? 15_000;
    const timer = setTimeout(() => fail(`lasso mock did not listen within ${timeout} ms`), timeout);
    child.once("error", (err) => fail(`cannot run lasso mock (${err.message})`));
    const earlyExit = (code: number | null, signal: string | null): void =>
      fail(`lasso mock exited before listening (${code ?? signal})`);
    child.once("exit", earlyExit);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", function onData(chunk: string) {
      buffered += chunk;
      const nl = buffered.indexOf("\n");
      if (nl < 0) return;
      child.stdout.off("data", onData);
      child.stdout.resume();
      clearTimeout(timer);
      child.off("exit", earlyExit); // keeps the listener behind `exited`
      const match = /^listening on (http:\/\/\S+)\s*$/.exec(buffered.slice(0, nl));
      if (match) resolve(match[1]);
      else fail(`unexpected first line from lasso mock: ${buffered.slice(0, nl)}`);
    });
  });
  // The emulator does not keep the test process alive, nor outlive it.
  const killOnExit = (): void => {
    child.kill("SIGKILL");
  };
  process.once("exit", killOnExit);
  void exited.then(() => process.off("exit", killOnExit));
  child.unref();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  const controlUrl = `${new URL(baseUrl).origin}/__mock`;
  return {
    baseUrl,
    apiKey: MOCK_API_KEY,
    controlUrl,
    async reset() {
      const response = await fetch(`${controlUrl}/reset`, { method: "POST" });
      if (!response.ok) throw new Error(`lasso mock reset failed: HTTP ${response.status}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.ref(); // the wait below keeps the process alive until the emulator exits
        child.kill("SIGTERM");
      }
      await exited;
    },
  };
}
