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

  // Labels must be readable at the first view: never below MIN_LABEL_PX on screen. When the whole
  // picture only fits smaller, the view starts zoomed in on its middle; the user zooms out or pans.
  var MIN_LABEL_PX = 11.5;
  var fontSize = ((options.nodes || {}).font || {}).size || 14;
  var minScale = MIN_LABEL_PX / fontSize;

  // The focus, the path and search hits stand out. On a path everything else fades, so the path reads
  // as a line of named steps instead of a black line under hundreds of labels.
  var marked = {};
  (emphasis.nodes || []).forEach(function (id) { marked[id] = true; });
  var markedEdges = {};
  (emphasis.edges || []).forEach(function (id) { markedEdges[id] = true; });
  if (emphasis.pad) {
    nodes.update(nodes.get({filter: function (n) { return !marked[n.id]; }}).map(function (n) {
      return {id: n.id, size: 8, color: {background: "#ececec", border: "#d4d4d4"},
              font: {color: "rgba(0, 0, 0, 0)", strokeWidth: 0}};
    }));
    edges.update(edges.get({filter: function (e) { return !markedEdges[e.id]; }}).map(function (e) {
      return {id: e.id, color: {color: "rgba(150, 150, 150, 0.12)"}, arrows: {to: {enabled: false}}};
    }));
  }
  if (emphasis.nodes && emphasis.nodes.length) {
    nodes.update(emphasis.nodes.map(function (id) {
      return {id: id, size: 24, borderWidth: 4, font: {size: 22, strokeWidth: 4, strokeColor: "#ffffff"}};
    }));
    edges.update((emphasis.edges || []).map(function (id) {
      return {id: id, width: 6, color: {color: "#01689b", highlight: "#01689b"}};
    }));
  }

  network.once("afterDrawing", function () {
    if (!emphasis.fit && graph.nodes.length <= 60) {
      network.fit({maxZoomLevel: 1.5, animation: false});   // a small network fills the frame
    }
    if (emphasis.fit && emphasis.nodes && emphasis.nodes.length) {
      network.fit({nodes: emphasis.nodes, animation: false});
      if (network.getScale() > 1.5) {
        network.moveTo({scale: 1.5, animation: false});
      }
      // On a narrow screen the whole path fits only small: grow its labels instead of leaving the frame.
      var pathFont = Math.ceil(MIN_LABEL_PX / network.getScale());
      if (pathFont > 22) {
        nodes.update(emphasis.nodes.map(function (id) { return {id: id, font: {size: pathFont}}; }));
      }
    }
    // Up to 200 nodes the server laid the labels out without overlap (kast.network.visjs.DECLUTTER_UP_TO);
    // a larger picture is shown whole, as an overview to zoom into.
    if (graph.nodes.length <= 200 && network.getScale() < minScale) {
      network.moveTo({scale: minScale, animation: false});
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
