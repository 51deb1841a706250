// Copy buttons for links and summaries, and a print button. Without JavaScript the
// buttons stay hidden and the text sits in a readonly field that can be selected by hand.
(() => {
  "use strict";
  if (window.pesananCopy) return; // loaded twice on one page: listen once
  window.pesananCopy = true;

  const reveal = () => {
    document.querySelectorAll("[data-copy], [data-print]").forEach((button) => {
      button.hidden = false;
    });
  };

  const fallbackCopy = (field) => {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  };

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy], [data-print]");
    if (!button) return;
    if (button.hasAttribute("data-print")) {
      window.print();
      return;
    }
    const field = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.copyStatus);
    if (!field) return;
    let copied = false;
    try {
      await navigator.clipboard.writeText(field.value);
      copied = true;
    } catch {
      copied = fallbackCopy(field);
    }
    if (status) {
      status.textContent = "";
      window.setTimeout(() => {
        status.textContent = copied ? button.dataset.copied : button.dataset.notCopied;
      }, 50);
    }
  });

  // A readonly field selects all of itself on focus: one tap, then the phone's own copy.
  document.addEventListener("focusin", (event) => {
    if (event.target.matches?.("[data-select-all]")) event.target.select();
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", reveal);
  else reveal();
  document.addEventListener("htmx:afterSettle", reveal);
})();
