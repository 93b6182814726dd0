/**
 * jest's own progress and summary output, then one plain line, "jest: N passed, N failed, N skipped", as the
 * very last line of the run, so CI logs that read closing lines see how many tests ran.
 */
"use strict";
const { SummaryReporter } = require("@jest/reporters");

class SummaryLineReporter extends SummaryReporter {
  onRunComplete(contexts, results) {
    super.onRunComplete(contexts, results);
    process.stderr.write(`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped\n`);
  }
}

module.exports = SummaryLineReporter;
