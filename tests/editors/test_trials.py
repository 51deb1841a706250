"""A/B trials: publishing a draft as a variant, assigning new sessions by their token,
comparing the two arms in insight, and ending the trial with one of them live."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import secrets
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.documents import SMALL
from tests.staff import signed_in, solved, staff_user
from wizard.editors.models import Action, Draft, ReviewError
from wizard.editors.trials import TIME_TEST_MIN, end_trial, start_trial, time_test, trial_figures
from wizard.sellers.models import FlowVersion, Session, Trial, in_variant
from wizard.sellers.models.tallies import rebuild

VARIANT = SMALL.replace("Alur kecil", "Alur varian")


@pytest.fixture(autouse=True)
def _no_review(settings: Any) -> Any:
    settings.FLOW_REVIEW_REQUIRED = False  # the review rule has a test of its own below
    with translation.override("en"):  # the messages the models raise, read in English
        yield


@pytest.fixture
def draft(version: FlowVersion, editor: User) -> Draft:
    draft = Draft.start(version, by=editor)
    draft.save_document(VARIANT, revision=draft.revision, by=editor)
    return draft


@pytest.fixture
def trial(draft: Draft, editor: User) -> Trial:
    return start_trial(draft, by=editor, note="shorter title", share=50)


def started(client: Client) -> Session:
    """A seller's session started the way the landing page's button does."""
    cache.clear()  # the start's rate limit is tested elsewhere
    response = client.post("/start/")
    assert response.status_code == 303
    session = Session.opened_by(response["Location"].split("/")[2])
    assert session is not None
    return session


# Assignment by token.


def test_assignment_is_stable_and_near_its_share_over_many_tokens() -> None:
    tokens = [secrets.token_urlsafe(32) for _ in range(20_000)]
    for share in (1, 20, 50):
        taken = sum(in_variant(token, share) for token in tokens)
        # Binomial: the standard deviation at 20 % is 57 tokens; 5 of them is 285.
        spread = 5 * (len(tokens) * share / 100 * (1 - share / 100)) ** 0.5
        assert abs(taken - len(tokens) * share / 100) < spread, share
    assert all(in_variant(t, 20) == in_variant(t, 20) for t in tokens[:1000])
    # A bigger share only adds tokens: whoever had the variant at 10 % has it at 20 %.
    assert all(in_variant(t, 20) for t in tokens if in_variant(t, 10))


def test_new_sessions_get_the_arm_their_token_falls_in_and_keep_it(
    trial: Trial, version: FlowVersion, client: Client
) -> None:
    before = Session.start(version, language="id")  # started before the trial: no trial
    sessions = [started(client) for _ in range(24)]
    arms = {s.flow_version_id for s in sessions}
    assert arms == {version.pk, trial.variant_id}  # 24 tokens at 50 %: both arms, surely
    for session in sessions:
        expected = trial.variant_id if in_variant(session.token, 50) else version.pk
        assert (session.trial_id, session.flow_version_id) == (trial.pk, expected)
    assert FlowVersion.live() == version  # the variant is not live
    end_trial(trial, by=trial.started_by, keep="variant")
    after = started(client)
    assert (after.trial_id, after.flow_version_id) == (None, trial.variant_id)
    for session in [before, *sessions]:  # each session keeps its version
        pinned = session.flow_version_id
        session.refresh_from_db()
        assert session.flow_version_id == pinned
    before.refresh_from_db()
    assert before.trial_id is None


def test_staff_agent_sessions_and_previews_never_join_a_trial(
    trial: Trial, version: FlowVersion, draft: Draft
) -> None:
    support = signed_in(staff_user("support", "sari"))
    cache.clear()
    assert support.post("/staff/agent/", {"language": "id"}).status_code == 303
    editors = signed_in(trial.started_by)
    other = Draft.start(version, by=trial.started_by)
    assert (
        editors.post(f"/staff/flows/drafts/{other.pk}/preview/", {"language": "en"}).status_code
        == 303
    )
    assert Session.objects.count() == 2
    assert not Session.objects.filter(trial__isnull=False).exists()


def test_the_start_costs_one_query_for_the_trial_and_answers_none(
    version: FlowVersion, draft: Draft, editor: User, client: Client
) -> None:
    trial_reads: list[int] = []

    def queries(method: str, path: str, data: dict[str, Any] | None = None) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            getattr(client, method)(path, data or {})
        trial_reads.append(sum('FROM "sellers_trial"' in q["sql"] for q in captured))
        return len(captured)

    started(client)  # each version is parsed once per process
    without = queries("post", "/start/")
    plain = started(client)
    plain_question = queries("get", plain.step_url("where"))
    plain_answer = queries("post", plain.step_url("where"), {"value": "open", "revision": 0})
    trial = start_trial(draft, by=editor, note="n", share=50)
    sessions = [started(client) for _ in range(12)]
    # The one query the trial adds is made whether or not a trial runs.
    assert queries("post", "/start/") == without
    assert trial_reads == [1, 0, 0, 1]
    for session in sessions:
        assert session.trial_id == trial.pk
        assert queries("get", session.step_url("where")) == plain_question == 1
        answer = {"value": "open", "revision": 0}
        assert queries("post", session.step_url("where"), answer) == plain_answer


# Starting and ending a trial.


def test_an_editor_publishes_a_draft_as_a_variant_from_the_publish_page(
    draft: Draft, editor: User, version: FlowVersion
) -> None:
    client = signed_in(editor, HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(f"/staff/flows/drafts/{draft.pk}/publish/").content.decode()
    assert "Publish as a variant" in page
    data = {"note": "try a shorter title", "as_variant": "on", "share": "20"}
    response = client.post(f"/staff/flows/drafts/{draft.pk}/publish/", data)
    trial = Trial.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/staff/insight/trials/{trial.pk}/"
    assert (trial.live, trial.share, trial.started_by, trial.outcome) == (version, 20, editor, "")
    variant = trial.variant
    assert (variant.number, variant.published_at, variant.document) == (2, None, VARIANT)
    assert FlowVersion.live() == version
    draft.refresh_from_db()
    assert draft.published_as == variant
    action = Action.objects.get(kind=Action.Kind.TRIAL_START)
    assert (action.by, action.version, action.draft) == (editor, variant, draft)
    assert (action.trial, action.note) == (trial, "try a shorter title")
    log = client.get("/staff/flows/log/").content.decode()
    assert "started a trial" in log
    assert f"{variant} against {version}, for 20 % of new sessions." in log
    in_indonesian = signed_in(editor, HTTP_ACCEPT_LANGUAGE="id")
    log = in_indonesian.get("/staff/flows/log/").content.decode()
    assert f"{variant} dibandingkan dengan {version}, untuk 20 % sesi baru." in log


@pytest.mark.parametrize(
    ("share", "language", "message"),
    [
        ("0", "en", "greater than or equal to 1"),
        ("51", "en", "less than or equal to 50"),
        ("", "en", "Give the variant&#x27;s share of new sessions"),
        ("", "id", "Isi bagian sesi baru untuk varian"),
        ("51", "id", "lebih kecil dari atau sama dengan 50"),
    ],
)
def test_a_variant_needs_a_share_from_1_to_50_percent(
    draft: Draft, editor: User, share: str, language: str, message: str
) -> None:
    client = signed_in(editor, HTTP_ACCEPT_LANGUAGE=language)
    data = {"note": "n", "as_variant": "on", "share": share}
    response = client.post(f"/staff/flows/drafts/{draft.pk}/publish/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Trial.objects.exists()
    assert FlowVersion.objects.count() == 1


def test_a_variant_needs_the_same_review_and_checker_as_a_publish(
    draft: Draft, editor: User, settings: Any
) -> None:
    settings.FLOW_REVIEW_REQUIRED = True
    with pytest.raises(ReviewError, match="second editor must approve"):
        start_trial(draft, by=editor, note="n", share=20)
    draft.submit(by=editor)
    draft.approve(by=staff_user("editors", "budi"))
    broken = Draft.start(draft.base, by=editor)
    broken.save_document(SMALL.replace('go = "outage"', 'go = "nowhere"'), revision=1, by=editor)
    settings.FLOW_REVIEW_REQUIRED = False
    with pytest.raises(ReviewError, match="checker refuses"):
        start_trial(broken, by=editor, note="n", share=20)
    assert not Trial.objects.exists()
    assert start_trial(draft, by=editor, note="n", share=20).is_running


def test_only_one_trial_runs_at_a_time(trial: Trial, editor: User, version: FlowVersion) -> None:
    second = Draft.start(version, by=editor)
    client = signed_in(editor, HTTP_ACCEPT_LANGUAGE="en")
    data = {"note": "n", "as_variant": "on", "share": "10"}
    page = client.post(f"/staff/flows/drafts/{second.pk}/publish/", data).content.decode()
    assert "A trial is already running: end it before starting another." in page
    assert Trial.objects.count() == 1
    second.refresh_from_db()
    assert second.is_open  # nothing was published
    end_trial(trial, by=editor, keep="live")
    assert start_trial(second, by=editor, note="n", share=10).is_running


def test_ending_with_the_live_version_stops_the_variant_getting_sessions(
    trial: Trial, editor: User, version: FlowVersion, client: Client
) -> None:
    editors = signed_in(editor, HTTP_ACCEPT_LANGUAGE="en")
    response = editors.post(f"/staff/insight/trials/{trial.pk}/end/", {"keep": "live"})
    assert response.status_code == 303
    trial.refresh_from_db()
    assert (trial.outcome, trial.ended_by, trial.is_running) == ("live", editor, False)
    assert FlowVersion.live() == version
    assert FlowVersion.objects.get(pk=trial.variant_id).published_at is None
    assert {started(client).flow_version_id for _ in range(10)} == {version.pk}
    action = Action.objects.get(kind=Action.Kind.TRIAL_END)
    assert (action.by, action.version, action.trial) == (editor, version, trial)
    log = signed_in(editor, HTTP_ACCEPT_LANGUAGE="id").get("/staff/flows/log/").content.decode()
    assert f"Uji {trial.pk} selesai: {version} tetap aktif." in log
    page = editors.get(f"/staff/insight/trials/{trial.pk}/").content.decode()
    assert "End the trial" not in page
    with pytest.raises(ReviewError, match="already ended"):
        end_trial(trial, by=editor, keep="variant")
    # The next publish is compared with the version sellers had, not the variant.
    newer = Draft.start(version, by=editor)
    newer.save_document(SMALL.replace("Alur kecil", "Alur terbaru"), revision=1, by=editor)
    published = newer.publish(by=editor, note="after the trial")
    assert (published.number, published.stored_before()) == (3, version)
    assert FlowVersion.objects.get(pk=trial.variant_id).stored_before() == version


def test_ending_with_the_variant_publishes_it_unless_a_newer_version_went_live(
    trial: Trial, editor: User, version: FlowVersion
) -> None:
    assert end_trial(trial, by=editor, keep="variant") == trial.variant
    assert FlowVersion.live() == trial.variant
    assert Action.objects.get(kind=Action.Kind.TRIAL_END).version == trial.variant
    # A publish during the next trial replaces its live version: the variant cannot win.
    second = Draft.start(trial.variant, by=editor)
    again = start_trial(second, by=editor, note="n", share=30)
    newer = Draft.start(trial.variant, by=editor)
    newer.save_document(SMALL.replace("Alur kecil", "Alur terbaru"), revision=1, by=editor)
    published = newer.publish(by=editor, note="meanwhile")
    assert Trial.running_on(published) is None  # new sessions no longer join the trial
    page = signed_in(editor, HTTP_ACCEPT_LANGUAGE="en").get(f"/staff/insight/trials/{again.pk}/")
    assert "was published after this trial started" in page.content.decode()
    with pytest.raises(ReviewError, match="was published after the trial started"):
        end_trial(again, by=editor, keep="variant")
    assert end_trial(again, by=editor, keep="live") == trial.variant
    assert FlowVersion.live() == published


def test_support_reads_trials_but_only_editors_end_them(trial: Trial) -> None:
    support = signed_in(staff_user("support", "sari"), HTTP_ACCEPT_LANGUAGE="en")
    page = support.get(f"/staff/insight/trials/{trial.pk}/")
    assert page.status_code == 200
    assert "End the trial" not in page.content.decode()
    assert (
        support.post(f"/staff/insight/trials/{trial.pk}/end/", {"keep": "live"}).status_code == 403
    )
    trial.refresh_from_db()
    assert trial.is_running
    editors = signed_in(trial.started_by, HTTP_ACCEPT_LANGUAGE="en")
    text = editors.get(f"/staff/insight/trials/{trial.pk}/").content.decode()
    assert "End the trial" in text
    assert f'href="/staff/flows/versions/{trial.variant_id}/"' in text  # its diff to the live one


# The comparison.


def _in_arm(trial: Trial, variant: bool) -> Session:
    """A seller's session the trial assigned to one arm (tokens drawn until one falls there)."""
    while True:
        token = secrets.token_urlsafe(32)
        if in_variant(token, trial.share) == variant:
            version = trial.version_for(token)
            return Session.start(version, language="id", trial=trial, token=token)


