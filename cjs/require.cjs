'use strict';
// `require('pgtriage')` lands here: the package is ESM-only (its parser code uses top-level
// await), so say so in one line and show the way that works from CommonJS. The stack would only
// point into this file, so the error carries its one line and nothing else.
const error = new Error("pgtriage is an ES module and cannot be require()d; from CommonJS use: const { triage } = await import('pgtriage');");
error.code = 'ERR_REQUIRE_ESM';
error.stack = `Error [ERR_REQUIRE_ESM]: ${error.message}`;
throw error;
