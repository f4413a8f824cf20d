// The search page. The index is cut in small files (evictionportal/search.py): for each word typed, the
// file of the words that start with its first three letters; for each result shown, its page's file.
// A query downloads a few kilobytes, whatever the size of the site. The words are cut, folded and
// singularised exactly as search.py does (search_terms); the stop words come from the page itself.
// A whole word finds that word only (« appel » is not « appeler »); a word the site does not hold is
// taken as the start of one (« hiv » finds « hiver »). The readers' own words (« huissier ») are filed
// in the index with the pages' words; the page says which words those are, to mark them.
// Results are written with text nodes only: no text of the index is ever read as HTML.
// Without JavaScript the page lists every page of the site instead.
(function () {
  var root = document.querySelector("[data-recherche]");
  if (!root) return;
  var PAGE_SIZE = 10;
  var PREFIX_FACTOR = 0.8; // « expuls » finds « expulsion »
  var base = root.getAttribute("data-racine") || "./";
  var stopWords = new Set((root.getAttribute("data-mots-vides") || "").split(" "));
  var synonyms = new Map(); // « huissier » → the words of « commissaire de justice »
  (root.getAttribute("data-mots-proches") || "").split(" ").forEach(function (entry) {
    var parts = entry.split(":");
    if (parts[1]) synonyms.set(parts[0], parts[1].split(","));
  });
  var form = root.querySelector("form");
  var field = root.querySelector("#recherche-mots");
  var status = root.querySelector("[data-recherche-etat]");
  var list = root.querySelector("[data-recherche-resultats]");
  var more = root.querySelector("[data-recherche-plus]");
  var shards = new Map();
  var records = new Map();
  var ranked = [];
  var shown = 0;
  var terms = [];
  var found = new Set(); // the words of the pages that answered the query: those are marked
  var current = 0; // the latest query: an older answer arriving late is dropped
  var timer = null;

  function fold(text) {
    return text.toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae").normalize("NFD").replace(/\p{M}/gu, "");
  }
  function stem(word) {
    return Array.from(word).length > 3 && /[sx]$/.test(word) ? word.slice(0, -1) : word;
  }
  function searchTerms(text) {
    var words = fold(text).match(/[\p{L}\p{N}]+/gu) || [];
    return words.filter(function (w) { return Array.from(w).length > 1 && !stopWords.has(w); }).map(stem);
  }
  function shardName(term) {
    var prefix = Array.from(term).slice(0, 3).join("");
    if (/^[a-z0-9]+$/.test(prefix)) return prefix;
    return "u" + Array.from(new TextEncoder().encode(prefix), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  function load(cache, url) {
    if (!cache.has(url)) {
      cache.set(url, fetch(url).then(function (answer) {
        if (answer.status === 404) return {};
        if (!answer.ok) throw new Error(answer.status);
        return answer.json();
      }));
    }
    return cache.get(url);
  }

  // How much an indexed `term` answers the `wanted` word: 1 for the word itself, PREFIX_FACTOR for a word it
  // begins if the site holds no such whole word, else 0.
  function factorFor(wanted, term, whole) {
    if (term === wanted) return 1;
    return !whole && Array.from(wanted).length >= 3 && term.indexOf(wanted) === 0 ? PREFIX_FACTOR : 0;
  }

  // Pages holding every word first (else the most words), by score; each with its best section.
  function rank(queryTerms, files) {
    var pages = new Map();
    found = new Set();
    queryTerms.forEach(function (wanted, i) {
      var perPage = new Map();
      var whole = Object.prototype.hasOwnProperty.call(files[i], wanted);
      Object.keys(files[i]).forEach(function (term) {
        var factor = factorFor(wanted, term, whole);
        if (!factor) return;
        found.add(term);
        (synonyms.get(term) || []).forEach(function (word) { found.add(word); });
        var flat = files[i][term];
        for (var k = 0; k < flat.length; k += 3) {
          var sections = perPage.get(flat[k]) || new Map();
          sections.set(flat[k + 1], Math.max(sections.get(flat[k + 1]) || 0, flat[k + 2] * factor));
          perPage.set(flat[k], sections);
        }
      });
      perPage.forEach(function (sections, page) {
        var entry = pages.get(page) || { page: page, words: 0, score: 0, sections: new Map() };
        var best = 0;
        var total = 0;
        sections.forEach(function (score, section) {
          best = Math.max(best, score);
          total += score;
          entry.sections.set(section, (entry.sections.get(section) || 0) + score);
        });
        entry.words += 1;
        entry.score += best + 0.25 * (total - best);
        pages.set(page, entry);
      });
    });
    var all = Array.from(pages.values());
    var complete = all.filter(function (e) { return e.words === queryTerms.length; });
    return (complete.length ? complete : all).sort(function (a, b) {
      return b.words - a.words || b.score - a.score || a.page - b.page;
    });
  }

  // The word of the index that `word` of a page is, if it answered the query; else undefined.
  function matchedTerm(word) {
    var folded = stem(fold(word));
    return folded.length > 1 && found.has(folded) ? folded : undefined;
  }
  function matches(word) { return matchedTerm(word) !== undefined; }

  // The sentence of the section that holds the most words searched for (the first one if none); those words marked.
  function excerpt(text) {
    var sentences = text.split(/(?<=[.!?…])\s+|\n/);
    var sentence = sentences[0] || "";
    var most = 0;
    sentences.forEach(function (candidate) {
      var found = new Set((candidate.match(/[\p{L}\p{N}]+/gu) || []).map(matchedTerm).filter(Boolean)).size;
      if (found > most) { most = found; sentence = candidate; }
    });
    if (sentence.length > 220) sentence = sentence.slice(0, 220).replace(/\s+\S*$/, "") + " …";
    return marked("recherche-extrait", sentence);
  }

  // A paragraph of `text` whose words searched for are marked.
  function marked(className, text) {
    var paragraph = document.createElement("p");
    paragraph.className = className;
    text.split(/([\p{L}\p{N}]+)/u).forEach(function (part, index) {
      if (index % 2 === 1 && matches(part)) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        paragraph.appendChild(mark);
      } else if (part) {
        paragraph.appendChild(document.createTextNode(part));
      }
    });
    return paragraph;
  }

  function bestSection(entry, record) {
    var best = 0;
    var top = -1;
    entry.sections.forEach(function (score, section) {
      if (score > top && record.s[section] && record.s[section][2]) { top = score; best = section; }
    });
    return best;
  }

  function resultItem(entry, record) {
    var section = bestSection(entry, record);
    var item = document.createElement("li");
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    var anchor = section > 0 ? record.s[section][1] : "";
    link.href = base + record.u + (anchor ? "#" + anchor : "");
    link.textContent = record.t;
    heading.appendChild(link);
    item.appendChild(heading);
    if (record.p) {
      var audience = document.createElement("p");
      audience.className = "recherche-public";
      audience.textContent = record.p;
      item.appendChild(audience);
    }
    if (section > 0) item.appendChild(marked("recherche-partie", record.s[section][0]));
    var text = record.s[section] ? record.s[section][2] : "";
    if (text) item.appendChild(excerpt(text));
    return item;
  }

  function showMore(query) {
    var next = ranked.slice(shown, shown + PAGE_SIZE);
    return Promise.all(next.map(function (entry) {
      return load(records, base + "recherche/pages/" + entry.page + ".json");
    })).then(function (pages) {
      if (query !== current) return;
      pages.forEach(function (record, i) { list.appendChild(resultItem(next[i], record)); });
      shown += next.length;
      more.hidden = shown >= ranked.length;
    });
  }

  function say(text) { status.textContent = text; }

  function run() {
    var query = ++current;
    var text = field.value.trim();
    terms = Array.from(new Set(searchTerms(text)));
    found = new Set();
    list.textContent = "";
    more.hidden = true;
    ranked = [];
    shown = 0;
    var address = new URL(location.href);
    if (text) address.searchParams.set("q", text); else address.searchParams.delete("q");
    history.replaceState(null, "", address);
    if (!terms.length) {
      say(text ? "Tapez un mot plus long ou plus précis." : "");
      return;
    }
    say("Recherche en cours…");
    Promise.all(terms.map(function (t) { return load(shards, base + "recherche/termes/" + shardName(t) + ".json"); }))
      .then(function (files) {
        if (query !== current) return;
        ranked = rank(terms, files);
        if (!ranked.length) {
          say("Aucune page ne contient « " + text + " ». Essayez un autre mot, ou choisissez dans la liste des pages ci-dessous.");
          return;
        }
        var partial = ranked[0].words < terms.length ? " Aucune page ne contient tous vos mots : voici les plus proches." : "";
        var count = ranked.length === 1 ? "1 page trouvée." : ranked.length + " pages trouvées.";
        return showMore(query).then(function () { if (query === current) say(count + partial); });
      })
      .catch(function () {
        if (query === current) say("La recherche n'a pas pu se charger. Vérifiez votre connexion, ou choisissez dans la liste des pages ci-dessous.");
      });
  }

  form.hidden = false;
  document.querySelectorAll("[data-recherche-sans-javascript]").forEach(function (el) { el.hidden = true; });
  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); run(); });
  field.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
  more.addEventListener("click", function () {
    var first = shown; // keyboard and screen reader users land on the first new result
    showMore(current).then(function () {
      var link = list.children[first] && list.children[first].querySelector("a");
      if (link) link.focus();
    });
  });
  var asked = new URL(location.href).searchParams.get("q");
  if (asked) { field.value = asked; run(); } else { field.focus(); }
})();
