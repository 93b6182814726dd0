import { isAvHealthError, type AvHealthError } from "../../src/errors";

/** The AvHealthError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<AvHealthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAvHealthError(error)) throw new Error(`expected an AvHealthError, got ${String(error)}`);
  return error;
}

/** The code a promise rejects with, a description of a non-AvHealthError, or undefined when it resolves. */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return isAvHealthError(error) ? error.code : `not an AvHealthError: ${String(error)}`;
  }
  return undefined;
}
