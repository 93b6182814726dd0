/**
 * Ends a jest run with one plain line, "jest: N passed, N failed, N skipped", so CI logs that read closing
 * lines see how many tests ran.
 */
"use strict";

class SummaryLineReporter {
  onRunComplete(_contexts, results) {
    const line = `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped`;
    process.stderr.write(`${line}\n`);
  }
}

module.exports = SummaryLineReporter;
