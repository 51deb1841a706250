// Pesanan Lancar: what an htmx step swap must do so that every seller can follow it.
// The pages work without this file (and without htmx); it only adds what a full page
// load would have given for free: focus at the top of the new step, a spoken summary,
// and a clear message when the phone's connection drops.
(() => {
  "use strict";

  const stepOf = (event) => {
    const target = event.detail.target;
    return target && target.id === "step" ? document.getElementById("step") : null;
  };

  // Screen readers miss live regions inserted with new content, so one region lives in
  // the page (base.html) and is refilled; emptying it first makes a repeated text
  // (the same progress twice) be spoken again.
  const announce = (text) => {
    const region = document.getElementById("announcer");
    if (!region) return;
    region.textContent = "";
    if (text) window.setTimeout(() => { region.textContent = text; }, 100);
  };

  // Where focus goes after a swap: the first field with an error (its label and the
  // error are read), what the sending form names in data-then-focus (the reply to "Did
  // this solve it?" rather than the top of a long page), or else the new heading, as
  // after a page load.
  const focusTarget = (step, sender) =>
    step.querySelector("[aria-invalid='true']") ||
    (sender && sender.dataset.thenFocus && step.querySelector(sender.dataset.thenFocus)) ||
    step.querySelector("h1");

  document.addEventListener("htmx:afterSettle", (event) => {
    const step = stepOf(event);
    if (!step) return;
    const target = focusTarget(step, event.detail.requestConfig?.elt);
    if (target) {
      target.focus({ preventScroll: true });
      // A new question starts at the top of the card, as a new page would; a field
      // with an error or a reply is shown mid-screen, its label above it in view.
      if (target.matches("h1")) step.scrollIntoView({ block: "start" });
      else target.scrollIntoView({ block: "center" });
    }
    const spoken = [...step.querySelectorAll("[data-announce]")]
      .map((element) => element.textContent.replace(/\s+/g, " ").trim())
      .filter(Boolean);
    announce(spoken.join(" "));
  });

  const submitButtons = (element) =>
    element.querySelectorAll ? element.querySelectorAll("button[type=submit]") : [];

  // While a step is being sent, disable its buttons so a double tap sends once
  // (htmx has already read which button was pressed).
  document.addEventListener("htmx:beforeRequest", (event) => {
    const problem = document.getElementById("send-problem");
    if (problem) problem.hidden = true;
    submitButtons(event.detail.elt).forEach((button) => { button.disabled = true; });
  });

  // If nothing was swapped in (no connection, a server error), give the buttons back
  // and say so next to the form, where the seller is looking.
  document.addEventListener("htmx:afterRequest", (event) => {
    submitButtons(event.detail.elt).forEach((button) => { button.disabled = false; });
    const problem = document.getElementById("send-problem");
    if (event.detail.successful || !problem || !event.detail.elt.isConnected) return;
    event.detail.elt.after(problem);
    problem.hidden = false;
  });
})();
