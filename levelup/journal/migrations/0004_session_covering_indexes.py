"""Covering indexes for the history aggregates (issue 15); the new day index starts with
the columns of the one it replaces, so it is built before the old one goes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0003_journalentry_public"),
        ("progress", "0007_dates_in_range_and_pauses_after_start"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="studysession",
            index=models.Index(
                fields=["enrollment", "date", "category", "minutes"], name="journal_session_by_day"
            ),
        ),
        migrations.AddIndex(
            model_name="studysession",
            index=models.Index(
                fields=["enrollment", "item_key", "minutes"], name="journal_session_by_item"
            ),
        ),
        migrations.RemoveIndex(model_name="studysession", name="journal_session_by_date"),
    ]
