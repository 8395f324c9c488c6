"""What an export wrote, and how the Exchange page and the command line say it.

A focal point's workbook is said with what its rows are (the recommendations the institution
leads, how many of them open; the open warnings addressed to it) and what was left out as
confidential, in the words the Exchange page's choice of institution uses, so that the two agree
and a person sees why the ministry brief, which also lists what the institution supports, counts
otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from r2pdesk.exchange.models import ExportId, ExportKind
from r2pdesk.exchange.sheets import count_of
from r2pdesk.i18n import format_number, tr
from r2pdesk.institutions.assigned import Assigned


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote; for a focal point's workbook, what its rows are."""

    export_id: ExportId
    kind: ExportKind
    path: Path
    rows: dict[str, int]  # records per sheet
    assigned: Assigned | None = None  # a focal point's: what the workbook was made from

    @property
    def total(self) -> int:
        """Rows written, every sheet together."""
        return sum(self.rows.values())

    def as_json(self) -> dict[str, object]:
        """The object `export-xlsx --json` prints."""
        found: dict[str, object] = {"export_id": str(self.export_id), "kind": self.kind.value,
                                    "path": str(self.path), "rows": self.rows}
        if self.assigned is not None:
            found["open_recommendations"] = self.assigned.led_open
            found["confidential_left_out"] = {
                "Recommendations": self.assigned.confidential_led,
                "Warnings": self.assigned.confidential_warnings}
        return found

    def contents(self) -> str:
        """What the rows are: "9 recommendations it leads (7 open, 2 implemented or not
        applicable) and 2 open warnings addressed to it", or counts per sheet."""
        if self.assigned is None:
            return ", ".join(count_of(sheet, n) for sheet, n in self.rows.items())
        led = len(self.assigned.led)
        recs = (tr("1 recommendation it leads") if led == 1 else
                tr("{count} recommendations it leads").format(count=format_number(led)))
        closed = led - self.assigned.led_open
        state = (tr("{open} open, {closed} implemented or not applicable") if closed else
                 tr("{open} open")).format(open=format_number(self.assigned.led_open),
                                           closed=format_number(closed))
        warnings = len(self.assigned.warnings)
        addressed = (tr("1 open warning addressed to it") if warnings == 1 else
                     tr("{count} open warnings addressed to it").format(
                         count=format_number(warnings)))
        return tr("{recommendations} ({state}) and {warnings}").format(
            recommendations=recs, state=state, warnings=addressed)

    def left_out(self) -> str:
        """What confidentiality kept out of a focal point's workbook ("" when nothing)."""
        if self.assigned is None:
            return ""
        kept = [count_of(sheet, n) for sheet, n in (
            ("Recommendations", self.assigned.confidential_led),
            ("Warnings", self.assigned.confidential_warnings)) if n]
        return tr("Left out as confidential: {records}.").format(
            records=", ".join(kept)) if kept else ""
