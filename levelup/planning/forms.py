"""Forms of the plan page: weekly hours and paused weeks, calendar study times."""

from __future__ import annotations

from typing import Any

from django import forms

from levelup.planning.selectors import RoutineSlot


class PlanSettingsForm(forms.Form):
    """Weekly hours and a pause. The services check the values and name the field."""

    weekly_hours = forms.DecimalField(
        label="Weekly hours",
        required=False,
        max_digits=4,
        decimal_places=1,
        help_text="1 to 40 hours a week.",
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    pause_start = forms.DateField(
        label="Pause from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The first day you will not study.",
    )
    pause_end = forms.DateField(
        label="Pause until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The last day of the pause.",
    )
    pause_reason = forms.CharField(label="Reason", required=False, max_length=200)


class CalendarTimesForm(forms.Form):
    """One start time per daily-routine slot, e.g. Evening at 19:00."""

    def __init__(self, *args: Any, slots: list[RoutineSlot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = slots
        for slot in slots:
            self.fields[f"time_{slot.slot}"] = forms.CharField(
                label=f"{slot.title} start",
                required=False,
                initial=slot.time,
                help_text=f"{slot.activity}; {slot.hours:g} h. Default {slot.default_time}.",
                widget=forms.TimeInput(attrs={"type": "time"}),
            )

    def times(self) -> dict[str, str]:
        return {slot.slot: self.cleaned_data.get(f"time_{slot.slot}") or "" for slot in self.slots}
