/* De Apothekerskast: draws the actor map or the peer network with the vendored vis-network.
 *
 * The data comes from <script type="application/json" id="kaart-data"> on the page (never executed,
 * so the CSP needs no 'unsafe-inline'): {graaf: {nodes, edges, options, urls}, nadruk: {nodes, edges, fit}}.
 * Positions are computed on the server, so physics stays off and the first draw is the final one.
 * Labels and tooltips are plain text: vis-network draws labels on the canvas and shows a string
 * title with innerText, so no text from the data becomes HTML.
 */
(function () {
  "use strict";

  var block = document.getElementById("kaart-data");
  var container = document.getElementById("kaart");
  if (!block || !container || typeof vis === "undefined") {
    return;
  }
  var data = JSON.parse(block.textContent);
  var graph = data.graaf;
  var emphasis = data.nadruk || {};

  var options = graph.options || {};
  options.physics = false;
  // Arrow keys move the picture only while it has focus, never the whole page.
  options.interaction = Object.assign({}, options.interaction, {keyboard: {enabled: true, bindToWindow: false}});
  if (graph.nodes.length > 2000) {   // large views: skip drawing edges while moving, keep it responsive
    options.interaction.hideEdgesOnDrag = true;
    options.interaction.hideEdgesOnZoom = true;
  }

  container.textContent = "";
  var nodes = new vis.DataSet(graph.nodes);
  var edges = new vis.DataSet(graph.edges);
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
  window.kaartNetwerk = network;   // for the browser tests and for anyone scripting the page

  var canvas = container.querySelector("canvas");
  if (canvas) {
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", container.getAttribute("data-beschrijving") || "Netwerktekening");
  }

  // The focus, the path and search hits stand out: bigger, with a thick border and a dark path.
  if (emphasis.nodes && emphasis.nodes.length) {
    nodes.update(emphasis.nodes.map(function (id) {
      return {id: id, size: 24, borderWidth: 4, font: {size: 18, strokeWidth: 4, strokeColor: "#ffffff"}};
    }));
    edges.update((emphasis.edges || []).map(function (id) {
      return {id: id, width: 6, color: {color: "#000000", highlight: "#000000"}};
    }));
  }

  network.once("afterDrawing", function () {
    if (emphasis.fit && emphasis.nodes && emphasis.nodes.length) {
      network.fit({nodes: emphasis.nodes, animation: false});
    }
    // performance.now() counts from the start of the navigation: the benchmark reads it.
    container.setAttribute("data-getekend-ms", String(Math.round(performance.now())));
    container.setAttribute("data-getekend", "ja");
  });

  network.on("click", function (params) {
    if (params.nodes.length === 1) {
      var url = graph.urls[params.nodes[0]];
      if (url) {
        window.location.assign(url);
      }
    }
  });
  network.on("hoverNode", function () { container.classList.add("kast-kaart--wijzer"); });
  network.on("blurNode", function () { container.classList.remove("kast-kaart--wijzer"); });
})();
