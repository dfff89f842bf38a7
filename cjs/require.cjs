'use strict';
// `require('pgtriage')` lands here: the package is ESM-only (its parser code uses top-level
// await), so say so in one line and show the way that works from CommonJS.
const error = new Error("pgtriage is an ES module and cannot be require()d; from CommonJS use: const { triage } = await import('pgtriage');");
error.code = 'ERR_REQUIRE_ESM';
throw error;
