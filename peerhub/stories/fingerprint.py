"""A story's fingerprint: its topography drawn as a small SVG glyph.

Five spokes, one per dimension, always at the same angle. Each vocabulary term has a fixed
position on its dimension's spoke (TopographyTerm.position, never reused), and a story's terms
are dots at those positions, joined into a shape. So:
- identical topographies give byte-identical SVG (the drawing depends only on the terms);
- similar topographies look similar (shared terms are shared dots; the shape changes a little).

The SVG uses only presentation attributes, no style attribute, so the strict CSP allows it
inline. It carries role="img" and a <title>; pages put a text description beside it."""

import math
from dataclasses import dataclass

from django.utils.html import escape

from peerhub.stories.models import DIMENSION_ORDER, MAX_POSITIONS, Dimension

SIZE = 120
CENTRE = SIZE / 2
INNER, STEP = 10, 4  # radius of position 1 is INNER + STEP; position 12 reaches 58
RINGS = (4, 8, 12)  # guide rings at these positions
# NHS.UK palette colours, each at least 3:1 against white (WCAG 1.4.11 for graphics).
COLOURS = {
    Dimension.STORYTELLER: "#005eb8",
    Dimension.PURPOSE: "#7c2855",
    Dimension.AUDIENCE: "#007f3b",
    Dimension.OUTCOME: "#330072",
    Dimension.ACTIONS: "#8a1538",
}


@dataclass(frozen=True, order=True)
class Mark:
    dimension: str
    position: int
    name: str


def _radius(position: int) -> float:
    return INNER + STEP * min(position, MAX_POSITIONS)


def _point(spoke: int, radius: float) -> tuple[float, float]:
    angle = math.radians(-90 + spoke * 360 / len(DIMENSION_ORDER))
    return CENTRE + radius * math.cos(angle), CENTRE + radius * math.sin(angle)


def _xy(point: tuple[float, float]) -> str:
    return f"{point[0]:.1f},{point[1]:.1f}"


def _outline(marks: list[Mark]) -> str:
    """The shape: through each dimension's innermost term, or the centre when it has none."""
    corners = []
    for spoke, dimension in enumerate(DIMENSION_ORDER):
        positions = [m.position for m in marks if m.dimension == dimension]
        corners.append(_point(spoke, _radius(min(positions))) if positions else (CENTRE, CENTRE))
    points = " ".join(_xy(c) for c in corners)
    return f'<polygon points="{points}" fill="#005eb8" fill-opacity="0.12" stroke="#425563" stroke-width="1"/>'


def _spoke(spoke: int) -> str:
    x, y = _point(spoke, _radius(MAX_POSITIONS))
    return f'<line x1="{CENTRE:.0f}" y1="{CENTRE:.0f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#aeb7bd"/>'


def _frame() -> list[str]:
    rings = [f'<circle cx="{CENTRE:.0f}" cy="{CENTRE:.0f}" r="{_radius(p):.0f}" fill="none" stroke="#d8dde0"/>'
             for p in RINGS]
    return rings + [_spoke(i) for i in range(len(DIMENSION_ORDER))]


def _dots(marks: list[Mark]) -> list[str]:
    dots = []
    for spoke, dimension in enumerate(DIMENSION_ORDER):
        for mark in sorted(m for m in marks if m.dimension == dimension):
            x, y = _point(spoke, _radius(mark.position))
            dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{COLOURS[dimension]}"/>')
    return dots


def title_text(marks: list[Mark]) -> str:
    parts = []
    for dimension in DIMENSION_ORDER:
        names = sorted(m.name for m in marks if m.dimension == dimension)
        parts.append(f"{Dimension(dimension).label.lower()} {', '.join(names) if names else 'not given'}")
    return "Story fingerprint: " + "; ".join(parts)


def fingerprint_svg(marks) -> str:
    """The glyph for these terms. Same terms, same bytes: nothing here depends on the story."""
    marks = sorted(set(marks))
    body = "".join([*_frame(), _outline(marks), *_dots(marks)])
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" role="img" '
        f'class="peerhub-fingerprint" focusable="false"><title>{escape(title_text(marks))}</title>{body}</svg>'
    )


def marks_for(terms) -> list[Mark]:
    return [Mark(t.dimension, t.position, t.name) for t in terms]
