"""Number stock: ranges checked and loaded, allocation at random or by choice, holds that lapse."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from saas.db import utcnow
from saas.network import numbers
from saas.network import settings as network_settings
from saas.network.errors import NetworkError
from saas.network.models import ASSIGNED, FREE, QUARANTINED, RESERVED, Number
from tests.conftest import in_brand

FIRST, LAST = "+49 1520 0000000", "+49 1520 0009999"


@pytest.fixture
def brand(make: Any) -> Any:
    return make.brand()


def _add(app: Any, brand: Any, first: str, last: str) -> int:
    with in_brand(app, brand.id) as session:
        return numbers.add_range(session, first, last).size


def _refusal(app: Any, brand: Any, first: str, last: str) -> NetworkError:
    with pytest.raises(NetworkError) as caught, in_brand(app, brand.id) as session:
        numbers.add_range(session, first, last)
    return caught.value


def test_a_range_of_ten_thousand_loads_in_batches_quickly_with_its_golden_numbers_marked(
    app: Any, brand: Any
) -> None:
    started = time.perf_counter()
    with in_brand(app, brand.id) as session:
        block = numbers.add_range(session, FIRST, LAST)
        loaded = session.scalar(select(func.count()).select_from(Number))
        golden = set(session.scalars(select(Number.msisdn).where(Number.golden)))
        facts = (block.size, loaded, block.first, block.last)
        marked = block.golden
    assert time.perf_counter() - started < 10
    assert facts == (
        10_000,
        10_000,
        "4915200000000",
        "4915200009999",
    )
    assert {"4915200000000", "4915200001111", "4915200001234", "4915200009876"} <= golden
    assert "4915200001235" not in golden and marked == len(golden)


@pytest.mark.parametrize(
    ("first", "last", "code", "field"),
    [
        ("+49 30 1234567", "+49 30 1234999", "network.not_mobile", "first"),
        ("+49 1520 000", "+49 1520 0009999", "network.invalid_number", "first"),
        ("0152 0000000", "+49 1520 0009999", "network.not_a_number", "first"),
        ("Nummer", "+49 1520 0009999", "network.not_a_number", "first"),
        ("+49 176 1234567", "+49 176 12345678", "network.other_length", "last"),
        ("+49 1520 0000000", "+48 501 000 000", "network.other_country", "last"),
        ("+49 1520 0009999", "+49 1520 0000000", "network.reversed", "last"),
        ("+49 1520 0000000", "+49 1520 9999999", "network.range_too_large", "last"),
    ],
)
def test_a_range_that_is_not_one_block_of_mobile_numbers_is_refused_beside_its_field(
    app: Any, brand: Any, first: str, last: str, code: str, field: str
) -> None:
    refusal = _refusal(app, brand, first, last)
    assert (refusal.code, refusal.field) == (code, field)


def test_a_range_overlapping_one_the_brand_holds_is_refused_and_another_brands_is_not(
    app: Any, make: Any, brand: Any
) -> None:
    _add(app, brand, "+49 1520 0000000", "+49 1520 0000099")
    refusal = _refusal(app, brand, "+49 1520 0000050", "+49 1520 0000150")
    assert refusal.code == "network.range_overlaps"
    assert refusal.params == {"first": "+49 1520 0000000", "last": "+49 1520 0000099"}
    _add(app, brand, "+49 1520 0000100", "+49 1520 0000199")  # right after it: no overlap
    assert _add(app, make.brand(), "+49 1520 0000050", "+49 1520 0000150") == 101


def test_random_allocation_never_gives_out_a_golden_number(app: Any, brand: Any) -> None:
    _add(app, brand, "+49 1520 0001230", "+49 1520 0001239")  # 0001234 is golden
    with in_brand(app, brand.id) as session:
        given = {numbers.reserve(session).msisdn for _ in range(9)}
        with pytest.raises(NetworkError) as caught:
            numbers.reserve(session)
    assert "4915200001234" not in given and len(given) == 9
    assert caught.value.code == "network.no_number_free"


def test_a_golden_number_is_given_only_to_staff_who_choose_it(app: Any, brand: Any) -> None:
    _add(app, brand, "+49 1520 0001230", "+49 1520 0001239")
    with in_brand(app, brand.id) as session:
        with pytest.raises(NetworkError) as caught:
            numbers.reserve(session, "+49 1520 0001234")
        held = numbers.reserve(session, "+4915200001234", golden=True)
    assert caught.value.code == "network.number_golden"
    assert held.msisdn == "4915200001234"


def test_a_chosen_number_is_held_once_and_refused_to_the_next_sign_up(app: Any, brand: Any) -> None:
    _add(app, brand, "+49 1520 0000100", "+49 1520 0000199")
    with in_brand(app, brand.id) as session:
        held = numbers.reserve(session, "+49 1520 0000150")
        codes = []
        for typed in ("+49 1520 0000150", "+49 1520 0000999"):
            with pytest.raises(NetworkError) as caught:
                numbers.reserve(session, typed)
            codes.append(caught.value.code)
        assert session.scalar(select(Number.state).filter_by(msisdn=held.msisdn)) == RESERVED
    assert codes == ["network.number_taken", "network.number_unknown"]


def test_a_reservation_lapses_by_the_clock_and_the_number_is_back_in_stock(
    app: Any, brand: Any
) -> None:
    _add(app, brand, "+49 1520 0000100", "+49 1520 0000100")
    now = utcnow()
    with in_brand(app, brand.id) as session:
        network_settings.save(session, reservation_minutes=15)
        held = numbers.reserve(session, now=now)
        assert held.until == now + timedelta(minutes=15)
        with pytest.raises(NetworkError):
            numbers.reserve(session, now=now + timedelta(minutes=14))
        later = now + timedelta(minutes=15)
        number = numbers.by_msisdn(session, held.msisdn)
        assert number is not None and number.state_at(later) == FREE
        assert numbers.counts(session, later)[number.range_id][FREE] == 1
        again = numbers.reserve(session, now=later)
        with pytest.raises(NetworkError) as caught:
            numbers.held(session, held.token, later)
    assert again.msisdn == held.msisdn and again.token != held.token
    assert caught.value.code == "network.reservation_unknown"


def test_a_released_reservation_frees_its_number_at_once(app: Any, brand: Any) -> None:
    _add(app, brand, "+49 1520 0000100", "+49 1520 0000100")
    with in_brand(app, brand.id) as session:
        held = numbers.reserve(session)
        assert numbers.release(session, held.token) is True
        assert numbers.release(session, held.token) is False
        assert numbers.reserve(session).msisdn == held.msisdn


def test_quarantine_keeps_a_number_out_of_stock_until_the_brands_period_is_over(
    app: Any, brand: Any
) -> None:
    _add(app, brand, "+49 1520 0000100", "+49 1520 0000100")
    now = utcnow()
    with in_brand(app, brand.id) as session:
        network_settings.save(session, quarantine_days=30)
        number = session.scalars(select(Number)).one()
        numbers.assign(number, now)
        assert number.state_at(now) == ASSIGNED
        numbers.quarantine(session, number, now)
        for day in (0, 29):
            moment = now + timedelta(days=day)
            assert number.state_at(moment) == QUARANTINED
            with pytest.raises(NetworkError):
                numbers.reserve(session, now=moment)
            with pytest.raises(NetworkError):
                numbers.reserve(session, "+4915200000100", golden=True, now=moment)
        assert numbers.reserve(session, now=now + timedelta(days=30)).msisdn == number.msisdn


def test_settings_out_of_bounds_are_refused(app: Any, brand: Any) -> None:
    with pytest.raises(NetworkError) as caught, in_brand(app, brand.id) as session:
        network_settings.save(session, quarantine_days=-1)
    with pytest.raises(NetworkError) as address, in_brand(app, brand.id) as session:
        network_settings.save(session, smdp_address="https://smdp.example.com/x")
    assert (caught.value.field, address.value.field) == ("quarantine_days", "smdp_address")


def _race(app: Any, brand: Any, sign_ups: int) -> list[str | None]:
    """Sign-ups reserving a number at the same moment, each in its own transaction."""
    barrier = threading.Barrier(sign_ups)

    def sign_up() -> str | None:
        barrier.wait()
        try:
            with in_brand(app, brand.id) as session:
                held = numbers.reserve(session).msisdn
                time.sleep(0.05)  # hold the row lock while the others look
                return held
        except NetworkError:
            return None

    with ThreadPoolExecutor(sign_ups) as pool:
        return list(pool.map(lambda _: sign_up(), range(sign_ups)))


@pytest.mark.postgres
def test_sign_ups_at_the_same_moment_never_get_the_same_number(app: Any, brand: Any) -> None:
    _add(app, brand, "+49 1520 0000100", "+49 1520 0000105")  # six numbers, none golden
    got = _race(app, brand, 8)
    given = [n for n in got if n is not None]
    assert len(given) == 6 and len(set(given)) == 6
    with in_brand(app, brand.id) as session:
        states = set(session.scalars(select(Number.state)))
    assert states == {RESERVED}
