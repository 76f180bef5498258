/**
 * The platforms `@lasso-ai/sdk` ships a native addon for: each is an npm package
 * of its own (`@lasso-ai/sdk-<key>`), an optional dependency of the main package
 * that npm installs only on a matching machine (its `os`, `cpu` and `libc`).
 * `scripts/pack.mjs` makes those packages from this table, `native.ts` loads them.
 *
 * @internal
 * @module
 */

/** One platform package. */
export interface Platform {
  /** `process.platform`. */
  os: string;
  /** `process.arch`. */
  cpu: string;
  /** The C library on Linux (npm's `libc` field). */
  libc: "glibc" | "musl";
  /** The Rust target the addon is built for. */
  rustTarget: string;
}

/** Keyed by the package name's suffix: `@lasso-ai/sdk-linux-x64-gnu`. */
export const PLATFORMS: Readonly<Record<string, Platform>> = {
  "linux-x64-gnu": { os: "linux", cpu: "x64", libc: "glibc", rustTarget: "x86_64-unknown-linux-gnu" },
  "linux-arm64-gnu": { os: "linux", cpu: "arm64", libc: "glibc", rustTarget: "aarch64-unknown-linux-gnu" },
  "linux-x64-musl": { os: "linux", cpu: "x64", libc: "musl", rustTarget: "x86_64-unknown-linux-musl" },
  "linux-arm64-musl": { os: "linux", cpu: "arm64", libc: "musl", rustTarget: "aarch64-unknown-linux-musl" },
};

/** The main package; a platform package is `${PACKAGE}-${key}`. */
export const PACKAGE = "@lasso-ai/sdk";

/**
 * The key of the running machine (`linux-x64-gnu`), whether or not a package
 * exists for it. On Linux the C library is glibc when Node reports a glibc
 * version, musl otherwise.
 */
export function platformKey(
  platform: string = process.platform,
  arch: string = process.arch,
  glibc: boolean = hasGlibc(),
): string {
  return platform === "linux" ? `${platform}-${arch}-${glibc ? "gnu" : "musl"}` : `${platform}-${arch}`;
}

function hasGlibc(): boolean {
  // Node's diagnostic report names the glibc it runs on; musl builds leave it out.
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return typeof report?.header?.glibcVersionRuntime === "string";
}
