"""The checker: every rule that blocks publishing names the step that breaks it."""

import dataclasses
import datetime as dt

from tests.documents import SMALL, SOURCES, solution
from wizard.flows import Route, Text, load_flow
from wizard.flows.check import Report, check, check_document, reachability, reachability_lines

TODAY = dt.date(2026, 12, 1)
FLOW = load_flow(SMALL)


def report_for(text: str, **options: int) -> Report:
    return check_document(text, today=TODAY, **options)


def problems_at(report: Report, step: str) -> list[str]:
    return [problem.message for problem in report.problems if problem.step == step]


def chain(length: int) -> str:
    """A flow of yes/no questions: each `yes` ends at a solution, `no` asks the next one."""
    parts = ['[flow]\nkey = "chain"\ntitle = {id = "Rantai", en = "Chain"}\nstart = "q1"\n']
    for number in range(1, length + 1):
        after = f"q{number + 1}" if number < length else "last"
        parts.append(f"""
[questions.q{number}]
kind = "yesno"
text = {{id = "Pertanyaan {number}?", en = "Question {number}?"}}
routes = [{{when = "q{number} == yes", go = "s{number}"}}, {{go = "{after}"}}]
""")
    parts.append(SOURCES)
    parts += [solution(f"s{number}") for number in range(1, length + 1)]
    parts.append(solution("last"))
    return "".join(parts)


def test_the_small_flow_is_publishable_with_no_warnings() -> None:
    report = check(FLOW, today=TODAY)
    assert report.problems == ()
    assert report.warnings == ()
    assert report.is_publishable


def test_the_small_flow_path_statistics() -> None:
    report = check(FLOW, today=TODAY)
    # where→everyone→outage (2); where→everyone→app_version→update_app|network (3, 3);
    # where→placed_at→ordered→stock→settings→address|out_of_stock|contact (5, 5, 5).
    assert (report.paths, report.median_questions, report.longest_questions) == (6, 4, 5)
    assert report.solutions == 7


def test_the_statistics_count_every_path_of_a_known_shape() -> None:
    report = report_for(chain(4))
    assert report.paths == 5
    assert report.median_questions == 3  # lengths 1, 2, 3, 4, 4
    assert report.longest_questions == 4
    assert report.solutions == 5
    assert report.is_publishable


def test_a_median_path_over_the_limit_blocks_publishing() -> None:
    report = report_for(chain(4), max_median=2)
    assert any("median 3" in message for message in problems_at(report, "q1"))


def test_a_longest_path_over_the_limit_blocks_publishing_and_is_shown() -> None:
    report = report_for(chain(11))
    longest = [p for p in report.problems if "longest path asks 11 questions" in p.message]
    assert [problem.step for problem in longest] == ["s11"]
    assert "q1 → q2 → q3" in longest[0].message
    assert any("median 6.5" in message for message in problems_at(report, "q1"))


def test_a_question_with_no_route_onwards_is_a_dead_end() -> None:
    report = report_for(SMALL.replace('routes = [{go = "stock"}]', 'routes = [{note = "late"}]'))
    assert any("ends without a solution" in m for m in problems_at(report, "ordered"))


def test_an_option_no_route_covers_ends_the_path() -> None:
    text = SMALL.replace(
        '{go = "everyone"},', '{when = "where == open and everyone == yes", go = "everyone"},'
    )
    report = report_for(text)
    assert any("'open'" in message for message in problems_at(report, "where"))


def test_routes_that_name_every_option_need_no_final_route() -> None:
    text = SMALL.replace('{go = "everyone"},', '{when = "where == open", go = "everyone"},')
    text = text.replace(
        '  {when = "where == open", go = "everyone"},',
        '  {when = "where == open", go = "everyone"},\n  {when = "where == other", go = "everyone"},',
    )
    text = text.replace('{go = "app_version"},', '{when = "everyone != yes", go = "app_version"},')
    assert report_for(text).is_publishable


def test_a_yes_no_question_missing_an_answer_ends_the_path() -> None:
    text = SMALL.replace('{go = "app_version"},', '{when = "everyone == no", note = "network"},')
    report = report_for(text)
    assert any("'no'" in message for message in problems_at(report, "everyone"))


