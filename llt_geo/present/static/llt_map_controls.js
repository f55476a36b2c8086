{# llt_geo.present.maps._Controls: title and legend as Leaflet controls, the extent, popups clear of the panels, tile errors.
   JavaScript with Jinja expressions: folium renders it as the element's script macro (this = the element);
   every value from the data comes in as JSON from a this.*_js() method. -#}
(function () {
  var map = {{ this._parent.get_name() }}, box = map.getContainer();
  function place(selector, position) {
    var el = document.querySelector(selector);
    if (!el) { return; }
    var Box = L.Control.extend({options: {position: position}, onAdd: function () {
      L.DomEvent.disableClickPropagation(el); L.DomEvent.disableScrollPropagation(el); return el; }});
    new Box().addTo(map);
  }
  L.control.scale({imperial: false, metric: true, position: "bottomleft"}).addTo(map);
  place(".llt-legend", "bottomleft");
  place(".llt-title", "topleft");
  place(".llt-banner", "topleft");
  var size = map.getSize(), legend = box.querySelector(".llt-legend details");
  if (legend && (size.y < 560 || size.x < 700)) { legend.open = false; }
  // the legend fits in what the top-left panels (title, banner) and the scale bar leave of the map's height;
  // taller open sections scroll inside it, nothing is cut off
  function fitLegend() {
    var panel = box.querySelector(".llt-legend"), top = box.querySelector(".leaflet-top.leaflet-left");
    if (!panel) { return; }
    var c = box.getBoundingClientRect(), used = top ? top.getBoundingClientRect().bottom - c.top : 0;
    var scale = box.querySelector(".leaflet-control-scale"), below = scale ? scale.offsetHeight + 10 : 0;
    panel.style.maxHeight = Math.max(80, c.height - used - below - 20) + "px";
  }
  fitLegend();
  map.on("resize", fitLegend);
  Array.prototype.forEach.call(box.querySelectorAll(".llt-title details, .llt-banner"), function (d) {
    d.addEventListener("toggle", fitLegend); });
  function rect(el) {
    var a = el.getBoundingClientRect(), c = box.getBoundingClientRect();
    return {l: a.left - c.left, t: a.top - c.top, r: a.right - c.left, b: a.bottom - c.top};
  }
  // the city in what the corners leave free: each corner kept above/below (0) or beside (1) the map
  var corners = ["top.leaflet-left", "top.leaflet-right", "bottom.leaflet-left", "bottom.leaflet-right"].map(
    function (c) { var e = box.querySelector(".leaflet-" + c); return e ? rect(e) : {l: 0, t: 0, r: 0, b: 0}; });
  var bounds = L.latLngBounds({{ this.bounds_js() }}), best = null, w = size.x, h = size.y;
  for (var k = 0; k < 16; k++) {
    var p = [0, 0, 0, 0];  // left, top, right, bottom
    corners.forEach(function (c, i) {
      var side = (k >> i) & 1, left = i % 2 === 0, top = i < 2;
      if (c.r - c.l <= 0 || c.b - c.t <= 0) { return; }
      if (side) { if (left) { p[0] = Math.max(p[0], c.r); } else { p[2] = Math.max(p[2], w - c.l); } }
      else if (top) { p[1] = Math.max(p[1], c.b); } else { p[3] = Math.max(p[3], h - c.t); }
    });
    if (p[0] + p[2] > w - 100 || p[1] + p[3] > h - 100) { continue; }
    var z = map.getBoundsZoom(bounds, false, L.point(p[0] + p[2] + 10, p[1] + p[3] + 10));
    if (!best || z > best[0]) { best = [z, p]; }
  }
  var p = best ? best[1] : [0, 0, 0, 0];
  map.fitBounds(bounds, {paddingTopLeft: [p[0] + 5, p[1] + 5], paddingBottomRight: [p[2] + 5, p[3] + 5],
                         animate: false});
  // a popup: moved (the map pans) to the nearest place where it covers no panel
  function panels() {
    return Array.prototype.filter.call(box.querySelectorAll(".leaflet-control"), function (e) {
      return e.offsetWidth > 0 && !L.DomUtil.hasClass(e, "llt-under"); }).map(function (e) { return [e, rect(e)]; });
  }
  function overlap(a, b) {
    return Math.max(0, Math.min(a.r, b.r) - Math.max(a.l, b.l)) * Math.max(0, Math.min(a.b, b.b) - Math.max(a.t, b.t));
  }
  function clear(e) {
    var el = e.popup.getElement();
    if (!el) { return; }
    var a = rect(el.querySelector(".leaflet-popup-content-wrapper") || el), ps = panels(), s = map.getSize();
    var pw = a.r - a.l, ph = a.b - a.t, xs = [a.l, 5, s.x - pw - 5], ys = [a.t, 5, s.y - ph - 25];
    ps.forEach(function (q) { var r = q[1]; xs.push(r.r + 5, r.l - pw - 5); ys.push(r.b + 5, r.t - ph - 25); });
    var pick = null;
    xs.forEach(function (x) { ys.forEach(function (y) {
      x = Math.max(5, Math.min(x, s.x - pw - 5)); y = Math.max(5, Math.min(y, s.y - ph - 25));
      var c = {l: x, t: y, r: x + pw, b: y + ph}, cover = 0;
      ps.forEach(function (q) { cover += overlap(c, q[1]); });
      var score = [cover, Math.abs(x - a.l) + Math.abs(y - a.t)];
      if (!pick || score[0] < pick[0][0] || (score[0] === pick[0][0] && score[1] < pick[0][1])) { pick = [score, c]; }
    }); });
    ps.forEach(function (q) { if (overlap(pick[1], q[1]) > 0) { L.DomUtil.addClass(q[0], "llt-under"); } });
    if (pick[1].l !== a.l || pick[1].t !== a.t) { map.panBy([a.l - pick[1].l, a.t - pick[1].t]); }
  }
  map.on("popupopen", clear);
  map.on("popupclose", function () {
    var hidden = box.querySelectorAll(".llt-under");
    for (var i = 0; i < hidden.length; i++) { L.DomUtil.removeClass(hidden[i], "llt-under"); }
  });
  function tileError() {
    var s = document.querySelector(".llt-tile-status");
    if (s) { s.style.display = "block"; }
  }
  {% for t in this.tile_layers %}{{ t.get_name() }}.on("tileerror", tileError);
  {% endfor %}
})();
