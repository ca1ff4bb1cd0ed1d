"""Exporting a module's draft as a file, and importing a file as a new draft.

The file format and every check on it live in `training.interchange` (pure); here are the
database's parts: the indicators this site knows, a free key, and one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from portal import services as portal_services
from portal.models import AuditAction, Authority, User
from training import access, engine, interchange
from training.models import Indicator, Module
from training.services import library
from training.services.studio import module_key_unused
from training.sources import library_sources


class ImportRefused(Exception):
    """The file was not imported; `problems` lists every reason, each "path: detail"."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ModuleImported:
    """The new draft, and the keys of the decisions an author should review: every decision
    of a `/1` or `/2` file, whose bands and routes were read from the old single scale and
    of which none is safety-critical yet."""

    module: Module
    to_review: list[str]


def module_export(*, module: Module) -> tuple[str, bytes]:
    """The draft as a `threshold-module/3` file: its name and its UTF-8 bytes."""
    document = interchange.document_write(
        library.module_snapshot_build(module=module),
        authority_name=module.authority.name if module.authority_id else "",
        module_version=module.versions.aggregate(n=Max("number"))["n"],
        exported_at=timezone.now(),
    )
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return f"{module.key}.threshold.json", text.encode("utf-8")


@transaction.atomic
def module_import(
    *,
    raw: bytes,
    authority: Authority | None,
    by: User,
    request: HttpRequest | None = None,
) -> ModuleImported:
    """A new draft of the authority's own from a module file, or ImportRefused with every
    problem and nothing saved. The file's key is kept unless taken ("<key>-2", "-3"…)."""
    if not access.can_write_modules_of(by, authority.pk if authority else None):
        raise PermissionDenied("Only the authority's authors and admins can import modules.")
    known = {
        indicator.key: {"name": indicator.name, "category": indicator.category}
        for indicator in Indicator.objects.all()
    }
    result = interchange.document_read(raw, known_indicators=known, known_sources=library_sources())
    if result.module is None:
        raise ImportRefused(result.problems)
    data: dict[str, Any] = result.module
    module = Module.objects.create(
        key=module_key_unused(data["key"]),
        authority=authority,
        visibility=Module.Visibility.AUTHORITY,
        title=data["title"],
        summary=data["summary"],
        audience=data.get("audience", ""),
        minutes=data["minutes"],
        pass_mark=data["pass_mark"],
        refresher_months=data["refresher_months"],
        confidence_topic=data["confidence_topic"],
        learning_outcomes="\n".join(data["learning_outcomes"]),
        min_decisions=data.get("min_decisions", engine.DEFAULT_MIN_DECISIONS),
        reviewed_on=library.review_date(data),
        has_unpublished_changes=True,
        created_by=by,
    )
    library._draft_write(module=module, data=data)
    portal_services.audit_record(
        action=AuditAction.MODULE_IMPORTED,
        actor=by,
        authority_id=authority.pk if authority else None,
        request=request,
        detail={"module": module.title, "key": module.key, "from": data["source"]["authority"]},
    )
    return ModuleImported(module=module, to_review=result.to_review)