def test_a_version_question_needs_a_final_route_without_when() -> None:
    report = report_for(SMALL.replace('  {go = "network"},\n', "", 1))
    assert any("no `when`" in message for message in problems_at(report, "app_version"))


def test_steps_that_cannot_be_reached_are_named() -> None:
    orphan = """
[questions.orphan]
kind = "yesno"
text = {id = "Yatim?", en = "Orphan?"}
routes = [{go = "lonely"}]
"""
    report = report_for(SMALL + orphan + solution("lonely"))
    assert any("cannot be reached" in message for message in problems_at(report, "orphan"))
    assert any("cannot be reached" in message for message in problems_at(report, "lonely"))


def test_a_solution_shown_only_as_a_finding_counts_as_reachable() -> None:
    assert problems_at(check(FLOW, today=TODAY), "late") == []


def test_a_loop_is_named_at_the_question_that_closes_it() -> None:
    text = SMALL.replace(
        '{when = "stock < ordered", note = "out_of_stock"},',
        '{when = "stock < ordered", go = "placed_at"},',
    )
    report = report_for(text)
    assert any("loop" in message for message in problems_at(report, "stock"))


def test_routes_to_missing_steps_are_named_in_a_hand_built_flow() -> None:
    ordered = dataclasses.replace(
        FLOW.questions["ordered"],
        routes=(Route(None, None, "gone"), Route(None, "nowhere", None)),
    )
    flow = dataclasses.replace(FLOW, questions={**FLOW.questions, "ordered": ordered})
    messages = problems_at(check(flow, today=TODAY), "ordered")
    assert any("'nowhere', which does not exist" in message for message in messages)
    assert any("'gone', which is not a solution" in message for message in messages)


def test_a_start_that_is_not_a_question_is_named() -> None:
    report = check(dataclasses.replace(FLOW, start="outage"), today=TODAY)
    assert any(problem.where == "[flow]" for problem in report.problems)


def test_loader_errors_come_back_as_problems_naming_the_step() -> None:
    report = report_for(SMALL.replace('go = "placed_at"', 'go = "placed"'))
    assert not report.is_publishable
    assert any("does not exist" in message for message in problems_at(report, "where"))
    broken = report_for("not [toml").problems
    assert broken[0].where == "document"
    assert broken[0].message.startswith("not valid TOML")


def test_a_text_missing_a_language_is_named() -> None:
    contact = dataclasses.replace(FLOW.solutions["contact"], cause=Text("Sebab", " "))
    where = FLOW.questions["where"]
    unlabelled = (dataclasses.replace(where.options[0], label=Text("", "Cannot ship")),)
    questions = {**FLOW.questions, "where": dataclasses.replace(where, options=unlabelled)}
    solutions = {**FLOW.solutions, "contact": contact}
    flow = dataclasses.replace(FLOW, questions=questions, solutions=solutions)
    report = check(flow, today=TODAY)
    assert any("English" in message for message in problems_at(report, "contact"))
    assert any("Indonesian" in message for message in problems_at(report, "where"))


def test_a_tip_or_fact_missing_a_language_is_named() -> None:
    tip = dataclasses.replace(FLOW.tips["daily"], text=Text("Proses", ""))
    fact = dataclasses.replace(FLOW.facts["late_hours"], label=Text("", "Hours"))
    flow = dataclasses.replace(FLOW, tips={"daily": tip}, facts={**FLOW.facts, "late_hours": fact})
    wheres = {problem.where for problem in check(flow, today=TODAY).problems}
    assert wheres == {"tip 'daily'", "fact 'late_hours'"}


def test_a_solution_without_a_source_is_named() -> None:
    text = SMALL.replace(
        solution("contact"), solution("contact").replace('sources = ["manual"]', "sources = []")
    )
    assert any("no source" in message for message in problems_at(report_for(text), "contact"))


def test_a_solution_without_a_checked_date_is_named() -> None:
    text = SMALL.replace(
        solution("contact"), solution("contact").replace("checked = 2026-11-01\n", "")
    )
    assert any("`checked`" in message for message in problems_at(report_for(text), "contact"))


