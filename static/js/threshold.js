// Loaded as a module on every page: marks the body as able to run GOV.UK Frontend's
// JavaScript (done here rather than inline, for the Content-Security-Policy) and starts it.
import { initAll } from "/static/vendor/govuk/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
