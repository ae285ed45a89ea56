"""The ``build`` stage and what it is made of: the site's pages from documents, catalogs and templates."""
