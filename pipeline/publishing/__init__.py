"""``publish``: putting the ready languages out to a web root, owning only what it wrote."""
