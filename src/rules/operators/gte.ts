/** `gte`: at or above the value, ordered by the field's kind (version part by part, time, number). */
import { orderedOperator } from "./ordered";

export const gte = orderedOperator("gte", (sign) => sign >= 0);
