{# llt_geo.present.maps._Icons: markers drawn by CSS (L.divIcon): one array of rows and the loop that draws them.
   JavaScript with Jinja expressions: folium renders it as the element's script macro (this = the element);
   every value from the data comes in as JSON from a this.*_js() method; the code is lltIcons in llt_map.js. -#}
(function () {
  var layer = {{ this._parent.get_name() }}, options = {{ this.options_js() }}, icon = {{ this.icon_js() }};
  var rows = {{ this.rows_js() }};
  lltIcons(layer, options, icon, rows);
})();
