/**
 * The dynamic provider object that Pulumi serializes into state (`__provider`). It must stay tiny and stateless:
 * each method loads the real implementation at run time with `require`, so the serialized text holds a module
 * path instead of the library, and captures no sockets or clients. Keep every reference inside the functions:
 * anything captured from module scope would be serialized by value.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- run-time require is the point: an import would be serialized by value */
import type * as pulumi from "@pulumi/pulumi";
import type { DeviceAvHealthService } from "./service";

/*
 * Resolved from the project directory (the provider process's working directory): a project that installed the
 * package finds it in its node_modules; this repository finds itself through package.json "exports". (Comments
 * inside the function would be serialized too, so they live here.)
 */
function loadService(): DeviceAvHealthService {
  const request = "pulumi-defender-avhealth/provider/impl";
  const { createRequire } = require("node:module") as typeof import("node:module");
  const fromProject = createRequire(require("node:path").join(process.cwd(), "__avhealth__.js"));
  let impl: { getService(): DeviceAvHealthService };
  try {
    impl = fromProject(request);
  } catch (error) {
    if ((error as { code?: string }).code !== "MODULE_NOT_FOUND") throw error;
    impl = require(request);
  }
  return impl.getService();
}

export const deviceAvHealthProvider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => loadService().configure(req),
  check: (olds, news) => loadService().check(olds, news),
  diff: (id, olds, news) => loadService().diff(id, olds, news),
  create: (inputs) => loadService().create(inputs),
  update: (id, olds, news) => loadService().update(id, olds, news),
  read: (id, props) => loadService().read(id, props),
  delete: (id, props) => loadService().delete(id, props),
};
