#!/usr/bin/env node
// The `lasso` command line of @lasso-ai/sdk: the SDK's Rust command line
// (crates/lasso-cli) run through the addon, so the package ships no second
// binary. `lasso --help` lists the commands.
"use strict";

// The addon of this machine (the platform package npm installed), or an error
// naming the platform and what to do.
let addon;
try {
  addon = require("../dist/native.js").native();
} catch (err) {
  console.error(`error: ${err.message}`);
  process.exit(1);
}

const stop = new addon.CliStop();
// Node keeps its own handling of Ctrl-C: the command stops cleanly (no partial
// file, a report of what the server already holds) and exits with 130.
process.on("SIGINT", () => stop.trigger());
process.on("SIGTERM", () => stop.trigger());

addon.runCli(["lasso", ...process.argv.slice(2)], stop).then(
  (code) => {
    process.exitCode = code;
    process.removeAllListeners("SIGINT");
    process.removeAllListeners("SIGTERM");
  },
  (err) => {
    console.error(`error: ${err && err.message ? err.message : err}`);
    process.exitCode = 1;
  },
);
