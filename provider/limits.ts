/** Bounds that keep a DeviceAvHealth resource's state small whatever the fleet (well under 64 KB). */

/** Most device records `includeDevices` may ask for. */
export const MAX_INCLUDED_DEVICES = 100;
/** Byte budget of the included device records (JSON); the list stops early rather than exceed it. */
export const MAX_INCLUDED_DEVICE_BYTES = 16 * 1024;
/** RBAC groups kept by name in the summary; the rest are summed under OTHER_GROUPS_KEY. */
export const MAX_SUMMARY_GROUPS = 50;
export const OTHER_GROUPS_KEY = "(other groups)";
/** Incomplete-reason lines kept in the outputs, and their length. */
export const MAX_REASONS = 5;
export const MAX_REASON_CHARS = 300;
export const MAX_FILTER_CHARS = 4096;
