"""``init``: a locale's first catalogs, made from the templates; the site catalog seeded with the site's own words."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from babel.messages.catalog import Catalog

from pipeline.catalogs.labels import seeded_translation
from pipeline.catalogs.model import (
    PoCatalog,
    is_translated,
    new_catalog,
    parse_locale,
    require_templates,
    untranslated_strings,
)
from pipeline.formats.po import read_catalog, write_catalog
from pipeline.formats.po_header_order import settle_header
from pipeline.names import SITE_DOMAIN

if TYPE_CHECKING:
    from pipeline.project import Project


@dataclass
class InitResult:
    locale: str
    created: list[Path] = field(default_factory=list)
    existing: list[Path] = field(default_factory=list)
    seeded: list[tuple[str, str]] = field(default_factory=list)


def locale_catalog(template: Catalog, locale: str, domain: str, with_messages: bool = True) -> PoCatalog:
    """The new catalog of ``locale`` for the template of ``domain``, untranslated (empty without ``with_messages``)."""
    english_name = parse_locale(locale).english_name or locale
    now = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
    what = "the page templates" if domain == SITE_DOMAIN else "the article " + domain
    header_comment = (
        f"# {english_name} translation of {what}.\n"
        "# Made by `pipeline init`; `pipeline update` keeps it in step with the source.\n"
        "#"
    )
    return new_catalog(
        template,
        locale,  # kept exactly as given: the Language header is "zh_CN", not "zh_Hans_CN"
        header_comment,
        revision_date=now,
        last_translator="Automatically generated",
        language_team=english_name,
        msgid_bugs_address=template.msgid_bugs_address,
        translate=untranslated_strings if with_messages else None,
    )


def interface_labels(project: Project) -> list[dict]:
    """Interface labels ``clean`` recorded for every article (``clean-report.json``)."""
    labels: list[dict] = []
    for slug in project.all_slugs():
        path = project.clean_report_path(slug)
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        except (OSError, ValueError):
            continue  # a damaged report only costs the seeding
        for item in report.get("interface", []) if isinstance(report, dict) else []:
            if isinstance(item, dict) and {"text", "role", "language"} <= set(item):
                labels.append(item)
    return labels


def _language_of(tag: str) -> str:
    return re.split(r"[-_@]", tag.strip())[0].lower()


def seed_site_catalog(catalog: Catalog, locale: str, labels: list[dict]) -> list[tuple[str, str]]:
    """Fill site messages with the site's own words for them, in the locale's language."""
    seeded: list[tuple[str, str]] = []
    for item in labels:
        if _language_of(str(item["language"])) != _language_of(locale):
            continue
        pair = seeded_translation(str(item["role"]), str(item["text"]), locale)
        if pair is None:
            continue
        msgid, msgstr = pair
        message = catalog.get(msgid)
        if message is None or is_translated(message):
            continue
        message.string = msgstr
        message.user_comments.append(
            f"Taken from the site's own interface (label \"{str(item['text']).strip()}\")."
        )
        seeded.append((msgid, msgstr))
    return seeded


def init(project: Project, locale: str) -> InitResult:
    """Create the missing catalogs of ``locale``; existing ones are never touched."""
    parse_locale(locale)  # an unknown locale is refused before anything else
    result = InitResult(locale)
    labels = None
    for domain in require_templates(project):
        path = project.catalog_path(locale, domain)
        if path.exists():
            result.existing.append(path)
            continue
        template = read_catalog(project.template_path(domain))
        catalog = locale_catalog(template, locale, domain)
        if domain == SITE_DOMAIN and locale not in project.settings.derived:  # derived: from its source
            labels = interface_labels(project) if labels is None else labels
            result.seeded += seed_site_catalog(catalog, locale, labels)
        settle_header(catalog)
        write_catalog(path, catalog)
        result.created.append(path)
    return result
