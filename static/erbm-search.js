/* Search: Enter goes to the first suggestion (issue 14, point 6).
 *
 * The search field (ui/search.py) commits while the reader types (after a pause) and on Enter,
 * and Streamlit tells the app neither which: both are a new value. So Enter is read here, in the
 * page: it clicks the first suggestion button, the same button a mouse would click (ui.search.go_to
 * frames the map on it and opens its record). The suggestions of a query sit in a container keyed
 * by the query's UTF-8 bytes in hex (class st-key-search_hits-<hex>, Streamlit's documented class
 * for a keyed element): Enter never clicks a suggestion of an older, shorter query. If the page has
 * not yet drawn the suggestions of what was typed, the click waits for them (a few seconds at most). */
(function () {
  "use strict";
  var FIELD = ".st-key-search_query input";
  var HITS = "st-key-search_hits-";
  var WAIT_MS = 8000;
  var pending = null;

  function hex(text) {
    var bytes = new TextEncoder().encode(text);
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += bytes[i].toString(16).padStart(2, "0");
    return out;
  }

  function firstButton(className) {
    var box = document.getElementsByClassName(className)[0];
    return box ? box.querySelector("button") : null;
  }

  function clickWhenDrawn(className) {
    if (pending) pending.disconnect();
    var button = firstButton(className);
    if (button) {
      button.click();
      return;
    }
    var observer = new MutationObserver(function () {
      var found = firstButton(className);
      if (found) {
        observer.disconnect();
        pending = null;
        found.click();
      }
    });
    pending = observer;
    observer.observe(document.body, { childList: true, subtree: true });
    setTimeout(function () {
      observer.disconnect();
      if (pending === observer) pending = null;
    }, WAIT_MS);
  }

  document.addEventListener(
    "keydown",
    function (event) {
      if (event.key !== "Enter" || event.isComposing || !event.target.matches || !event.target.matches(FIELD)) return;
      var query = event.target.value;
      if (!query.trim()) return;
      // Let Streamlit commit the value first (its own Enter handler), then click.
      clickWhenDrawn(HITS + hex(query));
    },
    true
  );
})();
