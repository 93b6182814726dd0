import { isAvHealthError } from "../../src/errors";
import type { ApiClient } from "../../src/http/types";
import { fetchViaJson, jsonPages } from "../../src/methods";
import { PageCursor } from "../../src/methods/json";
import { readPages } from "../../src/methods/run-json";
import { deviceId, fakeClient } from "./fake-client";
import { RecordingSink } from "./record-sink";

const allIds = (n: number): string[] => Array.from({ length: n }, (_, i) => deviceId(i)).sort();

describe("JSON method paging", () => {
  it.each<[number, boolean, number]>([
    [0, false, 1],
    [1, false, 1],
    [25_000, false, 3],
    [25_000, true, 3],
    [20_000, false, 3],
    [20_000, true, 2],
    [10_001, true, 2],
  ])("%i devices (nextLink %s) take %i calls and return every device once", async (devices, nextLink, calls) => {
    const client = fakeClient({ devices, nextLink });
    const sink = new RecordingSink();
    const cursor = await fetchViaJson(client, sink);
    expect(client.calls.deviceavinfo).toHaveLength(calls);
    expect(calls).toBeLessThanOrEqual(Math.ceil(devices / 10_000) + 1);
    expect(client.calls.deviceavinfo.every((u) => u.includes("$top=10000"))).toBe(true);
    expect(sink.keptIds("machineId")).toEqual(allIds(devices));
    expect(cursor.records).toBe(devices);
  });

  it("asks for page N+1 before page N is handed on, without asking for a page more", async () => {
    const client = fakeClient({ devices: 30_000 });
    const cursor = new PageCursor(client);
    const requestedWhenHandled: number[] = [];
    await readPages(cursor, () => true, () => requestedWhenHandled.push(client.calls.deviceavinfo.length));
    // Pages 1-3 are full, page 4 is empty; the request after the empty page is never made.
    expect(requestedWhenHandled).toEqual([2, 3, 4, 4]);
    const probe = fakeClient({ devices: 30_000 });
    const limited = new PageCursor(probe);
    await readPages(limited, () => limited.records <= 10_000, () => undefined);
    expect(probe.calls.deviceavinfo).toHaveLength(2);
    expect(limited.records).toBe(20_000);
  });

  it("reports the handler's failure, not the failure of the next page already in flight", async () => {
    const base = fakeClient({ devices: 20_000 });
    let call = 0;
    let secondSettled = false;
    const failing: ApiClient = {
      ...base,
      getJson: async (url, route) => {
        if (++call === 2) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          secondSettled = true;
          throw new Error("second page lost");
        }
        return base.getJson(url, route);
      },
    };
    const handler = (): void => {
      throw new Error("handler failed");
    };
    await expect(readPages(new PageCursor(failing), () => true, handler)).rejects.toThrow("handler failed");
    expect(call).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(secondSettled).toBe(true);
  });

  it("pages with $skip when there is no nextLink, and locates records by page and index", async () => {
    const client = fakeClient({ devices: 10_005 });
    const sink = new RecordingSink();
    await fetchViaJson(client, sink);
    expect(client.calls.deviceavinfo).toEqual(["/api/deviceavinfo?$top=10000", "/api/deviceavinfo?$top=10000&$skip=10000"]);
    const records = sink.batches.get(0) ?? [];
    expect(records[10_002]?.where).toBe("page 2:3");
    expect(records.map((r) => r.order)).toEqual(records.map((_, i) => i));
  });

  it("passes a valid filter URL-encoded on every page and refuses an invalid one before any call", async () => {
    const client = fakeClient({ devices: 15_000 });
    await fetchViaJson(client, new RecordingSink(), { filter: "avMode eq '1' and osKind ne 'mac'" });
    expect(client.calls.deviceavinfo[1]).toBe("/api/deviceavinfo?$top=10000&$skip=10000&$filter=avMode%20eq%20'1'%20and%20osKind%20ne%20'mac'");
    const fresh = fakeClient({ devices: 5 });
    await expect(fetchViaJson(fresh, new RecordingSink(), { filter: "rbacGroupName eq 'x'" })).rejects.toMatchObject({ code: "ODATA_FILTER_INVALID" });
    expect(fresh.calls.deviceavinfo).toHaveLength(0);
  });

  it("refuses a body without a value array as API_BAD_RESPONSE, and a nextLink pointing at itself", async () => {
    const base = fakeClient({ devices: 1 });
    const noValue: ApiClient = { ...base, getJson: async () => ({ status: 200, body: { items: [] }, requestId: null }) };
    let thrown: unknown;
    await fetchViaJson(noValue, new RecordingSink()).catch((e: unknown) => (thrown = e));
    expect(isAvHealthError(thrown, "API_BAD_RESPONSE")).toBe(true);
    const self: ApiClient = {
      ...base,
      getJson: async (url) => ({ status: 200, body: { value: [{ machineId: "a" }], "@odata.nextLink": url }, requestId: null }),
    };
    await expect(fetchViaJson(self, new RecordingSink())).rejects.toMatchObject({ code: "API_BAD_RESPONSE" });
  });

  it.each<[string, string[]]>([
    // The first request is a path; the link back to it is the same page as an absolute URL.
    ["A → B → A", ["https://api.test/api/deviceavinfo?$top=10000&$skip=10000", "https://api.test/api/deviceavinfo?$top=10000"]],
    ["A → B → C → B", ["https://api.test/b", "https://api.test/c", "https://api.test/b"]],
  ])("ends a nextLink cycle (%s) with API_BAD_RESPONSE naming the page it leads back to", async (_what, links) => {
    const requested: string[] = [];
    const cycling: ApiClient = {
      ...fakeClient({ devices: 1 }),
      getJson: async (url) => {
        requested.push(url);
        // A bound for the test only: a client that follows the cycle would page forever.
        if (requested.length > 10) throw new Error("paged forever");
        const link = links[requested.length - 1] ?? links[links.length - 1];
        return { status: 200, body: { value: [{ machineId: `m-${requested.length}` }], "@odata.nextLink": link }, requestId: null };
      },
    };
    const error = await fetchViaJson(cycling, new RecordingSink()).catch((e: unknown) => e);
    expect(isAvHealthError(error) && [error.code, error.details.reason]).toEqual(["API_BAD_RESPONSE", `its @odata.nextLink leads back to page ${links.length === 2 ? 1 : 2} (a paging cycle)`]);
    expect(requested).toHaveLength(links.length);
  });

  it("stops a server that sends a new nextLink forever once the page cap is reached", async () => {
    let served = 0;
    const endless: ApiClient = {
      ...fakeClient({ devices: 1 }),
      getJson: async () => {
        served += 1;
        if (served > 10) throw new Error("paged forever");
        return { status: 200, body: { value: [{ machineId: `m-${served}` }], "@odata.nextLink": `https://api.test/page-${served}` }, requestId: null };
      },
    };
    const cursor = new PageCursor(endless, undefined, 3);
    const error = await readPages(cursor, () => true, () => undefined).catch((e: unknown) => e);
    expect(isAvHealthError(error) && [error.code, error.details.reason]).toEqual(["API_BAD_RESPONSE", "the API is still sending pages after 3 (more than any tenant holds)"]);
    expect(served).toBe(3);
  });

  it("is also available as an async iterator of pages", async () => {
    const sizes: number[] = [];
    for await (const page of jsonPages(fakeClient({ devices: 12_345 }))) sizes.push(page.records.length);
    expect(sizes).toEqual([10_000, 2_345]);
  });
});
