/* Search box: loads lunr.js and the index (plain <script> files, so it works from file://) the first time the
   box gets focus, then shows matches as the reader types. Article data is only ever set with textContent.
   Keys: "/" focuses the box, arrow keys move between results, Enter opens one, Escape clears.
   search.html?q=words runs that search on load, so a search can be bookmarked and linked. */
(function () {
  "use strict";

  var MAX_RESULTS = 20;
  var SNIPPET_LENGTH = 220;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(script);
    });
  }

  function snippet(text) {
    if (text.length <= SNIPPET_LENGTH) { return text; }
    var cut = text.lastIndexOf(" ", SNIPPET_LENGTH);
    return text.slice(0, cut > 0 ? cut : SNIPPET_LENGTH) + "\u2026";
  }

  function queryTokens(text) {
    return lunr.tokenizer(text).map(function (token) { return token.toString(); })
      .filter(function (token) { return token.length > 0; });
  }

  function runQuery(index, tokens) {
    return index.query(function (query) {
      tokens.forEach(function (token) {
        query.term(token, { boost: 10 });
        // Prefix matches let "patr" find "Patriot" while typing; the raw prefix is not stemmed.
        query.term(token, { boost: 1, usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING });
      });
    });
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /* Append text to parent, with the words that start with a query token wrapped in <mark>. */
  function appendHighlighted(parent, text, tokens) {
    var pattern = new RegExp("(?<![\\p{L}\\p{N}])(" + tokens.map(escapeRegExp).join("|") + ")", "giu");
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

  function resultItem(root, row, tokens) {
    var item = document.createElement("li");
    var title = document.createElement("p");
    title.className = "result-title";
    var link = document.createElement("a");
    link.href = root + "/" + row[0];
    appendHighlighted(link, row[1], tokens);
    title.appendChild(link);
    var meta = document.createElement("p");
    meta.className = "meta";
    var time = document.createElement("time");
    time.dateTime = row[2];
    time.textContent = row[2];
    meta.appendChild(time);
    if (row[3].length) { meta.appendChild(document.createTextNode(" \u00b7 " + row[3].join(", "))); }
    var text = document.createElement("p");
    text.className = "snippet";
    appendHighlighted(text, snippet(row[4]), tokens);
    item.appendChild(title);
    item.appendChild(meta);
    item.appendChild(text);
    return item;
  }

  function setUp(form) {
    var input = form.querySelector("input[type=search]");
    var status = form.querySelector("[role=status]");
    var list = form.querySelector(".search-results");
    var root = form.getAttribute("data-search-root");
    var ready = null;
    var index = null;
    var docs = null;

    function load() {
      if (ready === null) {
        status.textContent = "Loading search\u2026";
        ready = loadScript(form.getAttribute("data-search-lunr"))
          .then(function () { return loadScript(form.getAttribute("data-search-index")); })
          .then(function () {
            index = lunr.Index.load(window.briefingSearch.index);
            docs = window.briefingSearch.docs;
            status.textContent = "";
          })
          .catch(function (error) {
            status.textContent = "Search could not be loaded.";
            console.error(error);  // a broken index is a build bug: let tests and developers see it
          });
      }
      return ready;
    }

    function show() {
      var text = input.value.trim();
      list.textContent = "";
      if (!index) { return; }
      var tokens = text ? queryTokens(text) : [];
      if (tokens.length === 0) { list.hidden = true; status.textContent = ""; return; }
      var matches = runQuery(index, tokens);
      matches.slice(0, MAX_RESULTS).forEach(function (match) {
        list.appendChild(resultItem(root, docs[Number(match.ref)], tokens));
      });
      list.hidden = matches.length === 0;
      status.textContent = matches.length === 0 ? "No briefings match." :
        matches.length + (matches.length === 1 ? " briefing matches." : " briefings match.") +
        (matches.length > MAX_RESULTS ? " Showing the first " + MAX_RESULTS + "." : "");
    }

    function resultLinks() {
      return Array.prototype.slice.call(list.querySelectorAll("a"));
    }

    function moveFocus(event) {
      var links = resultLinks();
      var position = links.indexOf(document.activeElement);
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
    form.addEventListener("keydown", moveFocus);
    form.addEventListener("submit", function (event) {
      // With JavaScript the results appear in place; without it the form opens search.html?q=...
      event.preventDefault();
      load().then(show);
    });

    var wanted = new URLSearchParams(window.location.search).get("q");
    if (wanted && document.querySelector("[data-search-page]")) {
      input.value = wanted;
      load().then(show);
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
