/** Contracts of normalization: where a raw record came from, and the recoverable oddities it had. */
import type { DeviceField } from "../model/device";

/** Where a raw record sits in its input, so that problems name the part/page and the line. */
export interface RecordLocation {
  /** "page 3", "part 2 of 12", "fleet.json"... */
  source: string;
  /** 1-based line (NDJSON) or record index (JSON page/document) within source. */
  line: number;
  /** What `line` counts; "line" unless said otherwise. */
  unit?: "line" | "record";
}

export interface NormalizeWarning {
  location: RecordLocation;
  field: DeviceField;
  message: string;
}

export interface NormalizeContext {
  location: RecordLocation;
  /** Called for every value that could not be read and became null (for example an unparseable time). */
  onWarning?: (warning: NormalizeWarning) => void;
}

/** The two raw record shapes: `/api/deviceavinfo` (camelCase) and the via-files export (PascalCase). */
export type RecordShape = "json" | "files";

export function formatLocation(location: RecordLocation): string {
  return `${location.source}, ${location.unit ?? "line"} ${location.line}`;
}
