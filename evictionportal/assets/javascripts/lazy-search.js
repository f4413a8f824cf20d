// Search on demand. Material fetches the whole search index (it grows with every page: about 300 kB
// compressed at 1,000 organisations) on every page load. This script, loaded before the theme's, holds
// that one request back until the reader uses search: opens it (click, tap, keyboard shortcut), focuses
// or types in the search field, or arrives with a search in the address (?q=… shared link, ?h=… from a
// search result). Then the theme's own search runs unchanged. Without JavaScript nothing here runs and
// the pages read as before. A file of the site, not an inline script: the Content-Security-Policy
// forbids those.
(function () {
  var INDEX = /\/search\/search_index\.json$/;
  var held = [];
  var wanted = /[?&](q|h)=/.test(location.search);
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;

  function release() {
    wanted = true;
    held.splice(0).forEach(function (go) { go(); });
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.isSearchIndex = INDEX.test(new URL(url, location.href).pathname);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (!request.isSearchIndex || wanted) return send.apply(request, args);
    held.push(function () {
      try { send.apply(request, args); } catch (error) { /* aborted meanwhile: nothing to load */ }
    });
  };

  function watch() {
    var toggle = document.getElementById("__search");
    var field = document.querySelector("[data-md-component=search-query]");
    if (toggle) toggle.addEventListener("change", function () { if (toggle.checked) release(); });
    if (field) {
      field.addEventListener("focus", release);
      field.addEventListener("input", release);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
