#!/usr/bin/env node
"use strict";
// Writes the avhealth plugin's schema (from the compiled provider types, so run `npm run build` first) to
// <out>/schema.json and generates the Python and Go SDKs next to it with tools/sdkgen (scripts/ensure-sdkgen
// builds and caches it). <out> defaults to sdk/; `npm run sdk:generate` runs the build and this.
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const out = path.resolve(process.argv[2] || path.join(root, "sdk"));
const { schemaText } = require(path.join(root, "dist", "provider", "plugin", "schema.js"));
const { version } = require(path.join(root, "package.json"));

fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, "schema.json"), schemaText(version));
const lines = execFileSync("bash", [path.join(root, "scripts", "ensure-sdkgen")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim().split("\n");
const sdkgen = lines[lines.length - 1];
execFileSync(sdkgen, ["-schema", path.join(out, "schema.json"), "-out", out], { stdio: "inherit" });
process.stdout.write(`schema and SDKs written to ${out}\n`);
