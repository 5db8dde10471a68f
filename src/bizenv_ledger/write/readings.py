"""``ledger record``: find the metric, read the value as typed (5, 2.7天, 是, 110-180, ≤60, ≥1000), plan the change."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from ..model.dates import normalise
from ..model.dates import shown as shown_text
from ..model.domain import MAX_DIGITS, Bound, Indicator, Metric, Range, Reading, Value
from ..model.errors import LookupFailed, UsageError, WriteRefused
from ..model.names import close_matches, find_indicator
from ..model.quantities import never_negative
from .actions import Change, Context, Planner, check_day, edit_file_item, issued, required_text
from .audit import CommitMessage
from .edit import Block, Draft, EditError, Node, Scalar, metric_path
from .scope import Scoped

__all__ = ["find_metric", "parse_reading", "plan_record"]

_NUMBER = r"-?\d+(?:\.\d+)?"
_YES = {"是", "true", "yes", "y", "有", "已实现"}
_NO = {"否", "false", "no", "n", "无", "未实现"}
_AT_MOST = re.compile(rf"(?:≤|<=|<|不超过|最多|至多)({_NUMBER})")
_AT_LEAST = re.compile(rf"(?:≥|>=|>|不低于|不少于|至少)({_NUMBER})")
_RANGE = re.compile(rf"({_NUMBER})(?:-|~|–|—|至|到)({_NUMBER})")


def _number(text: str) -> int | Decimal:
    if sum(ch.isdigit() for ch in text) > MAX_DIGITS:  # int() raises beyond 4,300 digits
        msg = f"读数“{shown_text(text)}”位数过多（超过 {MAX_DIGITS} 位）"
        raise UsageError(msg)
    return int(text) if "." not in text else Decimal(text)


def _is_yes_no(metric: Metric) -> bool:
    return metric.unit == "是/否" or any(isinstance(v, bool) for v in (metric.best, metric.baseline, metric.target))


def _parse(text: str, typed: str | None = None) -> Scalar:
    if text.lower() in _YES:
        return True
    if text.lower() in _NO:
        return False
    if re.fullmatch(_NUMBER, text):
        return _number(text)
    if m := _AT_MOST.fullmatch(text):
        return {"at_most": _number(m[1])}
    if m := _AT_LEAST.fullmatch(text):
        return {"at_least": _number(m[1])}
    if m := _RANGE.fullmatch(text):
        low, high = _number(m[1]), _number(m[2])
        if low > high:
            msg = f"区间下限 {m[1]} 大于上限 {m[2]}"
            raise UsageError(msg)
        return {"min": low, "max": high}
    msg = f"无法识别的读数“{typed or text}”（可写作 5、2.7、是/否、110-180、≤60、≥1000）"
    raise UsageError(msg)


def _check_kind(value: Scalar, metric: Metric, typed: str) -> None:
    yes_no = _is_yes_no(metric)
    if yes_no != isinstance(value, bool):
        expected = "是 或 否" if yes_no else f"数值（{metric.unit}）"
        msg = f"{metric.name} 的读数应为{expected}，而不是“{typed}”"
        raise UsageError(msg)
    if isinstance(value, dict) and "at_most" in value and metric.direction != "lower":
        msg = f"“≤”只适用于越低越好的指标项，{metric.name} 越高越好"
        raise UsageError(msg)
    if isinstance(value, dict) and "at_least" in value and metric.direction != "higher":
        msg = f"“≥”只适用于越高越好的指标项，{metric.name} 越低越好"
        raise UsageError(msg)


def _check_sign(value: Scalar, metric: Metric, typed: str) -> None:
    """A time, count or amount below zero is a mistake (model.quantities holds the rule ``check`` applies too)."""
    figures = list(value.values()) if isinstance(value, dict) else [value]
    if never_negative(metric.unit) and any(isinstance(f, int | Decimal) and f < 0 for f in figures):
        msg = f"{metric.name} 以“{metric.unit}”计，不能为负数（读数“{typed}”）"
        raise UsageError(msg)


def _check_unit(text: str, metric: Metric, typed: str) -> None:
    """A number followed by some other unit (4.5小时 for a metric in 天) is a unit mismatch, said as such."""
    if _is_yes_no(metric) or (m := re.fullmatch(r"(.*\d)\s*(\D+)", text)) is None:
        return
    try:
        _parse(m[1])
    except UsageError:
        return
    unit = f"“{metric.unit}”" if metric.unit else "空（只写数字）"
    msg = f"{metric.name} 的单位是{unit}，读数“{typed}”的单位“{m[2]}”与之不符（请换算后再记录）"
    raise UsageError(msg)


def _digits(number: object) -> str:
    """Every digit of the number as stored (4.50 -> 4.5, never rounded), for the audit trail."""
    text = format(Decimal(str(number)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def shown(value: Scalar) -> str:
    """The value as people write it, with every digit it is stored with (for messages and the commit)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        if "min" in value:
            return f"{_digits(value['min'])}-{_digits(value['max'])}"
        if "at_most" in value:
            return f"≤{_digits(value['at_most'])}"
        return f"≥{_digits(value['at_least'])}"
    return _digits(value)


