"""Lines: number and SIM over time, answered for any past instant; the lifecycle as events."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from saas.db import utcnow
from saas.network import lines, numbers, sims
from saas.network import settings as network_settings
from saas.network.errors import NetworkError
from saas.network.models import (
    ACTIVE,
    ESIM,
    LOST,
    PENDING,
    QUARANTINED,
    RETIRED,
    SIM_ACTIVE,
    SIM_ASSIGNED,
    SUSPENDED,
    SWAPPED,
    TERMINATED,
    Line,
    Number,
    Sim,
)
from saas.subscriptions.models import Subscription
from tests.conftest import in_brand
from tests.support import network as files

# After the stock is loaded (numbers are free from their loading time on).
T0 = utcnow().replace(microsecond=0) + timedelta(days=1)


def stocked(app: Any, make: Any, brand: Any, sims_first: int = 1) -> int:
    """A brand with ten numbers, three physical SIMs and one eSIM; returns a subscription id."""
    plan = make.plan(brand)
    person = make.user(brand, "subscriber")
    sub = make.subscription(brand, person, plan.version_id)
    with in_brand(app, brand.id) as session:
        numbers.add_range(session, "+49 1520 0000100", "+49 1520 0000109")
        rows = files.sims(sims_first, 3) + files.sims(sims_first + 3, 1, ESIM)
        sims.import_rows(session, rows)
    return int(sub.id)


def _line(session: Any, sub_id: int, msisdn: str, at: datetime, kind: str = "physical") -> Line:
    held = numbers.reserve(session, msisdn, now=at)
    return lines.create(session, session.get(Subscription, sub_id), held.token, kind=kind, at=at)


@pytest.fixture
def brand(make: Any) -> Any:
    return make.brand()


def test_a_line_is_made_pending_with_its_number_and_sim_then_goes_live(
    app: Any, make: Any, brand: Any
) -> None:
    sub_id = stocked(app, make, brand)
    with in_brand(app, brand.id) as session:
        line = _line(session, sub_id, "+49 1520 0000101", T0)
        sim = lines.current_sim(session, line)
        assert (line.state, sim.state if sim else None) == (PENDING, SIM_ASSIGNED)
        assert lines.current_msisdn(session, line) == "4915200000101"
        lines.activate(session, line, T0 + timedelta(hours=1))
        assert (line.state, sim.state if sim else None) == (ACTIVE, SIM_ACTIVE)
        kinds = [e.kind for e in session.get(Line, line.id).events]
    assert kinds == ["created", "activated"]


def test_a_line_needs_a_live_reservation_and_one_line_per_subscription(
    app: Any, make: Any, brand: Any
) -> None:
    sub_id = stocked(app, make, brand)
    with in_brand(app, brand.id) as session:
        sub = session.get(Subscription, sub_id)
        held = numbers.reserve(session, now=T0)
        with pytest.raises(NetworkError) as lapsed:
            lines.create(session, sub, held.token, at=T0 + timedelta(days=1))
        lines.create(session, sub, numbers.reserve(session, now=T0).token, at=T0)
        with pytest.raises(NetworkError) as again:
            lines.create(session, sub, numbers.reserve(session, now=T0).token, at=T0)
    assert (lapsed.value.code, again.value.code) == (
        "network.reservation_unknown",
        "network.line_exists",
    )


def test_line_at_answers_for_any_past_instant_across_a_sim_swap_and_a_number_change(
    app: Any, make: Any, brand: Any
) -> None:
    sub_id = stocked(app, make, brand)
    swap, change = T0 + timedelta(days=10), T0 + timedelta(days=20)
    with in_brand(app, brand.id) as session:
        line = _line(session, sub_id, "+49 1520 0000101", T0)
        lines.activate(session, line, T0)
        first_imsi = lines.current_sim(session, line).imsi  # type: ignore[union-attr]
        lines.swap_sim(session, line, lines.LOST_CARD, at=swap)
        second_imsi = lines.current_sim(session, line).imsi  # type: ignore[union-attr]
        held = numbers.reserve(session, "+49 1520 0000105", now=change)
        lines.change_number(session, line, held.token, change)

        def at(moment: datetime, **which: str) -> Any:
            found = lines.line_at(session, at=moment, **which)
            return found and (found.line.id, found.msisdn, found.imsi, found.state)

        before_swap = T0 + timedelta(days=5)
        assert at(before_swap, msisdn="+49 1520 0000101") == (
            line.id,
            "4915200000101",
            first_imsi,
            ACTIVE,
        )
        assert at(swap - timedelta(seconds=1), imsi=first_imsi) is not None
        assert at(swap, imsi=first_imsi) is None  # the lost card is no longer the line's
        assert at(swap, imsi=second_imsi) == (line.id, "4915200000101", second_imsi, ACTIVE)
        assert at(change, msisdn="4915200000101") is None
        assert at(change + timedelta(days=1), msisdn="+4915200000105") == (
            line.id,
            "4915200000105",
            second_imsi,
            ACTIVE,
        )
        assert at(T0 - timedelta(seconds=1), msisdn="4915200000101") is None
        old = session.scalar(select(Sim).filter_by(imsi=first_imsi))
        quarantined = numbers.by_msisdn(session, "4915200000101")
        assert old is not None and old.state == LOST
        assert quarantined is not None and quarantined.state == QUARANTINED


def test_a_replaced_card_is_marked_swapped_and_an_esim_can_take_its_place(
    app: Any, make: Any, brand: Any
) -> None:
    sub_id = stocked(app, make, brand)
    with in_brand(app, brand.id) as session:
        line = _line(session, sub_id, "+49 1520 0000101", T0)
        old = lines.current_sim(session, line)
        lines.swap_sim(session, line, lines.REPLACED, kind=ESIM, at=T0 + timedelta(hours=1))
        new = lines.current_sim(session, line)
        assert old is not None and new is not None
        assert (old.state, new.kind, new.state) == (SWAPPED, ESIM, SIM_ASSIGNED)
        with pytest.raises(NetworkError) as reason:
            lines.swap_sim(session, line, "kaputt")
    assert reason.value.code == "network.swap_reason"


def test_the_lifecycle_refuses_changes_out_of_order_or_out_of_state(
    app: Any, make: Any, brand: Any
) -> None:
    sub_id = stocked(app, make, brand)
    codes = []
    with in_brand(app, brand.id) as session:
        line = _line(session, sub_id, "+49 1520 0000101", T0)
        for change in (lines.suspend, lines.restore):
            with pytest.raises(NetworkError) as caught:
                change(session, line, T0)
            codes.append(caught.value.code)
        lines.activate(session, line, T0 + timedelta(days=1))
        with pytest.raises(NetworkError) as early:
            lines.suspend(session, line, T0)
        lines.suspend(session, line, T0 + timedelta(days=2), "unbezahlt")
        assert line.state == SUSPENDED
        lines.restore(session, line, T0 + timedelta(days=3))
        events = [(e.kind, e.data.get("state")) for e in session.get(Line, line.id).events]
        assert lines.state_at(session, line, T0 + timedelta(days=2, hours=1)) == SUSPENDED
    assert codes == ["network.line_state"] * 2
    assert early.value.code == "network.before_last_change"
    assert events == [
        ("created", PENDING),
        ("activated", ACTIVE),
        ("suspended", SUSPENDED),
        ("restored", ACTIVE),
    ]


def test_termination_quarantines_the_number_until_the_period_is_over_and_retires_the_sim(
    app: Any, make: Any, brand: Any
) -> None:
    sub_id = stocked(app, make, brand)
    end = T0 + timedelta(days=30)
    with in_brand(app, brand.id) as session:
        network_settings.save(session, quarantine_days=90)
        line = _line(session, sub_id, "+49 1520 0000101", T0)
        lines.activate(session, line, T0)
        sim = lines.current_sim(session, line)
        lines.terminate(session, line, end, "Kündigung")
        number = numbers.by_msisdn(session, "4915200000101")
        assert (line.state, sim.state if sim else None) == (TERMINATED, RETIRED)
        assert number is not None and number.state_at(end + timedelta(days=89)) == QUARANTINED
        with pytest.raises(NetworkError) as blocked:
            numbers.reserve(session, "+49 1520 0000101", now=end + timedelta(days=89))
        assert numbers.reserve(session, "+49 1520 0000101", now=end + timedelta(days=90))
        assert lines.line_at(session, msisdn="4915200000101", at=end - timedelta(days=1))
        assert lines.line_at(session, msisdn="4915200000101", at=end) is None
        with pytest.raises(NetworkError) as over:
            lines.restore(session, line, end + timedelta(days=1))
    assert blocked.value.code == "network.number_taken"
    assert over.value.code == "network.line_state"


def test_another_brands_numbers_sims_and_lines_are_invisible(app: Any, make: Any) -> None:
    a, b = make.brand(), make.brand()
    sub_id = stocked(app, make, a)
    with in_brand(app, a.id) as session:
        line_id = _line(session, sub_id, "+49 1520 0000101", T0).id
    with in_brand(app, b.id) as session:
        assert lines.get(session, line_id) is None
        assert lines.line_at(session, msisdn="4915200000101", at=T0) is None
        assert session.scalars(select(Number)).all() == []
        assert session.scalars(select(Sim)).all() == []
        with pytest.raises(NetworkError):
            numbers.reserve(session, "+49 1520 0000102")
