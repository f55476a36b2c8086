{# llt_geo.present.maps._Icons: markers drawn by CSS (L.divIcon): one array of rows and the loop that draws them.
   JavaScript with Jinja expressions: folium renders it as the element's script macro (this = the element);
   every value from the data comes in as JSON from a this.*_js() method. -#}
(function () {
  var layer = {{ this._parent.get_name() }}, options = {{ this.options_js() }}, icon = {{ this.icon_js() }};
  var rows = {{ this.rows_js() }};
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i];
    var marker = L.marker([r[0], r[1]], L.extend({"icon": L.divIcon(L.extend({"html": r[2]}, icon))}, options));
    if (r.length > 3) { marker.bindTooltip(r[3], {"sticky": false}); }
    marker.addTo(layer);
  }
})();
