"""Repair rows written before the range of days and the pause rules (see `repair`)."""

import datetime

from django.db import migrations, models


EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def repair(apps, schema_editor):
    """Bring rows written before the rules inside them, so the constraints can hold.

    Dates outside 2000-01-01..2100-12-31 move to the nearest end of the range; a target
    that is then not after the start goes back to the roadmap's own end; a pause that ends
    before it starts (archive used to write that) ends on its start day; a pause that
    starts before its enrollment is dropped when it also ended before it, else starts with
    the enrollment. Overlapping pauses are left: every reader merges them.
    """
    Enrollment = apps.get_model("progress", "Enrollment")
    Pause = apps.get_model("progress", "Pause")

    def clamp(day):
        return min(max(day, EARLIEST), LATEST)

    for row in Enrollment.objects.filter(
        models.Q(start_date__lt=EARLIEST)
        | models.Q(start_date__gt=LATEST)
        | models.Q(target_finish__lt=EARLIEST)
        | models.Q(target_finish__gt=LATEST)
    ):
        row.start_date = clamp(row.start_date)
        if row.target_finish is not None:
            row.target_finish = clamp(row.target_finish)
            if row.target_finish <= row.start_date:
                row.target_finish = None
        row.save(update_fields=["start_date", "target_finish"])
    for pause in Pause.objects.select_related("enrollment"):
        start, end = clamp(pause.start_date), pause.end_date
        if end is not None:
            end = max(clamp(end), start)
        begin = pause.enrollment.start_date
        if end is not None and end < begin:
            pause.delete()
            continue
        start = max(start, begin)
        if end is not None:
            end = max(end, start)
        if (start, end) != (pause.start_date, pause.end_date):
            pause.start_date, pause.end_date = start, end
            pause.save(update_fields=["start_date", "end_date"])


class Migration(migrations.Migration):

    dependencies = [
        ("progress", "0005_archived_item"),
    ]

    operations = [
        migrations.RunPython(repair, migrations.RunPython.noop),
    ]
