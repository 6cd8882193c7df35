"""Draw the two illustrations the content fixtures use, into fixtures/media/.

    .venv/bin/python tools/make_fixture_images.py

- partnership-timeline.png (1600x600): the partnership's milestones on a 1994–2025 timeline.
- framework-members.png (1600x900): IOM and the five EU bodies in the Strategic Cooperation
  Framework.

Pillow only, with Pillow's bundled scalable font (no system fonts, nothing downloaded). The output
is deterministic: the same bytes on every run. Every fact drawn here comes from
shared/content/facts.md, like the rest of the fixtures.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

MEDIA = Path(__file__).resolve().parent.parent / "fixtures" / "media"

# Palette from IOM's own material (facts.md). Text is navy or IOM blue on white, or white on IOM
# blue; yellow is decoration only.
WHITE = (255, 255, 255)
IOM_BLUE = (0, 51, 160)  # #0033A0
NAVY = (24, 55, 95)  # #18375F
GREY = (102, 102, 102)  # #666666
YELLOW = (255, 184, 28)  # #FFB81C
PALE_BLUE = (230, 236, 247)  # a light tint of IOM blue, for card backgrounds

MAX_BYTES = 150 * 1024


def font(size):
    return ImageFont.load_default(size=size)


def wrap(draw, text, fnt, width):
    """Split `text` into lines no wider than `width` pixels."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=fnt) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def text_block_height(lines, size, spacing):
    return len(lines) * size + (len(lines) - 1) * spacing


def draw_centred_lines(draw, centre_x, top, lines, fnt, size, spacing, fill, bold=False):
    y = top
    for line in lines:
        draw.text(
            (centre_x, y),
            line,
            font=fnt,
            fill=fill,
            anchor="mt",
            stroke_width=1 if bold else 0,
            stroke_fill=fill,
        )
        y += size + spacing
    return y


def save(image, name):
    """Reduce to a fixed small palette and save without metadata, so the bytes never change."""
    MEDIA.mkdir(parents=True, exist_ok=True)
    path = MEDIA / name
    paletted = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    paletted.save(path, format="PNG", optimize=True)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SystemExit(f"{name} is {size} bytes, over the {MAX_BYTES} byte limit")
    print(f"wrote {path} ({size} bytes)")


# --- The timeline ---------------------------------------------------------------------------

# (position in years, date label, what happened), oldest first.
MILESTONES = [
    (1994.5, "1994", "Framework Partnership Agreement for Humanitarian Aid Actions"),
    (2011 + 8.5 / 12, "September 2011", "IOM's EU liaison office set up in Brussels"),
    (2011 + 10.5 / 12, "November 2011", "EU-IOM Framework Agreement signed"),
    (2012 + 6.5 / 12, "July 2012", "Strategic Cooperation Framework set up"),
    (2013 + 4 / 12, "3 May 2013", "First Senior Officials Meeting"),
    (2015.0, "2015 onward", "Cooperation grows substantially"),
    (2025 + 3 / 12, "4 April 2025", "11th Senior Officials Meeting"),
]