def _helped(session: Session, helped: bool | None) -> Session:
    solved(session)
    if helped is not None:
        session.record_feedback(helped, revision=session.revision)
    return session


def _arms(trial: Trial) -> dict[str, list[Session]]:
    """Live: 10 sessions, 8 solved, 6 helped, 1 did not. Variant: 6, 5 solved, 2 helped,
    2 did not, 1 stopped unsolved. A preview is never counted."""
    live = [_helped(_in_arm(trial, False), True) for _ in range(6)]
    live += [_helped(_in_arm(trial, False), False), _helped(_in_arm(trial, False), None)]
    live += [_in_arm(trial, False) for _ in range(2)]
    variant = [_helped(_in_arm(trial, True), True) for _ in range(2)]
    variant += [_helped(_in_arm(trial, True), False) for _ in range(2)]
    variant += [_helped(_in_arm(trial, True), None), _in_arm(trial, True)]
    Session.start(trial.variant, language="id", is_preview=True)
    return {"live": live, "variant": variant}


def test_the_comparison_counts_each_arms_sessions_and_feedback(trial: Trial) -> None:
    _arms(trial)
    result = trial_figures(trial)
    live, variant = result.live, result.variant
    assert (live.sessions, live.solved, live.yes, live.no) == (10, 8, 6, 1)
    assert (variant.sessions, variant.solved, variant.yes, variant.no) == (6, 5, 2, 2)
    assert live.help_rate.value == pytest.approx(6 / 7)
    assert variant.help_rate.value == pytest.approx(2 / 4)
    # 36 points less, but on 7 and 4 answers: Newcombe's interval, worked out by hand
    # from the two Wilson intervals, still reaches above zero.
    assert result.help.change == pytest.approx(2 / 4 - 6 / 7)
    assert (result.help.low, result.help.high) == pytest.approx((-0.7262, 0.1523), abs=1e-4)
    assert result.help_verdict == "not_significant"
    assert result.time.verdict == "too_few"  # fewer than TIME_TEST_MIN solved per arm
    assert not result.time.tested
    # The rollup recounted from the sessions alone gives the same figures.
    rebuild()
    assert trial_figures(trial) == result


