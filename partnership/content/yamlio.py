"""Read and write fixture YAML in one stable, reviewable style."""

import yaml

# A fixture file is one page, or the images list, or the settings: far below this. The cap keeps a
# mistaken or hostile file from holding the loader up.
MAX_FILE_SIZE = 1024 * 1024


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        # Indent lists under their key, as people write them by hand.
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data):
        # The loader refuses anchors and aliases, so the exporter never writes them, even for
        # a value that appears twice.
        return True


def _represent_str(dumper, value):
    # Text with line breaks as block scalars; other text is never folded, so one changed word
    # changes one line of the diff.
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


class FixtureLoader(yaml.SafeLoader):
    """YAML as people write fixtures by hand: no anchors or aliases (a few nested aliases expand
    to gigabytes, the 'billion laughs'), and no key written twice in a mapping (YAML would keep
    the last one without a word)."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None,
                None,
                "anchors and aliases (&name, *name) are not allowed in fixtures; write the value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                ) from None
            if first is not None:
                raise yaml.constructor.ConstructorError(
                    f"while reading a mapping (the key {key!r} first appears on line {first.line + 1})",
                    first,
                    f"duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


def dump(data):
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=2**31 - 1,
        indent=2,
    )


def load(text):
    return yaml.load(text, Loader=FixtureLoader)  # noqa: S506 - FixtureLoader is a SafeLoader
