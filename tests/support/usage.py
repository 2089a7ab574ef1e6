"""Usage tests' brands with lines, and the sample files of every format (tests/data/usage)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tests.conftest import Snapshot, in_brand
from tests.support import network as files

DATA = Path(__file__).resolve().parent.parent / "data" / "usage"
LOADED = datetime(2026, 10, 1, tzinfo=UTC)  # the numbers and SIMs came into stock
OPENED = datetime(2026, 11, 1, tzinfo=UTC)  # the sample lines were set up
MSISDN, OTHER_MSISDN = "+49 1520 0000101", "+49 1520 0000102"
IMSI = "262010000000001"  # the first sample SIM's


def stock(app: Any, brand: Any) -> None:
    """Ten numbers and four SIMs in the brand's stock, loaded before the sample lines."""
    from saas.network import numbers, sims

    with in_brand(app, brand.id) as session:
        numbers.add_range(session, "+49 1520 0000100", "+49 1520 0000109", now=LOADED)
        sims.import_rows(session, files.sims(1, 4))


def line(
    app: Any,
    make: Any,
    brand: Any,
    msisdn: str = MSISDN,
    serial: int = 1,
    at: datetime = OPENED,
    plan: Any = None,
    since: datetime | None = None,
) -> Any:
    """A subscriber's line with the number and the SIM of that serial from `at` on."""
    from saas.network import lines, numbers
    from saas.network.models import Sim
    from saas.subscriptions.models import Subscription

    plan = plan or make.plan(brand)
    person = make.user(brand, "subscriber")
    sub = make.subscription(brand, person, plan.version_id, since)
    with in_brand(app, brand.id) as session:
        held = numbers.reserve(session, msisdn, now=at)
        sim = session.scalar(select(Sim).filter_by(iccid=files.iccid(serial)))
        made = lines.create(session, session.get(Subscription, sub.id), held.token, sim=sim, at=at)
        lines.activate(session, made, at)
        return Snapshot(id=made.id, subscription_id=sub.id, subscriber=person, imsi=sim.imsi)


def source(app: Any, brand: Any, fmt: str = "csv", name: str | None = None, **fields: Any) -> Any:
    """A usage source of the brand."""
    from saas.usage import files as usage_files

    with in_brand(app, brand.id) as session:
        made = usage_files.save_source(session, name or fmt, fmt, **fields)
        return Snapshot(id=made.id, name=made.name, format=fmt)


def send(app: Any, brand: Any, source_name: str, content: bytes, name: str = "usage.csv") -> Any:
    """A file received for the source (its chunks waiting for the workers)."""
    from saas.usage import files as usage_files

    with in_brand(app, brand.id) as session:
        got = usage_files.receive(
            session, usage_files.source_named(session, source_name), io.BytesIO(content), name
        )
        return Snapshot(id=got.id, state=got.state, duplicate_of_id=got.duplicate_of_id)


def work(app: Any, brand: Any, file_id: int) -> None:
    """Work every chunk of a file here, each in its own transaction, as the workers would."""
    from saas.usage import files as usage_files
    from saas.usage import pipeline

    with in_brand(app, brand.id) as session:
        pending = usage_files.pending_chunks(session, file_id)
    for chunk_id in pending:
        with in_brand(app, brand.id) as session:
            pipeline.work_chunk(session, chunk_id)


def ingest(app: Any, brand: Any, source_name: str, content: bytes, name: str = "usage.csv") -> Any:
    """Receive a file and work it through; returns the file as it ends."""
    sent = send(app, brand, source_name, content, name)
    work(app, brand, sent.id)
    return file_row(app, brand, sent.id)


def file_row(app: Any, brand: Any, file_id: int) -> Any:
    from saas.usage.models import UsageFile

    with in_brand(app, brand.id) as session:
        got = session.get(UsageFile, file_id)
        return Snapshot({c.name: getattr(got, c.name) for c in UsageFile.__table__.columns})


def stored(app: Any, brand: Any) -> list[Any]:
    """The brand's rated records, by record key."""
    from saas.usage.models import UsageRecord

    with in_brand(app, brand.id) as session:
        rows = session.scalars(select(UsageRecord).order_by(UsageRecord.record_key)).all()
        return [
            Snapshot({c.name: getattr(r, c.name) for c in UsageRecord.__table__.columns})
            for r in rows
        ]


def quarantined(app: Any, brand: Any, file_id: int) -> list[Any]:
    """The file's records waiting in quarantine, by row."""
    from saas.usage import quarantine

    with in_brand(app, brand.id) as session:
        return [
            Snapshot(row=q.row, reason=q.reason, detail=q.detail, raw=q.raw)
            for q in quarantine.of_file(session, file_id)
        ]


HEADER = "record_id,service,direction,msisdn,imsi,destination,started_at,usage,visited_network"


def csv_file(*rows: str) -> bytes:
    """A normalised CSV of these lines under its header."""
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def call(
    key: str,
    msisdn: str = "4915200000101",
    at: str = "2026-11-15T10:00:00Z",
    seconds: int = 61,
    to: str = "4930123456",
) -> str:
    """One call of a normalised CSV."""
    return f"{key},voice,out,{msisdn},,{to},{at},{seconds},"


def pgw_record(
    charging_id: int,
    imsi: str = IMSI,
    msisdn: str = "4915200000101",
    opened: str = "261115100000+0100",
    uplink: int = 400_000,
    downlink: int = 1_600_000,
    plmn: bytes = bytes.fromhex("62f210"),
) -> bytes:
    """A PGW record encoded by pycrate from the compiled TS 32.298 module."""
    from saas.usage.readers.gprs_cdr import UsageGPRSChargingDataTypes as CDR

    def tbcd(digits: str) -> bytes:
        digits += "F" * (len(digits) % 2)
        return bytes(
            int(digits[i + 1], 16) << 4 | int(digits[i], 16) for i in range(0, len(digits), 2)
        )

    stamp = bytes.fromhex(opened[:12]) + opened[12].encode() + bytes.fromhex(opened[13:])
    address = ("iPBinaryAddress", ("iPBinV4Address", bytes([10, 0, 0, 1])))
    value = {
        "recordType": 85,
        "servedIMSI": tbcd(imsi),
        "p-GWAddress": address,
        "chargingID": charging_id,
        "servingNodeAddress": [address],
        "accessPointNameNI": "internet",
        "recordOpeningTime": stamp,
        "duration": 600,
        "causeForRecClosing": 0,
        "recordSequenceNumber": 1,
        "servedMSISDN": b"\x91" + tbcd(msisdn),
        "chargingCharacteristics": b"\x08\x00",
        "servingNodePLMNIdentifier": plmn,
        "listOfServiceData": [
            {
                "ratingGroup": 10,
                "serviceConditionChange": (0, 32),
                "datavolumeFBCUplink": uplink,
                "datavolumeFBCDownlink": downlink,
                "timeOfReport": stamp,
            }
        ],
        "servingNodeType": ["gTPSGW"],
    }
    CDR.GPRSRecord.set_val(("pGWRecord", value))
    return bytes(CDR.GPRSRecord.to_ber())
