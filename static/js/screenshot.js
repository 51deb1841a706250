// Pesanan Lancar, "show us the error": a preview of the chosen screenshot before it is
// sent. The form works without this file. The preview is a data: URL (the page's CSP
// already allows data: images), so the CSP needs no blob: source.
(() => {
  "use strict";
  if (window.screenshotPreview) return; // loaded again by a swapped-in section
  window.screenshotPreview = true;

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.preview) return;
    const preview = document.getElementById(input.dataset.preview);
    if (!preview) return;
    const file = input.files && input.files[0];
    preview.hidden = true;
    preview.removeAttribute("src");
    if (!file || !file.type.startsWith("image/")) return;
    const reader = new FileReader();
    reader.addEventListener("load", () => {
      preview.src = reader.result;
      preview.hidden = false;
    });
    reader.readAsDataURL(file);
  });
})();
