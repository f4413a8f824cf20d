// The editor works without this file; it only filters the listing as one types, and moves the focus to the
// list of problems after a refused save.
"use strict";
(function () {
  var box = document.querySelector("[data-filtre]");
  var count = document.querySelector("[data-compte]");
  if (box) {
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      document.querySelectorAll("[data-texte]").forEach(function (row) {
        var text = row.getAttribute("data-texte");
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      document.querySelectorAll(".groupe").forEach(function (group) {
        group.hidden = !group.querySelector("[data-texte]:not([hidden])");
      });
      if (count) { count.textContent = shown + " fichier(s)"; }
    });
  }
  var problems = document.querySelector("[data-focus]");
  if (problems) { problems.focus(); }
})();
