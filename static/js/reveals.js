// GOV.UK's conditional reveals: radios whose options show follow-up fields beneath them
// (templates/includes/conditional_radios.html). GOV.UK Frontend's own Radios script is not
// used: it sets aria-expanded on the radio inputs, which ARIA does not allow on a radio
// (axe-core 4.14 fails it, aria-allowed-attr, critical). Here each option that reveals gets
// aria-controls, and its fields follow it in reading order, so a screen reader meets them
// right after the choice. Without this script every reveal stays open.
const HIDDEN = "govuk-radios__conditional--hidden";
const groups = document.querySelectorAll("[data-threshold-reveals]");

function sync(group) {
  for (const input of group.querySelectorAll("input[type='radio'][aria-controls]")) {
    const reveal = document.getElementById(input.getAttribute("aria-controls"));
    reveal.classList.toggle(HIDDEN, !input.checked);
  }
}

for (const group of groups) {
  for (const input of group.querySelectorAll("input[type='radio'][data-aria-controls]")) {
    const id = input.getAttribute("data-aria-controls");
    if (document.getElementById(id)) {
      input.setAttribute("aria-controls", id);
      input.removeAttribute("data-aria-controls");
    }
  }
  // Choosing one radio unchecks another without an event on it: sync the whole group.
  group.addEventListener("change", () => sync(group));
  sync(group);
}

// A page restored by Back keeps what was chosen: show the matching reveals.
window.addEventListener("pageshow", () => groups.forEach(sync));
