#!/usr/bin/env node
"use strict";
// The compiled CLI lives in dist/ (npm run build); the package ships it prebuilt.
const { runCli } = require("../dist/src/cli/main.js");
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`avhealth: ${error && error.message ? error.message : String(error)}\n`);
    process.exitCode = 3;
  },
);
