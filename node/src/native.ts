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
import { PACKAGE, PLATFORMS, platformKey } from "./platforms";

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

/** A checkout's own build (`./just build`): next to `package.json`, never published. */
export const ADDON_PATH = path.join(__dirname, "..", "lasso.node");

let loaded: NativeModule | undefined;

/**
 * The addon, loaded once: the checkout's build when there is one, otherwise the
 * platform package npm installed with `@lasso-ai/sdk` (`platforms.ts`). Throws
 * an error that names the platform and what to do when there is neither.
 */
export function native(): NativeModule {
  if (loaded === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(addonPath()) as NativeModule;
  }
  return loaded;
}

/** Where the addon of this machine is, or why there is none. */
export function addonPath(key: string = platformKey()): string {
  if (fs.existsSync(ADDON_PATH)) return ADDON_PATH;
  const supported = Object.keys(PLATFORMS);
  if (!supported.includes(key)) {
    throw new Error(
      `${PACKAGE} has no native addon for this platform (${key}); it ships one for ${supported.join(", ")}. ` +
        "Use one of those (e.g. a linux/amd64 or linux/arm64 container), or build the addon from source: " +
        "clone https://github.com/lasso-ai/lasso-sdk and run `./just build` (README, Two commands).",
    );
  }
  const pkg = `${PACKAGE}-${key}`;
  try {
    return require.resolve(`${pkg}/lasso.node`);
  } catch {
    throw new Error(
      `${PACKAGE} needs its native addon for ${key}, the package ${pkg}, which is not installed. ` +
        "npm installs it as an optional dependency: reinstall without --omit=optional / --no-optional " +
        `(or \`npm install ${pkg}\`), and with the node_modules of this machine, not one copied from another platform. ` +
        "In a checkout of the SDK, `./just build` builds the addon instead.",
    );
  }
}
