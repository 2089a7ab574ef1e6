"""SIM stock: files checked row by row and imported whole or not at all, keys sealed, eSIM codes."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, text

from saas.network import settings as network_settings
from saas.network import sims
from saas.network.errors import ImportRefused, NetworkError
from saas.network.models import ESIM, IN_STOCK, Sim
from tests.conftest import in_brand
from tests.support import network as files


@pytest.fixture
def brand(make: Any) -> Any:
    return make.brand()


def _import(app: Any, brand: Any, data: bytes) -> int:
    with in_brand(app, brand.id) as session:
        return sims.import_file(session, data, "lieferung.csv").count


def _refused(app: Any, brand: Any, data: bytes) -> NetworkError:
    with pytest.raises(NetworkError) as caught, in_brand(app, brand.id) as session:
        sims.import_file(session, data, "lieferung.csv")
    return caught.value


def _stored(app: Any, brand: Any) -> int:
    with in_brand(app, brand.id) as session:
        return session.scalar(select(func.count()).select_from(Sim)) or 0


@pytest.mark.postgres
def test_a_good_file_is_imported_in_stock_with_its_keys_sealed_at_rest(
    app: Any, brand: Any, owner_engine: Any
) -> None:
    rows = files.sims(1, 3) + files.sims(4, 1, ESIM)
    assert _import(app, brand, files.csv_of(rows)) == 4
    with in_brand(app, brand.id) as session:
        stored = {s.iccid: s for s in session.scalars(select(Sim))}
        sim = stored[rows[0]["iccid"]]
        assert (sim.state, sim.kind, sim.ki, sim.opc) == (
            IN_STOCK,
            "physical",
            rows[0]["ki"],
            rows[0]["opc"],
        )
        assert stored[rows[3]["iccid"]].matching_id == rows[3]["matching_id"]
    with owner_engine.begin() as conn:
        stmt = text("SELECT ki, opc FROM sims WHERE iccid = :iccid AND tenant_id = :t")
        raw = conn.execute(stmt, {"iccid": rows[0]["iccid"], "t": brand.id}).one()
    assert rows[0]["ki"] not in raw.ki and rows[0]["opc"] not in raw.opc


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("iccid", "8949010000000000018", "network.iccid_check_digit"),
        ("iccid", "12345", "network.iccid_format"),
        ("imsi", "2620112345", "network.imsi_format"),
        ("imsi", "12345" + "0" * 10, "network.imsi_unknown_network"),
        ("ki", "XYZ" + "0" * 29, "network.key_format"),
        ("opc", "00" * 15, "network.key_format"),
        ("kind", "chip", "network.sim_kind"),
    ],
)
def test_a_bad_row_is_named_by_its_line_and_nothing_of_the_file_is_imported(
    app: Any, brand: Any, column: str, value: str, code: str
) -> None:
    rows = files.sims(10, 3)
    rows[1][column] = value
    refusal = _refused(app, brand, files.csv_of(rows))
    assert isinstance(refusal, ImportRefused)
    (bad,) = refusal.each()
    assert (bad.code, bad.field, bad.record.params) == (code, column, {"line": 3})
    assert _stored(app, brand) == 0


def test_an_esim_without_its_matching_id_is_refused(app: Any, brand: Any) -> None:
    rows = files.sims(20, 1, ESIM)
    rows[0]["matching_id"] = ""
    (bad,) = _refused(app, brand, files.csv_of(rows)).each()  # type: ignore[attr-defined]
    assert bad.code == "network.matching_id"


def test_an_iccid_twice_in_the_file_or_already_in_stock_is_refused(app: Any, brand: Any) -> None:
    first = files.sims(30, 2)
    _import(app, brand, files.csv_of(first))
    again = [*files.sims(40, 1), first[1] | {"imsi": "262019999999999"}]
    (known,) = _refused(app, brand, files.csv_of(again)).each()  # type: ignore[attr-defined]
    twice = files.sims(50, 1) * 2
    (doubled,) = _refused(app, brand, files.csv_of(twice)).each()  # type: ignore[attr-defined]
    assert (known.code, known.record.params) == ("network.iccid_twice", {"line": 3})
    assert doubled.code == "network.iccid_twice"
    assert _stored(app, brand) == 2


def test_a_file_imported_twice_is_recognised(app: Any, brand: Any) -> None:
    data = files.csv_of(files.sims(60, 2))
    _import(app, brand, data)
    refusal = _refused(app, brand, data)
    assert refusal.code == "network.sim_file_again" and refusal.field == "file"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"iccid,imsi\n1,2\n", "network.sim_file_header"),
        (files.HEADER.encode() + b"\n", "network.sim_file_empty"),
        (b"\xff\xfe\x00", "network.sim_file_unreadable"),
    ],
)
def test_a_file_that_is_no_sim_list_is_refused_as_a_whole(
    app: Any, brand: Any, data: bytes, code: str
) -> None:
    assert _refused(app, brand, data).code == code


def test_semicolons_as_a_spreadsheet_writes_them_read_as_well(app: Any, brand: Any) -> None:
    data = files.csv_of(files.sims(70, 2)).replace(b",", b";")
    assert _import(app, brand, data) == 2


def test_an_esims_activation_code_is_in_lpa_format_and_drawn_as_a_qr_code(
    app: Any, brand: Any
) -> None:
    row = files.sims(80, 1, ESIM)[0]
    _import(app, brand, files.csv_of([row]))
    with in_brand(app, brand.id) as session:
        sim = sims.pick(session, ESIM)
        with pytest.raises(NetworkError) as missing:
            sims.activation_code(session, sim)
        network_settings.save(session, smdp_address="SMDP.Example.com")
        code = sims.activation_code(session, sim)
    assert missing.value.code == "network.no_smdp_address"
    assert code == f"LPA:1$smdp.example.com${row['matching_id']}"
    svg = sims.qr_svg(code)
    assert svg.startswith("<svg") and "path" in svg


def test_no_sim_of_a_kind_in_stock_is_refused(app: Any, brand: Any) -> None:
    with pytest.raises(NetworkError) as caught, in_brand(app, brand.id) as session:
        sims.pick(session, ESIM)
    assert caught.value.code == "network.no_sim_free"
