"""Argument types shared by the model scripts' command lines."""
import argparse


def positive_int(text):
    """argparse type for counts that must be at least 1 (cases, threads, calibration cases)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value
