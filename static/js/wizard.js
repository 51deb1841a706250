// After htmx swaps in a new step, move focus to its heading so keyboard and
// screen-reader users land on the new question, as they would after a page load.
document.addEventListener("htmx:afterSettle", (event) => {
  const heading = document.querySelector("#step h1");
  if (heading && event.detail.target && event.detail.target.id === "step") {
    heading.focus();
  }
});
// While a step is being sent, disable its submit buttons so a double tap sends once.
document.addEventListener("htmx:beforeRequest", (event) => {
  event.detail.elt.querySelectorAll?.("button[type=submit]").forEach((button) => {
    button.disabled = true;
  });
});