def test_a_solution_whose_deadline_lacks_its_fact_is_named() -> None:
    text = SMALL.replace(solution("contact"), solution("contact") + 'deadline = "ship"\n')
    messages = problems_at(report_for(text), "contact")
    assert any("ship_cutoff_hour" in message for message in messages)


def test_old_checked_dates_are_warnings_not_problems() -> None:
    report = check(FLOW, today=dt.date(2027, 12, 1))
    assert report.is_publishable
    wheres = {warning.where for warning in report.warnings}
    assert {"solution 'contact'", "source 'manual'", "fact 'late_hours'"} <= wheres


def test_the_age_limit_is_a_parameter() -> None:
    assert check(FLOW, today=TODAY, max_age_days=365).warnings == ()
    assert check(FLOW, today=TODAY, max_age_days=10).warnings != ()


def test_an_empty_keyword_is_named() -> None:
    text = SMALL.replace('keywords = ["tidak bisa buka"]', 'keywords = ["tidak bisa buka", "?!"]')
    assert any("empty keyword" in message for message in problems_at(report_for(text), "where"))


def test_a_keyword_on_two_options_of_one_question_is_named() -> None:
    text = SMALL.replace('keywords = ["tidak bisa buka"]', 'keywords = ["Atur  Pengiriman!"]')
    messages = problems_at(report_for(text), "where")
    assert any("'ship' and option 'open'" in message for message in messages)


def test_a_keyword_shared_by_two_questions_is_a_warning() -> None:
    text = chain(2).replace(
        '[questions.q2]\nkind = "yesno"',
        '[questions.q2]\nkind = "choice"\noptions = ['
        '{value = "yes", label = {id = "Ya", en = "Yes"}, keywords = ["ATUR pengiriman"]},'
        '{value = "no", label = {id = "Tidak", en = "No"}}]',
    )
    text = text.replace(
        '[questions.q1]\nkind = "yesno"',
        '[questions.q1]\nkind = "choice"\noptions = ['
        '{value = "yes", label = {id = "Ya", en = "Yes"}, keywords = ["atur pengiriman"]},'
        '{value = "no", label = {id = "Tidak", en = "No"}}]',
    )
    report = report_for(text)
    assert [warning.step for warning in report.warnings] == ["q2"]


def test_the_report_prints_problems_warnings_then_the_statistics() -> None:
    report = report_for(SMALL.replace('keywords = ["tidak bisa buka"]', 'keywords = [""]'))
    lines = report.lines()
    assert lines[0].startswith("error: question 'where': ")
    assert lines[-1] == "paths: 6, median questions: 4, longest: 5, solutions: 7"
    stale = check(FLOW, today=dt.date(2028, 1, 1)).lines()
    assert stale[0].startswith("warning: ")


# --- Catch-all options, context, numbers through facts, reachability ----------------


def without_catch_all(text: str) -> str:
    return text.replace(
        '  {value = "other", catch_all = true, label = {id = "Lainnya / tidak yakin", '
        'en = "Something else / not sure"}},\n',
        "",
    )


def test_a_choice_question_without_a_catch_all_is_refused() -> None:
    assert "catch_all = true" in SMALL
    messages = problems_at(report_for(without_catch_all(SMALL)), "where")
    assert any("no catch-all option" in message for message in messages)


def test_a_catch_all_straight_to_a_solution_is_refused_but_a_short_list_passes() -> None:
    straight = SMALL.replace(
        '  {when = "where == ship", go = "placed_at"},',
        '  {when = "where == other", go = "contact"},\n  {when = "where == ship", go = "placed_at"},',
    )
    messages = problems_at(report_for(straight), "where")
    assert any("goes straight to solution 'contact'" in message for message in messages)
    listed = straight.replace(
        "[solutions.contact]\n", '[solutions.contact]\nlikely = ["address", "network"]\n'
    )
    assert report_for(listed).is_publishable