def test_a_clear_difference_in_help_is_called_so(trial: Trial) -> None:
    for _ in range(30):
        _helped(_in_arm(trial, False), False)
        _helped(_in_arm(trial, True), True)
    result = trial_figures(trial)
    assert result.help_verdict == "helps_more"
    assert result.help.low is not None
    assert result.help.low > 0


def test_time_to_a_solution_is_tested_with_mann_whitney_on_the_buckets(trial: Trial) -> None:
    n = TIME_TEST_MIN
    live = [_helped(_in_arm(trial, False), True) for _ in range(n)]
    variant = [_helped(_in_arm(trial, True), True) for _ in range(n)]
    for number, session in enumerate(live):  # 10 to 19 minutes
        Session.objects.filter(pk=session.pk).update(
            created_at=session.solved_at - dt.timedelta(minutes=10 + number)
        )
    for number, session in enumerate(variant):  # 1 to 10 minutes
        Session.objects.filter(pk=session.pk).update(
            created_at=session.solved_at - dt.timedelta(minutes=1 + number)
        )
    rebuild()
    result = trial_figures(trial).time
    assert (result.live_median, result.variant_median) == (840, 300)  # 14 and 5 minutes
    assert result.tested
    assert result.verdict == "faster"
    assert result.p_value is not None
    assert result.p_value < 0.05
    assert result.faster_share is not None
    assert result.faster_share > 0.9


