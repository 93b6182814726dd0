export { normalizeJsonRecord } from "./json";
export { normalizeFileRecord } from "./files";
export { osKindFromPlatform } from "./values";
export { readLineBatches } from "./lines";
export { ndjsonBatches } from "./ndjson";
export type { RecordBatch } from "./ndjson";
export type { NormalizeContext, NormalizeWarning, RecordLocation, RecordShape } from "./types";
export { formatLocation } from "./types";
