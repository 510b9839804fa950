"""What the model scripts' command lines share: argument types, the error a user can fix, reading a manifest."""
import argparse
import json


class InputError(Exception):
    """A problem the user can fix (a missing or tampered file, a bad option); its message names the file or option."""


def positive_int(text):
    """argparse type for counts that must be at least 1 (cases, threads, calibration cases)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def read_manifest_json(models):
    """The parsed manifest.json of a model set folder, or an InputError naming it."""
    path = models / "manifest.json"
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise InputError(f"{path}: not found; --models must be a folder with a manifest.json") from None
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror or e})") from None
    except ValueError as e:
        raise InputError(f"{path}: is not valid JSON ({e})") from None
