"""The network: httpx clients (ICWS, SBC, CUE, MWS) and the WCS hook server."""
