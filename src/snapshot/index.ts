export { SnapshotWriter, DEFAULT_GZIP_LEVEL } from "./writer";
export type { SnapshotWriterOptions, AddOptions, FinishOptions, WrittenSnapshot } from "./writer";
export { readSnapshot } from "./reader";
export type { OpenedSnapshot } from "./reader";
export { openSnapshotInput } from "./input";
export type { SnapshotInput, SnapshotInputKind, OpenInputOptions } from "./input";
export { RecordCollector, sniffShape } from "./collector";
export { NONE_KEY } from "./summary";
export type { FetchMethod, SnapshotHeader, SnapshotSource, SnapshotSummary, TriStateCounts } from "./types";
