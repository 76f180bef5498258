/**
 * `AbortSignal` support: every call races its native Promise with the signal
 * and, when the signal fires, cancels the native task (a `CancelToken`), so
 * the request is really dropped rather than merely ignored.
 *
 * @internal
 * @module
 */
import { AbortError } from "./errors";
import { native, type CancelToken } from "./native";
import type { AbortSignalLike } from "./resources/base";

/** The callbacks waiting on one signal, behind its single `abort` listener. */
interface Subscribers {
  readonly callbacks: Set<() => void>;
  readonly dispatch: () => void;
}

const subscribed = new WeakMap<AbortSignalLike, Subscribers>();

/**
 * Calls `callback` once when `signal` fires; returns the function that stops
 * listening. However many calls share a signal, it gets one `abort` listener
 * (so no `MaxListenersExceededWarning`), removed once nobody listens.
 */
export function onAbort(signal: AbortSignalLike, callback: () => void): () => void {
  let subscribers = subscribed.get(signal);
  if (subscribers === undefined) {
    const callbacks = new Set<() => void>();
    const dispatch = (): void => {
      subscribed.delete(signal);
      const waiting = [...callbacks];
      callbacks.clear();
      for (const f of waiting) f();
    };
    subscribers = { callbacks, dispatch };
    subscribed.set(signal, subscribers);
    signal.addEventListener("abort", dispatch, { once: true });
  }
  const { callbacks, dispatch } = subscribers;
  // A callback added twice must run twice: wrap it.
  const entry = (): void => callback();
  callbacks.add(entry);
  return () => {
    if (!callbacks.delete(entry) || callbacks.size > 0) return;
    signal.removeEventListener("abort", dispatch);
    if (subscribed.get(signal)?.callbacks === callbacks) subscribed.delete(signal);
  };
}

/** Which call a later error belongs to, and the caller's stack when it started. */
export interface CallSite {
  /** The operation or helper, e.g. `tables.get`, `files.upload`. */
  readonly what: string;
  /** The stack of the caller's code (below the SDK's own frames), or `undefined`. */
  readonly stack: string | undefined;
}

/**
 * Captures the call site of `what`: called synchronously when a call starts,
 * so the stack still holds the user's frames (a rejection later has none).
 * Only a call given a `signal` can end in an abort error, so only it pays for
 * capturing the stack (about 6 µs, a twentieth of a call over loopback).
 */
export function callSite(what: string, options: { signal?: unknown } | undefined): CallSite {
  // A signal set on `options` after the call returned still names the call.
  if (options?.signal == null) return { what, stack: undefined };
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, callSite);
  // V8 formats the stack when `stack` is first read: only an error needs it, and
  // formatting it costs more than a whole call over loopback.
  return {
    what,
    get stack() {
      return holder.stack;
    },
  };
}

/** The error a call rejects with once its signal has fired: it names the call and carries the caller's stack. */
export function abortError(signal: AbortSignalLike, site?: CallSite): AbortError {
  const message = site ? `${site.what} was aborted (its signal fired)` : "This operation was aborted";
  const error = new AbortError(message, { cause: signal.reason });
  if (site?.stack) {
    // "Error\n    at …" → this error's own first line over the caller's frames.
    error.stack = `${error.name}: ${message}${site.stack.slice(site.stack.indexOf("\n"))}`;
  }
  return error;
}

/**
 * Settles like `promise`, unless `signal` fires first: then rejects at once
 * with an {@link AbortError}. Leaves no listener behind, and `promise`'s own
 * later rejection is handled (never an unhandled rejection).
 */
export function raceSignal<T>(signal: AbortSignalLike | undefined, promise: Promise<T>, site?: CallSite): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortError(signal, site));
  }
  return new Promise<T>((resolve, reject) => {
    const stop = onAbort(signal, () => reject(abortError(signal, site)));
    promise.then(
      (value) => {
        stop();
        resolve(value);
      },
      (error: unknown) => {
        stop();
        // Passed on as it came: the native call's own error, turned into a LassoError by the caller.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(error);
      },
    );
  });
}

/**
 * Starts a native call with a cancellation token tied to `signal`: an
 * already-fired signal rejects without starting anything; a signal firing
 * later cancels the token (dropping the native task and its request) and
 * rejects at once.
 */
export async function withSignal<T>(
  signal: AbortSignalLike | undefined,
  start: (token: CancelToken | null) => Promise<T>,
  site?: CallSite,
): Promise<T> {
  if (signal === undefined) return start(null);
  if (signal.aborted) throw abortError(signal, site);
  const token = new (native().CancelToken)();
  // First the native task is cancelled, then the Promise rejects.
  const stop = onAbort(signal, () => token.cancel());
  try {
    return await raceSignal(signal, start(token), site);
  } finally {
    stop();
  }
}
