/** Stores of signed publications: a directory, an https location, an Azure Blob container. */
export { describeLocation, joinName, parseLocation } from "./location";
export { openStore, type OpenStoreOptions } from "./open";
export type { DownloadResult, PublicationStore, ReadResult, StoreCredentials, StoredFile, StoreLocation } from "./types";