def test_mann_whitney_counts_pairs_and_ties_as_a_brute_force_count_does() -> None:
    live = [(60, 4), (120, 6), (300, 5)]
    variant = [(30, 2), (120, 7), (600, 3)]
    expanded_live = [b for b, n in live for _ in range(n)]
    expanded_variant = [b for b, n in variant for _ in range(n)]
    pairs = [(v, lv) for v in expanded_variant for lv in expanded_live]
    faster = sum(1.0 if v < lv else 0.5 if v == lv else 0.0 for v, lv in pairs)
    result = time_test(live, variant)
    assert result.faster_share == pytest.approx(faster / len(pairs))
    swapped = time_test(variant, live)
    assert swapped.p_value == pytest.approx(result.p_value)
    assert swapped.faster_share == pytest.approx(1 - faster / len(pairs))
    same = time_test(live, live)
    assert same.verdict == "not_significant"
    assert same.p_value == pytest.approx(1.0)


def test_the_page_the_csv_and_the_json_agree(trial: Trial) -> None:
    _arms(trial)
    lead = signed_in(staff_user("support", "lead"), HTTP_ACCEPT_LANGUAGE="en")
    page = lead.get(f"/staff/insight/trials/{trial.pk}/")
    shown = page.context["figures"]
    out = io.StringIO()
    call_command("insight", "--trial", str(trial.pk), "--json", stdout=out)
    data = json.loads(out.getvalue())
    arms = _csv(lead, f"/staff/insight/trials/{trial.pk}/arms.csv")
    difference = {
        row["measure"]: row
        for row in _csv(lead, f"/staff/insight/trials/{trial.pk}/difference.csv")
    }
    for row, name in zip(arms, ("live", "variant"), strict=True):
        arm = getattr(shown, name)
        assert row["arm"] == name
        for figure in ("sessions", "solved", "yes", "no"):
            assert int(row[figure]) == data[name][figure] == getattr(arm, figure)
        assert float(row["help_rate_value"]) == data[name]["help_rate"]["value"]
    help_row = difference["help_rate"]
    assert float(help_row["change"]) == pytest.approx(data["help"]["change"])
    assert float(help_row["change"]) == pytest.approx(shown.help.change)
    assert help_row["verdict"] == data["help_verdict"] == shown.help_verdict
    assert difference["median_seconds"]["verdict"] == data["time"]["verdict"] == "too_few"
    text = page.content.decode()
    assert "Medians only, not tested" in text
    assert "Not yet significant: the interval includes zero" in text


