/** `gt`: greater than the value, ordered by the field's kind (version part by part, time, number). */
import { orderedOperator } from "./ordered";

export const gt = orderedOperator("gt", (sign) => sign > 0);
