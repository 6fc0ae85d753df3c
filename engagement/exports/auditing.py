"""Every export is written to the audit log: who, what, which filters, how many rows."""

from engagement import audit

CLI_ACTOR = "cli"


def record_export(what: str, fmt: str, filters: dict, row_count: int, cli: bool = False):
    """Audit an export of `what` (responses, responses_with_contacts, summary, report)."""
    details = {"format": fmt, **{k: v for k, v in filters.items() if v not in (None, "")}}
    return audit.record(
        f"export.{what}",
        target=filters.get("engagement") or "all",
        details=details,
        row_count=row_count,
        actor=CLI_ACTOR if cli else None,
    )
