/** `lt`: less than the value, ordered by the field's kind (version part by part, time, number). */
import { orderedOperator } from "./ordered";

export const lt = orderedOperator("lt", (sign) => sign < 0);
