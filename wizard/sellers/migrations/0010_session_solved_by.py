from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("sellers", "0009_session_words_start_mode"),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="solved_by",
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
