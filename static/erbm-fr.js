/* Streamlit's own words in French (issue 14, point 7).
 *
 * Streamlit has no locale setting (streamlit/streamlit#1353): its skip link, menus, widget hints,
 * table toolbar and aria labels are English. This script, served by the app and loaded by the page
 * shell (ui/htmllang.py), translates what the reader sees and hears, and nothing else: exact
 * English strings of text nodes and of a few attributes, from the dictionary erbm-fr.json (data,
 * English -> French). It reads none of Streamlit's code or class names; it never enters the map
 * (a Leaflet container with thousands of SVG paths) nor any SVG. */
(function () {
  "use strict";
  var ATTRIBUTES = ["aria-label", "title", "placeholder", "aria-roledescription"];
  var SKIP = ".leaflet-container, svg, script, style, textarea, [contenteditable]";
  var script = document.currentScript;
  var dictionaryUrl = new URL("erbm-fr.json", script ? script.src : location.href).href;
  var exact = Object.create(null);
  var patterns = [];

  function translated(text) {
    var core = text.trim();
    if (!core || core.length > 80) return null;
    var french = exact[core];
    if (french === undefined) {
      for (var i = 0; i < patterns.length; i++) {
        if (patterns[i][0].test(core)) {
          french = core.replace(patterns[i][0], patterns[i][1]);
          break;
        }
      }
    }
    if (french === undefined || french === core) return null;
    return text.replace(core, function () { return french; });
  }

  function skipped(element) {
    return !element || element.closest(SKIP) !== null;
  }

  function translateAttributes(element) {
    for (var i = 0; i < ATTRIBUTES.length; i++) {
      var value = element.getAttribute(ATTRIBUTES[i]);
      if (value) {
        var french = translated(value);
        if (french !== null) element.setAttribute(ATTRIBUTES[i], french);
      }
    }
  }

  function translateText(node) {
    var french = translated(node.nodeValue);
    if (french !== null) node.nodeValue = french;
  }

  var walkFilter = {
    acceptNode: function (node) {
      if (node.nodeType === Node.ELEMENT_NODE) {
        return node.matches(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
      return NodeFilter.FILTER_ACCEPT;
    },
  };

  function translateTree(root) {
    if (root.nodeType === Node.TEXT_NODE) {
      if (!skipped(root.parentElement)) translateText(root);
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE || skipped(root)) return;
    translateAttributes(root);
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, walkFilter);
    var node;
    while ((node = walker.nextNode())) {
      if (node.nodeType === Node.TEXT_NODE) translateText(node);
      else translateAttributes(node);
    }
  }

  // A batch of mutations is handled in the observer's own callback (before the browser paints:
  // no English flash), each changed node once; a node inside the map is dropped at the first test.
  function onMutations(records) {
    var seen = new Set();
    for (var i = 0; i < records.length; i++) {
      var record = records[i];
      if (record.type === "childList") {
        for (var j = 0; j < record.addedNodes.length; j++) seen.add(record.addedNodes[j]);
      } else {
        seen.add(record.target);
      }
    }
    seen.forEach(function (node) {
      if (node.isConnected) translateTree(node);
    });
  }

  function start(dictionary) {
    exact = Object.assign(Object.create(null), dictionary.exact || {});
    patterns = (dictionary.patterns || []).map(function (p) { return [new RegExp(p[0]), p[1]]; });
    translateTree(document.body);
    new MutationObserver(onMutations).observe(document.body, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: ATTRIBUTES,
    });
  }

  fetch(dictionaryUrl, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) throw new Error("erbm-fr.json: HTTP " + response.status);
      return response.json();
    })
    .then(start)
    .catch(function (error) {
      // The page stays usable in Streamlit's English: say why in the console only.
      console.warn("Traduction de l'interface Streamlit indisponible :", error);
    });
})();
