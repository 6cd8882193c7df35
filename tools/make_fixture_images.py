"""Draw the illustration the content fixtures use, into fixtures/media/.

    .venv/bin/python tools/make_fixture_images.py

- framework-members.png (1600x900): IOM and the five EU bodies in the Strategic Cooperation
  Framework. The framework page draws its members from its own data; this picture is its
  social-media image (og:image), which has to be a raster file.

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
YELLOW = (255, 184, 28)  # #FFB81C

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
    draw_framework()
