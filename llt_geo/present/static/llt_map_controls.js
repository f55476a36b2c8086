{# llt_geo.present.maps._Controls: title and legend as Leaflet controls, the extent, popups clear of the panels, tile errors.
   JavaScript with Jinja expressions: folium renders it as the element's script macro (this = the element);
   every value from the data comes in as JSON from a this.*_js() method; the code is lltControls in llt_map.js. -#}
lltControls({{ this._parent.get_name() }}, {{ this.bounds_js() }}, [{% for t in this.tile_layers %}{{ "" if loop.first else ", " }}{{ t.get_name() }}{% endfor %}]);
