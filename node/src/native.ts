/**
 * Loads the native addon (`lasso.node`, built from `bindings/napi`) on first use.
 * Its types are the declarations napi-rs writes from the Rust code
 * (`./addon`, generated): nothing here restates them.
 *
 * @internal
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";

import type * as Addon from "./addon";

/** The addon's exports. */
export type NativeModule = typeof Addon;
/** Options of the native constructor (durations in milliseconds). */
export type NativeClientOptions = Addon.ClientOptions;
/** Per-call options of the native calls (durations in milliseconds). */
export type NativeCallOptions = Addon.CallOptions;
/** The native client (`bindings/napi/src/lib.rs`). */
export type NativeClient = Addon.NativeClient;
/** A pager over one list operation (`bindings/napi/src/helpers.rs`). */
export type NativePager = Addon.NativePager;
/** A cancellation flag passed along with a call (`bindings/napi/src/cancel.rs`). */
export type CancelToken = Addon.CancelToken;
/** An export written to disk. */
export type NativeSavedFile = Addon.SavedFile;

/** Where the addon is expected: next to `package.json`. */
export const ADDON_PATH = path.join(__dirname, "..", "lasso.node");

let loaded: NativeModule | undefined;

/** The addon, loaded once; throws a clear error when it has not been built. */
export function native(): NativeModule {
  if (loaded === undefined) {
    if (!fs.existsSync(ADDON_PATH)) {
      throw new Error(
        `The Lasso native addon was not found at ${ADDON_PATH}. ` +
          "Run `./just build` (or `node node/scripts/build-native.mjs`) first.",
      );
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(ADDON_PATH) as NativeModule;
  }
  return loaded;
}
