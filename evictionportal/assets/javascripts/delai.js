// The deadline calculator of the stage pages: the date written on the document (and, where the delay
// depends on it, the day the lease was signed) gives the day the delay ends, in words. Everything
// happens in this page: the dates are never sent anywhere, stored or logged. The rule is the one of
// evictionportal/delays.py (tests/test_delays.py compares the two day by day): weeks end on the same
// weekday, months on the same day of the month or that month's last day. Dates are plain calendar
// days counted in UTC, so a change of summer or winter time cannot move them.
(function () {
  "use strict";

  var ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
  var WORDS = new Intl.DateTimeFormat("fr-FR", {
    weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
  });

  function parseDay(value) {
    var match = ISO_DATE.exec(value || "");
    if (!match) return null;
    var day = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
    return day.getUTCDate() === +match[3] ? day : null;
  }

  function addMonths(day, months) {
    var index = day.getUTCMonth() + months;
    var year = day.getUTCFullYear() + Math.floor(index / 12);
    var month = index % 12;
    var last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    return new Date(Date.UTC(year, month, Math.min(day.getUTCDate(), last)));
  }

  function delayEnd(start, rule) {
    if (rule.weeks) return new Date(start.getTime() + rule.weeks * 7 * 86400000);
    return addMonths(start, rule.months);
  }

  // « lundi 14 décembre 2026 », « mardi 1er décembre 2026 ».
  function dayInWords(day) {
    return WORDS.formatToParts(day).map(function (part) {
      if (part.type === "day" && part.value === "1") return "1er";
      return part.type === "literal" ? " " : part.value;
    }).join("").replace(/\s+/g, " ").trim();
  }

  function appliesToLease(rule, signed) {
    if (!signed || (!rule.before && !rule.since)) return true;
    return rule.before ? signed < rule.before : signed >= rule.since;
  }

  function sentences(rules, written, signed) {
    return rules.filter(function (rule) { return appliesToLease(rule, signed); }).map(function (rule) {
      var sentence = rule.ends + " " + dayInWords(delayEnd(written, rule)) + ".";
      if (!signed && rule.condition) {
        sentence = rule.condition + " : " + sentence.charAt(0).toLowerCase() + sentence.slice(1);
      }
      return sentence;
    });
  }

  function readRule(item) {
    var text = function (name) {
      var part = item.querySelector("[data-delai-" + name + "]");
      return part ? part.textContent.replace(/\s+/g, " ").trim() : "";
    };
    return {
      weeks: +item.getAttribute("data-weeks") || 0,
      months: +item.getAttribute("data-months") || 0,
      before: parseDay(item.getAttribute("data-lease-before")),
      since: parseDay(item.getAttribute("data-lease-since")),
      condition: text("condition"),
      ends: text("fin"),
    };
  }

  function setUp(box) {
    var written = box.querySelector("[data-delai-document]");
    var lease = box.querySelector("[data-delai-bail]");
    var output = box.querySelector("[data-delai-resultat]");
    var rules = Array.prototype.map.call(box.querySelectorAll("[data-delai-regle]"), readRule);
    function show() {
      var start = parseDay(written.value);
      output.textContent = "";
      if (!start) return;
      sentences(rules, start, lease ? parseDay(lease.value) : null).forEach(function (sentence) {
        var line = document.createElement("p");
        line.textContent = sentence;
        output.appendChild(line);
      });
    }
    written.addEventListener("input", show);
    written.addEventListener("change", show);
    if (lease) {
      lease.addEventListener("input", show);
      lease.addEventListener("change", show);
    }
    box.hidden = false;
    show();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-delai-calcul]"), setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