def test_a_solution_reached_on_a_path_that_never_asked_its_context_is_refused() -> None:
    # update_app is reached from where=open → everyone, which never asks placed_at.
    text = SMALL.replace(
        "[solutions.update_app]\n", '[solutions.update_app]\nneeds = ["placed_at"]\n'
    )
    messages = problems_at(report_for(text), "update_app")
    assert len(messages) == 1
    assert "needs 'placed_at'" in messages[0]
    assert "where=open → everyone=no → app_version" in messages[0]


def test_a_context_asked_on_every_path_passes_by_key_or_by_name() -> None:
    by_key = SMALL.replace("[solutions.address]\n", '[solutions.address]\nneeds = ["stock"]\n')
    assert report_for(by_key).is_publishable
    by_name = by_key.replace('needs = ["stock"]', 'needs = ["order_time"]').replace(
        '[questions.placed_at]\nkind = "datetime"',
        '[questions.placed_at]\ncontext = "order_time"\nkind = "datetime"',
    )
    assert report_for(by_name).is_publishable


def test_a_finding_counts_as_reached_for_its_context() -> None:
    # `late` is only noted at placed_at, which is asked: fine; `out_of_stock` is noted at
    # stock, after ordered: needing `settings` (asked after) is refused.
    text = SMALL.replace(
        "[solutions.out_of_stock]\n", '[solutions.out_of_stock]\nneeds = ["settings"]\n'
    )
    messages = problems_at(report_for(text), "out_of_stock")
    assert messages
    assert "notes it without asking it" in messages[0]


def with_late_unit(text: str) -> str:
    return text.replace('value = 24\nunit = "hours"', 'value = 48\nunit = "hours"')


def test_a_literal_number_beside_its_fact_is_refused() -> None:
    text = with_late_unit(SMALL).replace(
        'cause = {id = "Sebab late", en = "Cause late"}',
        'cause = {id = "Lewat {late_hours} jam, yaitu 48 jam", en = "Past {late_hours} hours"}',
    )
    messages = problems_at(report_for(text), "late")
    assert len(messages) == 1
    assert "'48 jam' by hand" in messages[0]
    assert "{late_hours|unit}" in messages[0]
    assert report_for(with_late_unit(SMALL)).is_publishable


def test_a_derived_number_beside_its_fact_is_refused() -> None:
    text = with_late_unit(SMALL).replace(
        'cause = {id = "Sebab late", en = "Cause late"}',
        'cause = {id = "{late_hours} jam", en = "{late_hours} hours (2 days)"}',
    )
    messages = problems_at(report_for(text), "late")
    assert any("'2 days'" in message and "{late_hours|days}" in message for message in messages)


def test_the_same_literal_elsewhere_is_a_warning_and_through_the_fact_is_clean() -> None:
    elsewhere = with_late_unit(SMALL).replace(
        'cause = {id = "Sebab network", en = "Cause network"}',
        'cause = {id = "Tunggu 48 jam", en = "Wait 48 hours"}',
    )
    report = report_for(elsewhere)
    assert report.is_publishable
    assert [w.step for w in report.warnings] == ["network", "network"]
    through = with_late_unit(SMALL).replace(
        'cause = {id = "Sebab network", en = "Cause network"}',
        'cause = {id = "Tunggu {late_hours|unit} ({late_hours|days})", en = "Wait {late_hours|unit}"}',
    )
    report = report_for(through)
    assert report.warnings == ()
    flow = load_flow(through)
    assert flow.render(flow.solutions["network"].cause, "id") == "Tunggu 48 jam (2 hari)"
    assert flow.render(flow.solutions["network"].cause, "en") == "Wait 48 hours"


def test_a_solid_page_resting_on_an_other_country_fact_is_a_warning() -> None:
    text = SMALL.replace(
        'cause = {id = "Sebab late", en = "Cause late"}',
        'cause = {id = "Lewat {late_hours} jam", en = "Past {late_hours} hours"}',
    )
    assert report_for(text).warnings == ()
    weak = text.replace(
        'unit = "hours"\nsource_kind = "id_official"',
        'unit = "hours"\nsource_kind = "other_country"',
    )
    report = report_for(weak)
    assert report.is_publishable
    assert [(w.step, "other_country" in w.message) for w in report.warnings] == [("late", True)]


