"""The sitemap escapes as xml.sax.saxutils does, without importing it (it loads urllib into every build)."""

import itertools
import subprocess
import sys
from xml.sax.saxutils import escape, quoteattr

from pipeline.formats.site import xml_attribute, xml_text

_HOSTILE = ["&", "<", ">", '"', "'", "\n", "\r", "\t", "a", "é", "&amp;", "\u2028"]


def test_escaping_is_saxutils_for_every_short_mix_of_special_characters():
    for length in range(4):
        for parts in itertools.product(_HOSTILE, repeat=length):
            text = "".join(parts)
            assert xml_text(text) == escape(text)
            assert xml_attribute(text) == quoteattr(text)


def test_making_a_sitemap_does_not_import_urllib():
    code = (
        "import sys; from pipeline.formats.site import SitemapEntry, sitemap_xml; "
        "sitemap_xml([SitemapEntry('https://example.org/fr/a/', (('fr', 'https://example.org/fr/a/'),), '2025-01-01')]); "
        "print('urllib.request' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
