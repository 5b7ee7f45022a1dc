import datetime

import levelup.lib.dates
from django.db import migrations, models


class Migration(migrations.Migration):
    """The range of days and a pause's end on or after its start, as constraints."""

    dependencies = [
        ("progress", "0006_repair_dates_and_pauses"),
    ]

    operations = [
        migrations.AlterField(
            model_name='enrollment',
            name='start_date',
            field=models.DateField(validators=[levelup.lib.dates.validate_day_in_range]),
        ),
        migrations.AlterField(
            model_name='enrollment',
            name='target_finish',
            field=models.DateField(blank=True, null=True, validators=[levelup.lib.dates.validate_day_in_range]),
        ),
        migrations.AlterField(
            model_name='pause',
            name='end_date',
            field=models.DateField(blank=True, help_text='Empty while the pause is open.', null=True, validators=[levelup.lib.dates.validate_day_in_range]),
        ),
        migrations.AlterField(
            model_name='pause',
            name='start_date',
            field=models.DateField(validators=[levelup.lib.dates.validate_day_in_range]),
        ),
        migrations.AddConstraint(
            model_name='enrollment',
            constraint=models.CheckConstraint(condition=models.Q(('start_date__gte', datetime.date(2000, 1, 1)), ('start_date__lte', datetime.date(2100, 12, 31))), name='enrollment_start_in_range'),
        ),
        migrations.AddConstraint(
            model_name='enrollment',
            constraint=models.CheckConstraint(condition=models.Q(('target_finish__isnull', True), models.Q(('target_finish__gte', datetime.date(2000, 1, 1)), ('target_finish__lte', datetime.date(2100, 12, 31))), _connector='OR'), name='enrollment_target_in_range'),
        ),
        migrations.AddConstraint(
            model_name='pause',
            constraint=models.CheckConstraint(condition=models.Q(('start_date__gte', datetime.date(2000, 1, 1)), ('start_date__lte', datetime.date(2100, 12, 31))), name='pause_start_in_range'),
        ),
        migrations.AddConstraint(
            model_name='pause',
            constraint=models.CheckConstraint(condition=models.Q(('end_date__isnull', True), models.Q(('end_date__gte', models.F('start_date')), ('end_date__lte', datetime.date(2100, 12, 31))), _connector='OR'), name='pause_ends_on_or_after_its_start'),
        ),
    ]