def test_a_fact_below_solid_under_a_solid_page_is_a_warning() -> None:
    text = SMALL.replace(
        'cause = {id = "Sebab late", en = "Cause late"}',
        'cause = {id = "Lewat {late_hours} jam", en = "Past {late_hours} hours"}',
    ).replace('unit = "hours"\n', 'unit = "hours"\nconfidence = "partial"\n')
    assert [w.step for w in report_for(text).warnings] == ["late"]


def test_a_number_fact_without_a_unit_is_a_warning() -> None:
    report = report_for(SMALL.replace('unit = "hours"\n', ""))
    assert [w.part for w in report.warnings] == [("fact", "late_hours")]


def test_the_reachability_table_lists_the_first_answers_per_solution() -> None:
    table = reachability(FLOW)
    assert table["outage"] == (["open", "other"], [], [])
    assert table["address"] == (["ship"], [], [])
    assert table["late"] == ([], ["ship"], [])
    lines = reachability_lines(FLOW, "en")
    assert "| `outage` | Title outage | open, other | — | — |" in lines
    assert "| `late` | Title late | **none** | ship | — |" in lines


def test_a_short_list_counts_for_the_causes_it_lists() -> None:
    text = SMALL.replace(
        "[solutions.outage]\n", '[solutions.outage]\nlikely = ["late", "address"]\n'
    )
    table = reachability(load_flow(text))
    assert table["late"] == ([], ["ship"], ["open", "other"])
    assert table["address"] == (["ship"], [], ["open", "other"])


def test_the_reachability_table_follows_earlier_answers_in_later_routes() -> None:
    # everyone routes on `where`: from where=open it can only reach outage.
    text = SMALL.replace(
        '  {when = "everyone == yes", go = "outage"},',
        '  {when = "where == open", go = "outage"},\n  {when = "everyone == yes", go = "outage"},',
    )
    table = reachability(load_flow(text))
    assert table["update_app"] == (["other"], [], [])
    assert table["outage"] == (["open", "other"], [], [])


def test_a_catch_all_on_a_context_question_may_carry_on_where_every_answer_goes() -> None:
    # `everyone` made a choice with a catch-all: all three answers go on to app_version.
    text = SMALL.replace(
        '[questions.everyone]\nkind = "yesno"',
        '[questions.everyone]\nkind = "choice"\noptions = ['
        '{value = "yes", label = {id = "Ya", en = "Yes"}},'
        '{value = "no", label = {id = "Tidak", en = "No"}},'
        '{value = "unsure", catch_all = true, label = {id = "Entah", en = "Not sure"}}]',
    )
    assert report_for(text).is_publishable
    only_unsure = text.replace(
        '  {when = "everyone == yes", go = "outage"},',
        '  {when = "everyone == yes", go = "outage"},\n  {when = "everyone == unsure", go = "network"},',
    )
    messages = problems_at(report_for(only_unsure), "everyone")
    assert any("goes straight to solution 'network'" in message for message in messages)


def test_a_time_of_day_is_said_through_its_fact() -> None:
    text = SMALL.replace(
        "[facts.late_hours]",
        '[facts.cutoff]\nvalue = 12\nunit = "hour_of_day"\nsource_kind = "id_official"\n'
        'label = {id = "Jam batas", en = "Cut-off"}\nsource = "manual"\nchecked = 2026-11-01\n\n'
        "[facts.late_hours]",
    )
    through = text.replace(
        'cause = {id = "Sebab late", en = "Cause late"}',
        'cause = {id = "Sebelum {cutoff|unit}", en = "Before {cutoff|unit}"}',
    )
    flow = load_flow(through)
    assert flow.render(flow.solutions["late"].cause, "id") == "Sebelum 12.00"
    assert flow.render(flow.solutions["late"].cause, "en") == "Before 12:00"
    assert report_for(through).is_publishable
    by_hand = text.replace(
        'cause = {id = "Sebab late", en = "Cause late"}',
        'cause = {id = "Sebelum {cutoff|unit}, yaitu 12.00", en = "Before {cutoff|unit}"}',
    )
    messages = problems_at(report_for(by_hand), "late")
    assert any("'12.00' by hand" in message for message in messages)