def draw_timeline():
    width, height = 1600, 600
    image = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(image)

    title_font = font(40)
    draw.text(
        (60, 28),
        "IOM and the European Union: milestones from 1994 to 2025",
        font=title_font,
        fill=NAVY,
        stroke_width=1,
        stroke_fill=NAVY,
    )
    draw.rectangle((60, 84, 260, 91), fill=YELLOW)

    # The axis: 1994 to 2025 (to the end of 2025), left to right.
    axis_y = 350
    left, right = 90, 1510
    start, end = 1994.0, 2026.0

    def x_for(year):
        return left + (year - start) / (end - start) * (right - left)

    draw.line((left, axis_y, right, axis_y), fill=NAVY, width=6)

    # Year ticks every five years, labelled small and grey just under the axis.
    tick_font = font(22)
    for year in (2000, 2005, 2010, 2020):
        x = x_for(year)
        draw.line((x, axis_y - 10, x, axis_y + 10), fill=NAVY, width=3)
        draw.text((x, axis_y + 16), str(year), font=tick_font, fill=GREY, anchor="mt")

    # Cards: evenly spaced, alternating above and below the axis, each joined to its marker.
    date_size, text_size, spacing = 30, 24, 6
    date_font, text_font = font(date_size), font(text_size)
    card_width = 340
    card_left_edge, card_right_edge = 60, width - 60
    step = (card_right_edge - card_left_edge - card_width) / (len(MILESTONES) - 1)

    cards = []
    for index, (year, date, text) in enumerate(MILESTONES):
        centre_x = card_left_edge + card_width / 2 + index * step
        lines = wrap(draw, text, text_font, card_width - 40)
        inner = date_size + 10 + text_block_height(lines, text_size, spacing)
        card_height = inner + 30
        above = index % 2 == 0
        if above:
            top = axis_y - 55 - card_height
        else:
            top = axis_y + 75
        box = (centre_x - card_width / 2, top, centre_x + card_width / 2, top + card_height)
        cards.append((year, date, lines, box, above))

    # Leader lines first, so cards and markers sit on top of them.
    for year, _date, _lines, box, above in cards:
        marker_x = x_for(year)
        card_x = (box[0] + box[2]) / 2
        card_y = box[3] if above else box[1]
        draw.line((marker_x, axis_y, card_x, card_y), fill=IOM_BLUE, width=3)

    for _year, date, lines, box, _above in cards:
        draw.rounded_rectangle(box, radius=14, fill=PALE_BLUE, outline=IOM_BLUE, width=3)
        centre_x = (box[0] + box[2]) / 2
        y = box[1] + 15
        draw.text(
            (centre_x, y),
            date,
            font=date_font,
            fill=IOM_BLUE,
            anchor="mt",
            stroke_width=1,
            stroke_fill=IOM_BLUE,
        )
        y += date_size + 10
        draw_centred_lines(draw, centre_x, y, lines, text_font, text_size, spacing, NAVY)

    for year, *_rest in cards:
        x = x_for(year)
        draw.ellipse((x - 11, axis_y - 11, x + 11, axis_y + 11), fill=YELLOW, outline=NAVY, width=4)

    save(image, "partnership-timeline.png")


# --- The framework members ------------------------------------------------------------------

# (acronym as shown, second line), clockwise from the top. Full names from facts.md, shortened
# only by dropping "Directorate-General for".
MEMBERS = [
    ("DG HOME", "Migration and Home Affairs"),
    ("DG INTPA", "International Partnerships"),
    ("DG ECHO", "European Civil Protection and Humanitarian Aid Operations"),
    ("DG NEAR", "Neighbourhood and Enlargement Negotiations"),
    ("EEAS", "European External Action Service"),
]
POSITIONS = [(800, 215), (1240, 420), (1110, 770), (490, 770), (360, 420)]


def draw_framework():
    width, height = 1600, 900
    image = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(image)

    title_font = font(40)
    draw.text(
        (60, 28),
        "The Strategic Cooperation Framework: IOM and its EU counterparts",
        font=title_font,
        fill=NAVY,
        stroke_width=1,
        stroke_fill=NAVY,
    )
    draw.rectangle((60, 84, 260, 91), fill=YELLOW)

    centre = (800, 500)
    radius = 115

    for x, y in POSITIONS:
        draw.line((centre[0], centre[1], x, y), fill=NAVY, width=5)

    acronym_size, name_size, spacing = 40, 25, 6
    acronym_font, name_font = font(acronym_size), font(name_size)
    card_width = 400
    for (acronym, name), (x, y) in zip(MEMBERS, POSITIONS, strict=True):
        lines = wrap(draw, name, name_font, card_width - 40)
        inner = acronym_size + 12 + text_block_height(lines, name_size, spacing)
        card_height = inner + 36
        box = (x - card_width / 2, y - card_height / 2, x + card_width / 2, y + card_height / 2)
        draw.rounded_rectangle(box, radius=16, fill=WHITE, outline=IOM_BLUE, width=4)
        top = box[1] + 18
        draw.text(
            (x, top),
            acronym,
            font=acronym_font,
            fill=IOM_BLUE,
            anchor="mt",
            stroke_width=1,
            stroke_fill=IOM_BLUE,
        )
        draw_centred_lines(draw, x, top + acronym_size + 12, lines, name_font, name_size, spacing, NAVY)

    cx, cy = centre
    draw.ellipse((cx - radius - 10, cy - radius - 10, cx + radius + 10, cy + radius + 10), fill=YELLOW)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=IOM_BLUE)
    draw.text((cx, cy), "IOM", font=font(64), fill=WHITE, anchor="mm", stroke_width=1, stroke_fill=WHITE)

    save(image, "framework-members.png")


if __name__ == "__main__":
    draw_timeline()
    draw_framework()
