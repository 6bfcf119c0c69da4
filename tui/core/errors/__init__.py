"""Error decoding and the catalogs it reads (data files beside the code)."""
