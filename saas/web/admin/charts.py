"""A grouped bar chart laid out for a server-drawn SVG: bars, axis ticks and their labels."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

WIDTH, HEIGHT = 760, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 16, 40
NICE_STEPS = (1, 2, 5)


@dataclass(frozen=True)
class Bar:
    """One bar: where it stands, its value, and the words a screen reader says for it."""

    series: str
    group: int
    x: float
    y: float
    width: float
    height: float
    value: int
    shown: str
    label: str


@dataclass(frozen=True)
class Tick:
    """A line across the plot at a value, with the value written."""

    y: float
    label: str


@dataclass(frozen=True)
class Group:
    """A group's name under the axis, centred on its bars, and a note beneath it (a year)."""

    x: float
    label: str
    note: str = ""


@dataclass
class Chart:
    """Everything the SVG template draws."""

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    base: float = HEIGHT - BOTTOM
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)


def nice_top(largest: int) -> tuple[int, int]:
    """A round top for the axis and the step between its ticks (at most four steps)."""
    magnitude = 1
    while True:
        for step in NICE_STEPS:
            if largest <= step * magnitude * 4:
                top = -(-max(largest, 1) // (step * magnitude)) * step * magnitude
                return top, step * magnitude
        magnitude *= 10


def grouped_bars(
    groups: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[int]],
    number: Callable[[int], str],
    describe: Callable[[str, str, str], str],
    axis: Sequence[tuple[str, str]] | None = None,
) -> Chart:
    """Lay out `values[group][series]`; `describe(series, group, number)` labels each bar.

    `axis` gives each group's (label, note) under the plot; by default its name.
    """
    chart = Chart()
    axis = axis or [(name, "") for name in groups]
    top, step = nice_top(max((v for row in values for v in row), default=0))
    plot = chart.base - TOP
    slot = (chart.right_edge - LEFT) / max(len(groups), 1)
    width = slot * 0.8 / max(len(series), 1)
    for i, (group, row, (label, note)) in enumerate(zip(groups, values, axis, strict=True)):
        first = LEFT + i * slot + slot * 0.1
        chart.groups.append(Group(round(LEFT + (i + 0.5) * slot, 1), label, note))
        for j, (name, value) in enumerate(zip(series, row, strict=True)):
            height = round(plot * value / top, 1)
            shown = number(value)
            chart.bars.append(
                Bar(
                    name,
                    i,
                    round(first + j * width, 1),
                    round(chart.base - height, 1),
                    round(width - 1, 1),
                    height,
                    value,
                    shown,
                    describe(name, group, shown),
                )
            )
    for value in range(0, top + 1, step):
        chart.ticks.append(Tick(round(chart.base - plot * value / top, 1), number(value)))
    return chart
