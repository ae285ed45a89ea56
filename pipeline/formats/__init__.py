"""File formats: the clean document, messages inside blocks, ``.po`` I/O."""