def parse_reading(typed: str, metric: Metric) -> tuple[Scalar, str]:
    """The YAML value of a reading of ``metric``, and how to show it; a usage error if it does not fit."""
    text = normalise(typed)
    unit = normalise(metric.unit)
    if unit and unit != "是/否":
        for written in (unit, unit.removeprefix("个")):  # 5天 -> 5, 94.5% -> 94.5, 5工作日 -> 5
            if written and text.endswith(written) and text != written:
                text = text[: -len(written)].rstrip()
                break
    try:
        value = _parse(text, typed)
    except UsageError:
        _check_unit(text, metric, typed)
        raise
    _check_kind(value, metric, typed)
    _check_sign(value, metric, typed)
    return value, shown(value)


def find_metric(indicator: Indicator, typed: str) -> Metric:
    """A metric of ``indicator`` by key, name or unique fragment of either."""
    key = normalise(typed).lower()
    for metric in indicator.metrics:
        if key in (metric.key.lower(), normalise(metric.name).lower()):
            return metric
    hits = [m for m in indicator.metrics if key and (key in m.key.lower() or key in normalise(m.name).lower())]
    if len(hits) == 1:
        return hits[0]
    names = [f"{m.name}（{m.key}）" for m in (hits or indicator.metrics)]
    if hits:
        msg = f"指标项“{typed}”不唯一，可能是：{'、'.join(names)}"
        raise LookupFailed(msg, names)
    near = close_matches(typed, [m.name for m in indicator.metrics] + [m.key for m in indicator.metrics])
    msg = f"{indicator.name} 没有指标项“{typed}”；可选：{'、'.join(names)}" + (
        f"（是否要找：{'、'.join(near)}）" if near else ""
    )
    raise LookupFailed(msg, near)


def _as_scalar(value: Value) -> Scalar:
    """A stored value as ``parse_reading`` gives one, to compare and show it the same way."""
    if isinstance(value, Range):
        return {"min": value.min, "max": value.max}
    if isinstance(value, Bound):
        return {"at_most": value.at_most} if value.at_most is not None else {"at_least": value.at_least}
    return value


def _same_day(metric: Metric, on: date) -> int | None:
    """The reading already recorded for ``on`` (the last one, should a hand edit have left two)."""
    found = [k for k, r in enumerate(metric.readings) if r.on == on]
    return found[-1] if found else None


def _replace_reading(draft: Draft, path: tuple[str | int, ...], value: Scalar, source: str | None) -> None:
    """Put the new value (and source) in place of the day's reading: one reading a day, as ``check`` wants."""
    draft.set_key(path, "value", value)
    if source is not None:
        draft.set_key(path, "source", source)
    elif "source" in _item(draft.data, path):
        draft.cut_key(path, "source")  # the old source was the old figure's, not the new one's


