"""3GPP TS 32.298 charging data records: PGW and SGW records in BER, as a host MNO sends them.

A file is the records one after another (the GPRSRecord CHOICE, each its own BER value). The
records are framed and decoded by pycrate with the module compiled from `asn1/`; nothing here
reads BER by hand. Each record is data usage: the subscriber (`servedMSISDN`, `servedIMSI`), the
APN as destination, the session's opening time, the uplink and downlink volumes summed, and the
serving network (MCC+MNC) when it is not the host's (`home_network` in the mapping).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from pycrate_asn1rt.codecs import ASN1CodecBER
from pycrate_core.charpy import Charpy

from saas.usage import records as R
from saas.usage.readers.base import Batch, Mapping, Reader, convert, digest
from saas.usage.readers.gprs_cdr import UsageGPRSChargingDataTypes as CDR

READ_SIZE = 1 << 20
NAMES = ("record_id", "served_msisdn", "served_imsi", "apn", "opened_at", "volume", "plmn")


class GprsCdr(Reader):
    """PGW/SGW records of TS 32.298 in BER."""

    format = "3gpp"
    label = "3GPP TS 32.298 (PGW/SGW, BER)"
    binary = True
    defaults = Mapping(
        columns={
            "record_key": "record_id",
            "msisdn": "served_msisdn",
            "imsi": "served_imsi",
            "destination": "apn",
            "started_at": "opened_at",
            "usage": "volume",
            "visited_network": "plmn",
        },
        service=R.DATA,
    )

    def records(self, stream: IO[bytes]) -> Iterator[bytes]:
        return ber_values(stream)

    def parse(
        self, raws: list[bytes], mapping: Mapping, first_row: int, header: bytes | None = None
    ) -> Batch:
        texts = [self.raw_text(r) for r in raws]
        rows: list[int] = []
        values: list[dict[str, str | None]] = []
        unreadable: list[tuple[int, str]] = []
        for offset, raw in enumerate(raws):
            try:
                values.append(_fields(raw))
            except Exception as exc:  # pycrate says why in many ways; the record waits aside
                unreadable.append((first_row + offset, f"record is not a PGW or SGW CDR: {exc}"))
                continue
            rows.append(first_row + offset)
        columns = {n: [v[n] for v in values] for n in NAMES}
        keys = digest(self.format, [texts[r - first_row] for r in rows])
        read, bad = convert(columns, mapping, rows, keys, self.format)
        return Batch(read, texts, first_row, sorted(unreadable + bad))


def ber_values(stream: IO[bytes]) -> Iterator[bytes]:
    """The BER values of a stream one by one, framed by pycrate; a broken tail is one record."""
    buffer, ended = b"", False
    while buffer or not ended:
        size = None if ended else _framed(buffer)
        if size is None and not ended:
            more = stream.read(READ_SIZE)
            ended = not more
            buffer += more
            continue
        if size is None:  # the stream ended inside a value: it is kept as it came
            yield buffer
            return
        yield buffer[:size]
        buffer = buffer[size:]


def _framed(buffer: bytes) -> int | None:
    """The length of the first BER value in the buffer, or None while it is incomplete."""
    if not buffer:
        return None
    char = Charpy(buffer)
    try:
        ASN1CodecBER.decode_tag(char)
        length = ASN1CodecBER.decode_len(char)
        if length < 0:  # indefinite: only decoding the value finds its end
            ASN1CodecBER.decode_all(char, lundef=True)
            return char._cur // 8
    except Exception:
        return None
    end = char._cur // 8 + length
    return end if end <= len(buffer) else None


def _fields(raw: bytes) -> dict[str, str | None]:
    """The columns this reader gives of one record, as text."""
    record = CDR.GPRSRecord
    record.from_ber(raw)
    kind, cdr = record.get_val()
    node = cdr.get("p-GWAddress") or cdr.get("s-GWAddress")
    sequence = cdr.get("recordSequenceNumber", cdr.get("localSequenceNumber", ""))
    return {
        "record_id": f"{kind}:{_address(node)}:{cdr['chargingID']}:{sequence}",
        "served_msisdn": _msisdn(cdr.get("servedMSISDN")),
        "served_imsi": _tbcd(cdr["servedIMSI"]) if "servedIMSI" in cdr else None,
        "apn": cdr.get("accessPointNameNI"),
        "opened_at": _timestamp(cdr["recordOpeningTime"]),
        "volume": str(_volume(cdr)),
        "plmn": _plmn(cdr.get("servingNodePLMNIdentifier")),
    }


def _tbcd(octets: bytes) -> str:
    """TBCD digits: each octet's low nibble, then its high; F fills."""
    digits = []
    for octet in octets:
        for nibble in (octet & 0x0F, octet >> 4):
            if nibble < 10:
                digits.append(str(nibble))
    return "".join(digits)


def _msisdn(octets: bytes | None) -> str | None:
    """An ISDN-AddressString: the nature of address, then the number in TBCD."""
    return _tbcd(octets[1:]) if octets else None


def _timestamp(octets: bytes) -> str:
    """A TimeStamp (YYMMDDhhmmss in BCD, then the offset's sign, hours, minutes) in ISO 8601."""
    bcd = octets.hex()
    offset = f"{chr(octets[6])}{octets[7:9].hex()[:2]}:{octets[7:9].hex()[2:]}"
    return f"20{bcd[0:2]}-{bcd[2:4]}-{bcd[4:6]}T{bcd[6:8]}:{bcd[8:10]}:{bcd[10:12]}{offset}"


def _plmn(octets: bytes | None) -> str:
    """A PLMN-Id as MCC+MNC digits."""
    if not octets:
        return ""
    d = [(o & 0x0F, o >> 4) for o in octets]
    mcc = f"{d[0][0]}{d[0][1]}{d[1][0]}"
    mnc = f"{d[2][0]}{d[2][1]}" + (str(d[1][1]) if d[1][1] < 10 else "")
    return mcc + mnc


def _address(node: Any) -> str:
    """A GSN address as text: its octets in hex, or its written form."""
    if not node:
        return ""
    _, (_, value) = node
    return value.hex() if isinstance(value, bytes) else str(value)


def _volume(cdr: dict[str, Any]) -> int:
    """Uplink and downlink bytes of every service container (PGW) or volume change (SGW)."""
    total = 0
    for item in cdr.get("listOfServiceData", []):
        total += item.get("datavolumeFBCUplink", 0) + item.get("datavolumeFBCDownlink", 0)
    for item in cdr.get("listOfTrafficVolumes", []):
        total += item.get("dataVolumeGPRSUplink", 0) + item.get("dataVolumeGPRSDownlink", 0)
    return total
