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

// A case's preview (and an outcome's) carries the raw text in its form, and the service keeps
// raw text nowhere, not even in the session, so the preview cannot be a Post/Redirect/Get page:
// it is drawn in answer to a POST. Left in history, that POST is what Back from the published
// case lands on, and the browser asks to send the form again. This turns the preview's entry
// into a plain visit to the address the attribute names (its own when empty), which answers
// GET: a case's preview names the form's address marked "previewed", which goes on to the case
// just published from it, if any, and otherwise shows the form, empty. The sign-in asks too: its
// password step (and any step showing errors) is drawn in answer to the email's POST, and Back
// from "Forgotten your password?" returns to the email step. Only pages that ask for it: an
// address that answers POST alone would answer Back or refresh with 405.
const replaceHistory = document.body.getAttribute("data-threshold-replace-history");
if (replaceHistory !== null) {
  window.history.replaceState(null, "", replaceHistory || window.location.href);
}
