/* Served by `playbook serve` (generator/preview/reload.py) to every page of the preview:
 * asks the preview for a build later than the one the page shows, and reloads the page
 * when there is one. A script file of the site's own origin (no inline code), so the
 * site's Content-Security-Policy decides whether it runs. */
(function () {
  "use strict";
  var script = document.currentScript;
  var since = script && script.getAttribute("data-build");
  if (!since || !/^[0-9]+$/.test(since) || !window.fetch) {
    return;
  }
  var url = "/.playbook/reload?since=" + since + "&page=" + encodeURIComponent(location.pathname);

  function later(then) {
    window.setTimeout(then, 1000);
  }

  function ask() {
    fetch(url, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (build) {
        if (/^[0-9]+$/.test(build) && Number(build) > Number(since)) {
          location.reload();
        } else {
          ask();
        }
      })
      .catch(function () {
        later(ask); // the preview is away (restarting): ask again soon
      });
  }

  ask();
})();
