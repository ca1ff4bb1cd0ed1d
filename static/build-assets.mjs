// Copies the installed front-end packages under static/vendor/ (git-ignored) and compiles
// static/scss/threshold.scss against GOV.UK Frontend. Run by `npm run build` (make assets).
// Beside the stylesheet it writes the SHA-256 of the source it was built from, so the browser
// tests can refuse a stale build (conftest.py) rather than measure yesterday's styles.
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "static", "vendor");
const modules = join(root, "node_modules");

rmSync(vendor, { recursive: true, force: true });
mkdirSync(join(vendor, "govuk"), { recursive: true });
cpSync(join(modules, "govuk-frontend/dist/govuk/assets"), join(vendor, "govuk/assets"), {
  recursive: true,
});
cpSync(
  join(modules, "govuk-frontend/dist/govuk/govuk-frontend.min.js"),
  join(vendor, "govuk/govuk-frontend.min.js"),
);
cpSync(join(modules, "htmx.org/dist/htmx.min.js"), join(vendor, "htmx.min.js"));

const source = join(root, "static/scss/threshold.scss");
const css = sass.compile(source, {
  loadPaths: [modules],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "slash-div"],
});
writeFileSync(join(vendor, "threshold.css"), css.css);
const digest = createHash("sha256").update(readFileSync(source)).digest("hex");
writeFileSync(join(vendor, "threshold.css.source-sha256"), `${digest}\n`);
console.log("Front-end assets built in static/vendor/");
