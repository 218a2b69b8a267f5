"""The `--versions` of every Python server: its components and versions as one JSON object (a scenario's
`versions` command; docs/servers.md)."""

import json
import platform
from importlib import metadata


def print_versions(components) -> int:
    """Prints {"python": ..., component: version, ...} for each installed component (importlib.metadata, else
    the module's __version__); a component not installed is left out."""
    out = {"python": platform.python_version()}
    for name in components:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            try:
                out[name] = str(__import__(name).__version__).split()[0]
            except (ImportError, AttributeError):
                pass
    print(json.dumps(out))
    return 0
