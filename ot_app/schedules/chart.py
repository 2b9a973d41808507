"""The S-curve drawn as server-rendered SVG (no chart library in the browser): the coordinates of
each series and of the axes for templates/schedules/_curva.html. Display only; the numbers are the
table's."""

from __future__ import annotations

from dataclasses import dataclass

W, H = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 10, 34
MAX_LABELS = 8
SERIES = (
    ("planeado", "Planeado (versión vigente)"),
    ("planeado_v1", "Planeado (versión 1, línea base)"),
    ("real", "Real (cortes)"),
)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    lines: list[tuple[str, str, str]]  # (series key, its label, "x,y x,y …")
    marks: list[tuple[float, float, str]]  # the actual points (x, y, "periodo: value"): one cut-off is a dot
    yticks: list[tuple[int, float]]  # (percentage, y)
    xticks: list[tuple[str, float]]  # (period label, x)
    left: int
    right: float
    top: int
    bottom: float


def chart(curva) -> Chart:
    n = len(curva.puntos)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(i: int) -> float:
        return round(LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2), 1)

    def y(value: str) -> float:
        return round(TOP + plot_h * (100 - float(value)) / 100, 1)

    lines = []
    for key, name in SERIES:
        points = [
            f"{x(i)},{y(getattr(p, key))}" for i, p in enumerate(curva.puntos) if getattr(p, key) is not None
        ]
        if points:
            lines.append((key, name, " ".join(points)))
    marks = [
        (x(i), y(p.real), f"{p.periodo}: {p.real} %")
        for i, p in enumerate(curva.puntos)
        if p.real is not None
    ]
    step = max(1, -(-n // MAX_LABELS))
    xticks = [(p.periodo, x(i)) for i, p in enumerate(curva.puntos) if i % step == 0 or i == n - 1]
    yticks = [(v, y(str(v))) for v in (0, 25, 50, 75, 100)]
    return Chart(W, H, lines, marks, yticks, xticks, LEFT, W - RIGHT, TOP, H - BOTTOM)
