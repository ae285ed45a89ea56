"""A catalog's PO-Revision-Date is read by hand; it must give what strptime gives, and refuse what it refuses."""

import pytest
import datetime
import itertools

from pipeline.build.listing import revision_time


def _by_strptime(text: str) -> str:
    try:
        when = datetime.datetime.strptime(text, "%Y-%m-%d %H:%M%z")
    except ValueError:
        return ""
    return when.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.slow
def test_revision_time_is_strptimes_for_edge_dates_times_and_offsets(tmp_path):
    catalog = tmp_path / "a.po"
    years, months, days = ("0000", "0999", "1900", "2000", "2024"), ("00", "02", "12", "13"), ("00", "28", "29", "31", "32")
    times, offsets = ("00:00", "23:59", "24:00", "12:60"), ("+0000", "-0000", "+0530", "-2359", "+2400", "+0060", "+9959")
    for year, month, day, time, offset in itertools.product(years, months, days, times, offsets):
        text = f"{year}-{month}-{day} {time}{offset}"
        catalog.write_bytes(f'msgid ""\nmsgstr ""\n"PO-Revision-Date: {text}\\n"\n'.encode("ascii"))
        assert revision_time(str(catalog)) == _by_strptime(text), text
