{# llt_geo.present.maps.SafePopup: a popup bound from a JSON string.
   JavaScript with Jinja expressions: folium renders it as the element's script macro (this = the element);
   every value from the data comes in as JSON from a this.*_js() method. -#}
{{ this._parent.get_name() }}.bindPopup({{ this.content_js() }}, {{ this.options_js() }});
