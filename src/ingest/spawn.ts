/**
 * Starting a worker thread on a module of this package. Built code runs the compiled `.js` file. The tests run
 * the TypeScript sources in place (ts-jest), which a worker cannot load by itself, so there the worker first
 * teaches its own `require` to transpile `.ts` files with the project's TypeScript, file by file (the project
 * compiles with isolatedModules, so per-file transpiling gives the same code as the build).
 */
import { extname } from "node:path";
import { Worker, type WorkerOptions } from "node:worker_threads";

export function spawnModuleWorker(entry: string, workerData: unknown, options: WorkerOptions = {}): Worker {
  if (extname(entry) !== ".ts") return new Worker(entry, { ...options, workerData });
  const typescript = require.resolve("typescript");
  const bootstrap = `
const ts = require(${JSON.stringify(typescript)});
const { readFileSync } = require("node:fs");
require.extensions[".ts"] = (module, filename) => {
  const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false };
  module._compile(ts.transpileModule(readFileSync(filename, "utf8"), { fileName: filename, compilerOptions: options }).outputText, filename);
};
require(${JSON.stringify(entry)});
`;
  return new Worker(bootstrap, { ...options, eval: true, workerData });
}
