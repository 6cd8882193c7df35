"""Read and write fixture YAML in one stable, reviewable style."""

import yaml


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        # Indent lists under their key, as people write them by hand.
        return super().increase_indent(flow, False)


def _represent_str(dumper, value):
    # Text with line breaks as block scalars; other text is never folded, so one changed word
    # changes one line of the diff.
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


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
    return yaml.safe_load(text)
