"""Writes: every bad field is named and nothing is written; idempotency; practice minutes."""

from __future__ import annotations

import datetime as dt

import pytest

from levelup.journal import services
from levelup.journal.models import JournalEntry, PracticeProblem, StudySession
from levelup.lib.errors import Conflict, Invalid

# 03:30 UTC on 10 March 2026 is 04:30 on the 10th in Berlin.
NOW = dt.datetime(2026, 3, 10, 3, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def log(enrollment, **fields):
    values = {"minutes": 60, "category": "theory", "date": dt.date(2026, 3, 9)}
    values.update(fields)
    return services.study_session_log(enrollment=enrollment, **values)


def refused(call, field):
    with pytest.raises(Invalid) as caught:
        call()
    fields = [e["field"] for e in caught.value.errors]
    assert field in fields, caught.value.errors
    assert field in caught.value.message
    return caught.value


class TestSessionValidation:
    @pytest.mark.parametrize("minutes", [0, 961, -5])
    def test_it_refuses_minutes_outside_1_to_960(self, mine, minutes):
        refused(lambda: log(mine, minutes=minutes), "minutes")
        assert not StudySession.objects.exists()

    @pytest.mark.parametrize("minutes", [1, 960])
    def test_it_accepts_the_limits(self, mine, minutes):
        assert log(mine, minutes=minutes).session.minutes == minutes

    def test_it_refuses_a_category_outside_the_weekly_schedule(self, mine):
        error = refused(lambda: log(mine, category="gaming"), "category")
        assert "theory" in error.message  # says what would be accepted
        assert not StudySession.objects.exists()

    def test_it_refuses_an_item_from_another_roadmap(self, mine, other_roadmap):
        refused(lambda: log(mine, item_key="topic:gamma"), "item_key")
        assert not StudySession.objects.exists()

    def test_it_accepts_an_item_of_its_own_roadmap(self, mine):
        assert log(mine, item_key="topic:alpha/one").session.item_key == "topic:alpha/one"

    def test_it_refuses_a_day_that_has_not_come_in_the_learners_zone(self, bob, enroll):
        # Bob is in New York: at 03:30 UTC on the 10th it is still the 9th there, so the
        # 10th is tomorrow for him and refused, although it is today in UTC.
        enrollment = enroll(bob)
        assert log(enrollment, date=dt.date(2026, 3, 9)).created
        error = refused(lambda: log(enrollment, date=dt.date(2026, 3, 10)), "date")
        assert "in the future" in error.errors[0]["message"]
        assert "America/New_York" in error.errors[0]["message"]
        assert StudySession.objects.count() == 1

    def test_it_refuses_a_day_before_the_enrollment_started(self, mine):
        error = refused(lambda: log(mine, date=dt.date(1999, 5, 1)), "date")
        assert "before this enrollment started on 2026-01-05" in error.errors[0]["message"]
        assert log(mine, date=mine.start_date).created

    def test_it_accepts_a_title_or_part_of_a_key_for_the_item(self, mine, roadmap):
        from levelup.journal.validation import document_of

        document = document_of(mine)
        sub = next(key for key in document.items if "/" in key)
        title = document.items[sub].title
        assert log(mine, item_key=title.upper()).session.item_key == sub
        assert log(mine, item_key=sub.split("/")[1]).session.item_key == sub

    def test_an_unknown_item_is_refused_with_suggestions(self, mine):
        error = refused(lambda: log(mine, item_key="topic:alpah"), "item_key")
        assert "did you mean topic:alpha" in error.errors[0]["message"]

    def test_it_names_every_bad_field_at_once(self, mine):
        error = refused(
            lambda: log(mine, minutes=0, category="nope", item_key="topic:zzz"), "minutes"
        )
        assert {e["field"] for e in error.errors} == {"minutes", "category", "item_key"}

    def test_a_missing_date_means_today_in_the_learners_zone(self, bob, enroll):
        session = services.study_session_log(
            enrollment=enroll(bob), minutes=30, category="review"
        ).session
        assert session.date == dt.date(2026, 3, 9)

    def test_an_update_is_validated_and_leaves_the_row_unchanged(self, mine):
        session = log(mine).session
        refused(
            lambda: services.study_session_update(session=session, changes={"minutes": 961}),
            "minutes",
        )
        session.refresh_from_db()
        assert session.minutes == 60


class TestIdempotency:
    def test_the_same_key_twice_creates_one_session(self, mine):
        first = log(mine, idempotency_key="abc-123")
        again = log(mine, idempotency_key="abc-123")
        assert first.created and not again.created
        assert again.session.pk == first.session.pk
        assert StudySession.objects.count() == 1

    def test_the_same_key_with_another_body_is_a_conflict(self, mine):
        log(mine, idempotency_key="abc-123")
        with pytest.raises(Conflict) as caught:
            log(mine, idempotency_key="abc-123", minutes=61)
        assert "Idempotency-Key" in caught.value.message
        assert StudySession.objects.count() == 1

    def test_a_used_key_with_a_bad_body_is_a_conflict_not_a_field_error(self, mine):
        log(mine, idempotency_key="abc-123")
        with pytest.raises(Conflict) as caught:
            log(mine, idempotency_key="abc-123", minutes=0)
        assert "Idempotency-Key" in caught.value.message
        assert StudySession.objects.count() == 1

    def test_a_new_key_costs_no_lookup(self, mine, django_assert_num_queries):
        log(mine)  # warm the roadmap document
        with django_assert_num_queries(3) as plain:  # savepoint, insert, release
            log(mine)
        with django_assert_num_queries(len(plain.captured_queries)):
            assert log(mine, idempotency_key="fresh").created

    @pytest.mark.django_db(transaction=True)
    def test_outside_a_transaction_a_repeat_replays_and_the_connection_carries_on(self, mine):
        """The server's case: no surrounding transaction, so the INSERT commits on its own
        and the duplicate key's error must leave the connection usable."""
        from django.db import connection

        assert not connection.in_atomic_block
        first = log(mine, idempotency_key="server-retry")
        again = log(mine, idempotency_key="server-retry")
        assert first.created and not again.created
        assert again.session.pk == first.session.pk
        with pytest.raises(Conflict):
            log(mine, idempotency_key="server-retry", minutes=45)
        assert log(mine, idempotency_key="next").created
        assert StudySession.objects.filter(enrollment=mine).count() == 2

    def test_keys_are_scoped_to_the_enrollment(self, mine, bob, enroll):
        log(mine, idempotency_key="k")
        assert log(enroll(bob), idempotency_key="k").created
        assert StudySession.objects.count() == 2

    def test_an_empty_key_is_refused(self, mine):
        refused(lambda: log(mine, idempotency_key=" "), "Idempotency-Key")


class TestPractice:
    def problem(self, enrollment, **fields):
        values = {
            "platform": "leetcode",
            "title": "Two Sum",
            "url": "https://leetcode.com/problems/two-sum/",
            "difficulty": "easy",
            "outcome": "solved",
            "minutes": 25,
            "date": dt.date(2026, 3, 9),
            "item_key": "topic:alpha",
        }
        values.update(fields)
        return services.practice_problem_log(enrollment=enrollment, **values)

    def test_practice_minutes_become_one_session_in_the_topic_category(self, mine):
        problem = self.problem(mine)
        session = StudySession.objects.get()
        assert problem.session_id == session.pk
        assert (session.minutes, session.category, session.item_key) == (
            25,
            "theory",
            "topic:alpha",
        )

    def test_a_problem_without_minutes_has_no_session(self, mine):
        self.problem(mine, minutes=0)
        assert not StudySession.objects.exists()

    def test_changing_the_problem_changes_its_session_and_deleting_removes_it(self, mine):
        problem = self.problem(mine)
        services.practice_problem_update(problem=problem, changes={"minutes": 40})
        assert StudySession.objects.get().minutes == 40
        services.practice_problem_update(problem=problem, changes={"minutes": 0})
        assert not StudySession.objects.exists()
        services.practice_problem_update(problem=problem, changes={"minutes": 10})
        assert StudySession.objects.get().minutes == 10
        services.practice_problem_delete(problem=problem)
        assert not StudySession.objects.exists() and not PracticeProblem.objects.exists()

    def test_the_session_of_a_problem_cannot_be_edited_on_its_own(self, mine):
        self.problem(mine)
        session = StudySession.objects.get()
        with pytest.raises(Conflict):
            services.study_session_update(session=session, changes={"minutes": 5})
        with pytest.raises(Conflict):
            services.study_session_delete(session=session)
        assert StudySession.objects.get().minutes == 25

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("url", "javascript:alert(1)"),
            ("url", "not a url"),
            ("platform", "codewars"),
            ("difficulty", "extreme"),
            ("outcome", "gave up"),
            ("minutes", 961),
            ("title", "  "),
            ("item_key", "topic:gamma"),
            ("date", dt.date(2026, 3, 12)),
        ],
    )
    def test_bad_practice_input_is_refused_and_nothing_written(self, mine, field, value):
        refused(lambda: self.problem(mine, **{field: value}), field)
        assert not PracticeProblem.objects.exists() and not StudySession.objects.exists()


class TestJournalEntries:
    def test_tags_are_normalised_and_items_checked(self, mine):
        entry = services.journal_entry_create(
            enrollment=mine, title="Joins", tags=["SQL", "#sql", "c#"], item_keys=["topic:alpha"]
        )
        assert entry.tags == ["sql", "c#"]
        assert entry.tags_index == "|sql|c#|"

    def test_bad_entry_fields_are_named(self, mine):
        for fields, name in [
            ({"title": ""}, "title"),
            ({"title": "x", "tags": ["no spaces allowed"]}, "tags"),
            ({"title": "x", "item_keys": ["topic:nope"]}, "item_keys"),
            ({"title": "x", "date": dt.date(2026, 3, 20)}, "date"),
        ]:
            refused(
                lambda fields=fields: services.journal_entry_create(enrollment=mine, **fields), name
            )
        assert not JournalEntry.objects.exists()
