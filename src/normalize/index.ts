export { normalizeJsonRecord } from "./json";
export { normalizeFileRecord } from "./files";
export { osKindFromPlatform } from "./values";
export { readLineBatches } from "./lines";
export type { NormalizeContext, NormalizeWarning, RecordLocation, RecordShape } from "./types";
export { formatLocation } from "./types";
