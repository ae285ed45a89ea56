"""The pages of the whole site: sitemap, language chooser, home pages, feeds, 404 pages; and the merge of shards."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.build.plan import BuildPlan, all_locales, site_base_url
from pipeline.build.rendering import PREVIEW_SCRIPT, Renderer
from pipeline.build.page import iso_date
from pipeline.build.results import BuildResult, BuildWarning
from pipeline.build.sitepages import SiteInputs, write_site_pages
from pipeline.build.state import SHARDS_FOLDER, combined_hash
from pipeline.errors import PipelineError
from pipeline.formats.site import LocaleInfo, SitemapEntry, locale_info, page_url, sitemap_xml
from pipeline.fsutil import write_if_changed
from pipeline.project import Project


def _sitemap(articles: list[dict], infos: dict[str, LocaleInfo], source: str, base_url: str) -> str:
    entries = []
    for record in articles:
        slug = record["slug"]
        alternates = tuple(
            (infos[loc].tag, page_url(infos[loc].tag, slug, base_url, from_page=False))
            for loc in record["published"]
        ) + (("x-default", page_url(infos[source].tag, slug, base_url, from_page=False)),)
        lastmod = iso_date(record["modified"]) if record["modified"] else None
        for locale in record["published"]:
            entries.append(
                SitemapEntry(
                    loc=page_url(infos[locale].tag, slug, base_url, from_page=False),
                    alternates=alternates,
                    lastmod=lastmod.isoformat() if lastmod else "",
                )
            )
    return sitemap_xml(entries)


#: What the index and the sitemap show of an article's record.
INDEX_FIELDS = ("slug", "published", "titles", "modified")


def index_key(site_hash: str, articles: list[dict]) -> str:
    """A hash of what the index and the sitemap show: over that only, so that a catalog saved again
    (same titles, same published locales) does not remake them."""
    return combined_hash(site_hash, [{key: article[key] for key in INDEX_FIELDS} for article in articles])


def write_index_and_sitemap(
    plan: BuildPlan, articles: list[dict], result: BuildResult, renderer: Renderer, render: bool = True,
    old_site: dict | None = None,
) -> dict[str, str]:
    """Write the sitemap (when ``render``) and the site pages that changed; return the site pages' hashes."""
    infos = plan.infos
    result.index_path = plan.output / "index.html"
    result.sitemap_path = plan.output / "sitemap.xml"
    if render:
        write_if_changed(
            result.sitemap_path,
            _sitemap(articles, infos, plan.project.settings.source_language, plan.base_url).encode("utf-8"),
            durable=False,
        )
    site_hashes = _write_site_pages(plan, articles, infos, result, renderer, old_site or {})
    if not plan.base_url:
        result.warnings.append(
            BuildWarning(
                f"no base URL: {result.sitemap_path} lists relative URLs, which search engines "
                "do not accept, robots.txt cannot name it, and the feeds link their pages relatively "
                "with provisional entry ids; set base_url in [pipeline] of setup.cfg or pass --base-url"
            )
        )
    return site_hashes


def _write_site_pages(
    plan: BuildPlan, articles: list[dict], infos: dict[str, LocaleInfo], result: BuildResult, renderer: Renderer,
    old_hashes: dict,
) -> dict[str, str]:
    """Home pages, feeds, the language chooser, 404 pages, robots.txt (:mod:`pipeline.build.sitepages`)."""
    inputs = SiteInputs(
        plan.output, plan.base_url, plan.project.settings.site_name, plan.locales, infos, plan.site_hash,
        plan.site_catalogs, plan.include_drafts, PREVIEW_SCRIPT if plan.preview else "", plan.checked_output,
    )
    site = write_site_pages(inputs, renderer, articles, old_hashes)
    result.site_pages, result.site_pages_rendered = site.paths, site.rendered
    result.removed.extend(site.removed)
    result.warnings.extend(w for w in site.warnings if w not in result.warnings)  # the renderer's BuildWarnings
    result.errors.extend(e for e in site.errors if e not in result.errors)
    return site.hashes


def merge_shards(project: Project, base_url: str | None = None, output_dir: Path | None = None) -> BuildResult:
    """Write the index and the sitemap of a site built in shards, once their outputs are in one folder.

    Each shard left its records in ``.build-shards/K-of-N.json``; together they
    know every article's published locales and titles, as a full build does.
    """
    output = project.output_dir if output_dir is None else Path(output_dir)
    fragments = sorted((output / SHARDS_FOLDER).glob("*-of-*.json"))
    if not fragments:
        raise PipelineError(
            f"no shard records in {output / SHARDS_FOLDER}: build with --shard K/N first and copy every "
            "shard's output into this folder"
        )
    records: dict[str, dict] = {}
    for fragment in fragments:
        records.update(json.loads(fragment.read_text(encoding="utf-8")).get("articles", {}))
    known = all_locales(project)
    infos = {loc: locale_info(loc) for loc in known}
    plan = BuildPlan(project, known, output, site_base_url(project, base_url), False, False, "", {}, infos)
    result = BuildResult()
    articles = [records[slug] for slug in sorted(records)]
    write_index_and_sitemap(plan, articles, result, Renderer(project))
    return result
