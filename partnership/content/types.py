"""The YAML type each fixture value must have. Django's and Wagtail's clean() turn almost anything
into text (a list becomes "[1, 2]", a mapping its Python repr), so the loader checks types first."""

import datetime

from django.db import models
from wagtail import blocks

TEXT = (str,)
NAMES = {
    str: "text",
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    datetime.date: "a date (YYYY-MM-DD)",
    datetime.datetime: "a date and time",
    list: "a list",
    dict: "a mapping",
}


def describe(value):
    if value is None:
        return "nothing (null)"
    for kind in (bool, datetime.datetime, datetime.date, str, int, float, list, dict):
        if isinstance(value, kind):
            return NAMES[kind]
    return type(value).__name__


def mismatch(value, expected, allow_none=False):
    """A message if `value` is not one of the types `expected`, else None."""
    if value is None and allow_none:
        return None
    ok = isinstance(value, expected)
    if isinstance(value, bool) and bool not in expected:
        ok = False  # YAML's true is an int to Python; a number field wants a number
    if isinstance(value, datetime.datetime) and datetime.datetime not in expected:
        ok = False
    if ok:
        return None
    wanted = " or ".join(NAMES.get(kind, kind.__name__) for kind in expected)
    return f"expected {wanted}, not {describe(value)}"


def model_field_type(model_field):
    """The Python types a fixture may give a model field, or None where the field's own clean()
    is strict enough."""
    if isinstance(model_field, models.BooleanField):
        return (bool,)
    if isinstance(model_field, (models.IntegerField, models.AutoField)):
        return (int,)
    if isinstance(model_field, (models.FloatField, models.DecimalField)):
        return (int, float)
    if isinstance(model_field, models.DateTimeField):
        return (datetime.datetime,)
    if isinstance(model_field, models.DateField):
        return (datetime.date,)
    if isinstance(model_field, (models.CharField, models.TextField)):
        return TEXT
    return None


def block_type(block):
    """The same for a leaf block of a StreamField."""
    if isinstance(block, blocks.BooleanBlock):
        return (bool,)
    if isinstance(block, blocks.IntegerBlock):
        return (int,)
    if isinstance(block, (blocks.FloatBlock, blocks.DecimalBlock)):
        return (int, float)
    text_blocks = (
        blocks.CharBlock,
        blocks.TextBlock,
        blocks.URLBlock,
        blocks.EmailBlock,
        blocks.RegexBlock,
        blocks.RichTextBlock,
        blocks.RawHTMLBlock,
        blocks.ChoiceBlock,
    )
    if isinstance(block, text_blocks):
        return TEXT
    return None
