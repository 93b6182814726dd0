import { accessToken, apiGet, errorCode, harness, type Harness } from "./helpers";

interface PageBody {
  value: Record<string, unknown>[];
  "@odata.nextLink"?: string;
}

async function page(h: Harness, token: string, pathOrUrl: string): Promise<PageBody> {
  const reply = await apiGet(h, pathOrUrl, token);
  if (reply.status !== 200) throw new Error(`${reply.status} ${reply.text}`);
  return reply.json() as PageBody;
}

describe("deviceavinfo paging", () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await harness({ devices: 45, rateLimit: "off" });
    token = await accessToken(h);
  });
  afterAll(() => h.close());

  it("returns 20 devices by default", async () => {
    const body = await page(h, token, "/api/deviceavinfo");
    expect(body.value).toHaveLength(20);
    expect(body["@odata.nextLink"]).toBe(`${h.emulator.apiUrl}/api/deviceavinfo?$top=20&$skip=20`);
  });

  it("follows @odata.nextLink to every device exactly once, with no link on the last page", async () => {
    const ids: unknown[] = [];
    let next: string | undefined = "/api/deviceavinfo?$top=10";
    let pages = 0;
    while (next !== undefined) {
      const body: PageBody = await page(h, token, next);
      ids.push(...body.value.map((d) => d.machineId));
      next = body["@odata.nextLink"];
      pages++;
    }
    expect(pages).toBe(5);
    expect(ids).toHaveLength(45);
    expect(new Set(ids).size).toBe(45);
  });

  it("emits no nextLink when the page ends exactly at the fleet's end", async () => {
    const body = await page(h, token, "/api/deviceavinfo?$top=15&$skip=30");
    expect(body.value).toHaveLength(15);
    expect(body["@odata.nextLink"]).toBeUndefined();
    expect((await page(h, token, "/api/deviceavinfo?$skip=45")).value).toEqual([]);
  });

  it("pages $skip/$top consistently with one big page", async () => {
    const all = (await page(h, token, "/api/deviceavinfo?$top=10000")).value.map((d) => d.machineId);
    const part = (await page(h, token, "/api/deviceavinfo?$top=7&$skip=11")).value.map((d) => d.machineId);
    expect(all).toHaveLength(45);
    expect(part).toEqual(all.slice(11, 18));
  });

  it("filters, and keeps the filter in the nextLink", async () => {
    const filter = "osKind eq 'windows' and avMode eq '0'";
    const everything = (await page(h, token, "/api/deviceavinfo?$top=10000")).value;
    const expected = everything.filter((d) => d.osKind === "windows" && d.avMode === "0").map((d) => d.machineId);
    expect(expected.length).toBeGreaterThan(4);
    const first = await page(h, token, `/api/deviceavinfo?$top=3&$filter=${encodeURIComponent(filter)}`);
    expect(first["@odata.nextLink"]).toBe(`${h.emulator.apiUrl}/api/deviceavinfo?$top=3&$skip=3&$filter=${encodeURIComponent(filter)}`);
    const ids = first.value.map((d) => d.machineId);
    let next = first["@odata.nextLink"];
    while (next !== undefined) {
      const body: PageBody = await page(h, token, next);
      ids.push(...body.value.map((d) => d.machineId));
      next = body["@odata.nextLink"];
    }
    expect(ids).toEqual(expected);
  });

  it("filters on rbacGroupId as a number", async () => {
    const group = (await page(h, token, "/api/deviceavinfo?$top=1")).value[0]?.rbacGroupId;
    const body = await page(h, token, `/api/deviceavinfo?$top=10000&$filter=rbacGroupId eq ${String(group)}`);
    expect(body.value.length).toBeGreaterThan(0);
    expect(new Set(body.value.map((d) => d.rbacGroupId))).toEqual(new Set([group]));
  });

  it.each([
    ["$top=0"],
    ["$top=10001"],
    ["$top=abc"],
    ["$top=-1"],
    ["$skip=-3"],
    ["$skip=x"],
    ["$filter=rbacGroupName eq 'Servers'"],
    ["$filter=id eq 'x'"],
    ["$filter=avMode eq"],
    ["$orderby=avMode"],
  ])("answers 400 ODataError for %s", async (query) => {
    const reply = await apiGet(h, `/api/deviceavinfo?${query.replace(/ /g, "%20")}`, token);
    expect([reply.status, errorCode(reply)]).toEqual([400, "ODataError"]);
  });
});

describe("deviceavinfo with nextLink off", () => {
  it("never emits @odata.nextLink, and $skip still pages", async () => {
    const h = await harness({ devices: 30, nextLink: false });
    try {
      const token = await accessToken(h);
      const first = await page(h, token, "/api/deviceavinfo?$top=10");
      expect(first.value).toHaveLength(10);
      expect(first["@odata.nextLink"]).toBeUndefined();
      const third = await page(h, token, "/api/deviceavinfo?$top=10&$skip=20");
      const past = await page(h, token, "/api/deviceavinfo?$top=10&$skip=30");
      expect([third.value.length, past.value.length]).toEqual([10, 0]);
      expect(third.value[0]?.machineId).not.toBe(first.value[0]?.machineId);
    } finally {
      await h.close();
    }
  });
});
