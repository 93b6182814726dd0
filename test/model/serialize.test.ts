/** serializeDevice must give exactly JSON.stringify's bytes of the device with its keys in DEVICE_FIELDS order. */
import { DEVICE_FIELDS, serializeDevice, type NormalizedDevice } from "../../src/model/device";
import { makeDevice } from "../snapshot/make-device";

function reference(device: NormalizedDevice): string {
  const ordered: Record<string, unknown> = {};
  for (const [field] of DEVICE_FIELDS) ordered[field] = device[field];
  return JSON.stringify(ordered);
}

const AWKWARD = [
  "",
  'say "hi"',
  "back\\slash",
  "tab\there\nnew line\r\u0000\u001f\u007f",
  "line\u2028separator\u2029",
  "lone \ud800 high",
  "lone \udc00 low",
  "pair 😀 emoji",
  "ünïcödé Σ 名前",
  "</script><script>alert(1)</script>",
];

describe("serializeDevice", () => {
  it.each(AWKWARD)("writes %j as JSON.stringify does", (text) => {
    const device = makeDevice({ machineId: `id-${text}`, computerDnsName: text, rbacGroupName: text, quickScanError: text });
    expect(serializeDevice(device)).toBe(reference(device));
    expect(JSON.parse(serializeDevice(device))).toEqual(JSON.parse(reference(device)));
  });

  it("writes nulls, booleans and numbers as JSON.stringify does, whatever the key order of the object", () => {
    const base = makeDevice({ avIsSignatureUpToDate: true, avIsEngineUpToDate: false, avIsPlatformUpToDate: null, rbacGroupId: 0, osVersion: null });
    const shuffled = Object.fromEntries(Object.entries(base).reverse()) as unknown as NormalizedDevice;
    expect(serializeDevice(shuffled)).toBe(reference(base));
    for (const rbacGroupId of [null, 7, 2 ** 53 - 1, -3]) {
      const device = makeDevice({ rbacGroupId });
      expect(serializeDevice(device)).toBe(reference(device));
    }
    expect(Object.keys(JSON.parse(serializeDevice(shuffled)) as object)).toEqual(DEVICE_FIELDS.map(([f]) => f));
  });
});
