"""Every model moved to the sellers and support apps: the `wizard` app forgets them.

State only: the tables and their rows stay, now owned by the new apps' models."""

from django.db import migrations

class Migration(migrations.Migration):

    dependencies = [
        ('sellers', '0001_initial'),
        ('support', '0001_initial'),
        ('wizard', '0002_staff_cases_share_links_incidents'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are: the new apps own them now.
            state_operations=[
                migrations.RemoveIndex(
                    model_name='answer',
                    name='answer_session_time',
                ),
                migrations.RemoveConstraint(
                    model_name='flowversion',
                    name='flow_version_number',
                ),
                migrations.RemoveIndex(
                    model_name='incident',
                    name='incident_time',
                ),
                migrations.RemoveConstraint(
                    model_name='incident',
                    name='incident_ends_after_start',
                ),
                migrations.RemoveIndex(
                    model_name='note',
                    name='note_session_time',
                ),
                migrations.RemoveIndex(
                    model_name='session',
                    name='session_status_recent',
                ),
                migrations.RemoveIndex(
                    model_name='session',
                    name='session_outcome_recent',
                ),
                migrations.RemoveIndex(
                    model_name='session',
                    name='session_language_recent',
                ),
                migrations.RemoveIndex(
                    model_name='session',
                    name='session_version_recent',
                ),
                migrations.RemoveIndex(
                    model_name='session',
                    name='session_helped_recent',
                ),
                migrations.RemoveIndex(
                    model_name='sharelink',
                    name='sharelink_session_recent',
                ),
                migrations.RemoveIndex(
                    model_name='shareview',
                    name='shareview_link_recent',
                ),
                migrations.RemoveConstraint(
                    model_name='sighting',
                    name='sighting_once',
                ),
                migrations.RemoveField(
                    model_name='incident',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='note',
                    name='author',
                ),
                migrations.RemoveField(
                    model_name='note',
                    name='session',
                ),
                migrations.RemoveField(
                    model_name='session',
                    name='flow_version',
                ),
                migrations.RemoveField(
                    model_name='session',
                    name='started_by',
                ),
                migrations.RemoveField(
                    model_name='sharelink',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='sharelink',
                    name='revoked_by',
                ),
                migrations.RemoveField(
                    model_name='sharelink',
                    name='session',
                ),
                migrations.RemoveField(
                    model_name='shareview',
                    name='link',
                ),
                migrations.RemoveField(
                    model_name='shareview',
                    name='viewer',
                ),
                migrations.RemoveField(
                    model_name='sighting',
                    name='incident',
                ),
                migrations.RemoveField(
                    model_name='sighting',
                    name='session',
                ),
                migrations.DeleteModel(
                    name='Answer',
                ),
                migrations.DeleteModel(
                    name='Note',
                ),
                migrations.DeleteModel(
                    name='FlowVersion',
                ),
                migrations.DeleteModel(
                    name='ShareLink',
                ),
                migrations.DeleteModel(
                    name='ShareView',
                ),
                migrations.DeleteModel(
                    name='Incident',
                ),
                migrations.DeleteModel(
                    name='Session',
                ),
                migrations.DeleteModel(
                    name='Sighting',
                ),
            ],
            database_operations=[],
        ),
    ]
