/* llt_geo: the code every stuurgroep map shares (llt_geo.present.maps), loaded after Leaflet: from
   assets/llt_map.js in a pack, written into the page for a map on its own. Each element of a map
   (static/llt_map_*.js) passes its data, as JSON, to one of these functions. */

/* _ContentStore: the texts from their pieces, the circle styles, the flats searched (filled by lltCircles) */
function lltStore(parts, texts, styles) {
  for (var i = 0; i < texts.length; i++) {
    var t = texts[i], s = "";
    for (var j = 0; j < t.length; j++) { s += parts[t[j]]; }
    texts[i] = s;
  }
  return {"texts": texts, "styles": styles, "flats": []};
}

/* _Circles: rows [lat, lon, radius, style(, popup, tooltip, search position)] drawn into a layer */
function lltCircles(store, layer, rows) {
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i], style = store.styles[r[3]];
    var marker = L.circleMarker([r[0], r[1]], L.extend({"radius": r[2]}, style[0])).addTo(layer);
    if (r.length > 4) {
      marker.bindPopup(store.texts[r[4]], {"maxWidth": style[1], "autoPan": false});
      marker.bindTooltip(store.texts[r[5]], {"sticky": false});
      store.flats[r[6]] = [marker, layer];
    }
  }
}

/* _Icons: rows [lat, lon, html(, tooltip)] as markers drawn by CSS (L.divIcon) */
function lltIcons(layer, options, icon, rows) {
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i];
    var marker = L.marker([r[0], r[1]], L.extend({"icon": L.divIcon(L.extend({"html": r[2]}, icon))}, options));
    if (r.length > 3) { marker.bindTooltip(r[3], {"sticky": false}); }
    marker.addTo(layer);
  }
}

/* _Areas: a GeoJSON layer, each feature in styles[feature.properties.s] (or all in styles[0]) */
function lltAreas(styles, data, first) {
  var layer = L.geoJson(data, {"style": function (feature) { return styles[first ? 0 : feature.properties.s]; }});
  layer.features = data.features;
  return layer;
}

/* _Points: many small circles (amenities): [lat, lon, kind index, escaped name] */
function lltPoints(layer, kinds, pts) {
  for (var i = 0; i < pts.length; i++) {
    var p = pts[i], k = kinds[p[2]];
    L.circleMarker([p[0], p[1]], {"radius": 3, "weight": 1, "color": "#ffffff", "fillColor": k[1],
                                  "fillOpacity": 0.9, "className": "llt-amenity"})
      .bindTooltip(k[0] + (p[3] ? ": " + p[3] : "")).addTo(layer);
  }
}

/* _Search: the search box (top right); items[i] is the label of store.flats[i] */
function lltSearch(map, flats, items, listId) {
  var Search = L.Control.extend({options: {position: "topright"}, onAdd: function () {
    var box = L.DomUtil.create("div", "llt-box llt-search-box");
    var label = L.DomUtil.create("label", "", box);
    label.textContent = "Zoek een flat ";
    var input = L.DomUtil.create("input", "llt-search", box);
    input.type = "search";
    input.placeholder = "nummer, groep, naam of adres";
    input.setAttribute("list", listId);
    var list = L.DomUtil.create("datalist", "", box);
    list.id = listId;
    for (var i = 0; i < items.length; i++) {
      var option = document.createElement("option");
      option.value = items[i];
      list.appendChild(option);
    }
    function go(prefix) {
      var q = input.value.trim().toLowerCase();
      if (!q) { return; }
      for (var i = 0; i < items.length; i++) {
        var t = items[i].toLowerCase(), hit = flats[i];
        if (hit && (t === q || (prefix && t.indexOf(q) !== -1))) {
          var marker = hit[0], layer = hit[1];
          if (!map.hasLayer(layer)) { map.addLayer(layer); }
          map.setView(marker.getLatLng(), Math.max(map.getZoom(), 16), {animate: false});
          marker.openPopup();
          return;
        }
      }
    }
    L.DomEvent.on(input, "input", function () { go(false); });
    L.DomEvent.on(input, "keydown", function (e) { if (e.key === "Enter") { go(true); } });
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  }});
  new Search().addTo(map);
}

/* _Controls: title and legend as Leaflet controls, the extent, popups clear of the panels, tile errors */
function lltControls(map, extent, tiles) {
  var box = map.getContainer();
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
  var bounds = L.latLngBounds(extent), best = null, w = size.x, h = size.y;
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
  for (var i = 0; i < tiles.length; i++) { tiles[i].on("tileerror", tileError); }
}
