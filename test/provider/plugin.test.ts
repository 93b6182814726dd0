/**
 * The `avhealth` provider plugin without the engine: its schema against the dynamic provider's keys and real
 * outputs, the committed sdk/schema.json, the configuration hook's key mapping, and the Provider handlers
 * around the DeviceAvHealth service (fake fetch).
 */
import * as fs from "node:fs/promises";
import { readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { INPUT_KEYS, OUTPUT_KEYS, UNKNOWN } from "../../provider/inputs";
import { createDeviceAvHealthService } from "../../provider/service";
import { configFromVariables } from "../../provider/plugin/configure-hook";
import { createEngineLog, engineAddress } from "../../provider/plugin/engine-log";
import { createPluginProvider } from "../../provider/plugin/provider";
import { buildSchema, FUNCTION_TOKEN, RESOURCE_TOKEN, schemaText } from "../../provider/plugin/schema";
import { DEVICE_FIELDS } from "../../src/model/device";
import { REPO_ROOT } from "../e2e/helpers/toolchain";
import { makeDeps, makeDevice, makeSummary, type FakeFleet } from "./fakes";

interface Spec {
  type?: string;
  $ref?: string;
  items?: Spec;
  additionalProperties?: Spec;
  oneOf?: Spec[];
}
interface ObjectType {
  properties: Record<string, Spec>;
  required?: string[];
}
interface Schema {
  version: string;
  resources: Record<string, ObjectType & { inputProperties: Record<string, Spec> }>;
  functions: Record<string, { inputs: ObjectType; outputs: ObjectType }>;
  types: Record<string, ObjectType>;
  config: { variables: Record<string, Spec & { secret?: boolean }> };
}

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
const schema = buildSchema(VERSION) as unknown as Schema;
const resource = schema.resources[RESOURCE_TOKEN];

/** Every value of `value` fits `spec` (types followed by $ref), and every required key is present: the schema describes real data. */
function conforms(value: unknown, spec: Spec, where: string): string[] {
  if (spec.$ref) return conformsObject(value, schema.types[spec.$ref.replace("#/types/", "")], where);
  if (spec.oneOf) return spec.oneOf.some((option) => conforms(value, option, where).length === 0) ? [] : [`${where}: fits no oneOf option`];
  switch (spec.type) {
    case "string":
      return typeof value === "string" ? [] : [`${where}: not a string`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${where}: not a boolean`];
    case "integer":
      return Number.isInteger(value) ? [] : [`${where}: not an integer`];
    case "array":
      return Array.isArray(value) ? value.flatMap((item, i) => conforms(item, spec.items as Spec, `${where}[${i}]`)) : [`${where}: not an array`];
    case "object":
      if (typeof value !== "object" || value === null) return [`${where}: not an object`];
      return Object.entries(value).flatMap(([key, item]) => conforms(item, spec.additionalProperties as Spec, `${where}.${key}`));
    default:
      return [`${where}: unknown spec ${JSON.stringify(spec)}`];
  }
}

function conformsObject(value: unknown, type: ObjectType, where: string): string[] {
  if (typeof value !== "object" || value === null) return [`${where}: not an object`];
  const record = value as Record<string, unknown>;
  const problems = (type.required ?? []).filter((key) => record[key] === undefined || record[key] === null).map((key) => `${where}.${key}: required but missing`);
  for (const [key, item] of Object.entries(record)) {
    const spec = type.properties[key];
    if (spec === undefined) problems.push(`${where}.${key}: not in the schema`);
    else if (item !== null && item !== undefined) problems.push(...conforms(item, spec, `${where}.${key}`));
  }
  return problems;
}

let tmp: string;
let fleet: FakeFleet;
const clock = () => new Date("2026-11-27T12:00:00Z");
const ENV = { AZURE_TENANT_ID: "tenant-a", AZURE_CLIENT_ID: "client-a" };

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-plugin-"));
  fleet = { version: 1, complete: false, summary: makeSummary(), devices: ["m1", "m2", "m3"].map((id) => makeDevice(id)) };
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function plugin(env: Record<string, string> = ENV) {
  const { deps, calls } = makeDeps(path.join(tmp, "cache"), fleet, env, clock);
  const service = createDeviceAvHealthService(deps);
  return { service, calls, provider: createPluginProvider(service, VERSION, schemaText(VERSION)) };
}

const URN = `urn:pulumi:dev::proj::${RESOURCE_TOKEN}::fleet`;

describe("schema", () => {
  it("sdk/schema.json is the schema built from the provider's types (run `npm run sdk:generate` after changing them)", () => {
    expect(readFileSync(path.join(REPO_ROOT, "sdk", "schema.json"), "utf8")).toBe(schemaText(VERSION));
  });

  it("has the dynamic provider's inputs and outputs, the device fields, and the secret client secret", () => {
    expect(Object.keys(resource.inputProperties)).toEqual([...INPUT_KEYS]);
    expect(Object.keys(resource.properties)).toEqual([...INPUT_KEYS, ...OUTPUT_KEYS]);
    expect(resource.required).toEqual(["schemaVersion", "deviceCount", "summary", "snapshot"]);
    expect(Object.keys(schema.functions[FUNCTION_TOKEN].inputs.properties)).toEqual([...INPUT_KEYS]);
    expect(Object.keys(schema.functions[FUNCTION_TOKEN].outputs.properties)).toEqual([...OUTPUT_KEYS]);
    expect(Object.keys(schema.types["avhealth:index:Device"].properties)).toEqual(DEVICE_FIELDS.map(([field]) => field));
    expect(schema.config.variables.clientSecret.secret).toBe(true);
    expect(schema.version).toBe(VERSION);
  });

  it("describes what check really returns, devices and incomplete reasons included", async () => {
    const result = await plugin().provider.check!(URN, {}, { includeDevices: 2, cacheTtl: "5m" });
    expect(result.failures).toBeUndefined();
    const inputs = result.inputs as Record<string, unknown>;
    expect(inputs.devices).toHaveLength(2);
    expect((inputs.snapshot as { incompleteReasons: string[] }).incompleteReasons).toHaveLength(1);
    expect(conformsObject(inputs, resource, "DeviceAvHealth")).toEqual([]);
    // The checker itself catches drift: a renamed or retyped output is reported.
    expect(conformsObject({ ...inputs, deviceTotal: 3 }, resource, "x")).toEqual(["x.deviceTotal: not in the schema"]);
    expect(conformsObject({ ...inputs, deviceCount: "3" }, resource, "x")).toEqual(["x.deviceCount: not an integer"]);
  });
});

describe("configuration", () => {
  it("maps the engine's `avhealth:config:<key>` variables to the full keys the service reads", () => {
    const variables = new Map([["avhealth:config:clientSecret", "s3cret"], ["avhealth:config:tenantId", "t-1"], ["avhealth:config:cloud", " "]]);
    const config = configFromVariables({ forEach: (fn) => variables.forEach((value, key) => fn(value, key)) });
    expect(config.get("avhealth:clientSecret")).toBe("s3cret");
    expect(config.get("avhealth:tenantId")).toBe("t-1");
    expect(config.get("avhealth:cloud")).toBeUndefined();
    expect(config.get("avhealth:clientId")).toBeUndefined();
  });

  it("configureFrom gives the service its credentials: without them check fails with AUTH_MISSING_CONFIG", async () => {
    const bare = plugin({});
    await expect(bare.provider.check!(URN, {}, {})).rejects.toThrow(/\[AUTH_MISSING_CONFIG\]/);
    const configured = plugin({});
    const values = new Map([["avhealth:tenantId", "t-1"], ["avhealth:clientId", "c-1"]]);
    configured.service.configureFrom({ get: (key) => values.get(key) });
    const result = await configured.provider.check!(URN, {}, {});
    expect((result.inputs as { deviceCount: number }).deviceCount).toBe(3);
    expect(configured.calls[0].overrides).toMatchObject({ tenantId: "t-1", clientId: "c-1" });
  });
});

describe("engine log", () => {
  it("reads the engine address as the provider server does, skipping the engine's logging flags", () => {
    expect(engineAddress(["127.0.0.1:4567"])).toBe("127.0.0.1:4567");
    expect(engineAddress(["--logtostderr", "-v=9", "--tracing", "http://trace", "127.0.0.1:4567"])).toBe("127.0.0.1:4567");
    expect(engineAddress([])).toBeUndefined();
  });

  it("writes to the fallback without an engine, and when the engine cannot be reached", async () => {
    const lines: string[] = [];
    createEngineLog(undefined, (line) => lines.push(line))("avhealth: token acquired");
    expect(lines).toEqual(["avhealth: token acquired"]);
    const unreachable = createEngineLog("127.0.0.1:1", (line) => lines.push(line));
    unreachable("avhealth: page 1: 3 devices so far");
    for (let i = 0; i < 100 && lines.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toEqual(["avhealth: token acquired", "avhealth: page 1: 3 devices so far"]);
  });
});

describe("handlers", () => {
  it("check fails bad inputs with the dynamic provider's messages and fetches nothing", async () => {
    const { provider, calls } = plugin();
    const result = await provider.check!(URN, {}, { method: "fast", cacheTtl: "forever", cloud: "mars" });
    expect(result.failures?.map((f) => f.property)).toEqual(["method", "cloud", "cacheTtl"]);
    expect(result.failures?.[0].reason).toBe('must be one of auto, json, files (got "fast")');
    expect(calls).toHaveLength(0);
  });

  it("check with unknown inputs (preview) returns unknown outputs without fetching", async () => {
    const { provider, calls } = plugin();
    const result = await provider.check!(URN, {}, { filter: UNKNOWN });
    expect((result.inputs as Record<string, unknown>).deviceCount).toBe(UNKNOWN);
    expect(calls).toHaveLength(0);
  });

  it("invoke returns the resource's outputs from the same fetch, and validates its arguments", async () => {
    fleet.complete = true;
    const { provider, calls } = plugin();
    const checked = await provider.check!(URN, {}, { cacheTtl: "5m" });
    const invoked = await provider.invoke!(FUNCTION_TOKEN, { cacheTtl: "5m" });
    expect(calls).toHaveLength(1);
    const { method: _method, cacheTtl: _ttl, ...outputs } = checked.inputs as Record<string, unknown>;
    expect(invoked.outputs).toEqual(outputs);
    expect(conformsObject(invoked.outputs, schema.functions[FUNCTION_TOKEN].outputs, "getDeviceAvHealth")).toEqual([]);
    const bad = await provider.invoke!(FUNCTION_TOKEN, { includeDevices: 1000 });
    expect(bad.failures?.[0]).toMatchObject({ property: "includeDevices" });
    expect(bad.outputs).toBeUndefined();
  });

  it("create, diff, read and delete keep the bounded state; other tokens are refused", async () => {
    const { provider } = plugin();
    const checked = (await provider.check!(URN, {}, {})).inputs as Record<string, unknown>;
    const created = await provider.create!(URN, checked);
    expect(created.id).toMatch(/^avhealth-/);
    expect(created.outs).toEqual(checked);
    expect((await provider.diff!(created.id, URN, checked, checked)).changes).toBe(false);
    expect((await provider.diff!(created.id, URN, checked, { ...checked, snapshot: { digest: "sha256:other" } })).changes).toBe(true);
    expect((await provider.read!(created.id, URN, checked)).props).toEqual(checked);
    await expect(provider.delete!(created.id, URN, checked)).resolves.toBeUndefined();
    await expect(provider.check!("urn:pulumi:dev::proj::avhealth:index:Other::x", {}, {})).rejects.toThrow(/unknown resource type avhealth:index:Other/);
    await expect(provider.invoke!("avhealth:index:getOther", {})).rejects.toThrow(/unknown function avhealth:index:getOther/);
  });

  it("serves the schema and the package version", async () => {
    const { provider } = plugin();
    expect(provider.version).toBe(VERSION);
    expect(JSON.parse(provider.schema as string)).toEqual(buildSchema(VERSION));
  });
});
