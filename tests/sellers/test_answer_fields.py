"""The answer form's fields (templates/sellers/_answer_fields.html): a list of choices is a
fieldset named by its legend, each option has its label, and an error or a hint is tied
to its input by aria-describedby, in Bootstrap's markup."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.test import Client
from pytest_django.asserts import assertInHTML

from tests.conftest import answer
from tests.staff import signed_in
from wizard.sellers.models import Session


def english(session: Session) -> Session:
    Session.objects.filter(pk=session.pk).update(language="en")
    session.refresh_from_db()
    return session


def test_a_choice_is_a_fieldset_named_by_its_legend_with_a_label_for_each_option(
    client: Client, session: Session
) -> None:
    html = client.get(english(session).step_url("where")).content.decode()
    fieldset = re.search(
        r'<div id="div_id_value" class="mb-3">\s*<fieldset>.*?</fieldset>', html, re.S
    )
    assert fieldset is not None
    assertInHTML(
        '<legend class="form-label requiredField fs-6">Choose one answer'
        '<span class="asteriskField">*</span></legend>',
        fieldset[0],
    )
    for number, (value, label) in enumerate(
        [("ship", "Cannot ship"), ("open", "Cannot open"), ("other", "Something else / not sure")]
    ):
        assertInHTML(
            f'<input type="radio" class="form-check-input" name="value" value="{value}" '
            f'id="id_value_{number}" required>',
            fieldset[0],
        )
        assertInHTML(
            f'<label for="id_value_{number}" class="form-check-label">{label}</label>', fieldset[0]
        )


def test_an_invalid_choice_names_its_error_on_the_fieldset_and_marks_each_option(
    client: Client, session: Session
) -> None:
    html = answer(client, english(session), "where", "teleport").content.decode()
    assert '<fieldset aria-describedby="id_value_error">' in html
    assert html.count('class="form-check-input is-invalid"') == 3
    assert html.count('aria-invalid="true"') == 3
    # After the last option's input, so that Bootstrap shows it (.is-invalid ~ .invalid-feedback).
    last = re.search(
        r'<input[^>]*id="id_value_2"[^>]*>(.*?)</div>\s*</div>\s*</fieldset>', html, re.S
    )
    assert last is not None
    assertInHTML(
        '<div id="id_value_error" class="invalid-feedback"><p id="error_1_id_value"><strong>'
        "Select a valid choice. teleport is not one of the available choices.</strong></p></div>",
        last[1],
    )


def test_a_typed_answer_is_described_by_its_hint_and_its_error(
    client: Client, session: Session
) -> None:
    english(session)
    answer(client, session, "where", "open")
    answer(client, session, "everyone", "no")
    html = answer(client, session, "app_version", "versi baru").content.decode()
    assertInHTML(
        '<label for="id_value" class="form-label">Version number, e.g. 43.2.1</label>', html
    )
    assertInHTML(
        '<input type="text" name="value" value="versi baru" inputmode="decimal" '
        'autocomplete="off" maxlength="20" class="textinput form-control is-invalid" '
        'aria-invalid="true" aria-describedby="id_value_helptext id_value_error" id="id_value">',
        html,
    )
    assertInHTML(
        '<div id="id_value_error" class="invalid-feedback"><p id="error_1_id_value"><strong>'
        "Type only numbers and dots, e.g. 43.2.1.</strong></p></div>",
        html,
    )
    assertInHTML(
        '<div id="id_value_helptext" class="form-text">Leave it empty if you do not know.</div>',
        html,
    )


def test_a_date_comes_with_its_time_zone_choice_and_its_hint(
    client: Client, session: Session
) -> None:
    english(session)
    answer(client, session, "where", "ship")
    html = client.get(session.step_url("placed_at")).content.decode()
    assertInHTML(
        '<input type="datetime-local" name="value" class="datetimeinput form-control" '
        'required id="id_value">',
        html,
    )
    assertInHTML('<label for="id_zone" class="form-label">Time zone</label>', html)
    assert re.search(
        r'<select name="zone" class="select form-select" aria-describedby="id_zone_helptext" '
        r'id="id_zone">\s*<option value="WIB" selected>WIB</option>',
        html,
    )
    assert 'id="id_zone_helptext" class="form-text">WIB: Java' in html


def test_an_agent_answers_in_the_same_fields(agent: User, session: Session) -> None:
    staff = signed_in(agent, HTTP_ACCEPT_LANGUAGE="en")
    html = staff.get(f"/staff/cases/{session.code}/answer/where/").content.decode()
    assertInHTML('<input type="hidden" name="revision" value="0" id="id_revision">', html)
    assertInHTML(
        '<input type="radio" class="form-check-input" name="value" value="ship" '
        'id="id_value_0" required>',
        html,
    )
    assertInHTML('<label for="id_value_0" class="form-check-label">Tidak bisa kirim</label>', html)
