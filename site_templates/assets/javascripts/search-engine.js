/* The playbook's search engine: ranks the site's index (site/search_index.py: the
 * sections of the built pages as text, with the playbook's search data in
 * config.playbook) for what the rep types. `new Search(index).query(text)` gives
 * {items: [[page, section?], ...], stems}: each result's location, title and snippet as
 * plain text (the search box, search.js, shows them with textContent), and the stems the
 * query matched, for `segments` to mark in a text.
 *
 * What it does beyond plain full-text search, for German reps:
 * - analysis: lower case, umlauts and ß folded, German Snowball stems (English: plural
 *   and -ing/-ed endings), stop words left out;
 * - compounds in both directions: an indexed compound is also found by its parts
 *   ("Klausel" finds "Vertragsklauseln"), a typed compound by its parts ("Haftungsklausel"
 *   finds "Haftung" and "...klauseln");
 * - typos: one edit in words of five letters or more, two in words of nine or more
 *   (a swap of two neighbours counts as one; the first letter as typed), ranked below
 *   exact matches;
 * - synonyms from the glossary (config.playbook.synonyms) and each entry's search terms,
 *   which are in the index only, not on the page;
 * - ranking by what a page is: entries above overviews, general pages last
 *   (config.playbook.pages[location].boost), and the entry's one-line answer as snippet;
 * - numbers with their unit, read with the decision helper's words ("80k", "12 %",
 *   "60 Tage"): the pages whose quantity has that unit and holds that value rank first;
 * - teams and levels named in the query ("öffentlicher Sektor", "Vergabe", "Senior"):
 *   their pages rank higher and show what holds there as the snippet;
 * - the situations of an entry's cases count more than its other text.
 *
 * It runs in the page (window.playbookSearchEngine) and in node (`require`), where the
 * tests call it. No DOM, no network. */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.playbookSearchEngine = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  /* ------------------------------------------------------------------ analysis */

  var STOP = new Set((
    // German: articles, pronouns, auxiliaries, question words, particles
    "aber alle allem allen aller alles als also am an auch auf aus bei beim bin bis bist " +
    "da dabei damit dann darf darfst das dass dem den denn der des dich die dir doch dort " +
    "du durch ein eine einem einen einer eines er es etwa euch euer eure fuer hab habe haben " +
    "hat hatte hier ich ihm ihn ihr ihre im in ist ja jede jedem jeden jeder jedes kann " +
    "kannst man mein meine meinem meinen meiner mich mir mit muss musst muessen nach noch " +
    "nun nur ob oder ohne sein seine sich sie sind so soll sollen sollte sonst um und uns " +
    "unser unsere vom von vor war waren was weil welche welcher welches wenn wer werde " +
    "werden wie wieso wir wird wirst wo woher wohin zu zum zur " +
    // what a rep says around the situation, not what it is about: "will nicht mehr"
    "nicht nie kein keine keinem keinen keiner keines mehr schon trotzdem seit will willst " +
    "wollen mochte mochten moechte moechten " +
    // English
    "a an and are as at be by can could do does for from how i if in is it may me my of " +
    "on or our should that the this to was we what when where which who why will with " +
    "would you your"
  ).split(" "));

  // letters and digits of the Latin, Greek and Cyrillic scripts ("%" and "€" stand for
  // units); written out: twice as fast as \p{L} over a whole index
  var LETTERS = /[0-9a-z\u00b5\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff]+|[%€]/g;
  var NUMBER = /^[0-9]+$/;

  /* A word as typed without its accents: for stop words, typos and compounds. */
  function fold(word) {
    return word.replace(/ß/g, "ss").normalize("NFD").replace(/\p{M}/gu, "");
  }

  /* The German Snowball stemmer (snowballstem.org/algorithms/german, as in Snowball
   * 3.1), on a lower-case word; it folds the umlauts at the end. tests/test_search.py
   * holds it to Python's snowballstemmer, word for word. */
  var VOWELS = "aeiouyäöü";
  var S_END = "bdfghklmnrt", ST_END = "bdfghklmnt", ET_END = "Udfgklmnrstzä";
  var ET_NOT = ["tick", "plan", "geordn", "intern", "tr"];
  var FOLD = { "ä": "a", "ö": "o", "ü": "u", "U": "u", "Y": "y" };

  function vowel(c) {
    return c !== undefined && c !== "" && VOWELS.indexOf(c) >= 0;
  }

  function among(w, suffixes) {  // the longest of `suffixes` that ends w, or ""
    var found = "";
    suffixes.forEach(function (s) {
      if (s.length > found.length && w.endsWith(s)) found = s;
    });
    return found;
  }

  function prelude(word) {
    var c = Array.from(word), i, out = "";
    for (i = 0; i + 2 < c.length; i++) {  // u and y between vowels count as consonants
      if (vowel(c[i]) && (c[i + 1] === "u" || c[i + 1] === "y") && vowel(c[i + 2])) {
        c[i + 1] = c[i + 1].toUpperCase();
      }
    }
    for (i = 0; i < c.length; i++) {  // ß, ae, oe, ue (not in "qu...")
      var two = c[i] + (c[i + 1] || "");
      if (two === "qu") { out += two; i++; }
      else if (two === "ae") { out += "ä"; i++; }
      else if (two === "oe") { out += "ö"; i++; }
      else if (two === "ue") { out += "ü"; i++; }
      else out += c[i] === "ß" ? "ss" : c[i];
    }
    return out;
  }

  function regions(w) {  // [R1, R2] as start offsets
    var n = w.length;
    if (n < 3) return [n, n];
    function after(start) {
      var i = start;
      while (i < n && !vowel(w[i])) i++;
      while (i < n && vowel(w[i])) i++;
      return i < n ? i + 1 : n;
    }
    var p1 = after(0);
    var p2 = p1 < n ? after(p1) : n;
    return [Math.max(p1, 3), p2];
  }

  function snowballGerman(word) {
    var w = prelude(word);
    var r = regions(w), r1 = r[0], r2 = r[1], s, rest;
    s = among(w, ["e", "em", "en", "erinnen", "erin", "ln", "ern", "er", "s", "es", "lns"]);
    if (s && w.length - s.length >= r1) {
      rest = w.slice(0, -s.length);
      if (s === "em") {
        if (!rest.endsWith("syst")) w = rest;
      } else if (s === "e" || s === "en" || s === "es") {
        w = rest.endsWith("niss") ? rest.slice(0, -1) : rest;
      } else if (s === "s") {
        if (S_END.indexOf(rest.slice(-1)) >= 0 && rest) w = rest;
      } else if (s === "ln" || s === "lns") {
        w = rest + "l";
      } else {
        w = rest;
      }
    }
    s = among(w, ["en", "er", "et", "st", "est"]);
    if (s && w.length - s.length >= r1) {
      rest = w.slice(0, -s.length);
      if (s === "st") {
        if (rest && ST_END.indexOf(rest.slice(-1)) >= 0 && rest.length - 1 >= 3) w = rest;
      } else if (s === "et") {
        if (rest && ET_END.indexOf(rest.slice(-1)) >= 0 &&
            !ET_NOT.some(function (x) { return rest.endsWith(x); })) w = rest;
      } else {
        w = rest;
      }
    }
    s = among(w, ["end", "ig", "ung", "lich", "isch", "ik", "heit", "keit"]);
    if (s && w.length - s.length >= r2) {
      rest = w.slice(0, -s.length);
      if (s === "end" || s === "ung") {
        w = rest;
        if (w.endsWith("ig") && !w.slice(0, -2).endsWith("e") && w.length - 2 >= r2) w = w.slice(0, -2);
      } else if (s === "ig" || s === "isch" || s === "ik") {
        if (!rest.endsWith("e")) w = rest;
      } else if (s === "lich" || s === "heit") {
        w = rest;
        if ((w.endsWith("er") || w.endsWith("en")) && w.length - 2 >= r1) w = w.slice(0, -2);
      } else {
        w = rest;
        var t = among(w, ["ig", "lich"]);
        if (t && w.length - t.length >= r2) w = w.slice(0, -t.length);
      }
    }
    return w.replace(/[äöüUY]/g, function (c) { return FOLD[c]; });
  }

  /* Snowball, and what it leaves apart that reps mean alike: verbs in -ieren with their
   * participles and nouns in -ierung and -ation ("qualifiziert", "Qualifizierung",
   * "qualifizieren"; "Eskalation", "eskalieren"). */
  function stemGerman(word) {
    var w = snowballGerman(word);
    var verb = /^(.{4,}i)(er|ert)$/.exec(w) || /^(.{4,})ation$/.exec(w);
    return verb ? (verb[2] ? verb[1] : verb[1] + "i") : w;
  }

  function stemEnglish(word) {
    if (word.length <= 3) return word;
    if (word.endsWith("ies") && word.length > 4) return word.slice(0, -3) + "y";
    if (word.endsWith("sses")) return word.slice(0, -2);
    if (word.endsWith("ing") && word.length > 5) return word.slice(0, -3);
    if (word.endsWith("ed") && word.length > 4) return word.slice(0, -2);
    if (word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us")) return word.slice(0, -1);
    return word;
  }

  /* The words of a text, in lower case, in order. */
  function words(text) {
    return (String(text).normalize("NFC").toLowerCase().match(LETTERS) || []);
  }

  function meaningful(word) {
    var f = fold(word);
    return !STOP.has(f) && !NUMBER.test(f);
  }

  /* Damerau-Levenshtein distance (optimal string alignment), or max + 1 once above max. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], row, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      row = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d = Math.min(d, prev2[j - 2] + 1);
        }
        row.push(d);
        if (d < best) best = d;
      }
      if (best > max) return max + 1;
      prev2 = prev;
      prev = row;
    }
    return prev[b.length];
  }

  function allowedEdits(word) {
    return word.length >= 9 ? 2 : word.length >= 5 ? 1 : 0;
  }

  /* First index in the sorted array `list` whose item is >= `key`. */
  function lowerBound(list, key) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] < key) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /* The first `max` characters of `text` (UTF-16 units), without half a surrogate pair. */
  function clip(text, max) {
    if (text.length <= max) return text;
    var code = text.charCodeAt(max - 1);
    return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
  }

  function reversed(word) {
    return word.split("").reverse().join("");
  }

  /* ------------------------------------------------------------------ the index */

  var FIELDS = { title: 8, terms: 5, summary: 3, situations: 2, heads: 2, team: 2, answers: 1, text: 1 };
  var LINKS = ["", "s", "es", "n", "en", "e"];  // what may join the parts of a compound
  var MIN_PART = 4;  // letters in each part of a compound

  /* How much of a query the search reads: what reps type is a few words (a question
   * of two lines is ~150 characters), and German compounds have at most ~60 letters
   * (the longest on record, "Rindfleischetikettierungsüberwachungsaufgabenübertragungs-
   * gesetz", 63; the longest in use, ~40). Pasted text beyond that (a 30,000-letter
   * "word") is cut off before it is read, so the work for a query is bounded. */
  var MAX_QUERY = 200;  // characters of the typed text
  var MAX_WORD = 64;    // letters of each typed word, before it is split into parts
  /* A longer (folded) word is no compound: splitting looks at each of its prefixes, so
   * it must not see an unbounded word (an indexed one, or a typed "ß" folded to "ss"). */
  var MAX_COMPOUND = 2 * MAX_WORD;

  /* How much a match of each kind counts, against an exact one (1). */
  var THRESHOLDS = 1.6, DEFINITIONS = 2.5;  // a number typed; a question for a meaning
  var FITS = 1.6;     // a number typed with its unit, on a page whose quantity it fits
  var AMOUNT = 1.2;   // how much such a number tells, against a word found as typed
  var NAMED = 1.3;    // a page of the team the query names
  var TITLE = 0.5;  // a page whose title says all that was typed counts this much more
  var WEIGHT = { stem: 1, prefix: 0.7, head: 0.75, modifier: 0.6, parts: 0.8, synonym: 0.9, typo1: 0.5, typo2: 0.35 };

  function Search(data) {
    var config = data.config || {};
    var extra = config.playbook || {};
    var lang = (config.lang || ["en"])[0];
    this.stemWord = lang === "de" ? stemGerman : stemEnglish;
    this.cache = new Map();
    this.records = [];
    this.postings = new Map();  // stem -> {ids: [record], weights: [its weight there]}
    this.surface = new Map();   // folded word -> stem
    this.pending = [];          // each record's words and their weights, until `compounds`
    this.folded = new Map();    // word as written -> folded ("" for stop words and numbers)
    this.build(data.docs || [], extra.pages || {});
    try {
      this.definition = extra.definition ? new RegExp(extra.definition, "iu") : null;
    } catch (err) {
      this.definition = null;
    }
    this.compounds();
    this.reader = reader(extra.numbers || {});
    this.teams = this.teamWords((extra.teams || []).concat(extra.levels || []));
    this.synonyms = (extra.synonyms || []).map(function (group) {
      return group.map(function (member) { return this.stems(member); }, this)
        .filter(function (stems) { return stems.length; });
    }, this).filter(function (group) { return group.length > 1; });
  }

  Search.prototype.stem = function (word) {
    var known = this.cache.get(word);
    if (known === undefined) {
      known = this.stemWord(word);
      this.cache.set(word, known);
    }
    return known;
  };

  /* The stems of a text's words that carry meaning (no stop words, no bare numbers). */
  Search.prototype.stems = function (text) {
    var out = [];
    words(text).forEach(function (w) {
      if (meaningful(w)) out.push(this.stem(w));
    }, this);
    return out;
  };

  /* One record per page; a page marked `sections` (glossary, onboarding) gives one per
   * section as well, each found on its own and shown under its page. */
  Search.prototype.build = function (docs, pages) {
    var byPage = new Map();
    docs.forEach(function (doc) {
      var path = String(doc.location).split("#")[0];
      if (!byPage.has(path)) byPage.set(path, []);
      byPage.get(path).push(doc);
    });
    byPage.forEach(function (group, path) {
      var meta = pages[path] || {};
      var article = group.find(function (d) { return d.location === path; }) || group[0];
      var page = {
        location: path, title: article.title, parent: null,
        boost: typeof meta.boost === "number" ? meta.boost : 1,
        thresholds: meta.thresholds === true, definitions: meta.definitions === true,
        snippet: meta.summary !== undefined ? String(meta.summary) : teaser(article.text),
        quantities: Array.isArray(meta.quantities) ? meta.quantities : [],
        teams: meta.teams && typeof meta.teams === "object" ? meta.teams : {}
      };
      var sections = group.filter(function (d) { return d !== article; });
      this.add(page, {
        title: String(article.title || ""),
        terms: (meta.terms || []).join(" "),
        summary: meta.summary || "",
        situations: (meta.situations || []).join(" "),
        answers: (meta.answers || []).join(" "),
        heads: meta.sections ? "" : sections.map(function (d) { return String(d.title || ""); }).join(" "),
        text: (meta.sections ? [article] : group).map(function (d) { return String(d.text || ""); }).join(" ")
      });
      if (!meta.sections) return;
      sections.forEach(function (doc) {
        this.add({
          location: doc.location, title: doc.title, parent: page,
          boost: page.boost, thresholds: false, definitions: page.definitions,
          snippet: teaser(doc.text), quantities: [], teams: {}
        }, { title: String(doc.title || ""), text: String(doc.text || "") });
      }, this);
    }, this);
  };

  /* The start of a section's text, as its snippet: about 160 characters, whole words. */
  function teaser(text) {
    text = String(text || "").replace(/\s+/g, " ").trim();
    return text.length > 160 ? text.slice(0, 159).replace(/\s\S*$/, "") + " …" : text;
  }

  /* A record's words, each with the weight of the fields it is in; `compounds` makes
   * the index of them once every record is in. */
  Search.prototype.add = function (record, fields) {
    record.named = new Set(this.stems(fields.title));  // what the title says
    this.records.push(record);
    var pending = new Map();
    var names = Object.keys(fields);
    for (var n = 0; n < names.length; n++) {
      var list = words(fields[names[n]]), seen = new Map();
      for (var i = 0; i < list.length; i++) {
        var f = this.folded.get(list[i]);
        if (f === undefined) {  // once per spelling: folding and stemming are the slow part
          f = meaningful(list[i]) ? fold(list[i]) : "";
          this.folded.set(list[i], f);
          if (f && !this.surface.has(f)) this.surface.set(f, this.stem(list[i]));
        }
        if (f) seen.set(f, (seen.get(f) || 0) + 1);
      }
      var base = FIELDS[names[n]], text = names[n] === "text";
      seen.forEach(function (count, f) {
        var w = text ? base * Math.min(1 + Math.log(count), 2.5) : base;
        pending.set(f, (pending.get(f) || 0) + w);
      });
    }
    this.pending.push(pending);
  };

  /* The index: for each stem the records it is in, with its weight in each. Every
   * indexed compound's parts go in as well, for less than the word: "Klausel" finds
   * "Vertragsklauseln", "Monat" finds "Freimonat". */
  Search.prototype.compounds = function () {
    var surface = this.surface;
    this.stemSet = new Set(surface.values());
    var parts = new Map();
    surface.forEach(function (stem, word) {
      var split = this.split(word, "known") || this.split(word, "modifier");
      if (split) parts.set(word, split);
    }, this);
    var postings = new Map();
    this.pending.forEach(function (pending, id) {
      var local = new Map();
      pending.forEach(function (weight, word) {
        var own = surface.get(word);
        local.set(own, (local.get(own) || 0) + weight);
        var split = parts.get(word);
        if (!split) return;
        for (var i = 0; i < split.length; i++) {
          if (split[i] === own) continue;
          var w = weight * (i === split.length - 1 ? WEIGHT.head : WEIGHT.modifier);
          local.set(split[i], (local.get(split[i]) || 0) + w);
        }
      });
      local.forEach(function (weight, stem) {
        var list = postings.get(stem);
        if (!list) postings.set(stem, list = { ids: [], weights: [] });
        list.ids.push(id);
        list.weights.push(weight);
      });
    });
    this.postings = postings;
    this.stemSet = new Set(postings.keys());
    this.pending = [];
    this.sort();
  };

  Search.prototype.sort = function () {
    this.sorted = Array.from(this.postings.keys()).sort();
    this.tails = this.sorted.map(reversed).sort();
  };

  Search.prototype.known = function (part) {
    return this.surface.has(part) || this.stemSet.has(part) || this.stemSet.has(this.stem(part));
  };

  /* Is `part` the start or the end of some indexed word (a word's own parts need not
   * stand alone anywhere: "Klausel" only in "Vertragsklauseln")? */
  Search.prototype.fragment = function (part) {
    var i = lowerBound(this.sorted, part);
    if (i < this.sorted.length && this.sorted[i].startsWith(part)) return true;
    var tail = reversed(part);
    i = lowerBound(this.tails, tail);
    return i < this.tails.length && this.tails[i].startsWith(tail);
  };

  /* A (folded) word as the stems of its parts, or null when it is no compound. German
   * compounds end in their head: the longest head that counts comes first, then what
   * precedes it, less a linking s/es/n/en/e, which must count too or split again.
   * What counts: "known", an indexed word; "modifier", the same, but anything may
   * precede the head ("Freimonat" is a "Monat"); "fragment", the start or end of an
   * indexed word (for what reps type: "Haftungsklausel"). `memo`: the splits of this
   * word's prefixes found so far (each prefix is split once: the work is at most
   * quadratic in the word, never exponential), and no word above MAX_COMPOUND. */
  Search.prototype.split = function (word, mode, memo) {
    if (word.length > MAX_COMPOUND) return null;
    memo = memo || new Map();
    if (memo.has(word)) return memo.get(word);
    var best = this.splitOnce(word, mode, memo);
    memo.set(word, best);
    return best;
  };

  Search.prototype.splitOnce = function (word, mode, memo) {
    var best = null, quality = -1;
    for (var i = MIN_PART; i <= word.length - MIN_PART; i++) {
      var head = word.slice(i);
      if (!this.counts(head, mode)) continue;
      var left = word.slice(0, i);
      for (var k = 0; k < LINKS.length; k++) {
        var link = LINKS[k];
        if (link && !left.endsWith(link)) continue;
        var bare = link ? left.slice(0, -link.length) : left;
        if (bare.length < MIN_PART) continue;
        var parts = null;
        if (mode === "modifier" || this.counts(bare, mode)) {
          parts = [this.stem(bare), this.stem(head)];
        } else {
          var inner = this.split(bare, mode, memo);
          if (inner) parts = inner.concat([this.stem(head)]);
        }
        if (!parts) continue;
        if (mode !== "fragment") return parts;
        // what reps type: whole words beat pieces ("Haftung|s|klausel", not "Haftun|gsklausel")
        var q = (this.known(bare) ? 2 : 0) + (this.known(head) ? 1 : 0);
        if (q > quality) {
          best = parts;
          quality = q;
        }
      }
    }
    return best;
  };

  Search.prototype.counts = function (part, mode) {
    return this.known(part) || (mode === "fragment" && this.fragment(part));
  };

  /* ------------------------------------------------------------------ numbers */

  /* How the decision helper reads a number with its unit, from its words
   * (config.playbook.numbers: the i18n files' `helper_reading`): "80k", "80 T€", "EUR 80.000",
   * "1,2 Mio", "12 %", "60 Tage", "2 Monate", "net 30". A number whose reading is not
   * certain (two readings, as "80,000" on a German site) reads as no number with a unit. */
  function reader(cfg) {
    var decimal = cfg.decimal === "," ? "," : ".";
    var units = new Map(), scales = new Map(), scaled = new Map();
    Object.keys(cfg.units || {}).forEach(function (unit) {
      (cfg.units[unit] || []).forEach(function (w) { units.set(String(w).toLowerCase(), unit); });
    });
    Object.keys(cfg.scales || {}).forEach(function (w) { scales.set(w.toLowerCase(), cfg.scales[w]); });
    Object.keys(cfg.scaled_units || {}).forEach(function (w) { scaled.set(w.toLowerCase(), cfg.scaled_units[w]); });
    return {
      decimal: decimal, thousands: decimal === "," ? "." : ",", units: units, scales: scales,
      scaled: scaled, net: new Set((cfg.net || []).map(String))
    };
  }

  /* One number's digits, read as the decision helper reads them: {value, single}
   * (single: one thousands mark, as in "80.000"), or null when they allow two readings
   * ("80,000" on a German site) or none ("1,2,3"). */
  function digits(token, r) {
    var seps = token.replace(/\d/g, "");
    if (!seps) return { value: Number(token), single: false };
    function grouped(text, sep) {
      var groups = text.split(sep);
      if (groups[0].length < 1 || groups[0].length > 3 || groups[0] === "0") return null;
      for (var i = 1; i < groups.length; i++) if (groups[i].length !== 3) return null;
      return groups.join("");
    }
    var whole;
    if (/^'+$/.test(seps)) {  // 80'000
      whole = grouped(token, "'");
      return whole === null ? null : { value: Number(whole), single: false };
    }
    var last = Math.max(token.lastIndexOf("."), token.lastIndexOf(","));
    var mark = token.charAt(last), other = mark === "." ? "," : ".";
    var head = token.slice(0, last), tail = token.slice(last + 1);
    var marks = token.split(mark).length - 1;
    if (head.indexOf(other) >= 0 || head.indexOf("'") >= 0) {  // 80.000,50: the last is decimal
      if (marks > 1) return null;
      whole = grouped(head, /[.,']/);
      return whole === null ? null : { value: Number(whole + "." + tail), single: false };
    }
    if (marks > 1) {  // 1.200.000
      whole = grouped(token, mark);
      return whole === null ? null : { value: Number(whole), single: false };
    }
    if (tail.length !== 3 || head.length > 3 || head.charAt(0) === "0") {
      return { value: Number(head + "." + tail), single: false };  // 12,5  1.2  0,125
    }
    return mark === r.thousands ? { value: Number(head + tail), single: true } : null;
  }

  /* Every number typed with its unit (or a multiplier, which means euros): [{value,
   * unit, text}], unit one of the helper's (percent, eur, days, weeks, months, years). */
  Search.prototype.numbers = function (query) {
    var r = this.reader, out = [];
    var s = String(query).normalize("NFC").toLowerCase().replace(/[\u00a0\u2007\u2009\u202f]/g, " ");
    var found = /\d[\d.,']*\d|\d/g, m;
    while ((m = found.exec(s)) !== null) {
      var read = digits(m[0], r);
      if (!read) continue;
      var before = s.slice(0, m.index).match(/[a-zäöüß]+\.?|[€%~]|[^\s]/g) || [];
      var after = s.slice(m.index + m[0].length).replace(/^[.,]-+/, "").match(/[a-zäöüß]+\.?|[€%~]|[^\s]/g) || [];
      var unit = null, scale = 0, k = 0;
      var prev = before[before.length - 1];
      if (prev !== undefined && r.units.get(prev) === "eur") unit = "eur";  // EUR 80.000, € 80k
      else if (prev !== undefined && r.net.has(prev)) unit = "days";        // net 30
      if (after[k] !== undefined && r.scales.has(after[k])) scale = r.scales.get(after[k++]);
      else if (after[k] !== undefined && r.scaled.has(after[k]) && unit === null) {
        scale = r.scaled.get(after[k++]);
        unit = "eur";
      }
      if (after[k] !== undefined && r.units.has(after[k]) && (unit === null || r.units.get(after[k]) === unit)) {
        unit = r.units.get(after[k]);
      } else if (after[k] !== undefined && r.net.has(after[k]) && unit === null) {
        unit = "days";  // 30 netto
      }
      if (scale) {
        if (unit === null) unit = "eur";
        if (unit !== "eur" || read.single) continue;  // "1.500 T€": 1,5 Mio or 1.500 EUR?
      }
      if (unit !== null && isFinite(read.value)) {
        out.push({ value: read.value * Math.pow(10, scale), unit: unit, text: m[0] });
      }
    }
    return out;
  };

  var IN_DAYS = { days: 1, weeks: 7, months: 30, years: 365 }, IN_MONTHS = { months: 1, years: 12 };

  /* Does a number typed with its unit fit one of a page's quantities (unit and range)? */
  function fits(number, quantities) {
    return quantities.some(function (q) {
      var v = null;
      if (q.unit === number.unit && (q.unit === "percent" || q.unit === "eur")) v = number.value;
      else if (q.unit === "days" && IN_DAYS[number.unit]) v = number.value * IN_DAYS[number.unit];
      else if (q.unit === "months" && IN_MONTHS[number.unit]) v = number.value * IN_MONTHS[number.unit];
      if (v === null) return false;
      var min = typeof q.minimum === "number" ? q.minimum : 0;
      var max = typeof q.maximum === "number" ? q.maximum : Infinity;
      return v >= min && v <= max;
    });
  }

  /* ------------------------------------------------------------------ teams */

  /* Each team (config.playbook.teams: id, names, words, pages, rules) as what names it
   * in a query: every word of one of its names together, and alone each word of its
   * names or description that no page outside the team's holds ("Sektor", "Behörden",
   * "Vergaberecht" and its parts). The team's pages (`pages`: those it tightens, `rules`:
   * its own, which count more) get these words and a stem of the team's own, so that a
   * query naming the team finds them. */
  Search.prototype.teamWords = function (teams) {
    var byPath = new Map();
    this.records.forEach(function (record, id) {
      if (!record.parent) byPath.set(record.location, id);
    });
    var added = false;
    var out = teams.map(function (team) {
      var own = "\u0001team:" + team.id;
      var weights = new Map();  // record -> weight of the team's stem there
      (team.pages || []).forEach(function (p) {
        if (byPath.has(p)) weights.set(byPath.get(p), FIELDS.terms);
      });
      (team.rules || []).forEach(function (p) {
        if (byPath.has(p)) weights.set(byPath.get(p), FIELDS.title);
      });
      var outside = function (stem) {  // pages outside the team's that hold the stem
        var list = this.postings.get(stem), n = 0;
        if (list) list.ids.forEach(function (id) { if (!weights.has(id)) n++; });
        return n;
      }.bind(this);
      var names = (team.names || []).map(this.stems, this).filter(function (n) { return n.length; });
      var alone = new Set(), fresh = new Map();
      (team.names || []).concat(team.words || []).forEach(function (text) {
        words(text).forEach(function (w) {
          if (!meaningful(w)) return;
          var f = fold(w), stem = this.stem(w);
          var parts = [stem].concat(this.split(f, "known") || []);
          parts.forEach(function (part) {
            if (part.length < MIN_PART || outside(part) > 0) return;
            alone.add(part);
            if (!this.surface.has(f)) fresh.set(f, stem);
          }, this);
        }, this);
      }, this);
      var stems = new Set(alone);
      names.forEach(function (n) { n.forEach(function (s) { stems.add(s); }); });
      weights.forEach(function (weight, id) {
        stems.forEach(function (stem) { this.post(stem, id, FIELDS.team); }, this);
        this.post(own, id, weight);
        added = true;
      }, this);
      fresh.forEach(function (stem, f) { this.surface.set(f, stem); }, this);
      return { id: team.id, own: own, names: names, alone: alone, ids: new Set(weights.keys()) };
    }, this);
    if (added) {
      this.stemSet = new Set(this.postings.keys());
      this.sort();
    }
    return out;
  };

  /* A stem into the index, on a record, with at least this weight there. */
  Search.prototype.post = function (stem, id, weight) {
    var list = this.postings.get(stem);
    if (!list) this.postings.set(stem, list = { ids: [], weights: [] });
    var at = list.ids.indexOf(id);
    if (at < 0) {
      list.ids.push(id);
      list.weights.push(weight);
    } else if (list.weights[at] < weight) {
      list.weights[at] = weight;
    }
  };

  /* The teams a query names: {team id: true}; each group naming one also matches the
   * team's own stem (all its pages). */
  Search.prototype.nameTeams = function (groups) {
    var typed = new Set();
    groups.forEach(function (group) {
      group.match.forEach(function (m) { m.forEach(function (w, s) { if (w >= WEIGHT.typo1) typed.add(s); }); });
    });
    var named = {};
    this.teams.forEach(function (team) {
      var whole = team.names.filter(function (n) { return n.every(function (s) { return typed.has(s); }); });
      groups.forEach(function (group) {
        var best = 0;
        group.match.forEach(function (m) {
          m.forEach(function (w, s) {
            var names = team.alone.has(s) || whole.some(function (n) { return n.indexOf(s) >= 0; });
            if (names && w >= WEIGHT.typo1 && w > best) best = w;
          });
        });
        if (!best) return;
        named[team.id] = true;
        group.match.forEach(function (m) { if ((m.get(team.own) || 0) < best) m.set(team.own, best); });
      });
    });
    return named;
  };

  /* ------------------------------------------------------------------ the query */

  /* What one typed word may match: {stem: weight}. */
  Search.prototype.candidates = function (word, typing) {
    var found = new Map();
    function offer(stem, w) {
      if ((found.get(stem) || 0) < w) found.set(stem, w);
    }
    var stem = this.stem(word);
    if (this.postings.has(stem)) offer(stem, WEIGHT.stem);
    if (!found.size && stem.length >= MIN_PART) {  // a head alone: "Monat", "Freimonat"
      var tail = reversed(stem);
      for (var j = lowerBound(this.tails, tail); j < this.tails.length; j++) {
        if (!this.tails[j].startsWith(tail)) break;
        offer(reversed(this.tails[j]), WEIGHT.head);
      }
    }
    if (typing && stem.length >= MIN_PART) {  // the word still being typed
      for (var i = lowerBound(this.sorted, stem); i < this.sorted.length; i++) {
        if (!this.sorted[i].startsWith(stem)) break;
        offer(this.sorted[i], WEIGHT.prefix);
      }
    }
    if (!found.size) {
      var typed = fold(word), max = allowedEdits(typed);
      if (max) {
        this.surface.forEach(function (s, known) {
          if (known[0] !== typed[0]) return;  // reps rarely miss the first letter
          var d = distance(typed, known, max);
          if (d <= max) offer(s, d === 1 ? WEIGHT.typo1 : WEIGHT.typo2);
        });
      }
    }
    return found;
  };

  /* The typed text as groups: each group is what one typed word (or a glossary phrase)
   * may match, and counts once. */
  Search.prototype.parse = function (query) {
    var typed = [];
    words(query).forEach(function (w) {
      w = w.slice(0, MAX_WORD);  // LETTERS: no surrogate pairs to cut in two
      if (meaningful(w)) typed.push(w);
    });
    var stems = typed.map(this.stem, this);
    var open = /[\p{L}\p{N}]$/u.test(query);  // no space yet after the last word
    var groups = [];
    for (var i = 0; i < typed.length; i++) {
      var synonym = this.synonymAt(stems, i);
      var own = this.candidates(typed[i], i === typed.length - 1 && open);
      if (synonym) {
        synonym.stems.forEach(function (s) {
          if (this.postings.has(s) && (own.get(s) || 0) < WEIGHT.synonym) own.set(s, WEIGHT.synonym);
        }, this);
        for (var k = 1; k < synonym.length; k++) {
          this.candidates(typed[i + k], false).forEach(function (w, s) {
            if ((own.get(s) || 0) < w) own.set(s, w);
          });
        }
        groups.push({ words: typed.slice(i, i + synonym.length), match: [own] });
        i += synonym.length - 1;
        continue;
      }
      if (!this.postings.has(stems[i])) {
        var parts = this.split(fold(typed[i]), "fragment");
        if (parts) {
          var match = parts.map(function (part) { return this.candidates(part, true); }, this);
          groups.push({ words: [typed[i]], match: match, fallback: own });
          continue;
        }
      }
      groups.push({ words: [typed[i]], match: [own] });
    }
    return groups;
  };

  /* The glossary group whose member starts at stems[i] (the longest such member). */
  Search.prototype.synonymAt = function (stems, i) {
    var best = null;
    this.synonyms.forEach(function (group) {
      group.forEach(function (member) {
        if (member.length > stems.length - i) return;
        for (var k = 0; k < member.length; k++) if (member[k] !== stems[i + k]) return;
        if (!best || member.length > best.length) {
          var others = [];
          group.forEach(function (m) { if (m !== member) others.push.apply(others, m); });
          best = { length: member.length, stems: others };
        }
      });
    });
    return best;
  };

  Search.prototype.idf = function (stem) {
    return Math.log(1 + this.records.length / this.postings.get(stem).ids.length);
  };

  /* Each record's score for one set of candidates. */
  Search.prototype.scores = function (candidates) {
    var out = new Map();
    candidates.forEach(function (w, stem) {
      var idf = this.idf(stem), list = this.postings.get(stem);
      for (var i = 0; i < list.ids.length; i++) {
        var s = w * list.weights[i] * idf, id = list.ids[i];
        if ((out.get(id) || 0) < s) out.set(id, s);
      }
    }, this);
    return out;
  };

  /* How much a typed word tells: its rarest match (a word found nowhere tells nothing). */
  Search.prototype.worth = function (group) {
    if (group.fits) return AMOUNT * Math.log(1 + this.records.length / group.fits.length);
    var best = 0;
    group.match.concat(group.fallback ? [group.fallback] : []).forEach(function (m) {
      m.forEach(function (w, stem) { best = Math.max(best, w * this.idf(stem)); }, this);
    }, this);
    return best;
  };

  Search.prototype.query = function (text) {
    text = clip(String(text), MAX_QUERY);
    var groups = this.parse(text);
    var teams = this.nameTeams(groups);  // the teams (and levels) the query names
    var units = this.numbers(text), fit = new Set();
    units.forEach(function (number) {
      var ids = [];
      this.records.forEach(function (record, id) {
        if (record.quantities.length && fits(number, record.quantities)) ids.push(id);
      });
      ids.forEach(function (id) { fit.add(id); });
      if (ids.length) groups.push({ words: [number.text], match: [], fits: ids });
    }, this);
    if (!groups.length) return { items: [], stems: [] };
    var total = new Map(), matched = new Map();
    var worth = groups.map(this.worth, this);  // how much each typed word tells
    var told = worth.reduce(function (a, b) { return a + b; }, 0);
    groups.forEach(function (group, g) {
      var score;
      if (group.fits) {  // a number with its unit: the pages it fits, as a search term
        score = new Map();
        group.fits.forEach(function (id) { score.set(id, FIELDS.terms * worth[g]); });
      } else if (group.match.length === 1) {
        score = this.scores(group.match[0]);
      } else {  // a typed compound: the parts together, each part half as much alone
        score = new Map();
        var per = group.match.map(this.scores, this);
        per.forEach(function (part) {
          part.forEach(function (s, id) {
            score.set(id, (score.get(id) || 0) + s * WEIGHT.parts / per.length);
          });
        });
        if (group.fallback) {
          this.scores(group.fallback).forEach(function (s, id) {
            if ((score.get(id) || 0) < s) score.set(id, s);
          });
        }
      }
      score.forEach(function (s, id) {
        total.set(id, (total.get(id) || 0) + s);
        if (!matched.has(id)) matched.set(id, new Set());
        matched.get(id).add(g);
      });
    }, this);
    var typed = String(text).normalize("NFC").toLowerCase().trim();
    var numbers = /\p{N}/u.test(typed);
    var defining = this.definition !== null && this.definition.test(typed);
    var wanted = groups.map(function (group) {  // each group's stems, for the titles
      var stems = new Set();
      group.match.forEach(function (m) { m.forEach(function (w, s) { if (w >= WEIGHT.prefix) stems.add(s); }); });
      return stems;
    });
    var ranked = [];
    total.forEach(function (s, id) {
      var record = this.records[id];
      var got = 0;
      matched.get(id).forEach(function (g) { got += worth[g]; });
      var coverage = told > 0 ? got / told : 0;
      var named = wanted.filter(function (stems) {
        for (var stem of stems) if (record.named.has(stem)) return true;
        return false;
      }).length / groups.length;
      var intent = (units.length ? (fit.has(id) ? FITS : 1) : numbers && record.thresholds ? THRESHOLDS : 1) *
        (defining && record.definitions && record.parent ? DEFINITIONS : 1) *
        (this.teams.some(function (team) { return teams[team.id] && team.ids.has(id); }) ? NAMED : 1);
      ranked.push({ id: id, score: s * coverage * coverage * (1 + TITLE * named) * record.boost * intent });
    }, this);
    ranked.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
    if (!ranked.length) return { items: [], stems: [] };
    var floor = ranked[0].score * 0.05;
    var seen = new Set(), items = [];
    ranked.forEach(function (r) {
      if (r.score < floor) return;
      var record = this.records[r.id];
      var page = record.parent || record;
      if (seen.has(page.location)) return;  // a page once, under its best match
      seen.add(page.location);
      var terms = {};
      groups.forEach(function (group, g) {
        group.words.forEach(function (w) { terms[w] = matched.get(r.id).has(g); });
      });
      var item = { location: record.location, title: record.title, score: r.score, terms: terms };
      var team = Object.keys(teams).find(function (t) { return typeof record.teams[t] === "string"; });
      var snippet = team === undefined ? record.snippet : String(record.teams[team]);
      if (record.parent) {
        items.push([
          { location: page.location, title: page.title, text: "", score: r.score, terms: terms },
          Object.assign(item, { text: snippet })
        ]);
      } else {
        items.push([Object.assign(item, { text: snippet })]);
      }
    }, this);
    return { items: items, stems: matchedStems(groups) };
  };

  /* Every stem a query's words matched (a typo's word, a compound's parts, a synonym),
   * for marking them in the results; not the teams' own stems. */
  function matchedStems(groups) {
    var out = new Set();
    groups.forEach(function (group) {
      group.match.concat(group.fallback ? [group.fallback] : []).forEach(function (m) {
        m.forEach(function (w, stem) { if (stem.charAt(0) !== "\u0001") out.add(stem); });
      });
    });
    return Array.from(out);
  }

  /* ------------------------------------------------------------------ marking */

  var WORD = new RegExp(LETTERS.source, "gi");

  /* `text` as [[part, marked], ...]: a word is marked when its stem is one of `stems`
   * (from `query`), or its letters hold one of four letters or more (a compound's part:
   * "Klausel" in "Vertragsklauseln"). The parts joined are `text` again. */
  Search.prototype.segments = function (text, stems) {
    text = String(text || "");
    var wanted = new Set(stems || []), long = [];
    wanted.forEach(function (s) { if (s.length >= MIN_PART) long.push(s); });
    var out = [], at = 0, m;
    function push(part, marked) {
      if (!part) return;
      var last = out[out.length - 1];
      if (last && last[1] === marked) last[0] += part;
      else out.push([part, marked]);
    }
    WORD.lastIndex = 0;
    while (wanted.size && (m = WORD.exec(text)) !== null) {
      var word = m[0].normalize("NFC").toLowerCase();
      var marked = false;
      if (meaningful(word)) {
        var folded = fold(word);
        marked = wanted.has(this.stem(word)) ||
          long.some(function (s) { return folded.indexOf(s) >= 0; });
      }
      if (!marked) continue;
      push(text.slice(at, m.index), false);
      push(m[0], true);
      at = m.index + m[0].length;
    }
    push(text.slice(at), false);
    return out;
  };

  return {
    Search: Search,
    stemGerman: stemGerman,
    snowballGerman: snowballGerman,
    distance: distance,
    words: words,
    limits: { query: MAX_QUERY, word: MAX_WORD, compound: MAX_COMPOUND }
  };
});
