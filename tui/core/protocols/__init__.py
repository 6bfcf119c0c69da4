"""One module per system (wcs, icws, sbc, cue, mws): parse and normalise, no I/O."""
