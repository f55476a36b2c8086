{# llt_geo.present.maps._FeatureTooltip: the tooltips of a GeoJSON layer, from each feature's "tip".
   JavaScript with Jinja expressions: folium renders it as the element's script macro (this = the element);
   every value from the data comes in as JSON from a this.*_js() method. -#}
{{ this._parent.get_name() }}.bindTooltip(function (layer) { return layer.feature.properties.tip; }, {"sticky": true});
