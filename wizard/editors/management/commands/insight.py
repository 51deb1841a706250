"""Print insight's figures for a flow version or an A/B trial (as JSON with --json), or
rebuild the rollup."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import F
from django.utils import timezone

from wizard.editors.insight import InsightForm, table
from wizard.editors.trials import trial_figures
from wizard.sellers.models import FlowVersion, Trial
from wizard.sellers.models.tallies import rebuild


class Command(BaseCommand):
    help = __doc__

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # `--version N` names a flow version here, not Django's own version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--version", type=int, dest="number", help="version number")
        parser.add_argument("--flow", help="the flow's key (default: the live flow's)")
        parser.add_argument("--since", type=dt.date.fromisoformat, help="first start day")
        parser.add_argument("--until", type=dt.date.fromisoformat, help="last start day")
        parser.add_argument("--language", default="", help="id or en (default: every one)")
        parser.add_argument("--compare", type=int, help="another version number of the flow")
        parser.add_argument("--trial", type=int, help="an A/B trial's id: its two arms compared")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument(
            "--rebuild", action="store_true", help="recount the rollup from every session first"
        )

    def handle(self, *args: Any, number: int | None, flow: str | None, **options: Any) -> None:
        if options["rebuild"]:
            self.stderr.write(f"recounted {rebuild():,} sessions")
        if options["trial"] is not None:
            self._trial(options["trial"], as_json=options["json"])
            return
        newest = F("published_at").desc(nulls_last=True)  # a trial's variant is not the default
        versions = FlowVersion.objects.defer("document").order_by(newest, "-number")
        key = flow or getattr(FlowVersion.live(), "key", None)
        chosen = versions.filter(key=key, number=number) if number else versions.filter(key=key)
        until = options["until"] or timezone.localdate()
        data = {
            "version": next((v.pk for v in chosen[:1]), ""),
            "since": options["since"] or until - dt.timedelta(days=29),
            "until": until,
            "language": options["language"],
            "compare": next(
                (v.pk for v in versions.filter(key=key, number=options["compare"])[:1]), ""
            )
            if options["compare"]
            else "",
        }
        form = InsightForm(data, versions=list(versions))
        if not data["version"] or not form.is_valid():
            problems = form.errors.as_text() if data["version"] else "no such flow version"
            raise CommandError(problems)
        figures = form.figures()
        if options["json"]:
            out = figures.as_json()
            if options["compare"]:
                out["comparison"] = table(figures, "comparison", form.comparison(figures))
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        outcomes = figures.outcomes
        self.stdout.write(
            f"{figures.flow} v{figures.version}, {figures.since} to {figures.until}: "
            f"{outcomes.started} started, {outcomes.solved} solved, "
            f"{outcomes.in_progress} in progress, {outcomes.abandoned} abandoned "
            f"({outcomes.agent_started} in agent mode)"
        )
        for question in sorted(figures.questions, key=lambda q: -q.dropoffs)[:10]:
            rate = question.dropoff_rate.value
            shown = "—" if rate is None else f"{rate:.1%}"
            self.stdout.write(f"  {question.key}: {question.dropoffs}/{question.views} ({shown})")

    def _trial(self, pk: int, *, as_json: bool) -> None:
        trial = Trial.objects.select_related("live", "variant").filter(pk=pk).first()
        if trial is None:
            raise CommandError("no such trial")
        result = trial_figures(trial)
        if as_json:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
            return
        for arm in (result.live, result.variant):
            rate = arm.help_rate.value
            shown = "—" if rate is None else f"{rate:.1%}"
            self.stdout.write(
                f"{arm.arm} {arm.version}: {arm.sessions} started, {arm.solved} solved, "
                f"helped {arm.yes}/{arm.yes + arm.no} ({shown}), median {arm.median_seconds} s"
            )
        self.stdout.write(f"help rate: {result.help_verdict}; time: {result.time.verdict}")
