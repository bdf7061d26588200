"""Search keeps no tables of its own yet; the feedback search issue brings its backends."""
