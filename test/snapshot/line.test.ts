import { DEVICE_FIELDS, serializeDevice, type NormalizedDevice } from "../../src/model/device";
import { deviceLine } from "../../src/snapshot/line";
import { makeDevice } from "./make-device";

describe("deviceLine", () => {
  it("has exactly the device fields in their fixed order", () => {
    const line = deviceLine(makeDevice());
    expect(Object.keys(JSON.parse(line) as object)).toEqual(DEVICE_FIELDS.map(([field]) => field));
  });

  it("is byte-identical to serializeDevice, whatever the device's own key order", () => {
    const device = makeDevice({ rbacGroupId: 42, avIsSignatureUpToDate: false, avIsEngineUpToDate: null });
    const reversed = Object.fromEntries(Object.entries(device).reverse()) as unknown as NormalizedDevice;
    expect(deviceLine(device)).toBe(serializeDevice(device));
    expect(deviceLine(reversed)).toBe(serializeDevice(device));
  });

  it.each([
    ["a quote", 'pc "one"'],
    ["a backslash", "DOMAIN\\pc"],
    ["a control character", "pc\u0001\t\n"],
    ["a lone surrogate", "pc\ud800x"],
    ["a surrogate pair", "pc-\u{1f600}"],
    ["non-ASCII", "ordinateur-é-日本"],
    ["an empty string", ""],
  ])("escapes %s as JSON.stringify does", (_name, value) => {
    const device = makeDevice({ computerDnsName: value, rbacGroupName: value, machineId: `m-${value}` });
    expect(deviceLine(device)).toBe(serializeDevice(device));
  });

  it.each([
    ["undefined", undefined],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["an object", { a: 1 }],
    ["a number in a string field", 5],
  ])("falls back to serializeDevice for %s", (_name, value) => {
    const device = { ...makeDevice(), osVersion: value, rbacGroupId: value } as unknown as NormalizedDevice;
    expect(deviceLine(device)).toBe(serializeDevice(device));
  });

  it("writes -0 and large integers as JSON does", () => {
    for (const id of [-0, 0, 2 ** 53 - 1, -17]) {
      const device = makeDevice({ rbacGroupId: id });
      expect(deviceLine(device)).toBe(serializeDevice(device));
    }
  });
});
