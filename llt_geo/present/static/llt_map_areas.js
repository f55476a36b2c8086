{# llt_geo.present.maps._Areas: polygons as one compact GeoJSON layer.
   JavaScript with Jinja expressions: folium renders it as the element's script macro (this = the element);
   every value from the data comes in as JSON from a this.*_js() method. -#}
var {{ this.get_name() }} = (function () {
  var styles = {{ this.styles_js() }}, data = {{ this.data_js() }};
  var layer = L.geoJson(data, {"style": function (feature) { return styles[{{ this.style_js() }}]; }});
  layer.features = data.features;
  return layer;
})();