def _csv(client: Client, path: str) -> list[dict[str, str]]:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_trial_page_costs_the_same_queries_however_many_sessions(
    trial: Trial, django_assert_num_queries: Any
) -> None:
    lead = signed_in(staff_user("support", "lead"))
    lead.get(f"/staff/insight/trials/{trial.pk}/")
    # The signed-in session, the user, their two kinds of permissions; the trial with its
    # versions and editors, the live version, the rollup's sums.
    with django_assert_num_queries(7):
        lead.get(f"/staff/insight/trials/{trial.pk}/")
    _arms(trial)
    with django_assert_num_queries(7):
        lead.get(f"/staff/insight/trials/{trial.pk}/")


def test_the_trial_pages_speak_bahasa_indonesia(trial: Trial) -> None:
    lead = signed_in(staff_user("support", "lead"), HTTP_ACCEPT_LANGUAGE="id")
    page = lead.get(f"/staff/insight/trials/{trial.pk}/").content.decode()
    assert "Apakah varian lebih baik?" in page
    assert "Uji A/B" in lead.get("/staff/insight/trials/").content.decode()
    assert lead.get(f"/staff/insight/trials/{trial.pk}/nothing.csv").status_code == 404
    assert lead.get("/staff/insight/trials/999/").status_code == 404


def test_insight_still_opens_on_the_live_version_while_a_variant_is_stored(
    trial: Trial, version: FlowVersion
) -> None:
    lead = signed_in(staff_user("support", "lead"), HTTP_ACCEPT_LANGUAGE="en")
    page = lead.get("/staff/insight/")
    assert page.context["version"] == version  # unpublished versions sort last
    assert "/staff/insight/trials/" in page.content.decode()
    out = io.StringIO()
    call_command("insight", "--json", stdout=out)
    assert json.loads(out.getvalue())["version"] == version.number
