// Fit, zoom and pan for the flow drawings (templates/_diagram.html), with Panzoom
// (static/vendor/panzoom). Without JavaScript the drawing scrolls in its box and a link
// opens it full size; on a phone the list of the flow stands in for the drawing, and
// here it is opened for the reader.
(() => {
  "use strict";
  if (window.pesananDiagram) return; // two drawings load it twice: set up once
  window.pesananDiagram = true;

  const PHONE = window.matchMedia("(max-width: 47.99rem)"); // as in app.css
  const STEP = 1.3; // each zoom button press or + / − key
  const NUDGE = 60; // pixels an arrow key moves the drawing
  const MIN_HEIGHT = 320; // pixels: a box lower than this shows too little

  const setUp = (view) => {
    const region = view.querySelector(".diagram");
    const canvas = region.querySelector(".diagram-canvas");
    const panzoom = window.Panzoom(canvas, {
      canvas: true, // drag anywhere in the box, not only on the drawing's lines
      cursor: "grab",
      minScale: 0.02,
      maxScale: 4,
      step: Math.log(STEP),
    });
    let isTouched = false; // the reader zoomed or moved: a resize keeps their view

    // Near the top of the page the box takes the rest of the screen, so the drawing is
    // whole without scrolling; further down (insight) it keeps the stylesheet's 75vh.
    const size = () => {
      const top = region.getBoundingClientRect().top + window.scrollY;
      const room = Math.floor(window.innerHeight - top - 16);
      region.style.height = room >= MIN_HEIGHT ? `${room}px` : "";
    };

    // The whole drawing in the box, centred. The canvas scales about its centre, and
    // Panzoom's translation is in unscaled pixels.
    const fit = () => {
      const width = canvas.offsetWidth;
      const height = canvas.offsetHeight;
      if (!width || !region.clientWidth) return; // hidden (a phone): nothing to fit
      const scale = Math.min(region.clientWidth / width, region.clientHeight / height, 1);
      panzoom.zoom(scale, { animate: false, force: true });
      panzoom.pan(
        (region.clientWidth - width) / (2 * scale),
        (region.clientHeight - height) / (2 * scale),
        { animate: false, force: true },
      );
      isTouched = false;
    };

    const zoomBy = (factor) => {
      const box = region.getBoundingClientRect();
      const middle = { clientX: box.left + box.width / 2, clientY: box.top + box.height / 2 };
      panzoom.zoomToPoint(panzoom.getScale() * factor, middle, { animate: true });
      isTouched = true;
    };

    const actions = {
      fit,
      in: () => zoomBy(STEP),
      out: () => zoomBy(1 / STEP),
      reset: () => {
        panzoom.zoom(1, { animate: false });
        panzoom.pan(0, 0, { animate: false, force: true });
        isTouched = true;
      },
    };

    view.querySelectorAll("[data-zoom]").forEach((button) => {
      button.addEventListener("click", () => actions[button.dataset.zoom]());
    });

    // Ctrl + wheel (a trackpad's pinch too) zooms where the pointer is; a plain wheel
    // moves the drawing, as a scrolling box would.
    region.addEventListener(
      "wheel",
      (event) => {
        event.preventDefault();
        isTouched = true;
        if (event.ctrlKey || event.metaKey) {
          panzoom.zoomWithWheel(event);
          return;
        }
        const scale = panzoom.getScale();
        panzoom.pan(-event.deltaX / scale, -event.deltaY / scale, { relative: true });
      },
      { passive: false },
    );
    canvas.addEventListener("panzoomstart", () => {
      isTouched = true;
    });

    region.addEventListener("keydown", (event) => {
      if (event.target !== region || event.altKey || event.ctrlKey || event.metaKey) return;
      const scale = panzoom.getScale();
      const moves = {
        ArrowLeft: [NUDGE, 0],
        ArrowRight: [-NUDGE, 0],
        ArrowUp: [0, NUDGE],
        ArrowDown: [0, -NUDGE],
      };
      if (moves[event.key]) {
        const [x, y] = moves[event.key];
        panzoom.pan(x / scale, y / scale, { relative: true });
        isTouched = true;
      } else if (event.key === "+" || event.key === "=") {
        actions.in();
      } else if (event.key === "-" || event.key === "−") {
        actions.out();
      } else if (event.key === "0") {
        fit();
      } else {
        return;
      }
      event.preventDefault();
    });

    region.classList.add("is-zoomable");
    view.querySelectorAll("[hidden]").forEach((element) => {
      element.hidden = false;
    });
    size(); // once the buttons above it show
    // After Panzoom's own first move to its start, which it makes on a timer too.
    window.setTimeout(fit);
    window.addEventListener("resize", () => {
      if (isTouched) return;
      size();
      fit();
    });
  };

  const openOutlines = () => {
    if (!PHONE.matches) return;
    document.querySelectorAll("details.outline").forEach((details) => {
      details.open = true;
    });
  };

  const start = () => {
    if (typeof window.Panzoom === "function") {
      document.querySelectorAll("[data-diagram]").forEach(setUp);
    }
    openOutlines();
    PHONE.addEventListener("change", openOutlines);
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
