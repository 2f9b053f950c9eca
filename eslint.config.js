/* ESLint for our own JavaScript (`make lint`): the recommended rules, with the globals of
 * where each file runs. Installed by `make` from npm with the other test tools
 * (NPM_TOOLS in the Makefile), not from a package.json. */
"use strict";
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  {
    // built sites; tools
    ignores: [
      "site/**", "build/**", ".site-*/**", ".venv/**", "node_modules/**",
    ],
  },
  js.configs.recommended,
  {
    // every file is a plain script (no modules): each wraps itself in a function
    languageOptions: { sourceType: "script" },
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  {
    // what the site ships keeps to the syntax it has (ES2018: `\p{...}` in regular
    // expressions); raise it here on purpose. So a catch that ignores its error still
    // names it (`catch (e)`: optional catch binding is ES2019)
    files: ["site_templates/**/*.js"],
    languageOptions: { ecmaVersion: 2018 },
    rules: { "no-unused-vars": ["error", { caughtErrors: "none" }] },
  },
  {
    // the pages' scripts, in the browser (and the live preview's reload script)
    files: ["site_templates/assets/javascripts/**/*.js", "site_templates/preview/*.js"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // the decision helper's logic and the search engine also run in node, whose tests
    // `require` them: they export through `module` when it is there
    files: [
      "site_templates/assets/javascripts/decision-helper.js",
      "site_templates/assets/javascripts/search-engine.js",
    ],
    languageOptions: { globals: { module: "readonly" } },
  },
  {
    // the tests' runners and this file, in node
    files: ["tests/**/*.js", "eslint.config.js"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
  },
];
