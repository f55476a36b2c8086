{# llt_geo.present.maps._Circles: the circles of one layer: one array of rows and the loop that draws them.
   JavaScript with Jinja expressions: folium renders it as the element's script macro (this = the element);
   every value from the data comes in as JSON from a this.*_js() method. -#}
(function () {
  var store = {{ this.store.get_name() }}, layer = {{ this._parent.get_name() }};
  var rows = {{ this.rows_js() }};
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i], style = store.styles[r[3]];
    var marker = L.circleMarker([r[0], r[1]], L.extend({"radius": r[2]}, style[0])).addTo(layer);
    if (r.length > 4) {
      marker.bindPopup(store.texts[r[4]], {"maxWidth": style[1], "autoPan": false});
      marker.bindTooltip(store.texts[r[5]], {"sticky": false});
      store.flats[r[6]] = [marker, layer];
    }
  }
})();
