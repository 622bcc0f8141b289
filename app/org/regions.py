"""Administrative regions (GB/T 2260) as people read them, the registration selector's levels, and the import
of the official code list."""

from __future__ import annotations

import csv
import io
import json
import re

from flask_babel import gettext as _

from app.core import text
from app.core.errors import Invalid
from app.extensions import db
from app.models import Region


def full_name(region: Region) -> str:
    """'吉林省 白山市 浑江区': the names from the province down, without 全国."""
    names: list[str] = []
    current: Region | None = region
    while current is not None and current.level != "national":
        names.append(current.name)
        current = current.parent
    return " ".join(reversed(names))


def county_choices() -> list[tuple[str, str]]:
    """(code, full name) of every county-level division, where enterprises register."""
    counties = db.session.scalars(db.select(Region).where(Region.level == "county").order_by(Region.code))
    return [(r.code, full_name(r)) for r in counties]


def children(parent_code: str | None) -> list[Region]:
    """The regions directly below `parent_code` by code; the provinces when it is None or the national level."""
    parent = db.session.get(Region, parent_code) if parent_code else None
    if parent_code and parent is None:
        return []
    if parent is None or parent.level == "national":
        query = db.select(Region).where(Region.level == "province")
    else:
        query = db.select(Region).where(Region.parent_code == parent.code)
    return list(db.session.scalars(query.order_by(Region.code)))


# --- import of the GB/T 2260 codes (flask import-regions FILE) ------------------------------------------------

CODE_RE = re.compile(r"^\d{6}$")
NATIONAL = "100000"


def level_of(code: str) -> str:
    """GB/T 2260: 100000 is the nation (Tierflow's own root), xx0000 a province, xxxx00 a city, else a county."""
    if code == NATIONAL:
        return "national"
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def read_rows(path: str) -> list[dict[str, str]]:
    """The rows of a CSV (header code,name[,parent]) or JSON file (a list of {code, name, parent} objects, or
    {"regions": [...]}) as dicts of strings. Raises Invalid on a file it cannot read."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            content = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(_("The file cannot be read: %(problem)s", problem=str(exc))) from exc
    if path.lower().endswith(".json") or content.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(content)
        except ValueError as exc:
            raise Invalid(_("The file is not valid JSON: %(problem)s", problem=str(exc))) from exc
        if isinstance(data, dict):
            data = data.get("regions")
        if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
            raise Invalid(_("The JSON file must hold a list of objects with code, name and parent."))
        return [{key: "" if row.get(key) is None else str(row.get(key)).strip() for key in ("code", "name", "parent")}
                for row in data]
    reader = csv.DictReader(io.StringIO(content))
    if reader.fieldnames is None or not {"code", "name"} <= {f.strip().lower() for f in reader.fieldnames}:
        raise Invalid(_("The CSV file needs a header line with the columns code,name,parent."))
    rows = []
    for row in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
        rows.append({"code": row.get("code", ""), "name": row.get("name", ""), "parent": row.get("parent", "")})
    return rows


def _default_parent(code: str, known: set[str]) -> str | None:
    """A region's parent by its code when the file gives none: the city, else the province, else the nation."""
    level = level_of(code)
    candidates = {"county": [code[:4] + "00", code[:2] + "0000"], "city": [code[:2] + "0000"],
                  "province": [NATIONAL]}.get(level, [])
    return next((c for c in candidates if c in known), None)


def import_regions(rows: list[dict[str, str]]) -> dict[str, int]:
    """Add or rename the regions of `rows` (idempotent: a second run changes nothing). Every row is checked first;
    any problem raises Invalid listing the lines and nothing is written. Regions not in the file stay."""
    existing = {r.code: r for r in db.session.scalars(db.select(Region))}
    in_file: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    for line, row in enumerate(rows, start=2):
        code, name = row.get("code", ""), row.get("name", "")
        clean, problem = text.clean_name(name)
        if not CODE_RE.match(code):
            problems.append(_("line %(line)s: the code must be six digits", line=line))
        elif code in in_file:
            problems.append(_("line %(line)s: the code %(code)s appears twice", line=line, code=code))
        elif problem or len(clean) > 64:
            problems.append(_("line %(line)s: the name must be one line of at most 64 characters", line=line))
        elif code in existing and existing[code].level != level_of(code):
            problems.append(_("line %(line)s: %(code)s is stored at another level", line=line, code=code))
        else:
            in_file[code] = {"name": clean, "parent": row.get("parent", ""), "line": str(line)}
    known = set(existing) | set(in_file)
    order = {"national": 0, "province": 1, "city": 2, "county": 3}
    for code, row in in_file.items():
        parent = row["parent"] or _default_parent(code, known)
        if level_of(code) == "national" or (level_of(code) == "province" and parent is None):
            parent = None  # the top of the tree (a province is at the top of a database without the nation)
        elif parent is None or parent not in known or order[level_of(parent)] >= order[level_of(code)]:
            problems.append(_("line %(line)s: the parent of %(code)s is unknown or not above it",
                              line=row["line"], code=code))
        row["parent"] = parent
    if problems:
        raise Invalid(_("Nothing was imported: %(problems)s", problems=_("; ").join(problems[:20])))
    added = renamed = 0
    for code in sorted(in_file, key=lambda c: order[level_of(c)]):  # parents before their children
        row = in_file[code]
        region = existing.get(code)
        if region is None:
            db.session.add(Region(code=code, name=row["name"], level=level_of(code), parent_code=row["parent"]))
            db.session.flush()
            added += 1
        elif region.name != row["name"] or region.parent_code != row["parent"]:
            region.name, region.parent_code = row["name"], row["parent"]
            renamed += 1
    db.session.flush()
    return {"added": added, "updated": renamed, "unchanged": len(in_file) - added - renamed}
