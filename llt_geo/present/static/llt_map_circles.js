{# llt_geo.present.maps._Circles: the circles of one layer: one array of rows and the loop that draws them.
   JavaScript with Jinja expressions: folium renders it as the element's script macro (this = the element);
   every value from the data comes in as JSON from a this.*_js() method; the code is lltCircles in llt_map.js. -#}
(function () {
  var store = {{ this.store.get_name() }}, layer = {{ this._parent.get_name() }};
  var rows = {{ this.rows_js() }};
  lltCircles(store, layer, rows);
})();
