/* The flow diagram: dagre lays the graph out, this draws it as SVG, highlights an interview's path and lets the
   user zoom (wheel, buttons) and pan (drag). The graph comes from a JSON block the server wrote. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var NODE_W = 170, NODE_H = 54;

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function text(parent, x, y, content, cls) {
    var t = el("text", { x: x, y: y, "text-anchor": "middle", "class": cls || "" }, parent);
    t.textContent = content.length > 26 ? content.slice(0, 25) + "…" : content;
    return t;
  }

  function readJson(id) {
    var block = document.getElementById(id);
    return block ? JSON.parse(block.textContent) : null;
  }

  function draw(container) {
    var graph = readJson(container.getAttribute("data-graph"));
    var path = readJson(container.getAttribute("data-path")) || {};
    var visited = {}, faulted = {}, takenEdges = {};
    (path.nodes || []).forEach(function (name, index) { if (!(name in visited)) { visited[name] = index + 1; } });
    (path.faulted || []).forEach(function (name) { faulted[name] = true; });
    (path.edges || []).forEach(function (index) { takenEdges[index] = true; });
    if (path.nodes && path.nodes.length) { visited.$Start = 0; }

    var g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: "TB", nodesep: 40, ranksep: 60, marginx: 20, marginy: 20 });
    g.setDefaultEdgeLabel(function () { return {}; });
    graph.nodes.forEach(function (node) {
      g.setNode(node.id, { width: node.kind === "start" ? 110 : NODE_W, height: NODE_H, data: node });
    });
    graph.edges.forEach(function (edge, index) {
      g.setEdge(edge.source, edge.target, { label: edge.label, width: edge.label ? 8 * edge.label.length : 0,
                                            height: edge.label ? 16 : 0, data: edge, index: index }, "e" + index);
    });
    dagre.layout(g);

    container.textContent = "";
    var size = g.graph();
    var svg = el("svg", { "class": "flow-diagram", width: "100%", height: "520", role: "img",
                          "aria-label": "Flow diagram" }, container);
    var defs = el("defs", {}, svg);
    ["plain", "taken", "fault"].forEach(function (kind) {
      var marker = el("marker", { id: "arrow-" + kind, viewBox: "0 0 10 10", refX: "9", refY: "5",
                                  markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" }, defs);
      el("path", { d: "M0,0 L10,5 L0,10 z", "class": "arrow " + kind }, marker);
    });
    var view = el("g", { "class": "viewport" }, svg);

    g.edges().forEach(function (key) {
      var edge = g.edge(key);
      var points = edge.points.map(function (p) { return p.x + "," + p.y; }).join(" ");
      var taken = takenEdges[edge.index] === true;
      var kind = taken ? "taken" : edge.data.fault ? "fault" : "plain";
      var group = el("g", { "class": "edge " + kind, "data-source": edge.data.source, "data-target": edge.data.target },
                     view);
      el("polyline", { points: points, "marker-end": "url(#arrow-" + kind + ")" }, group);
      if (edge.label) { text(group, edge.x, edge.y + 4, edge.label, "edge-label"); }
    });

    g.nodes().forEach(function (name) {
      var node = g.node(name);
      var data = node.data;
      var classes = ["node", "kind-" + data.kind];
      if (name in visited) { classes.push("visited"); }
      if (faulted[name]) { classes.push("faulted"); }
      var group = el("g", { "class": classes.join(" "), "data-element": name,
                            transform: "translate(" + (node.x - node.width / 2) + "," + (node.y - node.height / 2) + ")" },
                     view);
      var title = el("title", {}, group);
      title.textContent = data.id + " (" + data.detail + ")";
      if (data.kind === "decisions") {
        var w = node.width, h = node.height;
        el("polygon", { points: [w / 2 + ",0", w + ",".concat(h / 2), w / 2 + "," + h, "0," + h / 2].join(" ") }, group);
      } else {
        el("rect", { width: node.width, height: node.height, rx: data.kind === "start" ? 27 : 6 }, group);
      }
      text(group, node.width / 2, 22, data.label, "node-label");
      text(group, node.width / 2, 40, data.kind === "start" ? data.detail || "" : data.detail.replace(/^Flow/, ""),
           "node-kind");
      if (name in visited && name !== "$Start") {
        el("circle", { cx: node.width - 4, cy: 4, r: 10, "class": "step" }, group);
        text(group, node.width - 4, 8, String(visited[name]), "step-number");
      }
    });

    // zoom and pan: the viewBox moves, the drawing stays crisp
    var box = { x: 0, y: 0, w: size.width || 400, h: size.height || 300 };
    function apply() { svg.setAttribute("viewBox", [box.x, box.y, box.w, box.h].join(" ")); }
    function fit() { box = { x: 0, y: 0, w: size.width || 400, h: size.height || 300 }; apply(); }
    function zoom(factor, cx, cy) {
      cx = cx === undefined ? box.x + box.w / 2 : cx;
      cy = cy === undefined ? box.y + box.h / 2 : cy;
      box = { x: cx - (cx - box.x) * factor, y: cy - (cy - box.y) * factor, w: box.w * factor, h: box.h * factor };
      apply();
    }
    fit();
    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var rect = svg.getBoundingClientRect();
      var cx = box.x + (event.clientX - rect.left) / rect.width * box.w;
      var cy = box.y + (event.clientY - rect.top) / rect.height * box.h;
      zoom(event.deltaY > 0 ? 1.15 : 1 / 1.15, cx, cy);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (event) {
      drag = { x: event.clientX, y: event.clientY, box: { x: box.x, y: box.y } };
      svg.setPointerCapture(event.pointerId);
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      var rect = svg.getBoundingClientRect();
      var scale = Math.max(box.w / rect.width, box.h / rect.height);
      box.x = drag.box.x - (event.clientX - drag.x) * scale;
      box.y = drag.box.y - (event.clientY - drag.y) * scale;
      apply();
    });
    svg.addEventListener("pointerup", function () { drag = null; });
    document.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.getAttribute("data-zoom");
        if (how === "fit") { fit(); } else { zoom(how === "in" ? 1 / 1.25 : 1.25); }
      });
    });
    container.setAttribute("data-drawn", String(graph.nodes.length));
  }

  document.querySelectorAll(".diagram[data-graph]").forEach(function (container) {
    try { draw(container); } catch (error) {
      container.textContent = "The diagram could not be drawn: " + error;
      container.setAttribute("data-error", String(error));
    }
  });
})();
