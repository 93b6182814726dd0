/**
 * When retries give up, the error quotes the API's last answer (its code and message, redacted) or says that the
 * answer carried no message: never "see the message above" with nothing above. Real emulator over HTTPS.
 */
import { isAvHealthError } from "../../src/errors";
import { Harness } from "./harness";

async function lastError(faults: string): Promise<{ code: string; message: string }> {
  const h = await Harness.start({ devices: 5, faults });
  const client = await h.client();
  try {
    await client.getJson("/api/deviceavinfo", "deviceavinfo");
    throw new Error("expected the request to fail");
  } catch (error) {
    if (!isAvHealthError(error)) throw error;
    return { code: error.code, message: error.message };
  } finally {
    await client.close();
    await h.close();
  }
}

describe("a retry that gives up", () => {
  it("quotes the API's last error", async () => {
    const { code, message } = await lastError("deviceavinfo:503%100");
    expect(code).toBe("HTTP_RETRIES_EXHAUSTED");
    expect(message).toMatch(/kept failing \(.+\); the last answer: GET .*\/api\/deviceavinfo answered HTTP 503: ServiceUnavailable: The service is temporarily unavailable\./);
    expect(message).toContain("That is the API's own error");
    expect(message).not.toMatch(/above/);
  });

  it("says so when the last answer carried no message", async () => {
    const { code, message } = await lastError("deviceavinfo:502%100");
    expect(code).toBe("HTTP_RETRIES_EXHAUSTED");
    expect(message).toMatch(/the last answer: GET .*answered HTTP 502( \(request id [^)]+\))?\. The response carried no error message/);
    expect(message).not.toMatch(/above/);
  });
});
