/** `lte`: at or below the value, ordered by the field's kind (version part by part, time, number). */
import { orderedOperator } from "./ordered";

export const lte = orderedOperator("lte", (sign) => sign <= 0);
