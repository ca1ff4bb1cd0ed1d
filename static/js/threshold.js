// Loaded as a module on every page: marks the body as able to run GOV.UK Frontend's
// JavaScript (done here rather than inline, for the Content-Security-Policy) and starts it.
import { initAll } from "/static/vendor/govuk/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();

// Print buttons (a certificate) are hidden until this script can make them work.
for (const button of document.querySelectorAll("[data-threshold-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

// A page drawn in answer to a form (a case's preview, a form showing its errors) drops the POST
// from the browser's history: Back from the page that follows (the published case) or a
// refresh fetches the address again instead of asking to resubmit the form.
if (document.body.hasAttribute("data-threshold-post-result")) {
  window.history.replaceState(null, "", window.location.href);
}
