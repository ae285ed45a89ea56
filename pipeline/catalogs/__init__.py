"""The translators' catalogs: making, merging, counting and checking terms in them."""
