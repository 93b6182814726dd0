/** From a parsed location and the credentials the caller decided on, the store that reads and writes it. */
import { AzureBlobStore } from "./azure";
import { DirectoryStore } from "./directory";
import { HttpsStore } from "./https";
import type { PublicationStore, StoreCredentials, StoreLocation } from "./types";

export interface OpenStoreOptions {
  credentials?: StoreCredentials;
  retry?: { maxTries: number; retryDelayInMs: number };
}

export function openStore(location: StoreLocation, options: OpenStoreOptions = {}): PublicationStore {
  const credentials = options.credentials ?? {};
  // A query in the location itself (a SAS URL given on the command line) comes first.
  const sas = location.kind === "directory" ? undefined : (location.query ?? credentials.sas);
  switch (location.kind) {
    case "directory":
      return new DirectoryStore(location.dir);
    case "https":
      return new HttpsStore({ base: location.base, query: sas?.replace(/^\?/, "") ?? null, ca: credentials.ca });
    case "azure":
      return new AzureBlobStore({ ...location, credentials: { ...credentials, sas }, retry: options.retry });
  }
}
