import { Readable } from "node:stream";
import { ErrorCodes } from "../../src/errors";
import { MAX_ERROR_BODY_BYTES, MAX_PAGE_BYTES, readBody } from "../../src/http/body";
import { failure } from "../helpers/errors";

/** A body that never ends: 1 MiB chunks for as long as it is read; `pulled` counts the bytes handed out. */
function endless(): { body: Readable; pulled: () => number } {
  let pulled = 0;
  const chunk = Buffer.alloc(1 << 20, 0x61);
  const body = new Readable({
    read() {
      pulled += chunk.length;
      this.push(chunk);
    },
  });
  return { body, pulled: () => pulled };
}

/** A body that sends one byte every `gapMs`, forever. */
function trickling(gapMs: number): Readable {
  let timer: NodeJS.Timeout | undefined;
  return new Readable({
    read() {
      timer ??= setInterval(() => this.push("x"), gapMs);
    },
    destroy(error, callback) {
      clearInterval(timer);
      callback(error);
    },
  });
}

const what = "GET https://api.example/api/deviceavinfo";

describe("readBody", () => {
  it("keeps the caps the client uses: 64 MiB per JSON page, 64 KiB of an error body", () => {
    expect(MAX_PAGE_BYTES).toBe(64 * 1024 * 1024);
    expect(MAX_ERROR_BODY_BYTES).toBe(64 * 1024);
  });

  it("reads an endless error body only up to its cap, then stops reading", async () => {
    const { body, pulled } = endless();
    const text = await readBody(body, {}, { limit: 64 * 1024, overLimit: "truncate", deadlineMs: 10_000, what });
    expect(text).toBe("a".repeat(64 * 1024));
    expect(body.destroyed).toBe(true);
    expect(pulled()).toBeLessThanOrEqual(4 << 20);
  });

  it("refuses an endless page once it passes the cap, and a page whose Content-Length is over it without reading", async () => {
    const { body, pulled } = endless();
    expect(await readBody(body, {}, { limit: 3 << 20, overLimit: "refuse", deadlineMs: 10_000, what })).toBe("too-large");
    expect(body.destroyed).toBe(true);
    expect(pulled()).toBeLessThanOrEqual(6 << 20);
    const declared = endless();
    expect(await readBody(declared.body, { "content-length": String(MAX_PAGE_BYTES + 1) }, { limit: MAX_PAGE_BYTES, overLimit: "refuse", deadlineMs: 10_000, what })).toBe("too-large");
    expect(declared.body.destroyed).toBe(true);
  });

  it("returns a body within its cap whole", async () => {
    const text = await readBody(Readable.from([Buffer.from('{"value":'), Buffer.from("[]}")]), {}, { limit: 12, overLimit: "refuse", deadlineMs: 10_000, what });
    expect(text).toBe('{"value":[]}');
  });

  it("gives up a body that trickles past the deadline, as HTTP_NETWORK naming the request", async () => {
    const started = Date.now();
    const error = await failure(readBody(trickling(20), {}, { limit: MAX_PAGE_BYTES, overLimit: "refuse", deadlineMs: 300, what }));
    expect(error.code).toBe(ErrorCodes.HTTP_NETWORK);
    expect(error.details.reason).toBe("body-deadline");
    expect(error.details.bytes).toBeGreaterThan(3);
    expect(error.message).toContain(`${what} was still sending its body after 0.3 s`);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
