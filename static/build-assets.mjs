// Copies the installed front-end packages under static/vendor/ (git-ignored) and compiles
// static/scss/threshold.scss against GOV.UK Frontend. Run by `npm run build` (make assets).
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
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

const css = sass.compile(join(root, "static/scss/threshold.scss"), {
  loadPaths: [modules],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "slash-div"],
});
writeFileSync(join(vendor, "threshold.css"), css.css);
console.log("Front-end assets built in static/vendor/");
