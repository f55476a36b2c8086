"""The version of llt_geo, in a module of its own so that every part can import it without the package."""

__version__ = "0.1.0"
