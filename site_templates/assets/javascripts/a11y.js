/* Accessibility fix for the theme (found by axe-core): scrollable tables can be reached
 * by keyboard. */
(function () {
  "use strict";
  function headingBefore(node) {
    for (var el = node.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) return el.textContent.replace("\u00b6", "").trim();
    }
    return "";
  }

  function fix() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap, index) {
      if (wrap.hasAttribute("tabindex")) return;
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", headingBefore(wrap) || document.title + " (" + (index + 1) + ")");
    });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(fix);  // after the theme has built its widgets
  } else {
    document.addEventListener("DOMContentLoaded", fix);
  }
})();
