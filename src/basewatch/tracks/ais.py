"""AIS loaders: NMEA 0183 `!AIVDM` (tag blocks, Gatehouse `$PGHP` times, multipart joined, decoded with pyais),
MarineCadastre CSV and Danish Maritime Authority CSV.

Positions come from message types 1-3, 18, 19 and 27; names, ship types and sizes from types 5, 19 and 24.
A sentence that cannot be read (bad checksum, broken field, fragment without its partner) is reported with its
line number and skipped; the rest of the file is read.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from basewatch.tracks.points import KT, Columns, LoadReport, TrackSet, fnum

NAN = float("nan")
_POSITION_TYPES = {1, 2, 3, 18, 19, 27}
_STATIC_TYPES = {5, 19, 24}
# DMA writes ship types as words; map the military / law-enforcement ones to their AIS codes.
_DMA_TYPES = {"military": 35, "law enforcement": 55, "cargo": 70, "tanker": 80, "passenger": 60, "fishing": 30,
              "tug": 52, "pilot": 50, "sar": 51, "search and rescue": 51, "sailing": 36, "pleasure": 37,
              "dredging": 33, "diving": 34, "hsc": 40, "port tender": 53, "anti-pollution": 54,
              "medical": 58, "towing": 31, "towing long/wide": 32}


def _tag_block(tags: str) -> dict[str, str]:
    body = tags.split("*", 1)[0]
    out: dict[str, str] = {}
    for part in body.split(","):
        if ":" in part:
            k, v = part.split(":", 1)
            out[k.strip()] = v.strip()
    return out


def _pghp_time(line: str) -> float:
    """Gatehouse `$PGHP,1,yyyy,mm,dd,hh,mi,ss,ms,...`: the time of the sentence that follows."""
    f = line.split(",")
    dt = datetime(int(f[2]), int(f[3]), int(f[4]), int(f[5]), int(f[6]), int(f[7]), int(f[8] or 0) * 1000,
                  tzinfo=UTC)
    return dt.timestamp()


def _num(v: Any) -> Any:
    return v.value if hasattr(v, "value") else v


def _merge_info(info: dict[str, dict[str, Any]], mmsi: str, msg: dict[str, Any]) -> None:
    rec = info.setdefault(mmsi, {})
    name = (msg.get("shipname") or "").strip(" @")
    if name:
        rec["name"] = name
    cs = (msg.get("callsign") or "").strip(" @")
    if cs:
        rec["callsign"] = cs
    if msg.get("imo"):
        rec["imo"] = int(msg["imo"])
    st = _num(msg.get("ship_type"))
    if st:
        rec["ship_type"] = int(st)
    bow, stern = msg.get("to_bow"), msg.get("to_stern")
    if bow is not None and stern is not None and (bow + stern) > 0:
        rec["length_m"] = float(bow + stern)
        rec["beam_m"] = float((msg.get("to_port") or 0) + (msg.get("to_starboard") or 0))
    dest = (msg.get("destination") or "").strip(" @")
    if dest:
        rec["destination"] = dest


def load_nmea(raw: bytes, report: LoadReport) -> TrackSet:
    """NMEA 0183 AIS sentences, one per line."""
    from pyais import NMEAMessage
    from pyais.exceptions import InvalidNMEAMessageException

    cols = Columns()
    info: dict[str, dict[str, Any]] = {}
    pending: dict[tuple[Any, ...], list[tuple[int, Any, float]]] = {}
    pending_time: float = NAN
    lines = raw.splitlines()
    report.lines = len(lines)

    def emit(msg: Any, t: float, lineno: int) -> None:
        report.messages += 1
        try:
            d = msg.decode().asdict()
        except Exception as exc:  # pyais raises many kinds on a corrupt payload
            report.bad(lineno, f"payload does not decode ({type(exc).__name__})")
            return
        mtype = d.get("msg_type")
        mmsi = str(d.get("mmsi", "")).zfill(9)
        if mtype in _STATIC_TYPES:
            _merge_info(info, mmsi, d)
        if mtype not in _POSITION_TYPES:
            return
        lat, lon = d.get("lat"), d.get("lon")
        if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
            report.no_position += 1
            return
        if t != t:
            report.no_time += 1
        sog = d.get("speed")
        sog = NAN if sog is None or sog >= 102.3 else sog * KT
        cog = d.get("course")
        cog = NAN if cog is None or cog >= 360 else cog
        cols.add(t, mmsi, float(lat), float(lon), NAN, sog, cog, -1, "", lineno)

    for lineno, bline in enumerate(lines, start=1):
        line = bline.strip().decode("ascii", "replace")
        if not line or line.startswith("#"):
            continue
        t = NAN
        if line.startswith("\\"):
            end = line.find("\\", 1)
            if end < 0:
                report.bad(lineno, "tag block not closed")
                continue
            tags = _tag_block(line[1:end])
            line = line[end + 1:]
            if "c" in tags:
                try:
                    c = float(tags["c"])
                    t = c / 1000.0 if c > 1e11 else c
                except ValueError:
                    report.bad(lineno, f"tag block time {tags['c']!r} is not a number")
        if line.startswith("$PGHP"):
            try:
                pending_time = _pghp_time(line)
            except (ValueError, IndexError):
                report.bad(lineno, "Gatehouse $PGHP time does not parse")
            continue
        if not (line.startswith("!") and line[3:6] in ("VDM", "VDO")):
            if line.startswith("$"):
                continue  # other NMEA sentences (GPS, Gatehouse) are not AIS
            report.bad(lineno, "not an AIS sentence")
            continue
        # Some feeds append ",<unix time>" after the checksum.
        star = line.rfind("*")
        if star > 0 and len(line) > star + 3 and line[star + 3] == ",":
            tail = line[star + 4:]
            line = line[:star + 3]
            if t != t:
                try:
                    t = float(tail)
                except ValueError:
                    pass
        if t != t and pending_time == pending_time:
            t, pending_time = pending_time, NAN
        try:
            msg = NMEAMessage(line.encode())
        except InvalidNMEAMessageException:
            report.bad(lineno, "malformed sentence")
            continue
        except Exception as exc:  # noqa: BLE001 -- pyais raises plain errors on odd fields
            report.bad(lineno, f"malformed sentence ({type(exc).__name__})")
            continue
        if not msg.is_valid:
            report.bad(lineno, "checksum mismatch")
            continue
        if msg.frag_cnt < 1 or msg.frag_num < 1 or msg.frag_num > msg.frag_cnt:
            report.bad(lineno, f"fragment {msg.frag_num} of {msg.frag_cnt}")
            continue
        if msg.frag_cnt == 1:
            emit(msg, t, lineno)
            continue
        key = (msg.frag_cnt, msg.seq_id, msg.channel, msg.talker)
        parts = pending.get(key)
        if msg.frag_num == 1:
            if parts:
                for ln, *_ in parts:
                    report.bad(ln, "multipart message missing its later fragments")
            pending[key] = [(lineno, msg, t)]
            continue
        if not parts or parts[-1][1].frag_num != msg.frag_num - 1:
            report.bad(lineno, f"fragment {msg.frag_num} of {msg.frag_cnt} without the fragment before it")
            if parts:
                for ln, *_ in parts:
                    report.bad(ln, "multipart message missing its later fragments")
                pending.pop(key, None)
            continue
        parts.append((lineno, msg, t))
        if msg.frag_num == msg.frag_cnt:
            pending.pop(key)
            joined = NMEAMessage.assemble_from_iterable([m for _, m, *_ in parts])
            first_t = next((pt for *_, pt in parts if pt == pt), NAN)
            report.multipart_joined += 1
            emit(joined, first_t, parts[0][0])
    for parts in pending.values():
        for ln, *_ in parts:
            report.bad(ln, "multipart message missing its later fragments")
    report.malformed_lines.sort()
    return cols.build("sea", info)


def _dt(text: str, fmts: tuple[str, ...]) -> float:
    text = text.strip()
    for fmt in fmts:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC).timestamp()
        except ValueError:
            continue
    raise ValueError(f"time {text!r} does not parse")


def _load_ais_csv(text: str, report: LoadReport, *, time_col: str, fields: dict[str, str],
                  fmts: tuple[str, ...]) -> TrackSet:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise ValueError("empty CSV")
    ix = {h.strip(): i for i, h in enumerate(header)}
    need = [time_col, fields["mmsi"], fields["lat"], fields["lon"]]
    missing = [c for c in need if c not in ix]
    if missing:
        raise ValueError(f"CSV header lacks {', '.join(missing)}")
    g = {k: ix.get(v) for k, v in fields.items()}
    i_t = ix[time_col]
    width = len(header)
    cols = Columns()
    info: dict[str, dict[str, Any]] = {}
    lineno = 1
    for lineno, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != width:
            report.bad(lineno, f"{len(row)} fields, expected {width}")
            continue
        try:
            t = _dt(row[i_t], fmts)
            mmsi = row[g["mmsi"]].strip()
            if not mmsi.isdigit():
                raise ValueError(f"MMSI {mmsi!r} is not a number")
            mmsi = mmsi.zfill(9)
            lat, lon = fnum(row[g["lat"]]), fnum(row[g["lon"]])
            sog = fnum(row[g["sog"]]) if g.get("sog") is not None else NAN
            cog = fnum(row[g["cog"]]) if g.get("cog") is not None else NAN
        except ValueError as exc:
            report.bad(lineno, str(exc))
            continue
        if not (abs(lat) <= 90 and abs(lon) <= 180):
            report.no_position += 1
            continue
        cols.add(t, mmsi, lat, lon, NAN, sog * KT if sog < 102.3 else NAN, cog if cog < 360 else NAN, -1, "",
                 lineno)
        if mmsi not in info:
            rec: dict[str, Any] = {}
            for key in ("name", "callsign", "imo", "ship_type", "length"):
                i = g.get(key)
                if i is None or not row[i].strip():
                    continue
                val: Any = row[i].strip()
                if key == "imo":
                    val = val.removeprefix("IMO")
                    if not val.isdigit() or int(val) == 0:
                        continue
                    val = int(val)
                elif key == "ship_type":
                    val = int(val) if val.isdigit() else _DMA_TYPES.get(val.lower())
                    if val is None:
                        continue
                elif key == "length":
                    try:
                        val = float(val)
                    except ValueError:
                        continue
                    key = "length_m"
                rec[key] = val
            info[mmsi] = rec
    report.lines = lineno
    return cols.build("sea", info)


def load_marinecadastre_csv(text: str, report: LoadReport) -> TrackSet:
    """NOAA MarineCadastre AIS CSV: ISO times, knots, AIS numeric ship types."""
    return _load_ais_csv(text, report, time_col="BaseDateTime",
                         fields={"mmsi": "MMSI", "lat": "LAT", "lon": "LON", "sog": "SOG", "cog": "COG",
                                 "name": "VesselName", "callsign": "CallSign", "imo": "IMO",
                                 "ship_type": "VesselType", "length": "Length"},
                         fmts=("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"))


def load_dma_csv(text: str, report: LoadReport) -> TrackSet:
    """Danish Maritime Authority AIS CSV: `# Timestamp` dd/mm/yyyy, knots, ship types as words."""
    return _load_ais_csv(text, report, time_col="# Timestamp",
                         fields={"mmsi": "MMSI", "lat": "Latitude", "lon": "Longitude", "sog": "SOG",
                                 "cog": "COG", "name": "Name", "callsign": "Callsign", "imo": "IMO",
                                 "ship_type": "Ship type", "length": "Length"},
                         fmts=("%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"))
