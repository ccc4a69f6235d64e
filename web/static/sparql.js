/* De Apothekerskast: the SPARQL query page with the vendored @zazuko/yasgui.
 *
 * Settings come from <script type="application/json" id="kast-sparql-instellingen"> (never executed, so
 * the CSP needs no 'unsafe-inline'): the endpoint, the kast's prefixes, a start query and the examples.
 * Offline by configuration: no prefix.cc or LOV look-ups (only the prefix list bundled in Yasqe), no list
 * of other endpoints. Without JavaScript the plain form below the editor does the same work.
 */
(function () {
  "use strict";

  var root = document.getElementById("kast-yasgui");
  var block = document.getElementById("kast-sparql-instellingen");
  if (!root || !block || typeof Yasgui === "undefined") {
    return;
  }
  var settings = JSON.parse(block.textContent);
  var endpoint = new URL(settings.endpoint, window.location.href).href;

  var yasgui = new Yasgui(root, {
    requestConfig: {endpoint: endpoint, method: "POST"},
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: {getData: function () { return [{endpoint: endpoint}]; }},
    persistenceId: "kast-sparql",
    populateFromUrl: false,
    autofocus: false,
    yasqe: {value: settings.query || settings.start, autocompleters: ["prefixes", "variables"], prefixCcApi: null},
    yasr: {prefixes: settings.prefixen, defaultPlugin: "table"}
  });
  var tab = yasgui.getTab();
  if (tab.getEndpoint() !== endpoint) {
    tab.setEndpoint(endpoint);
  }
  if (settings.query) {   // a link to /sparql?query=… opens with that query
    tab.setQuery(settings.query);
  }

  // Names for the controls Yasgui draws without one (WCAG 4.1.2), also after each new result.
  var LABELS = [
    [".CodeMirror textarea", "aria-label", "SPARQL-query"],
    ["select.tableSizer", "aria-label", "Rijen per pagina"],
    ["input.tableFilter", "aria-label", "Filter de resultaten"],
    [".CodeMirror-scroll", "tabindex", "0", true]   // CodeMirror sets -1: the scrollable editor needs the keyboard
  ];
  function label() {
    LABELS.forEach(function (rule) {
      Array.prototype.forEach.call(root.querySelectorAll(rule[0]), function (element) {
        if (!element.hasAttribute(rule[1]) || (rule[3] && element.getAttribute(rule[1]) !== rule[2])) {
          element.setAttribute(rule[1], rule[2]);
        }
      });
    });
  }
  label();
  new MutationObserver(label).observe(root, {childList: true, subtree: true});

  var form = document.getElementById("kast-sparql-formulier");
  if (form) {
    form.hidden = true;   // the editor does what the plain form does
  }
  Array.prototype.forEach.call(document.querySelectorAll("button[data-voorbeeld]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var example = settings.voorbeelden[Number(button.getAttribute("data-voorbeeld"))];
      var current = yasgui.getTab();
      current.setQuery(example.query);
      current.query();
      root.scrollIntoView();
    });
  });
})();
