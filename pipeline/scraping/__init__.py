"""``scrape``: fetching pages from the public web, politely and safely."""
