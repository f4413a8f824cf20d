// The deadline calculator of the stage pages: the date written on the document (and, where the delay
// depends on it, the day the lease was signed) gives the day the delay ends, in words. Everything
// happens in this page: the dates are never sent anywhere, stored or logged. The rules are those of
// evictionportal/delays.py (tests/test_journeys.py compares the two day by day): weeks end on the same
// weekday, months on the same day of the month or that month's last day; a day before today says the
// delay has passed and what can still be done; a Saturday, a Sunday or a public holiday (the list the
// build wrote into the page, from the `holidays` library) is named; a delay before a forced eviction
// that ends in the trêve hivernale (1 November to 31 March) gives 1 April. Dates are plain calendar
// days counted in UTC, so a change of summer or winter time cannot move them. « Ajouter à mon agenda »
// makes an .ics file in the browser (a Blob): nothing leaves the page.
(function () {
  "use strict";

  var ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
  var DAY = 86400000;
  var WORDS = new Intl.DateTimeFormat("fr-FR", {
    weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
  });
  var WEEKDAY = new Intl.DateTimeFormat("fr-FR", { weekday: "long", timeZone: "UTC" });

  function parseDay(value) {
    var match = ISO_DATE.exec(value || "");
    if (!match) return null;
    var day = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
    return day.getUTCDate() === +match[3] ? day : null;
  }

  function isoDay(day) {
    return day.toISOString().slice(0, 10);
  }

  // Today as the reader's own calendar says it, as a plain day.
  function today() {
    var now = new Date();
    return new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
  }

  function addMonths(day, months) {
    var index = day.getUTCMonth() + months;
    var year = day.getUTCFullYear() + Math.floor(index / 12);
    var month = index % 12;
    var last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    return new Date(Date.UTC(year, month, Math.min(day.getUTCDate(), last)));
  }

  function delayEnd(start, rule) {
    if (rule.weeks) return new Date(start.getTime() + rule.weeks * 7 * DAY);
    return addMonths(start, rule.months);
  }

  function inWinterTruce(day) {
    var month = day.getUTCMonth() + 1;
    return month >= 11 || month <= 3;
  }

  function truceEnd(day) {
    return new Date(Date.UTC(day.getUTCFullYear() + (day.getUTCMonth() >= 10 ? 1 : 0), 3, 1));
  }

  // « lundi 14 décembre 2026 », « mardi 1er décembre 2026 ».
  function dayInWords(day) {
    return WORDS.formatToParts(day).map(function (part) {
      if (part.type === "day" && part.value === "1") return "1er";
      return part.type === "literal" ? " " : part.value;
    }).join("").replace(/\s+/g, " ").trim();
  }

  function dayOff(day, calendar) {
    var holiday = calendar.holidays[isoDay(day)];
    if (holiday) return calendar.words.holiday.split("{nom}").join(holiday);
    var weekday = day.getUTCDay();
    return weekday === 0 || weekday === 6 ? WEEKDAY.format(day) : null;
  }

  function appliesToLease(rule, signed) {
    if (!signed || (!rule.before && !rule.since)) return true;
    return rule.before ? signed < rule.before : signed >= rule.since;
  }

  function lowerFirst(text) {
    return text.charAt(0).toLowerCase() + text.slice(1);
  }

  // One delay counted from the document: its day and the paragraphs that say it (delays.outcome_sentences).
  function outcome(rule, written, calendar, withCondition) {
    var end = delayEnd(written, rule);
    var truce = rule.truceEnds !== "" && inWinterTruce(end);
    var day = truce ? truceEnd(end) : end;
    var passed = day < calendar.today;
    var lines;
    if (passed) {
      lines = [calendar.words.passed + " " + dayInWords(day) + "."];
      if (rule.passed) lines.push(rule.passed);
    } else if (truce) {
      lines = [rule.truceEnds + " " + dayInWords(day) + ".", rule.truceExceptions];
    } else {
      lines = [rule.ends + " " + dayInWords(day) + "."];
      var off = dayOff(day, calendar);
      if (off) lines.push(calendar.words.day_off.split("{jour}").join(off));
    }
    if (withCondition && rule.condition) lines[0] = rule.condition + " : " + lowerFirst(lines[0]);
    return { rule: rule, day: day, passed: passed, lines: lines };
  }

  // ------------------------------------------------------------------ the .ics file

  function icsText(value) {
    return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
  }

  // RFC 5545: lines of at most 75 octets, continued by a space on the next line.
  function fold(line) {
    var encoder = new TextEncoder();
    var out = [];
    var current = "";
    var size = 0;
    Array.from(line).forEach(function (character) {
      var bytes = encoder.encode(character).length;
      if (size + bytes > (out.length ? 74 : 75)) {
        out.push(current);
        current = "";
        size = 0;
      }
      current += character;
      size += bytes;
    });
    out.push(current);
    return out.join("\r\n ");
  }

  function compact(day) {
    return isoDay(day).replace(/-/g, "");
  }

  function uid() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  function calendarFile(result, calendar) {
    var page = location.href.split("#")[0].split("?")[0];
    var stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    var description = result.lines.concat([calendar.words.calendar_note, page]).join("\n");
    var lines = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//" + icsText(document.title) + "//Calcul des délais//FR",
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      "BEGIN:VEVENT",
      "UID:" + uid() + "@" + (location.hostname || "portail"),
      "DTSTAMP:" + stamp,
      "DTSTART;VALUE=DATE:" + compact(result.day),
      "DTEND;VALUE=DATE:" + compact(new Date(result.day.getTime() + DAY)),
      "SUMMARY:" + icsText(result.rule.label),
      "DESCRIPTION:" + icsText(description),
      "URL:" + page,
      "TRANSP:TRANSPARENT",
      "BEGIN:VALARM",
      "ACTION:DISPLAY",
      "DESCRIPTION:" + icsText(result.rule.label),
      "TRIGGER:-P3D",
      "END:VALARM",
      "END:VEVENT",
      "END:VCALENDAR",
    ];
    return lines.map(fold).join("\r\n") + "\r\n";
  }

  function download(result, calendar) {
    var blob = new Blob([calendarFile(result, calendar)], { type: "text/calendar;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "fin-du-delai-" + isoDay(result.day) + ".ics";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
  }

  // ------------------------------------------------------------------ the page

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
      label: text("libelle"),
      passed: text("passe"),
      truceEnds: text("treve-fin"),
      truceExceptions: text("treve-exceptions"),
      calls: Array.prototype.slice.call(item.querySelectorAll("[data-delai-appel]")),
    };
  }

  function readCalendar(box) {
    var words = {};
    Array.prototype.forEach.call(box.querySelectorAll("[data-delai-mots] [data-mot]"), function (item) {
      words[item.getAttribute("data-mot")] = item.textContent.replace(/\s+/g, " ").trim();
    });
    var holidays = {};
    Array.prototype.forEach.call(box.querySelectorAll("[data-delai-feries] [data-jour]"), function (item) {
      holidays[item.getAttribute("data-jour")] = item.textContent.trim();
    });
    return { words: words, holidays: holidays, today: today() };
  }

  function showResult(output, result, calendar) {
    var group = document.createElement("div");
    group.className = "delai-calcul-issue";
    result.lines.forEach(function (text, index) {
      var line = document.createElement("p");
      line.textContent = text;
      if (index > 0) line.className = "delai-calcul-precision";
      group.appendChild(line);
    });
    if (result.passed && result.rule.calls.length) {
      var calls = document.createElement("p");
      calls.className = "delai-calcul-appel";
      result.rule.calls.forEach(function (call) { calls.appendChild(call.cloneNode(true)); });
      group.appendChild(calls);
    }
    if (!result.passed) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "delai-calcul-agenda";
      button.textContent = calendar.words.add_to_calendar;
      button.addEventListener("click", function () { download(result, calendar); });
      group.appendChild(button);
    }
    output.appendChild(group);
  }

  function setUp(box) {
    var written = box.querySelector("[data-delai-document]");
    var lease = box.querySelector("[data-delai-bail]");
    var output = box.querySelector("[data-delai-resultat]");
    var rules = Array.prototype.map.call(box.querySelectorAll("[data-delai-regle]"), readRule);
    var calendar = readCalendar(box);
    function show() {
      var start = parseDay(written.value);
      var signed = lease ? parseDay(lease.value) : null;
      output.textContent = "";
      if (!start) return;
      calendar.today = today();
      rules.filter(function (rule) { return appliesToLease(rule, signed); }).forEach(function (rule) {
        showResult(output, outcome(rule, start, calendar, !signed), calendar);
      });
    }
    written.addEventListener("input", show);
    written.addEventListener("change", show);
    if (lease) {
      lease.addEventListener("input", show);
      lease.addEventListener("change", show);
    }
    box.hidden = false;
    var words = document.querySelector("[data-delai-sans-calcul]");
    if (words) words.hidden = true;  // the box now says it for the reader's own dates
    show();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-delai-calcul]"), setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