def _item(data: object, path: tuple[str | int, ...]) -> dict[str, object]:
    for part in path:
        data = data[part]  # type: ignore[index]
    return data if isinstance(data, dict) else {}


def plan_record(
    indicator_typed: str, metric_typed: str, value_text: str, day: date | None, source: str | None
) -> Planner:
    def plan(ctx: Context) -> Change:
        indicator = find_indicator(ctx.ledger, indicator_typed)
        metric = find_metric(indicator, metric_typed)
        value, shown = parse_reading(value_text, metric)
        on = day or ctx.today
        check_day(on, ctx, not_before=issued(ctx), what="读数日期", why="方案印发日期")
        pairs: list[tuple[str, Node]] = [("on", on.isoformat()), ("value", value)]
        said = required_text(source, "--source", "source") if source is not None else None
        if said is not None:
            pairs.append(("source", said))
        rel = ctx.ledger.indicator_files[indicator.number]
        k = _same_day(metric, on)
        old = metric.readings[k] if k is not None else None
        if old is not None and _as_scalar(old.value) == value and old.source == source:
            msg = f"{indicator.name} · {metric.name} 在 {on.isoformat()} 已有同样的读数 {shown}，未作修改"
            raise WriteRefused(msg)

        def locate(data: object) -> tuple[str | int, ...]:
            path = metric_path(data, metric.key)
            if path is None:
                msg = f"{rel} 中找不到指标项 {metric.key}"
                raise EditError(msg)
            return path

        def change(draft: Draft, path: tuple[str | int, ...]) -> None:
            if k is None:
                draft.append_item(path, "readings", Block(tuple(pairs)))
            else:
                _replace_reading(draft, (*path, "readings", k), value, source)

        edit = edit_file_item(ctx, rel, locate, change, metric)
        message = _record_message(indicator, metric, on, shown, said, old)
        summary = f"已记录 {indicator.name} · {metric.name} = {shown}（{on.isoformat()}）。"
        if old is not None:
            summary += f"\n该日原有读数 {_shown_reading(old)}，已替换为新读数（原读数留在提交记录中）。"
        return Change(edit.files, message, summary, edit.items)

    return Scoped(plan, indicator=indicator_typed)


def _shown_value(value: Value) -> str:
    return shown(_as_scalar(value))


def _shown_reading(reading: Reading) -> str:
    return _shown_value(reading.value) + (f"（来源：{reading.source}）" if reading.source else "")


def _record_message(
    indicator: Indicator, metric: Metric, on: date, shown: str, source: str | None, replaced: Reading | None
) -> CommitMessage:
    trailers = [
        ("Ledger-Action", "record"),
        ("Ledger-Item", f"{indicator.name}/{metric.key}"),
        ("Ledger-Indicator", str(indicator.number)),
        ("Ledger-Date", on.isoformat()),
        ("Ledger-Metric", metric.name),
        ("Ledger-Value", shown),
    ]
    trailers += [("Ledger-Source", source)] if source is not None else []
    if replaced is not None:  # the day's earlier reading, so the audit trail keeps what was overwritten
        trailers.append(("Ledger-Replaced", _shown_value(replaced.value)))
        trailers += [("Ledger-Replaced-Source", replaced.source)] if replaced.source else []
    unit = metric.unit if metric.unit != "是/否" else ""
    body = [f"{on.isoformat()} {metric.name}：{shown}{unit}"]
    body += [f"来源：{source}"] if source is not None else []
    body += [f"替换该日原有读数：{_shown_reading(replaced)}"] if replaced is not None else []
    return CommitMessage(f"记录 {indicator.name} {metric.name} = {shown}", tuple(body), tuple(trailers))
