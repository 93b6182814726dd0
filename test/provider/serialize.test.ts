/**
 * The serialized provider is what every DeviceAvHealth resource stores in state (`__provider`, in inputs and
 * outputs). It must stay a few hundred bytes that `require` the implementation, never the library inlined.
 */
import * as pulumi from "@pulumi/pulumi";
import { deviceAvHealthProvider } from "../../provider/dynamicProvider";

describe("serialized DeviceAvHealth provider", () => {
  let text: string;

  beforeAll(async () => {
    // The same call pulumi.dynamic.Resource makes.
    const serialized = await pulumi.runtime.serializeFunction(() => deviceAvHealthProvider, { allowSecrets: true });
    text = serialized.text;
  });

  it("stays under 4 KB", () => {
    expect(Buffer.byteLength(text)).toBeLessThan(4096);
  });

  it("loads the implementation by package name at run time", () => {
    expect(text).toContain('"pulumi-defender-avhealth/provider/impl"');
    expect(text).toContain("createRequire");
  });

  it("inlines none of the library", () => {
    for (const marker of ["SnapshotCache", "fetchSnapshotWithConfig", "undici", "msal", "validateInputs", "registerSecret"]) {
      expect(text).not.toContain(marker);
    }
  });

  it("serializes every provider method", () => {
    for (const method of ["configure", "check", "diff", "create", "update", "read", "delete"]) {
      expect(text).toContain(`${method}:`);
    }
  });
});
