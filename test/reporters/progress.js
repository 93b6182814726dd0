/** jest's default per-file output (the "default" reporter without its summary, which summary-line.js prints). */
"use strict";
module.exports = require("@jest/reporters").DefaultReporter;
