/* Search box. Nothing is loaded until the box gets focus; then lunr.js and the small manifest, and per query only
   the index shards of the query's terms, newest slice of the archive first, and the document chunks of the
   results shown (see plugins/briefing_search/index.py for the files). Every file is a plain <script> that calls
   briefingSearch.add(name, data), so search works from file://, where fetch() is refused.
   Article data is only ever put into the page with textContent and text nodes, never as markup.
   Keys: "/" focuses the box, arrow keys move between results, Enter opens one, Escape clears.
   search.html?q=words&topic=id&order=newest|relevance runs that search on load: searches can be bookmarked. */
(function () {
  "use strict";

  var PAGE_SIZE = 20;
  var SNIPPET_LENGTH = 220;
  var registered = {};
  var requested = {};

  window.briefingSearch = {
    add: function (name, data) { registered[name] = data; },
    words: function (text) { return searchWords(text); }  // for tests: must cut text as the build does
  };

  /* The data a search file registers, loading the file once. */
  function loadPart(src, name) {
    if (!requested[name]) {
      requested[name] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () {
          if (Object.prototype.hasOwnProperty.call(registered, name)) {
            resolve(registered[name]);
            delete registered[name];
          } else {
            reject(new Error(src + " did not register " + name));
          }
        };
        script.onerror = function () { reject(new Error("cannot load " + src)); };
        document.head.appendChild(script);
      });
    }
    return requested[name];
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(script);
    });
  }

  /* One archive's search files: the manifest, then shards, topic masks and document chunks on demand. */
  function Archive(folder, manifest) {
    this.folder = folder;
    this.manifest = manifest;
    this.indexes = {};
  }

  Archive.prototype.part = function (name) {
    return loadPart(this.folder + name + ".js", name);
  };

  Archive.prototype.index = function (name) {
    var self = this;
    if (!self.indexes[name]) {
      self.indexes[name] = self.part(name).then(function (data) { return lunr.Index.load(data); });
    }
    return self.indexes[name];
  };

  /* The shard of a slice holding a term: the last one whose first term is not after it (JavaScript string
     order, the order the build sorted terms in). A slice's files are named from its id (index.py). */
  function shardFor(slice, term) {
    var firstTerms = slice.shards;
    var low = 0;
    var high = firstTerms.length - 1;
    while (low < high) {
      var middle = (low + high + 1) >> 1;
      if (firstTerms[middle] <= term) { low = middle; } else { high = middle - 1; }
    }
    return "s" + slice.id + "-" + low;
  }

  /* {shard name: [clauses]} for the terms: the stemmed term exactly, and the typed word as a prefix (so "patr"
     finds "Patriot" while typing), each in the shard that holds it. */
  function plan(slice, terms) {
    var byShard = {};
    function add(name, clause) { (byShard[name] = byShard[name] || []).push(clause); }
    terms.forEach(function (term) {
      add(shardFor(slice, term.stem), { text: term.word, exact: true });
      if (term.word.length >= 2) { add(shardFor(slice, term.word), { text: term.word, exact: false }); }
    });
    return byShard;
  }

  function runClauses(index, clauses) {
    return index.query(function (query) {
      clauses.forEach(function (clause) {
        if (clause.exact) {
          query.term(clause.text, { boost: 10 });
        } else {
          query.term(clause.text, { boost: 1, usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING });
        }
      });
    });
  }

  /* [{ref, score}] of one slice: each shard is queried with its own terms and the scores are summed, which ranks
     documents as the whole slice index would (the build keeps every vector's length in each shard). */
  Archive.prototype.searchSlice = function (slice, terms) {
    var self = this;
    var byShard = plan(slice, terms);
    var names = Object.keys(byShard).sort();
    return Promise.all(names.map(function (name) { return self.index(name); })).then(function (indexes) {
      var scores = {};
      indexes.forEach(function (index, position) {
        runClauses(index, byShard[names[position]]).forEach(function (match) {
          scores[match.ref] = (scores[match.ref] || 0) + match.score;
        });
      });
      // A slice's refs count from its first briefing; the archive's from the oldest.
      return Object.keys(scores).map(function (ref) { return { ref: slice.first + Number(ref), score: scores[ref] }; });
    });
  };

  /* The matches of a slice having the topic (all of them for no topic). */
  Archive.prototype.filter = function (slice, matches, topic) {
    var position = -1;
    this.manifest.topics.forEach(function (item, at) { if (item[0] === topic) { position = at; } });
    if (!topic) { return Promise.resolve(matches); }
    if (position < 0) { return Promise.resolve([]); }
    var bit = Math.pow(2, position);
    return this.part("t" + slice.id).then(function (masks) {
      return matches.filter(function (match) {
        return Math.floor(masks[match.ref - slice.first] / bit) % 2 === 1;
      });
    });
  };

  /* The slice holding a ref: slices are listed newest first, so the first one starting at or below it. */
  Archive.prototype.sliceOf = function (ref) {
    var slices = this.manifest.slices;
    for (var at = 0; at < slices.length; at++) {
      if (slices[at].first <= ref) { return slices[at]; }
    }
    return slices[slices.length - 1];
  };

  /* The result rows [url, title, date, topic positions, snippet] of refs, in their order: each from the document
     chunk of its slice. */
  Archive.prototype.rows = function (refs) {
    var self = this;
    var chunk = self.manifest.docChunk;
    return Promise.all(refs.map(function (ref) {
      var slice = self.sliceOf(ref);
      var local = ref - slice.first;
      return self.part("d" + slice.id + "-" + Math.floor(local / chunk)).then(function (rows) {
        return rows[local % chunk];
      });
    }));
  };

  /* Refs count from the oldest briefing, so the newest has the highest ref. */
  function byNewest(one, other) { return other.ref - one.ref; }
  function byScore(one, other) { return other.score - one.score || other.ref - one.ref; }

  /* The words of a text exactly as the build cut the briefings (plugins/briefing_search/words.py): NFC, lower
     case, cut at white space, punctuation but "_", math and currency symbols, controls, and format characters
     but the zero-width joiner. So "l'économie" holds "économie", "<b>bold</b>" holds "bold", "AT&T" is "at t". */
  var SEPARATOR = /[\p{Z}\p{Pd}\p{Ps}\p{Pe}\p{Pi}\p{Pf}\p{Po}\p{Sm}\p{Sc}\p{Cc}]|(?!\u200d)\p{Cf}/u;

  function searchWords(text) {
    return text.normalize("NFC").toLowerCase().split(SEPARATOR).filter(function (word) { return word.length > 0; });
  }

  function queryTerms(text) {
    return searchWords(text).map(function (word) {
      return { word: word, stem: lunr.stemmer(new lunr.Token(word)).toString() };
    });
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /* Append text to parent, with the words that start with a query word wrapped in <mark>. */
  function appendHighlighted(parent, text, words) {
    var pattern = new RegExp("(?<![\\p{L}\\p{N}])(" + words.map(escapeRegExp).join("|") + ")", "giu");
    text.split(pattern).forEach(function (part, position) {
      if (!part) { return; }
      if (position % 2 === 1) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        parent.appendChild(mark);
      } else {
        parent.appendChild(document.createTextNode(part));
      }
    });
  }

  /* About SNIPPET_LENGTH characters of text around the first query word found in it. */
  function snippetAround(text, words) {
    var lower = text.toLowerCase();
    var first = -1;
    words.forEach(function (word) {
      var at = lower.indexOf(word.toLowerCase());
      if (at >= 0 && (first < 0 || at < first)) { first = at; }
    });
    var start = 0;
    if (first > SNIPPET_LENGTH / 2) {
      start = text.lastIndexOf(" ", first - 40) + 1;
    }
    var piece = text.slice(start);
    if (piece.length > SNIPPET_LENGTH) {
      var cut = piece.lastIndexOf(" ", SNIPPET_LENGTH);
      piece = piece.slice(0, cut > 0 ? cut : SNIPPET_LENGTH) + "\u2026";
    }
    return (start > 0 ? "\u2026" : "") + piece;
  }

  function resultItem(root, row, words, topics) {
    var item = document.createElement("li");
    var title = document.createElement("p");
    title.className = "result-title";
    var link = document.createElement("a");
    link.href = root + "/" + row[0];
    appendHighlighted(link, row[1], words);
    title.appendChild(link);
    var meta = document.createElement("p");
    meta.className = "meta";
    var time = document.createElement("time");
    time.dateTime = row[2];
    time.textContent = row[2];
    meta.appendChild(time);
    var names = row[3].map(function (position) { return topics[position][1]; });
    if (names.length) { meta.appendChild(document.createTextNode(" \u00b7 " + names.join(", "))); }
    var text = document.createElement("p");
    text.className = "snippet";
    appendHighlighted(text, snippetAround(row[4], words), words);
    item.appendChild(title);
    item.appendChild(meta);
    item.appendChild(text);
    return item;
  }

  function setUp(form) {
    var input = form.querySelector("input[type=search]");
    var status = form.querySelector("[role=status]");
    var list = form.querySelector(".search-results");
    var options = form.querySelector(".search-options");
    var topicSelect = form.querySelector("select[name=topic]");
    var orderSelect = form.querySelector("select[name=order]");
    var more = form.querySelector(".search-more");
    var root = form.getAttribute("data-search-root");
    var indexUrl = form.getAttribute("data-search-index");
    var folder = indexUrl.slice(0, indexUrl.lastIndexOf("/") + 1);
    var onSearchPage = document.querySelector("[data-search-page]") !== null;
    var ready = null;
    var archive = null;
    var generation = 0;
    var state = null;

    // The topic and order choices appear once the reader turns to search (they need JavaScript anyway).
    if (options && onSearchPage) { options.hidden = false; }

    function load() {
      if (options) { options.hidden = false; }
      if (ready === null) {
        status.textContent = "Loading search\u2026";
        ready = loadScript(form.getAttribute("data-search-lunr"))
          .then(function () { return loadPart(indexUrl, "manifest"); })
          .then(function (manifest) {
            archive = new Archive(folder, manifest);
            status.textContent = "";
          })
          .catch(function (error) {
            status.textContent = "Search could not be loaded.";
            console.error(error);  // a broken index is a build bug: let tests and developers see it
          });
      }
      return ready;
    }

    function remember() {
      if (!onSearchPage || !window.history.replaceState) { return; }
      var parameters = new URLSearchParams();
      if (input.value.trim()) { parameters.set("q", input.value.trim()); }
      if (topicSelect && topicSelect.value) { parameters.set("topic", topicSelect.value); }
      if (orderSelect && orderSelect.value !== "newest") { parameters.set("order", orderSelect.value); }
      var query = parameters.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    }

    function describe() {
      var count = state.matches.length;
      var complete = state.nextSlice >= archive.manifest.slices.length;
      if (count === 0) { return complete ? "No briefings match." : "Searching older briefings\u2026"; }
      var shown = Math.min(count, state.shown);
      var text = complete ? count + (count === 1 ? " briefing matches." : " briefings match.")
        : "At least " + count + " briefings match.";
      if (shown < count || !complete) { text += " Showing " + shown + (state.order === "newest" ? ", newest first." : ", best match first."); }
      return text;
    }

    /* Show state.matches[0..shown]: the first row as soon as its document chunk is in, then the rest. */
    function render(run) {
      var visible = state.matches.slice(0, state.shown);
      var refs = visible.map(function (match) { return match.ref; });
      var first = refs.length ? archive.rows(refs.slice(0, 1)) : Promise.resolve([]);
      return first.then(function (firstRows) {
        if (run !== generation) { return null; }
        if (list.children.length === 0 && firstRows.length) {
          list.appendChild(resultItem(root, firstRows[0], state.words, archive.manifest.topics));
          list.hidden = false;
        }
        // The other rows' chunks are asked for in a later task, once the first row is on screen.
        return new Promise(function (resolve) { window.setTimeout(resolve, 0); })
          .then(function () { return run === generation ? archive.rows(refs) : null; });
      }).then(function (rows) {
        if (rows === null || run !== generation) { return; }
        var focused = list.contains(document.activeElement) ? document.activeElement.getAttribute("href") : null;
        list.textContent = "";
        rows.forEach(function (row) { list.appendChild(resultItem(root, row, state.words, archive.manifest.topics)); });
        list.hidden = rows.length === 0;
        if (focused) {
          var again = list.querySelector("a[href=\"" + focused.replace(/["\\]/g, "\\$&") + "\"]");
          if (again) { again.focus(); }
        }
        status.textContent = describe();
        if (more) { more.hidden = !(state.shown < state.matches.length || state.nextSlice < archive.manifest.slices.length); }
      });
    }

    /* Search the next slices until enough matches are known to fill what is shown (newest first), or every
       slice (best match first, which needs every score), rendering after each slice. */
    function advance(run) {
      var slices = archive.manifest.slices;
      var enough = state.order === "newest" && state.matches.length >= state.shown;
      if (state.nextSlice >= slices.length || enough) { return render(run); }
      var slice = slices[state.nextSlice];
      return archive.searchSlice(slice, state.terms)
        .then(function (matches) { return archive.filter(slice, matches, state.topic); })
        .then(function (matches) {
          if (run !== generation) { return null; }
          state.nextSlice += 1;
          state.matches = state.matches.concat(matches).sort(state.order === "newest" ? byNewest : byScore);
          return render(run).then(function () { return run === generation ? advance(run) : null; });
        });
    }

    function show() {
      generation += 1;
      var run = generation;
      list.textContent = "";
      list.hidden = true;
      if (more) { more.hidden = true; }
      remember();
      if (!archive) { return Promise.resolve(); }
      var terms = queryTerms(input.value.trim());
      if (terms.length === 0) { status.textContent = ""; return Promise.resolve(); }
      state = {
        terms: terms, words: terms.map(function (term) { return term.word; }), matches: [], nextSlice: 0,
        shown: PAGE_SIZE, order: orderSelect ? orderSelect.value : "newest",
        topic: topicSelect ? topicSelect.value : ""
      };
      return advance(run).catch(function (error) {
        status.textContent = "Search could not be loaded.";
        console.error(error);
      });
    }

    function showMore() {
      if (!state) { return; }
      generation += 1;
      var run = generation;
      var position = state.shown;
      state.shown += PAGE_SIZE;
      advance(run).then(function () {
        var links = resultLinks();
        if (links[position]) { links[position].focus(); }
      });
    }

    function resultLinks() {
      return Array.prototype.slice.call(list.querySelectorAll("a"));
    }

    function moveFocus(event) {
      var links = resultLinks();
      var position = links.indexOf(document.activeElement);
      if (event.target.tagName === "SELECT") { return; }  // arrows choose an option there
      if (event.key === "ArrowDown" && links.length) {
        event.preventDefault();
        links[Math.min(position + 1, links.length - 1)].focus();
      } else if (event.key === "ArrowUp" && position >= 0) {
        event.preventDefault();
        if (position === 0) { input.focus(); } else { links[position - 1].focus(); }
      } else if (event.key === "Escape") {
        input.value = "";
        input.focus();
        load().then(show);
      }
    }

    input.addEventListener("focus", load);
    input.addEventListener("input", function () { load().then(show); });
    [topicSelect, orderSelect].forEach(function (select) {
      if (select) { select.addEventListener("change", function () { load().then(show); }); }
    });
    if (more) { more.addEventListener("click", showMore); }
    form.addEventListener("keydown", moveFocus);
    form.addEventListener("submit", function (event) {
      // The results appear in place; the form has no action to go anywhere (see base.html).
      event.preventDefault();
      load().then(show);
    });

    if (onSearchPage) {
      var parameters = new URLSearchParams(window.location.search);
      if (topicSelect && parameters.get("topic")) { topicSelect.value = parameters.get("topic"); }
      if (orderSelect && parameters.get("order") === "relevance") { orderSelect.value = "relevance"; }
      if (parameters.get("q")) {
        input.value = parameters.get("q");
        load().then(show);
      }
    }
  }

  function focusOnSlash(event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      var input = document.querySelector("form.search input[type=search]");
      if (input) {
        event.preventDefault();
        input.focus();
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form.search"), setUp);
    document.addEventListener("keydown", focusOnSlash);
  });
}());
